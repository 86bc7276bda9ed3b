"""Fixtures of the library tests: settings with a temporary home, and a service over them.

Every test that takes `settings` or `service` runs on both library backends: SQLite
files in the home, and PostgreSQL (a fresh database per test) when
PRECEPTEUR_TEST_POSTGRES_URL is set (bin/_postgres.sh starts a server).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from precepteur.config import Settings
from precepteur.library import LibraryService

_spec = importlib.util.spec_from_file_location(
    "precepteur_tests_store_backends", Path(__file__).parents[1] / "store" / "conftest.py"
)
_backends = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_backends)


@pytest.fixture(params=_backends.BACKENDS)
def settings(request, tmp_path: Path):
    if request.param == "sqlite":
        yield Settings(home=tmp_path / "home", threads=2)
    else:
        for url in _backends._scratch_postgres():
            yield Settings(home=tmp_path / "home", threads=2, database_url=url)


@pytest.fixture
def service(settings: Settings):
    service = LibraryService(settings)
    yield service
    store = service._store
    if store is not None and hasattr(store, "engine"):
        store.engine.dispose()  # before the scratch database is dropped


@pytest.fixture
def pg_settings(tmp_path: Path):
    """Settings on a fresh PostgreSQL database (skips without a server)."""
    for url in _backends._scratch_postgres():
        yield Settings(home=tmp_path / "pg-home", threads=2, database_url=url)
