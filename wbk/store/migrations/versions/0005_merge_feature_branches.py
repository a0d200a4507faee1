"""Merge the feature branches that all grew from 0004 (yearly cycle, follow-up, kiosk,
PortalRB, survey preferences, plan tasks) into one head. No schema change.

A new migration revises this one (or whatever is then the single head), so ``upgrade head``
is always enough. A workspace stamped at the six old heads upgrades to this revision.

Revision ID: 0005
Revises: carry1, followup3, kiosk1, portalrb1, surveyprefs1, tasks1
Create Date: 2026-12-06 23:50:00
"""

revision = "0005"
down_revision = ("carry1", "followup3", "kiosk1", "portalrb1", "surveyprefs1", "tasks1")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
