"""Follow-up: a person's e-mail address (for reminders), replies to review notes as a thread,
and a unit's letterhead logo for the report cover.

Revision ID: followup1
Revises: 0004
Create Date: 2026-11-29 04:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "followup1"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "note_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["review_note.id"], name=op.f("fk_note_reply_note_id_review_note")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_reply")),
    )
    with op.batch_alter_table("note_reply", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_reply_note_id"), ["note_id"], unique=False)
    op.create_table(
        "unit_branding",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("letterhead", sa.Text(), nullable=True),
        sa.Column("set_by", sa.String(length=160), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_unit_branding_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_branding")),
    )


def downgrade() -> None:
    op.drop_table("unit_branding")
    with op.batch_alter_table("note_reply", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_reply_note_id"))
    op.drop_table("note_reply")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("email")
