"""A small practice bank for the web tests: library "nsi" (the item tests' course, owned by prof)
with approved cloze and true/false items whose quotes are verbatim sentences of the course."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learning" / "items"))

from course_docs import COURSE  # noqa: E402

from precepteur.learning.items.types import Item, Source  # noqa: E402

PILES, FILES, ROUTAGE, WEB = ("cours.md:1-les-piles", "cours.md:2-les-files", "cours.md:3-le-routage",
                              "cours.md:4-le-web")
# (skill, sentence of the course, key word blanked out)
CLOZES = (
    (PILES, "Une pile est une structure de données qui suit le principe LIFO (le dernier entré est le premier sorti).", "LIFO"),
    (PILES, "Dans une pile, seul le sommet est accessible.", "sommet"),
    (FILES, "Une file est une structure de données qui suit le principe FIFO.", "FIFO"),
    (FILES, "Le premier élément ajouté à une file est le premier retiré.", "retiré"),
    (ROUTAGE, "Le protocole RIP s'appuie sur l'algorithme de Bellman-Ford.", "Bellman-Ford"),
    (ROUTAGE, "Le protocole OSPF s'appuie sur l'algorithme de Dijkstra.", "Dijkstra"),
    (ROUTAGE, "Chaque routeur possède une table de routage.", "routeur"),
)
TRUE_FALSE = (PILES, "Dans une pile, seul le sommet est accessible.", "Vrai")


def _item(skill: str, sentence: str, kind: str, key: str, status: str = "approved") -> Item:
    start = COURSE.index(sentence)
    source = Source("cours.md", "cours.md › " + skill.split(":", 1)[1], sentence, start, start + len(sentence))
    if kind == "cloze":
        prompt, choices = sentence.replace(key, "_____", 1), None
    else:
        prompt, choices = f"Vrai ou faux ? {sentence}", ["Vrai", "Faux"]
    return Item(id=0, library="nsi", skill=skill, kind=kind, level="Terminale", prompt=prompt, choices=choices,
                key=key, variants=[], explanation="", tolerance=None, source=source, status=status,
                checks={"schema": True}, generator="test", context=sentence)


def seed_bank(app, users, tmp_path, *, restricted: bool = True) -> list[int]:
    """Library nsi with the course and its items; returns the approved items' ids."""
    from precepteur.store.items import add_item

    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "cours.md").write_text(COURSE, encoding="utf-8")
    service = app.state.services.library
    service.create("nsi", owner=str(users["prof"].id), restricted=restricted)
    service.add("nsi", [docs], embed=False)
    service.create("vide", owner=str(users["prof"].id))
    ids = []
    with app.state.services.db.session() as s:
        for skill, sentence, key in CLOZES:
            ids.append(add_item(s, _item(skill, sentence, "cloze", key)).id)
        ids.append(add_item(s, _item(TRUE_FALSE[0], TRUE_FALSE[1], "true_false", TRUE_FALSE[2])).id)
        add_item(s, _item(WEB, "Le protocole DNS permet de traduire un nom de domaine en adresse numérique.", "cloze",
                          "DNS", status="draft"))
    return ids
