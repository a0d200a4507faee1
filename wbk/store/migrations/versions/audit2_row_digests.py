"""Row digests: ``audit_event.rows`` and ``row_touch``, with triggers on every state table
that note each row a transaction touches (see wbk/store/rowdigest.py). A table added later
gets its triggers in the migration that creates it (``trigger_statements``).

Revision ID: audit2
Revises: audit1
Create Date: 2026-12-07 03:20:00
"""

import sqlalchemy as sa
from alembic import op

from wbk.store.rowdigest import state_tables, trigger_statements

revision = "audit2"
down_revision = "audit1"
branch_labels = None
depends_on = None

# the state tables of this revision (a later table brings its own triggers)
TABLES = (
    "unit",
    "user_account",
    "api_token",
    "assessment",
    "kiosk_key",
    "role_grant",
    "unit_branding",
    "unit_survey_pref",
    "user_session",
    "answer",
    "evidence",
    "kiosk_response",
    "plan_effort",
    "plan_task",
    "proposal",
    "score_snapshot",
    "evidence_link",
    "evidence_revision",
    "review_note",
    "survey_provenance",
    "survey_result",
    "note_reply",
)


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rows", sa.Text(), nullable=True))
    op.create_table(
        "row_touch",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("txid", sa.BigInteger(), nullable=False),
        sa.Column("tbl", sa.String(length=64), nullable=False),
        sa.Column("pk", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_row_touch")),
    )
    with op.batch_alter_table("row_touch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_row_touch_txid"), ["txid"], unique=False)
    tables = [t for t in state_tables() if t.name in TABLES]
    for statement in trigger_statements(op.get_bind().dialect.name, tables):
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in TABLES:
        for event in ("insert", "update", "delete"):
            on = f" ON {name}" if postgresql else ""
            op.execute(f"DROP TRIGGER IF EXISTS row_touch_{name}_{event}{on}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS wbk_row_touch()")
    op.drop_table("row_touch")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("rows")
