"""The small real course the item tests generate from (Markdown: a lesson and a revision sheet)."""

from __future__ import annotations

COURSE = """## 1) Les piles

Une pile est une structure de données qui suit le principe LIFO (le dernier entré est le premier sorti).
On retrouve souvent ce principe en informatique.

Dans une pile, seul le sommet est accessible.

## 2) Les files

Une file est une structure de données qui suit le principe FIFO.
Le premier élément ajouté à une file est le premier retiré.

## 3) Le routage

Le protocole RIP s'appuie sur l'algorithme de Bellman-Ford.
Le protocole OSPF s'appuie sur l'algorithme de Dijkstra.
Le protocole RIP utilise le nombre de sauts comme métrique.
Une route RIP compte au plus 15 sauts.

Chaque routeur possède une table de routage.
La table de routage est mise à jour par le protocole RIP toutes les 30 secondes.

## 4) Le web

Le protocole HTTP permet de transporter les pages web du serveur au navigateur.
Le protocole DNS permet de traduire un nom de domaine en adresse numérique.
"""

REVISION = """### Ce qu'il faut savoir

- une pile suit le principe LIFO en informatique ;
- une file suit le principe FIFO en informatique ;
- le protocole OSPF utilise le coût comme métrique.

```python
def empiler(pile, x):
    pile.append(x)
```
"""
