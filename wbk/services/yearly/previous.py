"""The yearly cycle's part of a screen's context: the unit's assessment of the year before and
its answers, read in the screen's own transaction with one statement."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.store.tables import Answer, Assessment


@dataclass
class PreviousYear:
    """The unit's latest assessment before this one, as read in the screen's transaction."""

    id: int
    year: int
    catalog_id: str
    status: str
    rows: dict[str, str] = field(default_factory=dict)  # self tier: code -> stored answer
    _cache: dict = field(default_factory=dict, repr=False)


def read_previous_year(session: Session, assessment: Assessment) -> PreviousYear | None:
    """The previous year's assessment of the same unit and its self answers, in one statement
    (the reader's right on the unit was checked for this assessment: it is the same unit)."""
    latest = (
        select(Assessment.id)
        .where(Assessment.unit_id == assessment.unit_id, Assessment.year < assessment.year)
        .order_by(Assessment.year.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Assessment.id,
            Assessment.year,
            Assessment.catalog_id,
            Assessment.status,
            Answer.code,
            Answer.value,
        )
        .outerjoin(
            Answer,
            (Answer.assessment_id == Assessment.id)
            & (Answer.tier == "self")
            & Answer.value.is_not(None),
        )
        .where(Assessment.id == latest)
    ).all()
    if not rows:
        return None
    first = rows[0]
    prev = PreviousYear(first.id, first.year, first.catalog_id, first.status)
    prev.rows = {r.code: r.value for r in rows if r.code is not None}
    return prev
