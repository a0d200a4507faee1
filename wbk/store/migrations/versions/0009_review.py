"""The pre-review: the text cache by SHA-256, the reading queue, verdicts and what they were
computed from (caches, no triggers), people's decisions on findings and an assessment's own
review period (state tables, with the row-digest triggers).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-12 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from wbk.store.rowdigest import state_tables, trigger_names, trigger_statements

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("review_decision", "review_period")
CACHE = {"cache": True}


def _caches() -> None:
    op.create_table(
        "review_queue",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("worker", sa.String(length=80), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_queue")),
        sa.UniqueConstraint("sha256", name=op.f("uq_review_queue_sha256")),
        info=CACHE,
    )
    with op.batch_alter_table("review_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_queue_status"), ["status"], unique=False)
    op.create_table(
        "review_text",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("needs_ocr", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_review_text")),
        info=CACHE,
    )
    op.create_table(
        "review_state",
        sa.Column("assessment_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_review_state_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_review_state")),
        info=CACHE,
    )
    op.create_table(
        "review_verdict",
        sa.Column("assessment_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("verdict", sa.String(length=8), nullable=False),
        sa.Column("unsupported", sa.Boolean(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_review_verdict_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "code", name=op.f("pk_review_verdict")),
        info=CACHE,
    )
    # the portfolio counts each assessment's hijau verdicts from this index alone
    op.create_index(
        "ix_review_verdict_assessment_verdict",
        "review_verdict",
        ["assessment_id", "verdict"],
        unique=False,
    )


def upgrade() -> None:
    _caches()
    op.create_table(
        "review_period",
        sa.Column("assessment_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(length=160), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_review_period_assessment_id_assessment"),
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_review_period")),
    )
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("finding_key", sa.String(length=32), nullable=False),
        sa.Column("finding_code", sa.String(length=32), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=160), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_review_decision_assessment_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_review_decision_evidence_id_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["review_note.id"], name=op.f("fk_review_decision_note_id_review_note")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
        sa.UniqueConstraint(
            "assessment_id", "code", "finding_key", name=op.f("uq_review_decision_assessment_id")
        ),
    )
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_decision_assessment_id"), ["assessment_id"], unique=False
        )
    tables = [t for t in state_tables() if t.name in TABLES]
    for statement in trigger_statements(op.get_bind().dialect.name, tables):
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in [t for t in state_tables() if t.name in TABLES]:
        for name in trigger_names([table]):
            op.execute(
                f"DROP TRIGGER IF EXISTS {name} ON {table.name}"
                if postgresql
                else f"DROP TRIGGER IF EXISTS {name}"
            )
    for name in (
        "review_decision",
        "review_period",
        "review_verdict",
        "review_state",
        "review_text",
        "review_queue",
    ):
        op.drop_table(name)
