"""Learning: classes and join codes, practice sessions and answers, Elo estimates, fsrs cards and logs.

Revision ID: 0007_learning
Revises: 0006_guard
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_learning"
down_revision = "0006_guard"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    parent = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete=ondelete)


def _text(name: str, default: str) -> sa.Column:
    return sa.Column(name, sa.Text(), server_default=sa.text(f"'{default}'"), nullable=False)


def _count(name: str, default: int = 0) -> sa.Column:
    return sa.Column(name, sa.Integer(), server_default=sa.text(str(default)), nullable=False)


def upgrade() -> None:
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(16), nullable=True),
        sa.Column("points", sa.Boolean(), server_default=sa.true(), nullable=False),
        _count("weekly_goal", 3),
        _timestamp("created_at"),
        _fk("classes", "teacher_id", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classes")),
        sa.UniqueConstraint("teacher_id", "name", name="uq_classes_teacher_id_name"),
    )
    op.create_index(op.f("ix_classes_teacher_id"), "classes", ["teacher_id"])
    op.create_table(
        "class_libraries",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("library", sa.String(100), nullable=False),
        _fk("class_libraries", "class_id", "classes.id"),
        sa.PrimaryKeyConstraint("class_id", "library", name=op.f("pk_class_libraries")),
    )
    op.create_table(
        "class_members",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _timestamp("joined_at"),
        _fk("class_members", "class_id", "classes.id"),
        _fk("class_members", "user_id", "users.id"),
        sa.PrimaryKeyConstraint("class_id", "user_id", name=op.f("pk_class_members")),
    )
    op.create_index(op.f("ix_class_members_user_id"), "class_members", ["user_id"])
    op.create_table(
        "join_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        _timestamp("created_at"),
        _timestamp("expires_at"),
        _timestamp("revoked_at", nullable=True),
        _count("uses"),
        _fk("join_codes", "class_id", "classes.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_join_codes_code")),
    )
    op.create_index(op.f("ix_join_codes_class_id"), "join_codes", ["class_id"])
    op.create_table(
        "practice_sessions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("library", sa.String(100), nullable=False),
        sa.Column("skill", sa.String(200), nullable=True),
        _text("plan", "[]"),
        _text("hinted", "[]"),
        _text("before", "{}"),
        _count("points"),
        _timestamp("created_at"),
        _timestamp("finished_at", nullable=True),
        _fk("practice_sessions", "learner_id", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_sessions")),
    )
    op.create_index("ix_practice_sessions_learner_id_created_at", "practice_sessions", ["learner_id", "created_at"])
    op.create_table(
        "practice_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(200), nullable=False),
        _text("answer", ""),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("hinted", sa.Boolean(), server_default=sa.false(), nullable=False),
        _count("attempt", 1),
        sa.Column("first", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("reviewed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("mastery", sa.Float(), nullable=True),
        _timestamp("at"),
        _fk("practice_answers", "session_id", "practice_sessions.id"),
        _fk("practice_answers", "learner_id", "users.id"),
        _fk("practice_answers", "item_id", "items.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_answers")),
    )
    for column in ("session_id", "learner_id", "item_id"):
        op.create_index(op.f(f"ix_practice_answers_{column}"), "practice_answers", [column])
    op.create_table(
        "skill_estimates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("library", sa.String(100), nullable=False),
        sa.Column("skill", sa.String(200), nullable=False),
        sa.Column("theta", sa.Float(), server_default=sa.text("0"), nullable=False),
        _count("answers"),
        _timestamp("updated_at"),
        _fk("skill_estimates", "learner_id", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_estimates")),
        sa.UniqueConstraint("learner_id", "library", "skill", name="uq_skill_estimates_learner_id_library_skill"),
    )
    op.create_table(
        "item_estimates",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("difficulty", sa.Float(), server_default=sa.text("0"), nullable=False),
        _count("answers"),
        _timestamp("updated_at"),
        _fk("item_estimates", "item_id", "items.id"),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_estimates")),
    )
    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("card", sa.Text(), nullable=False),
        _timestamp("due"),
        _timestamp("last_review", nullable=True),
        _fk("review_cards", "learner_id", "users.id"),
        _fk("review_cards", "item_id", "items.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cards")),
        sa.UniqueConstraint("learner_id", "item_id", name="uq_review_cards_learner_id_item_id"),
    )
    op.create_index("ix_review_cards_learner_id_due", "review_cards", ["learner_id", "due"])
    op.create_index(op.f("ix_review_cards_item_id"), "review_cards", ["item_id"])
    op.create_table(
        "review_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("log", sa.Text(), nullable=False),
        _timestamp("at"),
        _fk("review_logs", "learner_id", "users.id"),
        _fk("review_logs", "item_id", "items.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_logs")),
    )
    op.create_index(op.f("ix_review_logs_learner_id"), "review_logs", ["learner_id"])


def downgrade() -> None:
    for table in ("review_logs", "review_cards", "item_estimates", "skill_estimates", "practice_answers",
                  "practice_sessions", "join_codes", "class_members", "class_libraries", "classes"):
        op.drop_table(table)
