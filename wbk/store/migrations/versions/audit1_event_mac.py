"""Each audit event carries ``mac``: HMAC-SHA-256 of its hash with the audit key, kept outside
the database. Events written before have none until ``wbk init`` adopts them (once, when it
creates the key, audited).

Revision ID: audit1
Revises: 0006
Create Date: 2026-12-07 03:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "audit1"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("mac")
