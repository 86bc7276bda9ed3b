"""Item bank: items, item_events, item_jobs, topic_settings, library_settings.

Revision ID: 0002_items
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_items"
down_revision = "0001"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str, default: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Text(), server_default=sa.text(f"'{default}'"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "item_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library", sa.String(100), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _json("params", "{}"),
        sa.Column("state", sa.String(16), server_default=sa.text("'queued'"), nullable=False),
        sa.Column("wanted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("accepted", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("candidates", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("cursor", sa.Integer(), server_default=sa.text("0"), nullable=False),
        _json("stats", "{}"),
        sa.Column("message", sa.Text(), server_default=sa.text("''"), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'cancelled', 'interrupted', 'error')",
                           name=op.f("ck_item_jobs_state")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_item_jobs_created_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_jobs")),
    )
    op.create_index(op.f("ix_item_jobs_library"), "item_jobs", ["library"])

    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library", sa.String(100), nullable=False),
        sa.Column("skill", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=True),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("choices", sa.Text(), nullable=True),
        sa.Column("key", sa.Text(), nullable=False),
        _json("variants", "[]"),
        sa.Column("explanation", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("hint", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("context", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("source_document", sa.String(500), server_default=sa.text("''"), nullable=False),
        sa.Column("source_locator", sa.String(1000), server_default=sa.text("''"), nullable=False),
        sa.Column("source_quote", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("source_start", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("source_end", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("status", sa.String(16), server_default=sa.text("'draft'"), nullable=False),
        _json("checks", "{}"),
        _json("reasons", "{}"),
        sa.Column("generator", sa.String(40), server_default=sa.text("''"), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("status IN ('draft', 'approved', 'rejected')", name=op.f("ck_items_status")),
        sa.CheckConstraint("kind IN ('mcq', 'true_false', 'numeric', 'cloze', 'short_answer')",
                           name=op.f("ck_items_kind")),
        sa.ForeignKeyConstraint(["job_id"], ["item_jobs.id"], name=op.f("fk_items_job_id_item_jobs"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_items_created_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
    )
    op.create_index("ix_items_library_skill", "items", ["library", "skill"])
    op.create_index("ix_items_library_fingerprint", "items", ["library", "fingerprint"])
    op.create_index(op.f("ix_items_job_id"), "items", ["job_id"])

    op.create_table(
        "item_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        _timestamp("at"),
        sa.CheckConstraint("action IN ('generate', 'create', 'import', 'edit', 'approve', 'reject', 'draft')",
                           name=op.f("ck_item_events_action")),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_events_item_id_items"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_item_events_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_events")),
    )
    op.create_index(op.f("ix_item_events_item_id"), "item_events", ["item_id"])

    op.create_table(
        "topic_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library", sa.String(100), nullable=False),
        sa.Column("topic_id", sa.String(200), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("merged_into", sa.String(200), nullable=True),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_settings")),
        sa.UniqueConstraint("library", "topic_id", name="uq_topic_settings_library_topic_id"),
    )

    op.create_table(
        "library_settings",
        sa.Column("library", sa.String(100), nullable=False),
        _json("levels", "[]"),
        sa.Column("auto_approve", sa.Boolean(), server_default=sa.false(), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("library", name=op.f("pk_library_settings")),
    )


def downgrade() -> None:
    op.drop_table("library_settings")
    op.drop_table("topic_settings")
    op.drop_table("item_events")
    op.drop_table("items")
    op.drop_table("item_jobs")
