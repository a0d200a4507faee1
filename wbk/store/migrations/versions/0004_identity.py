"""Identity that follows changes: where a role came from, sign-in throttling, server-side
sessions; one survey result per unit, kind, period and service.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=16), nullable=False, server_default="local")
        )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_user_session_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_session_token_hash")),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)
    # keep the newest row of any period saved twice before the key existed
    op.execute(
        "DELETE FROM survey_result WHERE id NOT IN ("
        " SELECT max(id) FROM survey_result GROUP BY unit_id, kind, period, service)"
    )
    with op.batch_alter_table("survey_result", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            op.f("uq_survey_result_unit_id"), ["unit_id", "kind", "period", "service"]
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_result", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_survey_result_unit_id"), type_="unique")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
    op.drop_table("login_throttle")
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.drop_column("source")
