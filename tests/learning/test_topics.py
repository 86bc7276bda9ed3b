"""The skills map: one topic per document and top heading, stable ids, the teacher's settings."""

from __future__ import annotations

from precepteur.learning.topics import (
    TopicSetting,
    build_topics,
    find_topic,
    heading_label,
    resolve,
    slug,
    topic_id,
)
from precepteur.library.types import Passage


def passage(document: str, heading: str, text: str = "Un texte du cours.", ordinal: int = 0) -> Passage:
    return Passage(document, ordinal, 0, len(text), text, heading, f"{document} › {heading}" if heading else document)


PASSAGES = [
    passage("c5c.md", "1) introduction", "Des structures.", 0),
    passage("c5c.md", "2) les listes", "Une liste est une structure.", 1),
    passage("c5c.md", "2) les listes › a) opérations", "On peut ajouter.", 2),
    passage("c5c.md", "3) les  piles", "Une pile est LIFO.", 3),
    passage("c5r.md", "Ce qu’il faut savoir", "Les piles.", 0),
    passage("c11r.md", "Ce qu’il faut savoir", "Le routage.", 0),
    passage("c13c.md", "", "Sans titre.", 0),
]


def test_slug_and_ids():
    assert slug("2) Protocoles de routage") == "2-protocoles-de-routage"
    assert slug("Œuvre à l'écran") == "oeuvre-a-l-ecran"
    assert topic_id("c11c.md", "2) protocoles de routage") == "c11c.md:2-protocoles-de-routage"
    assert topic_id("c13c.md", "") == "c13c.md"
    long = topic_id("d.md", "titre " * 60)
    assert len(long) == 200 and long == topic_id("d.md", "titre " * 60) and "~" in long
    assert heading_label("2) les  listes") == "Les listes" and heading_label("a) le protocole RIP") == "Le protocole RIP"
    assert heading_label("II. Arbres") == "Arbres" and heading_label("2024") == "2024"


def test_default_map_follows_documents_and_top_headings():
    topics = build_topics(PASSAGES)
    assert [(t.id, t.label, len(t.passages)) for t in topics] == [
        ("c5c.md:1-introduction", "Introduction", 1),
        ("c5c.md:2-les-listes", "Les listes", 2),
        ("c5c.md:3-les-piles", "Les piles", 1),
        ("c5r.md:ce-qu-il-faut-savoir", "Ce qu’il faut savoir (c5r)", 1),
        ("c11r.md:ce-qu-il-faut-savoir", "Ce qu’il faut savoir (c11r)", 1),
        ("c13c.md", "c13c", 1),
    ]
    assert topics[1].to_dict() == {"id": "c5c.md:2-les-listes", "label": "Les listes", "document": "c5c.md",
                                   "heading": "2) les listes", "passages": 2, "hidden": False, "merged": []}


def test_ids_survive_a_changed_document():
    before = {t.id for t in build_topics(PASSAGES)}
    changed = [p for p in PASSAGES if "introduction" not in p.heading] + [passage("c5c.md", "4) les files", "FIFO.", 9)]
    after = {t.id for t in build_topics(changed)}
    assert before - after == {"c5c.md:1-introduction"}
    assert after - before == {"c5c.md:4-les-files"}


def test_rename_merge_hide():
    settings = {
        "c5c.md:2-les-listes": TopicSetting("c5c.md:2-les-listes", label="Listes chaînées"),
        "c5r.md:ce-qu-il-faut-savoir": TopicSetting("c5r.md:ce-qu-il-faut-savoir", merged_into="c5c.md:3-les-piles"),
        "c13c.md": TopicSetting("c13c.md", hidden=True),
    }
    topics = {t.id: t for t in build_topics(PASSAGES, settings)}
    assert "c5r.md:ce-qu-il-faut-savoir" not in topics
    assert topics["c5c.md:2-les-listes"].label == "Listes chaînées"
    assert topics["c5c.md:3-les-piles"].merged == ["c5r.md:ce-qu-il-faut-savoir"]
    assert [p.document for p in topics["c5c.md:3-les-piles"].passages] == ["c5c.md", "c5r.md"]
    assert topics["c13c.md"].hidden
    assert find_topic(topics.values(), "c5r.md:ce-qu-il-faut-savoir", settings).id == "c5c.md:3-les-piles"
    assert find_topic(topics.values(), "nope", settings) is None


def test_merge_chains_and_cycles():
    settings = {"a": TopicSetting("a", merged_into="b"), "b": TopicSetting("b", merged_into="c"),
                "x": TopicSetting("x", merged_into="y"), "y": TopicSetting("y", merged_into="x")}
    assert resolve("a", settings) == "c" and resolve("c", settings) == "c"
    assert resolve("x", settings) in ("x", "y")
    # A merge into a topic that no longer exists leaves the topic where it was.
    gone = {"c5c.md:3-les-piles": TopicSetting("c5c.md:3-les-piles", merged_into="disparu")}
    assert "c5c.md:3-les-piles" in {t.id for t in build_topics(PASSAGES, gone)}


def test_a_title_over_the_whole_document_is_not_a_skill():
    titled = [passage("svt.docx", "La cellule", "Intro.", 0), passage("svt.docx", "La cellule › Le noyau", "ADN.", 1),
              passage("svt.docx", "La cellule › La photosynthèse", "Chlorophylle.", 2)]
    assert [t.id for t in build_topics(titled)] == ["svt.docx:la-cellule", "svt.docx:le-noyau", "svt.docx:la-photosynthese"]


def test_re_ingesting_a_changed_document_keeps_the_ids_of_surviving_headings(tmp_path):
    from precepteur.config import Settings
    from precepteur.library import LibraryService

    service = LibraryService(Settings(home=tmp_path / "home"))
    course = tmp_path / "cours.md"
    course.write_text("## 1) Les piles\n\nUne pile est LIFO.\n\n## 2) Les files\n\nUne file est FIFO.\n", encoding="utf-8")
    service.add("nsi", [course], embed=False)
    before = [t.id for t in build_topics(service.passages("nsi"))]
    course.write_text("## Avant-propos\n\nNouveau.\n\n## 1) Les piles\n\nUne pile suit le principe LIFO.\n\n"
                      "## 3) Les arbres\n\nUn arbre.\n", encoding="utf-8")
    assert service.add("nsi", [course], embed=False).updated == ["cours.md"]
    after = [t.id for t in build_topics(service.passages("nsi"))]
    assert before == ["cours.md:1-les-piles", "cours.md:2-les-files"]
    assert after == ["cours.md:avant-propos", "cours.md:1-les-piles", "cours.md:3-les-arbres"]
