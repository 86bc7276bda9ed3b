"""The PostgreSQL library backend: the same ranking as SQLite, libraries shared between
workers, originals kept in the database, the vector path reported by /healthz.

These tests need a real PostgreSQL server (PRECEPTEUR_TEST_POSTGRES_URL; bin/_postgres.sh)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from precepteur.config import Settings
from precepteur.library import LibraryError, LibraryService
from precepteur.store import normalize_url

from library_docs import CORPUS

pytestmark = pytest.mark.postgres

QUESTIONS = (
    "c koi une pile en info",
    "différence entre RIP et OSPF",
    "chiffrement asymétrique clé publique",
    "c'est quoi un interblocage",
    "racine feuille noeud arbre",
    "what is a binary tree?",
    "how does the OSPF protocol choose a route",
    "Les données",
)


def _service(settings: Settings) -> LibraryService:
    return LibraryService(settings)


def _dispose(*services: LibraryService) -> None:
    for service in services:
        if service._store is not None and hasattr(service._store, "engine"):
            service._store.engine.dispose()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
def test_same_hits_and_scores_as_sqlite(pg_settings, tmp_path):
    files = [CORPUS / f"{name}.md" for name in ("c5c", "c7c", "c11c", "c12c", "c19c")]
    sqlite = LibraryService(Settings(home=tmp_path / "sqlite-home", threads=2))
    pg = _service(pg_settings)
    assert pg.store.backend == "postgresql" and sqlite.store.backend == "sqlite"
    for service in (sqlite, pg):
        service.add("nsi", files, embed=False)

    def compare() -> None:
        # pgvector sums float32 products in its own order: cosines agree to ~1e-7.
        for question in QUESTIONS:
            expected, got = sqlite.search("nsi", question, k=10), pg.search("nsi", question, k=10)
            assert [(h.document, h.locator, h.lexical, h.dense is None) for h in got] == \
                [(h.document, h.locator, h.lexical, h.dense is None) for h in expected], question
            assert [h.score for h in got] == pytest.approx([h.score for h in expected], abs=1e-5), question

    compare()  # full text alone
    for service in (sqlite, pg):
        service.embed_pending("nsi")
    assert pg.info("nsi").embedded == sqlite.info("nsi").embedded > 0
    compare()  # hybrid
    hit = pg.search("nsi", "what is a binary tree?", k=1)[0]
    assert hit.background is not None and hit.dense is not None
    _dispose(pg)


def test_two_workers_share_libraries_and_originals(pg_settings, tmp_path):
    source = tmp_path / "piles.md"
    source.write_text("## Les piles\n\nUne pile suit le principe LIFO : dernier entré, premier sorti.\n",
                      encoding="utf-8")
    worker_a, worker_b = _service(pg_settings), _service(pg_settings)
    worker_a.create("nsi", owner="7", restricted=True)
    worker_a.add("nsi", [source])
    source.unlink()  # the worker's disk no longer has the file: the database does
    info = worker_b.info("nsi")
    assert (info.documents, info.passages, info.embedded, info.owner, info.restricted) == (1, 1, 1, "7", True)
    assert worker_b.search("nsi", "principe LIFO", k=1)[0].document == "piles.md"
    original = worker_b.store.open("nsi").original("piles.md")
    assert original.decode("utf-8").startswith("## Les piles")
    worker_b.remove("nsi")
    assert not worker_a.exists("nsi") and worker_a.list() == []
    with pytest.raises(LibraryError, match="bibliothèque inconnue"):
        worker_a.search("nsi", "pile")
    _dispose(worker_a, worker_b)


def test_removed_library_fails_a_running_job_clearly(pg_settings, tmp_path):
    source = tmp_path / "files.md"
    source.write_text("## Les files\n\nUne file suit le principe FIFO.\n", encoding="utf-8")
    service = _service(pg_settings)
    service.add("nsi", [source], embed=False)
    index = service.store.open("nsi")
    service.remove("nsi")
    with pytest.raises(LibraryError, match="supprimée|removed"):
        index.replace_document("files.md", "markdown", "0" * 64, str(source), "x", [])
    engine = sa.create_engine(normalize_url(pg_settings.database_url))
    with engine.connect() as db:
        assert db.execute(sa.text("SELECT count(*) FROM library_passages")).scalar() == 0
    engine.dispose()
    _dispose(service)


def test_healthz_reports_postgresql_search(pg_settings):
    from fastapi.testclient import TestClient

    from precepteur.web.app import create_app

    settings = pg_settings.model_copy(update={"model": "scripted", "secret_key": "test-secret-key"})
    app = create_app(settings)
    with TestClient(app) as client:
        body = client.get("/healthz").json()
    engine = sa.create_engine(normalize_url(pg_settings.database_url))
    with engine.connect() as db:
        pgvector = db.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first()
    engine.dispose()
    assert body["library"] == "postgresql" and body["vectors"] == ("pgvector" if pgvector else "numpy")
