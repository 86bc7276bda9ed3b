"""Arena: contestants, blind battles, votes, and feedback on any answer.

Revision ID: 0009_arena
Revises: 0007_learning
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_arena"
down_revision = "0007_learning"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _flag(name: str, default: bool) -> sa.Column:
    return sa.Column(name, sa.Boolean(), server_default=sa.true() if default else sa.false(), nullable=False)


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), server_default=sa.text("''"), nullable=False)


def _list(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), server_default=sa.text("'[]'"), nullable=False)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "arena_contestants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("model_sha256", sa.String(64), nullable=True),
        sa.Column("model_url", sa.String(500), nullable=True),
        sa.Column("prompt_version", sa.String(32), nullable=False),
        sa.Column("temperature", sa.Float(), nullable=True),
        sa.Column("output_licence", sa.String(64), server_default=sa.text("'?'"), nullable=False),
        _flag("allows_training", True),
        _flag("active", True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _fk("arena_contestants", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arena_contestants")),
        sa.UniqueConstraint("name", name=op.f("uq_arena_contestants_name")),
    )
    op.create_table(
        "arena_battles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("library", sa.String(100), nullable=True),
        sa.Column("pairing", sa.String(16), nullable=False),
        _flag("anony", True),
        sa.Column("contestant_a_id", sa.Integer(), nullable=False),
        sa.Column("contestant_b_id", sa.Integer(), nullable=False),
        _text("passages"),
        _text("answer_a"),
        _text("answer_b"),
        _list("citations_a"),
        _list("citations_b"),
        sa.Column("tokens_a", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("tokens_b", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("seconds_a", sa.Float(), server_default=sa.text("0"), nullable=False),
        sa.Column("seconds_b", sa.Float(), server_default=sa.text("0"), nullable=False),
        sa.Column("state", sa.String(16), server_default=sa.text("'ready'"), nullable=False),
        _flag("leaked", False),
        sa.Column("leak_reason", sa.String(200), nullable=True),
        _flag("errored", False),
        _flag("excluded", False),
        sa.Column("review_status", sa.String(16), nullable=True),
        sa.Column("review_verdict", sa.String(16), nullable=True),
        sa.Column("reference_answer", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        _timestamp("reviewed_at", nullable=True),
        _timestamp("created_at"),
        sa.CheckConstraint("state IN ('ready', 'voted', 'errored')", name=op.f("ck_arena_battles_state")),
        sa.CheckConstraint("review_verdict IS NULL OR review_verdict IN ('a', 'b', 'tie', 'both_bad')",
                           name=op.f("ck_arena_battles_review_verdict")),
        _fk("arena_battles", "user_id", "users", "CASCADE"),
        _fk("arena_battles", "contestant_a_id", "arena_contestants", "CASCADE"),
        _fk("arena_battles", "contestant_b_id", "arena_contestants", "CASCADE"),
        _fk("arena_battles", "reviewed_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arena_battles")),
        sa.UniqueConstraint("public_id", name=op.f("uq_arena_battles_public_id")),
    )
    for column in ("user_id", "contestant_a_id", "contestant_b_id"):
        op.create_index(op.f(f"ix_arena_battles_{column}"), "arena_battles", [column])
    op.create_table(
        "arena_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("battle_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(16), nullable=False),
        _list("reasons_a"),
        _list("reasons_b"),
        _text("comment"),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=True),
        _flag("consent", False),
        _flag("minor", True),
        _flag("cohort", False),
        _timestamp("created_at"),
        sa.CheckConstraint("verdict IN ('a', 'b', 'tie', 'both_bad')", name=op.f("ck_arena_votes_verdict")),
        _fk("arena_votes", "battle_id", "arena_battles", "CASCADE"),
        _fk("arena_votes", "judge_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arena_votes")),
        sa.UniqueConstraint("battle_id", name=op.f("uq_arena_votes_battle_id")),
    )
    op.create_index(op.f("ix_arena_votes_judge_id"), "arena_votes", ["judge_id"])
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        _list("reasons"),
        _text("comment"),
        _flag("problem", False),
        sa.Column("review_status", sa.String(16), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        _timestamp("reviewed_at", nullable=True),
        _timestamp("created_at"),
        sa.CheckConstraint("rating IN ('up', 'down')", name=op.f("ck_answer_feedback_rating")),
        _fk("answer_feedback", "message_id", "messages", "CASCADE"),
        _fk("answer_feedback", "user_id", "users", "CASCADE"),
        _fk("answer_feedback", "reviewed_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_feedback")),
    )
    op.create_index(op.f("ix_answer_feedback_message_id"), "answer_feedback", ["message_id"])
    op.create_index(op.f("ix_answer_feedback_user_id"), "answer_feedback", ["user_id"])


def downgrade() -> None:
    op.drop_table("answer_feedback")
    op.drop_table("arena_votes")
    op.drop_table("arena_battles")
    op.drop_table("arena_contestants")
