"""An index on the audit trail's entity id: a question's history reads its events directly
instead of scanning the whole chain.

Revision ID: followup3
Revises: followup2
Create Date: 2026-11-29 05:00:00
"""

from alembic import op

revision = "followup3"
down_revision = "followup2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_entity_id", ["entity_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity_id")
