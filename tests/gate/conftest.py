"""The gate tests run on the same backends as the storage tests: reuse the
`database_url`, `empty_db` and `db` fixtures of tests/store/conftest.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "precepteur_tests_store_backends", Path(__file__).parents[1] / "store" / "conftest.py"
)
_backends = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_backends)

database_url = _backends.database_url
empty_db = _backends.empty_db
db = _backends.db
