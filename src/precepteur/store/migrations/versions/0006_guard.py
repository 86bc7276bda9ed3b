"""Guard: teacher flags, the append-only audit log of reads, graded work.

Revision ID: 0006_guard
Revises: 0003_hardening
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_guard"
down_revision = "0003_hardening"
branch_labels = None
depends_on = None

AUDIT_TRIGGERS_SQLITE = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
AUDIT_TRIGGERS_POSTGRES = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "guard_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("layer", sa.String(16), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("seen_at", nullable=True),
        sa.Column("seen_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["learner_id"], ["users.id"], name=op.f("fk_guard_flags_learner_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name=op.f("fk_guard_flags_message_id_messages"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["seen_by"], ["users.id"], name=op.f("fk_guard_flags_seen_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guard_flags")),
    )
    op.create_index(op.f("ix_guard_flags_learner_id"), "guard_flags", ["learner_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("at"),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("object_type", sa.String(32), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_subject_id"), "audit_log", ["subject_id"])
    op.create_table(
        "graded_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("library", sa.String(100), nullable=True),
        sa.Column("title", sa.String(200), server_default=sa.text("''"), nullable=False),
        sa.Column("statement", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("solution", sa.Text(), nullable=True),
        sa.Column("answer", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(["teacher_id"], ["users.id"], name=op.f("fk_graded_work_teacher_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graded_work")),
    )
    op.create_index(op.f("ix_graded_work_teacher_id"), "graded_work", ["teacher_id"])
    triggers = AUDIT_TRIGGERS_POSTGRES if op.get_bind().dialect.name == "postgresql" else AUDIT_TRIGGERS_SQLITE
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("graded_work")
    op.drop_table("audit_log")
    op.drop_table("guard_flags")
