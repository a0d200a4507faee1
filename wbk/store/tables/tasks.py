"""Tables of the action plan: tasks the team accepted from a plan, and its effort overrides."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import UTC_TS, Base


class PlanTask(Base):
    """A planned step the team accepted: raise ``code`` to ``target`` (written as in the answers
    CSV) by ``due_date``, owned by one person.

    ``status``: ``open``; ``done`` when the unit's stored answer reached the target (then
    ``closed_by``/``closed_at`` are the author and moment of the answer that reached it);
    ``closed`` when closed by hand with a ``reason``. ``gain`` and ``effort`` are exact
    fractions as text (``3/8``), as the plan gave them when the step was accepted.
    """

    __tablename__ = "plan_task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    predicate: Mapped[str] = mapped_column(String(16))
    from_answer: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(64))
    effort: Mapped[str] = mapped_column(String(40))
    gain: Mapped[str] = mapped_column(String(80))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    closed_by: Mapped[str | None] = mapped_column(String(160))
    closed_at: Mapped[datetime | None] = mapped_column(UTC_TS)
    version: Mapped[int] = mapped_column(Integer, default=1)


Index("ix_plan_task_open", PlanTask.assessment_id, PlanTask.status)


class PlanEffort(Base):
    """The team's effort per level for one question of one assessment ("needs a new SK from
    the head office: 5"); the planner uses it instead of the default 1."""

    __tablename__ = "plan_effort"
    __table_args__ = (UniqueConstraint("assessment_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    effort: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(160))
    set_at: Mapped[datetime] = mapped_column(UTC_TS)
