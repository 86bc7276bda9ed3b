"""LibraryService: batches with errors, idempotent re-add, single-file re-index, names, visibility."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from precepteur.errors import InputError
from precepteur.library import LibraryError
from precepteur.store import normalize_url

from library_docs import CORPUS, make_pdf


def _write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    _write(folder, "piles.md", "## Les piles\n\nUne pile suit le principe LIFO : dernier entré, premier sorti.\n")
    _write(folder, "sous/files.md", "## Les files\n\nUne file suit le principe FIFO : premier entré, premier sorti.\n")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    make_pdf(folder / "scan.pdf", [None])
    return folder


def test_add_folder_collects_errors_and_keeps_going(service, docs):
    report = service.add("nsi", [docs], embed=False)
    assert sorted(report.added) == ["piles.md", "sous/files.md"]
    assert [e.path.endswith("scan.pdf") for e in report.errors] == [True]
    assert "document scanné" in report.errors[0].message
    assert report.skipped and report.skipped[0].endswith("photo.jpg")
    assert report.ok and report.passages == 2
    assert [d.name for d in service.documents("nsi")] == ["piles.md", "sous/files.md"]


def _passage_ids(settings) -> dict[str, int]:
    """Document name -> passage id, read from the backend's own storage."""
    if settings.database_url:
        engine = sa.create_engine(normalize_url(settings.database_url))
        with engine.connect() as db:
            rows = db.execute(sa.text("SELECT d.name, p.id FROM library_passages p"
                                      " JOIN library_documents d ON d.id = p.document_id")).all()
        engine.dispose()
        return dict(rows)
    db = settings.libraries_dir / "nsi.sqlite3"
    return dict(sqlite3.connect(db).execute(
        "SELECT d.name, p.id FROM passages p JOIN documents d ON d.id = p.document_id").fetchall())


def test_readd_unchanged_does_nothing_and_changed_file_alone_is_reindexed(service, docs, settings):
    service.add("nsi", [docs], embed=False)
    ids_before = _passage_ids(settings)
    again = service.add("nsi", [docs], embed=False)
    assert again.added == [] and again.updated == [] and sorted(again.unchanged) == ["piles.md", "sous/files.md"]
    _write(docs, "piles.md", "## Les piles\n\nEmpiler (push) et dépiler (pop) au sommet de la pile.\n")
    changed = service.add("nsi", [docs], embed=False)
    assert changed.updated == ["piles.md"] and changed.unchanged == ["sous/files.md"]
    ids_after = _passage_ids(settings)
    assert ids_after["sous/files.md"] == ids_before["sous/files.md"]
    assert ids_after["piles.md"] != ids_before["piles.md"]
    assert "dépiler" in service.document_text("nsi", "piles.md")


def test_failed_reindex_leaves_previous_version(service, tmp_path):
    path = make_pdf(tmp_path / "cours.pdf", [["Le protocole RIP compte les sauts entre routeurs."]])
    service.add("nsi", [path], embed=False)
    path.write_bytes(b"%PDF-1.4 garbage" * 10)
    report = service.add("nsi", [path], embed=False)
    assert len(report.errors) == 1 and not report.updated
    assert "RIP" in service.document_text("nsi", "cours.pdf")
    assert service.search("nsi", "protocole RIP")[0].locator == "cours.pdf, page 1"


def test_missing_path_aborts_before_anything(service, tmp_path):
    with pytest.raises(InputError, match="introuvable"):
        service.add("nsi", [tmp_path / "absent.md"], embed=False)
    assert not service.exists("nsi")


@pytest.mark.parametrize("name", ["", "a b", "../x", "x" * 65, ".cache", "nom/slash"])
def test_invalid_names(service, name):
    with pytest.raises(LibraryError, match="nom de bibliothèque invalide"):
        service.create(name)


def test_unknown_library_and_document(service, docs):
    with pytest.raises(LibraryError, match="bibliothèque inconnue « rien »"):
        service.search("rien", "pile")
    service.add("nsi", [docs], embed=False)
    with pytest.raises(InputError, match="document inconnu"):
        service.document_text("nsi", "absent.md")
    with pytest.raises(InputError, match="document inconnu"):
        service.remove("nsi", "absent.md")


def test_create_list_remove_and_visibility(service, docs):
    service.create("term-nsi_2024.v1", owner="42", restricted=True)
    with pytest.raises(LibraryError, match="existe déjà"):
        service.create("term-nsi_2024.v1")
    service.add("ouverte", [docs], embed=False)
    infos = {i.name: i for i in service.list()}
    assert infos["term-nsi_2024.v1"].restricted and infos["term-nsi_2024.v1"].owner == "42"
    assert infos["ouverte"].documents == 2 and infos["ouverte"].embedded == 0
    assert service.visible_to("ouverte", "7", "learner")
    assert not service.visible_to("term-nsi_2024.v1", "7", "learner")
    assert service.visible_to("term-nsi_2024.v1", 42, "teacher")
    assert service.visible_to("term-nsi_2024.v1", "7", "admin")
    assert service.visible_to("term-nsi_2024.v1", "7", "learner", teacher_id=42)  # her learners
    service.remove("ouverte", "piles.md")
    assert [d.name for d in service.documents("ouverte")] == ["sous/files.md"]
    service.remove("ouverte")
    assert [i.name for i in service.list()] == ["term-nsi_2024.v1"]


def test_fts_ready_before_embedding_then_hybrid(service, docs):
    service.add("nsi", [docs], embed=False)
    hits = service.search("nsi", "c'est quoi le principe FIFO", k=2)
    assert hits[0].document == "sous/files.md" and hits[0].dense is None
    assert hits[0].text == service.document_text("nsi", "sous/files.md")[hits[0].start : hits[0].end]
    assert service.embed_pending("nsi") == 2
    assert service.embed_pending("nsi") == 0
    hits = service.search("nsi", "what does last in first out mean?", k=2)
    assert hits[0].document == "piles.md" and hits[0].dense is not None and hits[0].background is not None


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
def test_search_on_real_corpus_files(service):
    files = [CORPUS / f"{name}.md" for name in ("c5c", "c7c", "c11c", "c12c", "c19c")]
    report = service.add("nsi", files, embed=False)
    assert len(report.added) == 5
    expected = {
        "c koi une pile en info": "c5c.md",
        "différence entre RIP et OSPF": "c11c.md",
        "chiffrement asymétrique clé publique": "c12c.md",
        "c'est quoi un interblocage": "c19c.md",
        "racine feuille noeud arbre": "c7c.md",
    }
    for question, document in expected.items():
        assert service.search("nsi", question, k=3)[0].document == document, question
