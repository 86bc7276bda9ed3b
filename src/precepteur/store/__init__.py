"""Storage: one `Database` (SQLite by default, PostgreSQL by URL), the models, and
repositories over them (`store.conversations`, `store.privacy`, `store.items`, `store.classes`, `store.practice`,
`store.curriculum`, `store.item_jobs`, `store.workers`). The schema comes only from the
Alembic migrations in `store/migrations/`.
"""

from . import arena_models, guard_models, items_models, learning_models, library_models, runtime_models  # noqa: F401  (every model module joins the metadata)
from .database import Database, normalize_url

__all__ = ["Database", "normalize_url"]
