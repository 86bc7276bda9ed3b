"""What a week of real uploads does to a library (issue 10, defects 2, 7 and 10).

- One 5 MB line becomes bounded passages, not one 5-million-character passage;
  a document beyond the size or passage limits is refused with a clear message.
- A library removed while a job indexes it stops that job cleanly, and never
  comes back as an empty library with no owner.
- A text file with a few NULs, NUL padding or UTF-16 without BOM is text.
- Embedding is taken in turn, one passage at a time, and questions use their own embedder.
"""

from __future__ import annotations

import threading

import pytest

from precepteur.library import LibraryError, read_document, split_passages
from precepteur.library import embeddings, service as service_module
from precepteur.library.embeddings import representation

MAX_PASSAGE_CHARS = 2_000  # passages.MAX_PASSAGE_CHARS
EMBED_CHARS = 1_000  # embeddings.EMBED_CHARS


def test_the_limits_are_those_named_here():
    from precepteur.library.passages import MAX_PASSAGE_CHARS as passage_limit

    assert (passage_limit, embeddings.EMBED_CHARS) == (MAX_PASSAGE_CHARS, EMBED_CHARS)


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_5_mb_line_becomes_bounded_passages(tmp_path):
    line = ("x" * 997 + " ") * 5243  # 5 MB on one line, "words" of a thousand characters
    path = _write(tmp_path, "export.md", line.encode())
    document = read_document(path)
    passages = split_passages("export.md", document)
    assert len(passages) == 2622
    assert max(len(p.text) for p in passages) <= MAX_PASSAGE_CHARS
    assert all(document.text[p.start : p.end] == p.text == p.text.strip() for p in passages)
    assert passages[-1].locator == "export.md, ligne 1"


def test_a_run_without_any_space_is_cut_into_windows(tmp_path):
    path = _write(tmp_path, "base64.txt", b"QUJD" * 1_000_000)
    passages = split_passages("base64.txt", read_document(path))
    assert [len(p.text) for p in passages] == [MAX_PASSAGE_CHARS] * 2000
    assert representation(passages[0].text) == passages[0].text[:EMBED_CHARS]


def test_line_numbers_stay_right_across_long_documents(tmp_path):
    text = "".join(f"Ligne {i} : une phrase de cours assez longue pour compter.\n\n" for i in range(2000))
    path = _write(tmp_path, "notes.txt", text.encode())
    passages = split_passages("notes.txt", read_document(path))
    for p in passages[:: len(passages) // 10]:
        assert p.locator == f"notes.txt, ligne {text.count(chr(10), 0, p.start) + 1}"


def test_too_much_text_and_too_many_passages_are_refused_clearly(service, tmp_path, monkeypatch):
    monkeypatch.setattr(service_module, "MAX_DOCUMENT_CHARS", 10_000)
    big = _write(tmp_path, "gros.txt", b"mot " * 5_000)
    report = service.add("cours", [big], embed=False)
    assert report.added == []
    assert report.errors[0].message == (
        "gros.txt : trop de texte (20\u202f000 caractères extraits, au plus 10\u202f000) ; "
        "découpez le document en plusieurs fichiers"
    )
    monkeypatch.setattr(service_module, "MAX_DOCUMENT_CHARS", 10**9)
    monkeypatch.setattr(service_module, "MAX_DOCUMENT_PASSAGES", 10)
    report = service.add("cours", [big], embed=False)
    assert "trop de passages (46, au plus 10)" in report.errors[0].message
    assert service.documents("cours") == []


@pytest.mark.parametrize(("data", "expected"), [
    (b"Bonjour\x00 la classe.", "Bonjour la classe."),
    (b"Le cours de mardi.\n" + b"\x00" * 4096, "Le cours de mardi.\n"),
    (b"Une phrase correcte.\x00 " * 40, "Une phrase correcte. " * 39 + "Une phrase correcte."),
    ("Les élèves lisent.".encode("utf-16-le"), "Les élèves lisent."),
    ("Les élèves lisent.".encode("utf-16-be"), "Les élèves lisent."),
])
def test_text_with_nuls_is_text(tmp_path, data, expected):
    assert read_document(_write(tmp_path, "notes.txt", data)).text.strip() == expected.strip()


def test_a_binary_file_named_txt_is_still_refused(tmp_path):
    from precepteur.library import DocumentError

    with pytest.raises(DocumentError, match="illisible ou endommagé"):
        read_document(_write(tmp_path, "photo.txt", bytes(range(256)) * 40))


def test_removing_a_library_during_indexing_stops_the_job_without_a_ghost(service, tmp_path):
    first = _write(tmp_path, "a.md", b"# A\n\nLe premier document du cours.\n")
    second = _write(tmp_path, "b.md", b"# B\n\nLe second document du cours.\n")
    service.create("cours", owner="7", restricted=True)
    read_one, removed = threading.Event(), threading.Event()

    def progress(phase, done, total, item):
        if phase == "read" and done == 1:
            read_one.set()
            assert removed.wait(10)

    outcome = []

    def index():
        try:
            service.add("cours", [first, second], progress=progress, embed=False, create=False)
        except Exception as exc:  # noqa: BLE001 - the outcome is what is checked
            outcome.append(exc)

    worker = threading.Thread(target=index)
    worker.start()
    assert read_one.wait(10)
    service.remove("cours")
    removed.set()
    worker.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], LibraryError)
    assert str(outcome[0]) == "la bibliothèque « cours » a été supprimée : l'indexation s'est arrêtée"
    assert service.list() == []
    assert not service.exists("cours")


def test_a_job_never_recreates_a_removed_library(service, tmp_path):
    doc = _write(tmp_path, "a.md", b"# A\n\nUn document.\n")
    with pytest.raises(LibraryError, match="supprimée"):
        service.add("disparue", [doc], embed=False, create=False)
    assert service.list() == []
    assert service.add("nouvelle", [doc], embed=False).added == ["a.md"]  # the CLI still creates


def test_a_search_on_a_removed_library_does_not_recreate_it(service, tmp_path):
    service.add("cours", [_write(tmp_path, "a.md", b"# A\n\nLe cours sur les piles.\n")], embed=False)
    index = service._index("cours")
    service.remove("cours")
    with pytest.raises(LibraryError):
        index.search("piles", 3, None)
    assert service.list() == []


def test_the_fair_lock_serves_in_arrival_order():
    from precepteur.library.embeddings import FairLock

    lock, order, started = FairLock(), [], []
    gate = threading.Event()

    def holder():
        with lock:
            started.append("holder")
            gate.wait(5)

    def waiter(name):
        with lock:
            order.append(name)

    first = threading.Thread(target=holder)
    first.start()
    while not started:
        pass
    waiters = []
    for name in ("bibliothèque A", "bibliothèque B", "bibliothèque A", "bibliothèque B"):
        thread = threading.Thread(target=waiter, args=(name,))
        thread.start()
        waiters.append(thread)
        while lock._next_ticket != len(waiters) + 1:  # this waiter took its ticket
            pass
    gate.set()
    for thread in [first, *waiters]:
        thread.join(5)
    assert order == ["bibliothèque A", "bibliothèque B", "bibliothèque A", "bibliothèque B"]


def test_questions_and_ingestion_have_separate_embedders(monkeypatch):
    made = []

    class FakeEmbedder:
        def __init__(self, threads):
            made.append(threads)

    monkeypatch.setattr(embeddings, "Embedder", FakeEmbedder)
    monkeypatch.setattr(embeddings, "_MODELS", {})
    questions, ingestion = embeddings.get_embedder(4), embeddings.background_embedder(4)
    assert questions is not ingestion and made == [4, 2]
    assert embeddings.get_embedder(4) is questions and embeddings.background_embedder(4) is ingestion
