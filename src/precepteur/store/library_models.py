"""Teacher libraries stored in the database, for installations on PostgreSQL.

On one PC each library is its own SQLite index file (`library/sqlite_index.py`);
on PostgreSQL every worker must see every library, so libraries, their documents
(with the original file's bytes), passages, full-text terms and vectors live in
these tables and `library/pg_index.py` searches them. The tables exist on SQLite
too (one schema, one migration) but stay empty there.

`terms` is a tsvector on PostgreSQL (the passage's distinct analysed stems, GIN
indexed) and `tf` a jsonb `{stem: [count in body, count in heading]}`, from which
the backend computes FTS5's BM25 in SQL; `vector` holds the float32 embedding.
The optional pgvector copy of the vectors (`library_vectors`, created by the
migration only where the extension exists) is not part of the ORM schema.

The schema comes from the migration `0011_scale`. Limits: META_KEY_CHARS, SHA256_CHARS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ._types import UTCDateTime, utcnow
from .items_models import DOCUMENT_CHARS, KIND_CHARS
from .models import LIBRARY_CHARS, Base

META_KEY_CHARS = 64
SHA256_CHARS = 64

TERMS = Text().with_variant(TSVECTOR(), "postgresql")
TERM_COUNTS = Text().with_variant(JSONB(), "postgresql")


class Library(Base):
    """One teacher library; `generation` grows with every write (vector caches key on it)."""

    __tablename__ = "libraries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(LIBRARY_CHARS), unique=True)
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LibraryMeta(Base):
    """A library setting (owner, restricted...), as `SearchIndex.get_meta` reads it."""

    __tablename__ = "library_meta"

    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(META_KEY_CHARS), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LibraryDocument(Base):
    """One document of a library: its extracted text and the original file."""

    __tablename__ = "library_documents"
    __table_args__ = (UniqueConstraint("library_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(DOCUMENT_CHARS))
    kind: Mapped[str] = mapped_column(String(KIND_CHARS))
    sha256: Mapped[str] = mapped_column(String(SHA256_CHARS))
    source_path: Mapped[str] = mapped_column(Text)
    chars: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    original: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class LibraryPassage(Base):
    """One passage with its locator, analysed terms and (once embedded) its vector."""

    __tablename__ = "library_passages"
    __table_args__ = (Index("ix_library_passages_terms", "terms", postgresql_using="gin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("library_documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    start_char: Mapped[int] = mapped_column(Integer)
    end_char: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(Text)
    locator: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    terms: Mapped[str] = mapped_column(TERMS)
    tf: Mapped[str] = mapped_column(TERM_COUNTS)
    length: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
