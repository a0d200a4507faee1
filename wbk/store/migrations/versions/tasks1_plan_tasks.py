"""Action plan: tasks accepted from a plan (owner, due date, status) and the team's effort
overrides per question, both per assessment.

Revision ID: tasks1
Revises: 0004
Create Date: 2026-11-30 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "tasks1"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("predicate", sa.String(length=16), nullable=False),
        sa.Column("from_answer", sa.String(length=64), nullable=True),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("effort", sa.String(length=40), nullable=False),
        sa.Column("gain", sa.String(length=80), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=160), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name=op.f("fk_plan_task_assessment_id_assessment")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_plan_task_owner_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task")),
    )
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_task_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_task_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_plan_task_open", ["assessment_id", "status"], unique=False)
    op.create_table(
        "plan_effort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("effort", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("set_by", sa.String(length=160), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_plan_effort_assessment_id_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_effort")),
        sa.UniqueConstraint("assessment_id", "code", name=op.f("uq_plan_effort_assessment_id")),
    )
    with op.batch_alter_table("plan_effort", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_effort_assessment_id"), ["assessment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_effort", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_effort_assessment_id"))
    op.drop_table("plan_effort")
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_task_open")
        batch_op.drop_index(batch_op.f("ix_plan_task_owner_id"))
        batch_op.drop_index(batch_op.f("ix_plan_task_assessment_id"))
    op.drop_table("plan_task")
