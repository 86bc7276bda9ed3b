"""Property-based fuzzing of the readers: any bytes under any supported name either become
a document whose segments and passages keep their invariants, or a clear DocumentError;
never another exception (issue 10, done means: 0 crashes).

Inputs are arbitrary bytes, text with control characters, and valid PDF, DOCX, ODT,
Markdown and HTML files damaged by truncation and byte flips. FUZZ_EXAMPLES per
strategy (PRECEPTEUR_FUZZ_EXAMPLES overrides it), seeded, no example database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from precepteur.library import DocumentError, read_document, split_passages
from precepteur.library.passages import MAX_PASSAGE_CHARS

from library_docs import make_docx, make_odt, make_pdf

FUZZ_EXAMPLES = int(os.environ.get("PRECEPTEUR_FUZZ_EXAMPLES", "60"))
EXTENSIONS = (".txt", ".md", ".html", ".pdf", ".docx", ".odt")
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


def check(path: Path) -> None:
    """The reader's contract on one file."""
    try:
        document = read_document(path, path.name)
    except DocumentError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    assert document.text.strip() and document.segments
    for segment in document.segments:
        assert 0 <= segment.start <= segment.end <= len(document.text)
    for passage in split_passages(path.name, document):
        assert document.text[passage.start : passage.end] == passage.text == passage.text.strip()
        assert 0 < len(passage.text) <= MAX_PASSAGE_CHARS


def _seeds(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    blocks = [("Heading 1", "Les piles"), ("Normal", "Une pile suit le principe LIFO."),
              ("Heading 2", "Exemple"), ("Normal", "On empile 1, 2 puis 3 ; on dépile 3.")]
    return {
        ".pdf": make_pdf(folder / "s.pdf", [["Page une du cours sur les piles."], ["Page deux : les files."]]).read_bytes(),
        ".docx": make_docx(folder / "s.docx", blocks).read_bytes(),
        ".odt": make_odt(folder / "s.odt", blocks).read_bytes(),
        ".md": "# Les piles\n\n## Définition\n\nUne pile suit le principe LIFO.\n\n```\ncode\n```\n".encode(),
        ".html": b"<html><head><title>T</title></head><body><h1>Piles</h1><p>LIFO</p><table><tr><td>a</td></tr></table>"
                 b"<script>x</script></body></html>",
        ".txt": "Des notes de cours\x00 avec un NUL.\r\nEt une ligne Windows.".encode(),
    }


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    return _seeds(tmp_path_factory.mktemp("seeds"))


@seed(20260302)
@FUZZ
@given(data=st.binary(max_size=4096), extension=st.sampled_from(EXTENSIONS))
def test_arbitrary_bytes_never_crash_a_reader(tmp_path_factory, data, extension):
    path = tmp_path_factory.mktemp("bytes") / f"f{extension}"
    path.write_bytes(data)
    check(path)


@seed(20260303)
@FUZZ
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=3000),
       extension=st.sampled_from((".txt", ".md", ".html")),
       encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252")))
def test_any_text_in_any_encoding_never_crashes(tmp_path_factory, text, extension, encoding):
    path = tmp_path_factory.mktemp("text") / f"f{extension}"
    path.write_bytes(text.encode(encoding, errors="replace"))
    check(path)


@seed(20260304)
@FUZZ
@given(extension=st.sampled_from(EXTENSIONS), cut=st.floats(0.0, 1.0),
       flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=12))
def test_damaged_real_files_never_crash_a_reader(tmp_path_factory, seeds, extension, cut, flips):
    data = bytearray(seeds[extension])
    for where, value in flips:
        data[min(len(data) - 1, int(where * len(data)))] = value
    data = bytes(data[: max(1, int(cut * len(data)))]) if cut < 1.0 else bytes(data)
    path = tmp_path_factory.mktemp("damaged") / f"f{extension}"
    path.write_bytes(data)
    check(path)
