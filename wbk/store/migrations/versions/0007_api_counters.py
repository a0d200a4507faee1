"""The PortalRB API's counters in the database, shared by every API process: requests per
caller and minute (``api_rate``), and per address and minute the requests that carried no
usable credential (``api_refusal``, summed into the audit trail once the minute is over).

Revision ID: 0007
Revises: audit2
Create Date: 2026-12-09 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "audit2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_rate",
        sa.Column("minute", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("bucket", sa.String(length=100), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("minute", "bucket", name=op.f("pk_api_rate")),
    )
    op.create_table(
        "api_refusal",
        sa.Column("minute", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("endpoint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "minute", "client", "endpoint", "status", name=op.f("pk_api_refusal")
        ),
    )


def downgrade() -> None:
    op.drop_table("api_refusal")
    op.drop_table("api_rate")
