"""Sentences with exact spans, and the reasons a sentence cannot stand alone."""

from __future__ import annotations

import pytest

from precepteur.learning.items.text import display, is_definition, is_exercise_heading, problem, sentences


def test_sentences_keep_exact_spans(library, topics):
    seen = 0
    for topic in topics:
        for passage in topic.passages:
            text = library.document_text("nsi", passage.document)
            for sentence in sentences(passage):
                assert text[sentence.start:sentence.end] == sentence.text
                seen += 1
    assert seen >= 15


def test_list_items_become_statements(topics):
    revision = next(t for t in topics if t.document == "fiche.md")
    found = [s for p in revision.passages for s in sentences(p) if s.bullet]
    assert [s.display for s in found] == [
        "Une pile suit le principe LIFO en informatique.", "Une file suit le principe FIFO en informatique.",
        "Le protocole OSPF utilise le coût comme métrique.",
    ]
    assert [s.text for s in found][0] == "une pile suit le principe LIFO en informatique ;"
    assert all(s.problem is None for s in found)


@pytest.mark.parametrize(("text", "reason"), [
    ("Une pile.", "too_short"),
    ("Les files sont basées sur le principe FIFO et " + "encore " * 40 + "plus.", "too_long"),
    ("La fonction renvoie pile.append(x) à chaque appel de la boucle.", "code"),
    ("Quel est le principe suivi par une pile dans ce cas ?", "question"),
    ("Écrire une fonction qui empile un élément dans la pile donnée.", "instruction"),
    ("Implémentez en Python l'algorithme de tri vu dans le chapitre.", "instruction"),
    ("Cette méthode permet de parcourir le graphe en largeur d'abord.", "leans_on_context"),
    ("Le schéma ci-dessous montre un réseau de six routeurs reliés.", "leans_on_context"),
    ("Les ordinateurs M1, M2 et M3 appartiennent au réseau local 1.", "scenario"),
    ("Sf de type float est la valeur du bien immobilier choisi par Alice.", "scenario"),
    ("Je ne peux pas utiliser de pièce de 1 euro pour rendre la monnaie.", "scenario"),
    ("La donnée x est d'abord dupliquée puis envoyée aux deux fonctions.", "scenario"),
    ("On découpe la barre en 2 morceaux de longueurs i et n-i à chaque étape.", "scenario"),
    ("les piles suivent le principe LIFO en informatique depuis longtemps.", "fragment"),
    ("The stack follows the LIFO principle in computer science today.", "not_french"),
    ("Une file suit le principe FIFO (premier entré, premier sorti.", "unbalanced"),
    ("Voici les opérations que l'on peut réaliser sur une pile :", "question"),
])
def test_problems(text, reason):
    assert problem(text) == reason


def test_good_sentences_and_definitions():
    text = "Une clé primaire est un attribut dont la valeur identifie un t-uplet de la relation."
    assert problem(text) is None and is_definition(text)
    assert problem("Le protocole RIP limite une route à 15 sauts, soit moins de 2 h de calcul.") is None
    assert problem("Le routeur a une table qui dit à qui envoyer chaque paquet reçu.") is None
    assert not is_definition("Les bases de données relationnelles datent de 1970 environ en France.")
    assert display("Le **principe**\n  `LIFO` régit les piles.") == "Le principe LIFO régit les piles."


@pytest.mark.parametrize(("heading", "exercise"), [
    ("Chapitre 3 › activité 3.2", True), ("exercice 1.4", True), ("Projet 1.2 : un jeu", True), ("Cas n°2", True),
    ("Exercise 2", True), ("Cours › 2) le protocole RIP", False), ("a) présentation", False),
    ("Ce qu’il faut savoir", False), ("3) les questions d'ordonnancement", False), ("", False),
])
def test_exercise_headings_are_told_from_the_course(heading, exercise):
    assert is_exercise_heading(heading) is exercise
