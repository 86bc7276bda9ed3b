"""Storage: one `Database` (SQLite by default, PostgreSQL by URL), the models, and
repositories over them (`store.conversations`, `store.items`, `store.curriculum`, `store.item_jobs`). The schema comes only from the
Alembic migrations in `store/migrations/`.
"""

from . import items_models  # noqa: F401  (the item bank's tables join the metadata)
from .database import Database, normalize_url

__all__ = ["Database", "normalize_url"]
