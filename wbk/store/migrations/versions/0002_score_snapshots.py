"""Score snapshots for the dashboard trend.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:35:23.377454
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=8), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total", sa.Double(), nullable=False),
        sa.Column("pengungkit", sa.Double(), nullable=False),
        sa.Column("hasil", sa.Double(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("wbk_passed", sa.Boolean(), nullable=False),
        sa.Column("taken_by", sa.String(length=160), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_score_snapshot_assessment_id_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_snapshot")),
    )
    with op.batch_alter_table("score_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_score_snapshot_assessment_id"), ["assessment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("score_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_snapshot_assessment_id"))

    op.drop_table("score_snapshot")
