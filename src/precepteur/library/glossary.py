"""English-to-French glossary of school computer-science terms, to expand English questions.

Teachers' documents are mostly French while some learners ask in English; the
multilingual embedder bridges part of the gap, and this glossary bridges the words a
full-text search needs ("merge sort" -> "tri fusion", "stack" -> "pile"). Entries are
general course vocabulary (data structures, algorithms, databases, networks, systems,
programming), never tied to one document. `expand()` returns the French terms found.

Constants: GLOSSARY, MAX_PHRASE_WORDS.
"""

from __future__ import annotations

import re

MAX_PHRASE_WORDS = 3

GLOSSARY: dict[str, str] = {
    # data structures
    "stack": "pile", "stacks": "piles", "queue": "file", "queues": "files", "linked list": "liste chaînée",
    "list": "liste", "lists": "listes", "array": "tableau", "arrays": "tableaux", "dictionary": "dictionnaire",
    "dictionaries": "dictionnaires", "hash table": "table de hachage", "hash": "hachage", "key": "clé",
    "keys": "clés", "value": "valeur", "values": "valeurs", "tree": "arbre", "trees": "arbres",
    "binary tree": "arbre binaire", "binary search tree": "arbre binaire de recherche", "binary": "binaire",
    "node": "nœud", "nodes": "nœuds", "leaf": "feuille", "leaves": "feuilles", "root": "racine",
    "height": "hauteur", "size": "taille", "depth": "profondeur", "edge": "arête", "edges": "arêtes",
    "vertex": "sommet", "vertices": "sommets", "graph": "graphe", "graphs": "graphes",
    "directed": "orienté", "weighted": "pondéré", "adjacency matrix": "matrice d'adjacence",
    "adjacency list": "liste d'adjacence", "adjacency": "adjacence", "neighbour": "voisin", "neighbor": "voisin",
    "path": "chemin", "cycle": "cycle", "abstract data type": "type abstrait", "interface": "interface",
    # algorithms
    "algorithm": "algorithme", "algorithms": "algorithmes", "sort": "tri", "sorting": "tri",
    "merge sort": "tri fusion", "merge": "fusion", "insertion sort": "tri par insertion",
    "selection sort": "tri par sélection", "search": "recherche", "searching": "recherche",
    "binary search": "recherche dichotomique", "divide and conquer": "diviser pour régner",
    "dynamic programming": "programmation dynamique", "memoization": "mémoïsation",
    "greedy": "glouton", "coin change": "rendu de monnaie", "change-making": "rendu de monnaie",
    "recursion": "récursivité", "recursive": "récursive", "base case": "cas de base",
    "traversal": "parcours", "traverse": "parcourir", "breadth-first": "parcours en largeur",
    "breadth first": "parcours en largeur", "depth-first": "parcours en profondeur",
    "depth first": "parcours en profondeur", "bfs": "parcours en largeur", "dfs": "parcours en profondeur",
    "preorder": "préfixe", "pre-order": "préfixe", "inorder": "infixe", "in-order": "infixe",
    "postorder": "suffixe", "post-order": "suffixe", "complexity": "complexité", "pattern": "motif",
    "string search": "recherche textuelle", "text search": "recherche textuelle", "naive": "naïf",
    "dna": "ADN", "fibonacci": "Fibonacci", "loop": "boucle", "function": "fonction", "functions": "fonctions",
    # computability, paradigms
    "halting problem": "problème de l'arrêt", "halting": "arrêt", "undecidable": "indécidable",
    "decidable": "décidable", "computable": "calculable", "computability": "calculabilité",
    "program": "programme", "programs": "programmes", "source code": "code source",
    "paradigm": "paradigme", "functional programming": "programmation fonctionnelle",
    "object-oriented": "programmation orientée objet", "object oriented": "programmation orientée objet",
    "class": "classe", "object": "objet", "method": "méthode", "attribute": "attribut",
    "side effect": "effet de bord", "side effects": "effets de bord", "pure function": "fonction pure",
    "inheritance": "héritage", "modularity": "modularité", "bug": "bogue", "testing": "test",
    # databases
    "database": "base de données", "databases": "bases de données", "dbms": "SGBD",
    "database management system": "système de gestion de base de données", "table": "table",
    "relation": "relation", "relational": "relationnel", "primary key": "clé primaire",
    "foreign key": "clé étrangère", "schema": "schéma", "query": "requête", "queries": "requêtes",
    "join": "jointure", "row": "ligne", "rows": "lignes", "column": "colonne", "delete": "suppression DELETE",
    "update": "mise à jour UPDATE", "insert": "insertion INSERT", "domain": "domaine",
    "spreadsheet": "fichier CSV tableur",
    # networks, security
    "network": "réseau", "networks": "réseaux", "router": "routeur", "routers": "routeurs",
    "routing": "routage", "routing table": "table de routage", "packet": "paquet", "packets": "paquets",
    "protocol": "protocole", "bandwidth": "bande passante", "ip address": "adresse IP", "switch": "switch",
    "encryption": "chiffrement", "encrypt": "chiffrer", "decrypt": "déchiffrer", "symmetric": "symétrique",
    "asymmetric": "asymétrique", "public key": "clé publique", "private key": "clé privée",
    "certificate": "certificat", "secure": "sécurisé", "security": "sécurité",
    # systems
    "process": "processus", "processes": "processus", "deadlock": "interblocage", "scheduler": "ordonnanceur",
    "scheduling": "ordonnancement", "operating system": "système d'exploitation", "cpu": "processeur CPU",
    "processor": "processeur", "memory": "mémoire", "resource": "ressource", "resources": "ressources",
    "system on a chip": "système sur puce", "soc": "SoC système sur puce", "chip": "puce",
    "smartphone": "smartphone", "energy": "énergie", "power consumption": "consommation",
    "state": "état", "states": "états", "ready": "prêt", "blocked": "bloqué", "waiting": "en attente",
    "compiler": "compilateur", "interpreter": "interpréteur",
}

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def expand(question: str) -> list[str]:
    """French terms for the English terms of `question`, longest phrases first."""
    tokens = _TOKEN.findall(question.lower())
    found, i = [], 0
    while i < len(tokens):
        for size in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + size])
            if phrase in GLOSSARY:
                found.append(GLOSSARY[phrase])
                i += size
                break
        else:
            i += 1
    return list(dict.fromkeys(found))
