"""Storage: one `Database` (SQLite by default, PostgreSQL by URL), the models, and
repositories over them (`store.conversations`). The schema comes only from the
Alembic migrations in `store/migrations/`.
"""

from .database import Database, normalize_url

__all__ = ["Database", "normalize_url"]
