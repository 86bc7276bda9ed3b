"""Storage: one `Database` (SQLite by default, PostgreSQL by URL), the models, and
repositories over them (`store.conversations`, `store.privacy`). The schema comes only
from the Alembic migrations in `store/migrations/`.
"""

from . import guard_models  # noqa: F401  (every model module is imported: metadata is complete)
from .database import Database, normalize_url

__all__ = ["Database", "normalize_url"]
