"""Small items of every kind, as the bank would hold them, for grading and store tests."""

from __future__ import annotations

from precepteur.learning.items.types import Item, Source

QUOTE = "Le protocole RIP s'appuie sur l'algorithme de Bellman-Ford."
SOURCE = Source("c11r.md", "c11r.md › Ce qu’il faut savoir", QUOTE, 120, 120 + len(QUOTE))


def make(kind: str, prompt: str, key: str, *, choices=None, variants=(), tolerance=None, hint="", skill="c11r.md:ce-qu-il-faut-savoir",
         library="nsi", status="approved", checks=None, explanation="") -> Item:
    return Item(id=0, library=library, skill=skill, kind=kind, level="Terminale", prompt=prompt,
                choices=list(choices) if choices is not None else None, key=key, variants=list(variants),
                explanation=explanation, tolerance=tolerance, source=SOURCE, status=status,
                checks=dict(checks if checks is not None else {"schema": True, "key_in_passage": True}), hint=hint,
                generator="test", context=QUOTE)


MCQ = make("mcq", "Sur quel algorithme s'appuie le protocole RIP ?", "Bellman-Ford",
           choices=["Dijkstra", "Bellman-Ford", "Kruskal", "Prim"])
TRUE_FALSE = make("true_false", "Vrai ou faux ? Le protocole RIP s'appuie sur l'algorithme de Dijkstra.", "Faux",
                  choices=["Vrai", "Faux"], explanation="Le cours dit « Bellman-Ford », pas « Dijkstra ».")
CLOZE = make("cloze", "Le protocole RIP s'appuie sur l'algorithme de _____.", "Bellman-Ford",
             hint="Le protocole RIP utilise le nombre de sauts comme métrique.")
NUMERIC = make("numeric", "Combien de sauts au plus une route RIP peut-elle compter ?", "15", tolerance=None)
DECIMAL = make("numeric", "Quelle est la longueur en kilomètres ?", "2,5 km", tolerance=0.01)
SHORT = make("short_answer", "Quel algorithme le protocole OSPF utilise-t-il ?", "l'algorithme de Dijkstra",
             variants=["Dijkstra"])
