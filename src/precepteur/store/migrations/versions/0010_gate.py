"""Gate: cohort membership, used invitations, kill switches, incidents.

Revision ID: 0010_gate
Revises: 0011_scale
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_gate"
down_revision = "0011_scale"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "gate_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("cohort", sa.String(32), nullable=False),
        _timestamp("joined_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_gate_members_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_gate_members")),
    )
    op.create_table(
        "gate_used_invitations",
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("cohort", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        _timestamp("redeemed_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_gate_used_invitations_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_gate_used_invitations")),
    )
    op.create_table(
        "gate_switches",
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("killed", sa.Boolean(), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("retry_after", sa.Integer(), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_gate_switches")),
    )
    op.create_table(
        "gate_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _timestamp("started_at"),
        _timestamp("ended_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gate_incidents")),
    )


def downgrade() -> None:
    for table in ("gate_incidents", "gate_switches", "gate_used_invitations", "gate_members"):
        op.drop_table(table)
