"""A unit's survey choices: whether its IKM may stand in for IPKP (off by default).

Revision ID: surveyprefs1
Revises: 0004
Create Date: 2026-11-29 05:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "surveyprefs1"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_survey_pref",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("ikm_as_ipkp", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("set_by", sa.String(length=160), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_unit_survey_pref_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_survey_pref")),
    )


def downgrade() -> None:
    op.drop_table("unit_survey_pref")
