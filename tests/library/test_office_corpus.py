"""Office files from any writer: every file of the corpus yields its text and its headings.

The corpus in tests/library/office/ was made by `make_corpus.sh` with pandoc and
LibreOffice headless from `cours.md` and from the hand-written packages of
`office_xml.py` (Word in French, Google Docs, OnlyOffice-like outline styles, ISO
strict, an ODT with sections, frames, notes, headers, a TOC and tracked changes).
The same conversions also run at test time with the tools installed here.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from precepteur.library import read_document

import office_xml

CORPUS = Path(__file__).parent / "office"
COURSE_HEADINGS = [
    ("Structures de données", "Les piles"),
    ("Structures de données", "Les piles", "Opérations"),
    ("Structures de données", "Les files"),
]
COURSE_TEXT = [
    "Une pile est une structure LIFO : le dernier élément empilé est le premier dépilé.",
    "empiler ajoute un élément au sommet", "une pile vide ne se dépile pas",
    "Opération | Coût", "empiler | constant", "est l’exemple classique.",
    "le premier arrivé est le premier servi.", "FIFO signifie premier entré, premier sorti.",
    "à la cantine est une file.",
]
EDGE_TEXT = [
    "Lycée Hugo — Physique", "La lumière se propage en ligne droite.", "Dans un milieu homogène.",
    "Figure : un rayon lumineux.", "n1 sin i1 = n2 sin i2", "angles mesurés à la normale",
    "milieu | indice", "eau | 1,33",
]
WORD_TEXT = ["Une pile est une structure LIFO.", "LIFO : last in, first out.", "Annuler utilise une pile."]
EXPECTED = {
    "pandoc.odt": (COURSE_TEXT, COURSE_HEADINGS),
    "pandoc.docx": (COURSE_TEXT, COURSE_HEADINGS),
    "libreoffice_from_docx.odt": (COURSE_TEXT, COURSE_HEADINGS),
    "libreoffice_from_odt.docx": (COURSE_TEXT, COURSE_HEADINGS),
    "libreoffice_from_edge.docx": (EDGE_TEXT, [("Optique",), ("Loi de Snell",)]),
    "libreoffice_from_word.odt": (WORD_TEXT, [("Structures de données", "Les piles"),
                                              ("Structures de données", "Les piles", "Exemple")]),
}


def _check(path: Path, sentences: list[str], headings: list[tuple[str, ...]]) -> None:
    doc = read_document(path)
    for sentence in sentences:
        assert sentence in doc.text, (path.name, sentence)
    found = [s.headings for s in doc.segments]
    for path_ in headings:
        assert path_ in found, (path.name, path_, found)
    for segment in doc.segments:  # a section's text never repeats its own heading line
        assert doc.text[segment.start:segment.end].strip()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_yields_text_and_headings(name):
    sentences, headings = EXPECTED[name]
    _check(CORPUS / name, sentences, headings)


def test_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".odt", ".docx")) == sorted(EXPECTED)


def test_pandoc_odt_is_read():
    """odfpy's loader adds the namespace declarations it believes missing to each part before
    parsing; on pandoc's styles.xml that made duplicate attributes, the part failed to parse
    (printed, not raised), the body came back empty and the file was refused with "aucun
    texte n'a pu être extrait". The reader now parses the parts itself."""
    doc = read_document(CORPUS / "pandoc.odt")
    assert doc.title == "Structures de données"
    assert doc.text.startswith("Structures de données\n\nLes piles\n\nUne pile est")


def test_unparsable_styles_keep_the_text(tmp_path):
    path = office_xml.write_odt(tmp_path / "s.odt", "<text:h text:outline-level=\"1\">Titre</text:h><text:p>Corps.</text:p>")
    broken = tmp_path / "b.odt"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b"<not xml" if item.filename == "styles.xml" else src.read(item))
    doc = read_document(broken)
    assert [(doc.text[s.start:s.end], s.headings) for s in doc.segments] == [("Corps.", ("Titre",))]


def _segments(doc):
    return [(s.headings, doc.text[s.start:s.end]) for s in doc.segments]


def test_odt_sections_frames_notes_headers_toc_and_deletions(tmp_path):
    doc = read_document(office_xml.odt_edge_cases(tmp_path / "edge.odt"))
    assert doc.title == "Optique"
    assert _segments(doc) == [
        ((), "Lycée Hugo — Physique"),
        (("Optique",), "La lumière se propage en ligne droite.\n\nDans un milieu homogène.\n\nVoir la figure."
                       "\n\nFigure : un rayon lumineux."),
        (("Loi de Snell",), "n1 sin i1 = n2 sin i2\n\nangles mesurés à la normale\n\nmilieu | indice\n\neau | 1,33"
                            "\n\nEncadré de page : retenir la loi."),
    ]
    assert "Réfraction" in doc.text  # a heading by inherited default outline level, with no body
    assert "EFFACÉ" not in doc.text and "Optique ... 1" not in doc.text


def test_word_french_styles_toc_text_box_header_and_footnote(tmp_path):
    doc = read_document(office_xml.word_french(tmp_path / "word.docx"))
    assert _segments(doc) == [
        ((), "Lycée Condorcet — NSI"),
        (("Structures de données", "Les piles"),
         "Une pile est une structure LIFO.\n\nLIFO : last in, first out.\n\nVoir l'encadré.\n\n"
         "Encadré : une pile se vide dans l'ordre inverse."),
        (("Structures de données", "Les piles", "Exemple"), "Annuler utilise une pile."),
    ]
    assert "SUPPRIMÉ" not in doc.text and "........" not in doc.text


def test_google_docs_lists_and_merged_cells(tmp_path):
    doc = read_document(office_xml.google_docs(tmp_path / "g.docx"))
    assert _segments(doc) == [
        (("Les graphes", "Vocabulaire"),
         "Un graphe est un ensemble de sommets reliés par des arêtes.\n\nsommet\n\narête\n\n"
         "Terme | Définition\n\ndegré | nombre d'arêtes d'un sommet\n\n(boucles comptées deux fois)"),
        (("Les graphes", "Vocabulaire", "Parcours"), "Le parcours en largeur utilise une file."),
    ]


def test_outline_levels_strict_namespace_and_other_main_part(tmp_path):
    doc = read_document(office_xml.outline_only(tmp_path / "o.docx"))
    assert _segments(doc) == [
        (("Chapitre un",), "Texte du chapitre un."),
        (("Chapitre un", "Section un point un"), "Texte de la section."),
        (("Annexe",), "Texte de l'annexe."),
    ]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("ext", ["odt", "docx"])
def test_pandoc_made_now(tmp_path, ext):
    out = tmp_path / f"cours.{ext}"
    subprocess.run(["pandoc", str(CORPUS / "cours.md"), "-o", str(out)], check=True, timeout=60)
    _check(out, COURSE_TEXT, COURSE_HEADINGS)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_made_now(tmp_path):
    sources = [office_xml.odt_edge_cases(tmp_path / "edge.odt"), office_xml.google_docs(tmp_path / "g.docx")]
    out = tmp_path / "out"
    for source, target in zip(sources, ("docx", "odt")):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                        "--convert-to", target, "--outdir", str(out), str(source)],
                       check=True, timeout=180, capture_output=True)
    _check(out / "edge.docx", EDGE_TEXT, [("Optique",)])
    _check(out / "g.odt", ["Un graphe est un ensemble de sommets reliés par des arêtes.", "degré | nombre d'arêtes d'un sommet"],
           [("Les graphes", "Vocabulaire"), ("Les graphes", "Vocabulaire", "Parcours")])
