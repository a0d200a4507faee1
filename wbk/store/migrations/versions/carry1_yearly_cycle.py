"""The yearly cycle: an assessment started from last year's, carried answers awaiting
confirmation, and carried documents that point at the same stored revisions.

Plain integer columns, no foreign keys: they record where a row came from (adding a foreign
key on SQLite means rebuilding a referenced table, which a populated database refuses), and
the hot answer table gains one small nullable column that costs nothing to read.

Revision ID: carry1
Revises: 0004
Create Date: 2026-11-29 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "carry1"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_assessment_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_from", sa.SmallInteger(), nullable=True))
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("carried_from_id")
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_column("carried_from")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("source_assessment_id")
