"""Classes: `training_opt_in`, whether the class's learners' data may be used for training
(issue 14's privacy rule: never without an explicit opt-in at class level; off by default).

Revision ID: 0012_training_opt_in
Revises: 0010_gate
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_training_opt_in"
down_revision = "0010_gate"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("classes") as batch:
        batch.add_column(sa.Column("training_opt_in", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("classes") as batch:
        batch.drop_column("training_opt_in")
