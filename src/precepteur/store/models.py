"""The stored records: users, API tokens, conversations and their messages.

These classes describe the schema for the ORM; the schema itself only ever comes
from the Alembic migrations in `store/migrations/versions/` (a test checks that
both agree on SQLite and PostgreSQL). Constraint names follow `NAMING_CONVENTION`
so migrations can refer to them.

Limits: NAME_CHARS (user names), LEVEL_CHARS, LANG_CHARS, TOKEN_NAME_CHARS,
TOKEN_PREFIX_CHARS, TITLE_CHARS, MODEL_CHARS, LIBRARY_CHARS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ._types import JSONList, UTCDateTime, utcnow

NAME_CHARS = 64
LEVEL_CHARS = 16
LANG_CHARS = 8
ROLE_CHARS = 16
TOKEN_NAME_CHARS = 100
TOKEN_PREFIX_CHARS = 8
TOKEN_HASH_CHARS = 64  # sha256, hex
TITLE_CHARS = 200
MODE_CHARS = 16
MODEL_CHARS = 200
LIBRARY_CHARS = 100

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A person: an admin, a teacher, or a (pseudonymous) learner attached to a teacher."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'teacher', 'learner')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_CHARS), unique=True)
    role: Mapped[str] = mapped_column(String(ROLE_CHARS))
    level: Mapped[str | None] = mapped_column(String(LEVEL_CHARS))
    lang: Mapped[str] = mapped_column(String(LANG_CHARS), default="fr", server_default=text("'fr'"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    teacher: Mapped[User | None] = relationship(
        remote_side=[id], back_populates="learners", foreign_keys=[teacher_id]
    )
    learners: Mapped[list[User]] = relationship(back_populates="teacher", foreign_keys=[teacher_id])
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    conversations: Mapped[list[Conversation]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"User(id={self.id!r}, name={self.name!r}, role={self.role!r})"


class ApiToken(Base):
    """A bearer token for the OpenAI-compatible API; only its sha256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_CHARS), default="", server_default=text("''"))
    prefix: Mapped[str] = mapped_column(String(TOKEN_PREFIX_CHARS))
    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_CHARS), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")

    def __repr__(self) -> str:
        return f"ApiToken(id={self.id!r}, user_id={self.user_id!r}, prefix={self.prefix!r})"


class Conversation(Base):
    """One thread of questions and answers, with the settings it was asked under."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_user_id_updated_at", "user_id", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_CHARS), default="", server_default=text("''"))
    level: Mapped[str] = mapped_column(String(LEVEL_CHARS))
    mode: Mapped[str] = mapped_column(String(MODE_CHARS))
    library: Mapped[str | None] = mapped_column(String(LIBRARY_CHARS))
    model: Mapped[str] = mapped_column(String(MODEL_CHARS))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="conversations")
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Message.id",
    )

    def __repr__(self) -> str:
        return f"Conversation(id={self.id!r}, user_id={self.user_id!r}, title={self.title!r})"


class Message(Base):
    """One turn. An assistant message is written before and while it streams:
    `complete` stays False until the answer is whole, so a crash leaves it flagged."""

    __tablename__ = "messages"
    __table_args__ = (CheckConstraint("role IN ('user', 'assistant')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(ROLE_CHARS))
    content: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    complete: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    citations: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    skills: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    declined: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    model: Mapped[str | None] = mapped_column(String(MODEL_CHARS))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")

    def __repr__(self) -> str:
        return f"Message(id={self.id!r}, role={self.role!r}, complete={self.complete!r})"


__all__ = ["Base", "User", "ApiToken", "Conversation", "Message", "NAMING_CONVENTION"]
