"""Survey results (IKM per unit, period and service).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 01:01:01.143659
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=200), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("sums", sa.JSON(), nullable=False),
        sa.Column("weights", sa.String(length=16), nullable=False),
        sa.Column("ikm", sa.Double(), nullable=False),
        sa.Column("category", sa.String(length=2), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_survey_result_assessment_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_survey_result_evidence_id_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_survey_result_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_result")),
    )
    with op.batch_alter_table("survey_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_result_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_result_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_result_unit_id"))
        batch_op.drop_index(batch_op.f("ix_survey_result_assessment_id"))

    op.drop_table("survey_result")
