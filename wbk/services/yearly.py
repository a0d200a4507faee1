"""The year comparison: this assessment beside the unit's previous year's, each scored with its
own catalog (total, components, areas, every gate, the questions that moved), and what the
carry-over still asks of the unit (answers to confirm, documents to renew)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.services.actor import Actor
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


def context_extra(
    session: Session, assessment: Assessment, actor: Actor, today: date
) -> PreviousYear | None:
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


ZERO = Fraction(0)
