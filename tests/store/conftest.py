"""A migrated `Database` on every storage backend: SQLite in a temporary file, and
PostgreSQL when PRECEPTEUR_TEST_POSTGRES_URL is set (bin/_postgres.sh starts one).

Each PostgreSQL test gets its own freshly created database, dropped afterwards,
so tests never see each other's rows. tests/gate/conftest.py reuses these fixtures.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from precepteur.store import Database, normalize_url

POSTGRES_ENV = "PRECEPTEUR_TEST_POSTGRES_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def _postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL not configured: set {POSTGRES_ENV} (bin/_postgres.sh starts a server)")
    return url


def _scratch_postgres() -> Iterator[str]:
    """A URL to a brand-new PostgreSQL database, dropped when the test ends."""
    admin_url = normalize_url(_postgres_url_or_skip())
    name = f"precepteur_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty, unmigrated database's URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'precepteur.db'}"
    else:
        yield from _scratch_postgres()


@pytest.fixture
def empty_db(database_url) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db) -> Database:
    """A migrated database with no rows."""
    empty_db.migrate()
    return empty_db
