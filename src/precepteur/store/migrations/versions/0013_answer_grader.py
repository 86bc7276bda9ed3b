"""Practice answers: `graded_by` ("code", "model" when the rubric judge decided, "fallback"
when the judge failed and code graded).

Revision ID: 0013_answer_grader
Revises: 0012_training_opt_in
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_answer_grader"
down_revision = "0012_training_opt_in"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practice_answers") as batch:
        batch.add_column(sa.Column("graded_by", sa.String(16), server_default=sa.text("'code'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("practice_answers") as batch:
        batch.drop_column("graded_by")
