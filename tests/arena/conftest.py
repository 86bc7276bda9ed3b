"""Arena fixtures: the storage backends of tests/store (SQLite, and PostgreSQL when configured),
and arena rows built through the repository."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "precepteur_tests_store_backends_arena", Path(__file__).parents[1] / "store" / "conftest.py"
)
_backends = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_backends)

database_url = _backends.database_url
empty_db = _backends.empty_db
db = _backends.db
