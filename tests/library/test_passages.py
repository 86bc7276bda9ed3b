"""Passages: structure-following cuts, exact spans, and locators a person can follow."""

from __future__ import annotations


import pytest

from precepteur.library import read_document, split_passages
from precepteur.library.passages import MAX_WORDS

from library_docs import CORPUS, make_pdf


def test_spans_are_exact_and_locators_follow_headings(tmp_path):
    body = " ".join(f"Phrase numéro {i} sur les listes chaînées." for i in range(60))
    path = tmp_path / "c11c.md"
    path.write_text(f"## Listes chaînées\n\n### Insertion\n\n{body}\n\n### Suppression\n\nOn retire un maillon.\n",
                    encoding="utf-8")
    doc = read_document(path)
    passages = split_passages("c11c.md", doc)
    assert len(passages) >= 3
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert len(p.text.split()) <= MAX_WORDS
    assert passages[0].locator == "c11c.md › Listes chaînées › Insertion"
    assert passages[-1].locator == "c11c.md › Listes chaînées › Suppression"
    assert passages[-1].text == "On retire un maillon."


def test_pdf_locator_names_the_page(tmp_path):
    path = make_pdf(tmp_path / "cours.pdf", [["Première page."], ["Le routage RIP compte les sauts."]])
    passages = split_passages("cours.pdf", read_document(path))
    assert [p.locator for p in passages] == ["cours.pdf, page 1", "cours.pdf, page 2"]
    assert passages[1].page == 2


def test_headingless_markdown_gets_line_numbers(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("Ligne un.\n\n" + "mot " * 200 + "\n\nFin du texte ici avec assez de mots " * 10, encoding="utf-8")
    passages = split_passages("notes.md", read_document(path))
    assert passages[0].locator == "notes.md, ligne 1"
    assert all(p.locator.startswith("notes.md, ligne ") for p in passages)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
def test_corpus_spans_exact_and_sizes_bounded():
    for name in ("c11c.md", "c5c.md", "c13c.md"):
        doc = read_document(CORPUS / name)
        passages = split_passages(name, doc)
        assert passages
        for p in passages:
            assert doc.text[p.start : p.end] == p.text
            assert p.text == p.text.strip()
            assert len(p.text.split()) <= MAX_WORDS
