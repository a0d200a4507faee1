"""PermenPANRB 5/2024's requirements for a proposal, recorded per unit and evaluation year
(``proposal_requirement``), with the row-digest triggers of a state table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from wbk.store.rowdigest import state_tables, trigger_names, trigger_statements

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("proposal_requirement",)


def upgrade() -> None:
    op.create_table(
        "proposal_requirement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("set_by", sa.String(length=160), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_proposal_requirement_evidence_id_evidence"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_proposal_requirement_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_requirement")),
        sa.UniqueConstraint("unit_id", "year", "key", name=op.f("uq_proposal_requirement_unit_id")),
    )
    with op.batch_alter_table("proposal_requirement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_requirement_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposal_requirement_year"), ["year"], unique=False)
    tables = [t for t in state_tables() if t.name in TABLES]
    for statement in trigger_statements(op.get_bind().dialect.name, tables):
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in trigger_names([t for t in state_tables() if t.name in TABLES]):
        op.execute(
            f"DROP TRIGGER IF EXISTS {name} ON proposal_requirement"
            if postgresql
            else f"DROP TRIGGER IF EXISTS {name}"
        )
    op.drop_table("proposal_requirement")
