"""First start: bring the database to the current schema and tell the operator
how to create the first administrator when there is no account yet."""

from __future__ import annotations

from ..config import Settings
from ..i18n import t
from ..store.database import Database


def open_database(settings: Settings) -> Database:
    """The installation's database, migrated to the newest schema."""
    db = Database(settings)
    db.migrate()
    return db


def first_start_message(db: Database, lang: str | None = None) -> str | None:
    """Instructions for creating the first admin, or None once an account exists."""
    if not db.is_empty():
        return None
    return t("accounts.first_start", lang)
