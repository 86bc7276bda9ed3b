"""What the guard keeps: flags for a learner's teacher, the audit log of reads, graded work.

- `GuardFlag`: a learner wrote about distress or danger (category, layer, time); the
  learner's teacher sees it and marks it seen. It never copies the message's text.
- `AuditEntry`: an append-only record of a teacher's or admin's read of a learner's
  conversation (who, whose, what, when). Database triggers refuse any UPDATE, and any
  DELETE except the erasure of a learner (`store.privacy.delete_learner`), which
  lifts them inside its own transaction. No foreign keys: the log outlives accounts.
- `GradedWork`: an exercise (or a whole library) a teacher marked as graded work,
  with an optional reference solution and final value; the tutor then guides with
  hints and never gives them away.

Limits: CATEGORY_CHARS, ACTION_CHARS, GRADED_TITLE_CHARS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column

from ._types import UTCDateTime, utcnow
from .models import LIBRARY_CHARS, NAME_CHARS, Base

CATEGORY_CHARS = 32
ACTION_CHARS = 32
GRADED_TITLE_CHARS = 200


class GuardFlag(Base):
    __tablename__ = "guard_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(CATEGORY_CHARS))
    layer: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seen_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(NAME_CHARS))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(ACTION_CHARS))
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)


class GradedWork(Base):
    __tablename__ = "graded_work"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    library: Mapped[str | None] = mapped_column(String(LIBRARY_CHARS))
    title: Mapped[str] = mapped_column(String(GRADED_TITLE_CHARS), default="", server_default=text("''"))
    statement: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    solution: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["GuardFlag", "AuditEntry", "GradedWork"]
