"""Survey form at the counter: kiosk keys (hashed, per unit and period), their responses, the
shared rate-limit counter, and the provenance of survey values written into an assessment.

Revision ID: kiosk1
Revises: 0004
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "kiosk1"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosk_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("instruments", sa.JSON(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=160), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_kiosk_key_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_kiosk_key_key_hash")),
    )
    with op.batch_alter_table("kiosk_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kiosk_key_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "kiosk_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=200), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("age_group", sa.String(length=16), nullable=True),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("education", sa.String(length=16), nullable=True),
        sa.Column("occupation", sa.String(length=16), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outside_hours", sa.Boolean(), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["key_id"], ["kiosk_key.id"], name=op.f("fk_kiosk_response_key_id_kiosk_key")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_kiosk_response_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_response")),
    )
    with op.batch_alter_table("kiosk_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kiosk_response_key_id"), ["key_id"], unique=False)
        batch_op.create_index("ix_kiosk_response_unit_period", ["unit_id", "period"], unique=False)
    op.create_table(
        "kiosk_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_hit")),
    )
    with op.batch_alter_table("kiosk_hit", schema=None) as batch_op:
        batch_op.create_index("ix_kiosk_hit_bucket_at", ["bucket", "at"], unique=False)
    op.create_table(
        "survey_provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_name", sa.String(length=300), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("instrument", sa.String(length=80), nullable=False),
        sa.Column("uncertain", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("answer_version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_survey_provenance_assessment_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_survey_provenance_evidence_id_evidence"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_provenance")),
    )
    with op.batch_alter_table("survey_provenance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_provenance_assessment_id"), ["assessment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_provenance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_provenance_assessment_id"))
    op.drop_table("survey_provenance")
    with op.batch_alter_table("kiosk_hit", schema=None) as batch_op:
        batch_op.drop_index("ix_kiosk_hit_bucket_at")
    op.drop_table("kiosk_hit")
    with op.batch_alter_table("kiosk_response", schema=None) as batch_op:
        batch_op.drop_index("ix_kiosk_response_unit_period")
        batch_op.drop_index(batch_op.f("ix_kiosk_response_key_id"))
    op.drop_table("kiosk_response")
    with op.batch_alter_table("kiosk_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kiosk_key_unit_id"))
    op.drop_table("kiosk_key")
