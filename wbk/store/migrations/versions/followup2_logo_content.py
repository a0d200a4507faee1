"""The letterhead logo's bytes kept in the row (base64 text): it travels with every backup and
restore, and no blob outside the evidence revisions has to be kept from ``wbk repair``.

Revision ID: followup2
Revises: followup1
Create Date: 2026-11-29 04:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "followup2"
down_revision = "followup1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit_branding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("unit_branding", schema=None) as batch_op:
        batch_op.drop_column("content")
