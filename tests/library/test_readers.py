"""Readers: text, structure and spans for each format, and a clear error for each bad file."""

from __future__ import annotations

import os

import pytest

from precepteur.library import MAX_FILE_BYTES, DocumentError, read_document
from precepteur.library._office import MAX_UNZIPPED_BYTES

from library_docs import make_docx, make_odt, make_pdf, make_zip_bomb


def _segment_texts(doc):
    return [(doc.text[s.start : s.end], s.headings, s.page) for s in doc.segments]


def test_pdf_pages_keep_numbers_and_skip_empty_pages(tmp_path):
    path = make_pdf(tmp_path / "cours.pdf", [["Les piles : dernier entré, premier sorti."], None,
                                             ["Les files (FIFO) : premier entré, premier sorti."]])
    doc = read_document(path)
    assert doc.kind == "pdf"
    assert _segment_texts(doc) == [
        ("Les piles : dernier entré, premier sorti.", (), 1),
        ("Les files (FIFO) : premier entré, premier sorti.", (), 3),
    ]


def test_pdf_without_text_layer_is_reported_as_scan(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [None, None])
    with pytest.raises(DocumentError, match="ne contient pas de texte"):
        read_document(path)


def test_encrypted_pdf_is_reported(tmp_path):
    path = make_pdf(tmp_path / "secret.pdf", [["confidentiel"]], encrypted=True)
    with pytest.raises(DocumentError, match="mot de passe"):
        read_document(path)


def test_corrupt_pdf_is_reported(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n this is not a pdf at all " * 20)
    with pytest.raises(DocumentError, match="broken.pdf.*PDF illisible"):
        read_document(path)


def test_docx_heading_path_from_styles(tmp_path):
    path = make_docx(tmp_path / "cours.docx", [("h1", "Structures"), ("p", "Intro."), ("h2", "Les piles"),
                                               ("p", "Une pile est LIFO."), ("h1", "Graphes"), ("p", "Sommets.")])
    doc = read_document(path)
    assert _segment_texts(doc) == [("Intro.", ("Structures",), None),
                                   ("Une pile est LIFO.", ("Structures", "Les piles"), None),
                                   ("Sommets.", ("Graphes",), None)]


def test_odt_heading_path_from_outline_levels(tmp_path):
    path = make_odt(tmp_path / "cours.odt", [("h1", "Réseaux"), ("h2", "RIP"), ("p", "Nombre de sauts."),
                                             ("h2", "OSPF"), ("p", "Bande passante.")])
    doc = read_document(path)
    assert doc.kind == "odt"
    assert _segment_texts(doc) == [("Nombre de sauts.", ("Réseaux", "RIP"), None),
                                   ("Bande passante.", ("Réseaux", "OSPF"), None)]


def test_markdown_headings_ignore_code_fences(tmp_path):
    path = tmp_path / "c1c.md"
    path.write_text("Intro\n\n## 1) Les piles\nTexte pile.\n```\n# pas un titre\n```\n### a) push\nEmpiler.\n",
                    encoding="utf-8")
    doc = read_document(path)
    assert [(s.headings, doc.text[s.start : s.end].strip()) for s in doc.segments] == [
        ((), "Intro"),
        (("1) Les piles",), "Texte pile.\n```\n# pas un titre\n```"),
        (("1) Les piles", "a) push"), "Empiler."),
    ]
    assert doc.text == path.read_text(encoding="utf-8")


def test_html_drops_scripts_and_uses_headings(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Cours</title><style>p{}</style></head><body><h1>Arbres</h1>"
                    "<p>Un arbre a une <b>racine</b>.</p><script>alert('x')</script>"
                    "<h2>Feuilles</h2><ul><li>sans enfant</li><li>au bout</li></ul></body></html>",
                    encoding="utf-8")
    doc = read_document(path)
    assert "alert" not in doc.text and "p{}" not in doc.text
    assert doc.title == "Cours"
    assert _segment_texts(doc) == [("Un arbre a une racine.", ("Arbres",), None),
                                   ("sans enfant\n\nau bout", ("Arbres", "Feuilles"), None)]


def test_plain_text_in_windows_1252(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Récursivité : une fonction qui s'appelle.".encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Récursivité : une fonction qui s'appelle."


@pytest.mark.parametrize("name,content,message", [
    ("vide.md", b"", "vide"),
    ("image.png", b"\x89PNG....", "non pris en charge"),
    ("blanc.txt", b"   \n\n  ", "aucun texte"),
    ("faux.docx", b"PK not really a zip", "DOCX illisible"),
    ("faux.odt", b"hello", "ODT illisible"),
])
def test_bad_files_have_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        read_document(path)


def test_oversized_file_refused_without_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:  # sparse: 500 MB declared, nothing written
        handle.truncate(500 * 1024 * 1024)
    assert os.stat(path).st_size > MAX_FILE_BYTES
    with pytest.raises(DocumentError, match="trop volumineux"):
        read_document(path)


def test_zip_bomb_refused_before_parsing(tmp_path):
    path = make_zip_bomb(tmp_path / "bombe.docx", megabytes=MAX_UNZIPPED_BYTES // (1024 * 1024) // 2)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(DocumentError, match="bombe zip"):
        read_document(path)
