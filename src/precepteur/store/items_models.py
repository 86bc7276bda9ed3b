"""The stored records of the item bank: items, their change history, generation jobs,
and the teacher's settings for a library's skills map and for the library itself.

Libraries live in their own index files; here a library is referred to by name.
Like `models.py`, these classes describe the schema for the ORM; the schema itself
comes from the migration `0002_items`.

Limits: KIND_CHARS, STATUS_CHARS, TOPIC_CHARS, GENERATOR_CHARS, DOCUMENT_CHARS,
LOCATOR_CHARS, FINGERPRINT_CHARS, STATE_CHARS, ACTION_CHARS.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from ._types import JSONList, UTCDateTime, utcnow
from .models import LEVEL_CHARS, LIBRARY_CHARS, Base

KIND_CHARS = 16
STATUS_CHARS = 16
TOPIC_CHARS = 200
GENERATOR_CHARS = 40
DOCUMENT_CHARS = 500
LOCATOR_CHARS = 1000
FINGERPRINT_CHARS = 64
STATE_CHARS = 16
ACTION_CHARS = 16
LABEL_CHARS = 200


class JSONDict(TypeDecorator[dict]):
    """A dict stored as JSON text (the same bytes on SQLite and PostgreSQL)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict | None, dialect: Any) -> str | None:
        return None if value is None else json.dumps(dict(value), ensure_ascii=False, sort_keys=True)

    def process_result_value(self, value: str | None, dialect: Any) -> dict | None:
        return None if value is None else json.loads(value)


class StoredItem(Base):
    """One exercise of a library's bank (see `learning.items.types.Item`)."""

    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'approved', 'rejected')", name="status"),
        CheckConstraint("kind IN ('mcq', 'true_false', 'numeric', 'cloze', 'short_answer')", name="kind"),
        Index("ix_items_library_skill", "library", "skill"),
        Index("ix_items_library_fingerprint", "library", "fingerprint"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library: Mapped[str] = mapped_column(String(LIBRARY_CHARS))
    skill: Mapped[str] = mapped_column(String(TOPIC_CHARS))
    kind: Mapped[str] = mapped_column(String(KIND_CHARS))
    level: Mapped[str | None] = mapped_column(String(LEVEL_CHARS))
    prompt: Mapped[str] = mapped_column(Text)
    choices: Mapped[list | None] = mapped_column(JSONList())
    key: Mapped[str] = mapped_column(Text)
    variants: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    explanation: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    tolerance: Mapped[float | None] = mapped_column(Float)
    hint: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    context: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    source_document: Mapped[str] = mapped_column(String(DOCUMENT_CHARS), default="", server_default=text("''"))
    source_locator: Mapped[str] = mapped_column(String(LOCATOR_CHARS), default="", server_default=text("''"))
    source_quote: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    source_start: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    source_end: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    status: Mapped[str] = mapped_column(String(STATUS_CHARS), default="draft", server_default=text("'draft'"))
    checks: Mapped[dict] = mapped_column(JSONDict(), default=dict, server_default=text("'{}'"))
    reasons: Mapped[dict] = mapped_column(JSONDict(), default=dict, server_default=text("'{}'"))
    generator: Mapped[str] = mapped_column(String(GENERATOR_CHARS), default="", server_default=text("''"))
    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT_CHARS))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("item_jobs.id", ondelete="SET NULL"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"StoredItem(id={self.id!r}, kind={self.kind!r}, status={self.status!r})"


class ItemEvent(Base):
    """One change to an item: who, when, what it was before and after (JSON of the item)."""

    __tablename__ = "item_events"
    __table_args__ = (CheckConstraint(
        "action IN ('generate', 'create', 'import', 'edit', 'approve', 'reject', 'draft')", name="action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(ACTION_CHARS))
    before: Mapped[dict | None] = mapped_column(JSONDict())
    after: Mapped[dict | None] = mapped_column(JSONDict())
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ItemJob(Base):
    """A generation run: what was asked, how far it got, and whether it may be resumed."""

    __tablename__ = "item_jobs"
    __table_args__ = (CheckConstraint(
        "state IN ('queued', 'running', 'done', 'cancelled', 'interrupted', 'error')", name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library: Mapped[str] = mapped_column(String(LIBRARY_CHARS), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    params: Mapped[dict] = mapped_column(JSONDict(), default=dict, server_default=text("'{}'"))
    state: Mapped[str] = mapped_column(String(STATE_CHARS), default="queued", server_default=text("'queued'"))
    wanted: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    accepted: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    candidates: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    cursor: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    stats: Mapped[dict] = mapped_column(JSONDict(), default=dict, server_default=text("'{}'"))
    message: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TopicSettingRow(Base):
    """A teacher's setting for one skill of a library: label, merge target, hidden."""

    __tablename__ = "topic_settings"
    __table_args__ = (UniqueConstraint("library", "topic_id", name="uq_topic_settings_library_topic_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library: Mapped[str] = mapped_column(String(LIBRARY_CHARS))
    topic_id: Mapped[str] = mapped_column(String(TOPIC_CHARS))
    label: Mapped[str | None] = mapped_column(String(LABEL_CHARS))
    merged_into: Mapped[str | None] = mapped_column(String(TOPIC_CHARS))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LibrarySettingsRow(Base):
    """A library's teaching settings: its level(s) and whether checked items are approved at once."""

    __tablename__ = "library_settings"

    library: Mapped[str] = mapped_column(String(LIBRARY_CHARS), primary_key=True)
    levels: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["ItemEvent", "ItemJob", "JSONDict", "LibrarySettingsRow", "StoredItem", "TopicSettingRow"]
