"""Records of the running service: sign-in sessions, server workers, and who is writing which answer.

- `WebSession`: one signed-in browser. The signed cookie carries a random secret;
  only its sha256 is kept here, so signing out, a password change, disabling the
  account or an admin's "sign out everywhere" end the session on the server
  (deleting the row), whatever copy of the cookie still exists.
- `Worker`: one `precepteur serve` process (host, pid, heartbeat), so another
  process can tell a live worker from one that died.
- `AnswerOwner`: the worker streaming an unfinished answer; an answer whose
  worker died is marked interrupted at once, not after a delay.

The schema comes from migration 0003_hardening. Limits: SESSION_HASH_CHARS,
WORKER_ID_CHARS, HOST_CHARS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ._types import UTCDateTime, utcnow
from .models import Base

SESSION_HASH_CHARS = 64  # sha256, hex
WORKER_ID_CHARS = 32
HOST_CHARS = 255


class WebSession(Base):
    """A signed-in browser session, alive while this row exists and has not expired."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(SESSION_HASH_CHARS), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"WebSession(id={self.id!r}, user_id={self.user_id!r})"


class Worker(Base):
    """A server process, with the last time it said it was alive."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(WORKER_ID_CHARS), primary_key=True)
    host: Mapped[str] = mapped_column(String(HOST_CHARS))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"Worker(id={self.id!r}, host={self.host!r}, pid={self.pid!r})"


class AnswerOwner(Base):
    """The worker generating an unfinished assistant message (no row once it is saved for good)."""

    __tablename__ = "answer_owners"

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    worker_id: Mapped[str] = mapped_column(String(WORKER_ID_CHARS), index=True)

    def __repr__(self) -> str:
        return f"AnswerOwner(message_id={self.message_id!r}, worker_id={self.worker_id!r})"


__all__ = ["AnswerOwner", "WebSession", "Worker"]
