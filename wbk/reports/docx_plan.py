"""The report's "Rencana tindak lanjut" chapter: the cheapest plan to WBK and the team's tasks
with owners and dates, and the plain data it is made from (filled by the services)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Protocol

from wbk.i18n import fmt_date, fmt_number, fmt_short, t


class BlockerLike(Protocol):
    """A gate no answer change can fix (``wbk.planner.Blocker``)."""

    def message(self, lang: str | None = None) -> str: ...


@dataclass(frozen=True, slots=True)
class PlanStepRef:
    code: str
    text: str
    from_answer: str | None
    to_answer: str
    gain: Fraction
    effort: Fraction


@dataclass(frozen=True, slots=True)
class TaskRef:
    id: int
    code: str
    text: str
    target: str
    owner: str
    due_date: date
    status: str  # open, done, closed
    reason: str | None
    closed_at: date | None
    overdue: bool = False


@dataclass(frozen=True)
class PlanChapter:
    """The plan for ``target`` on the unit's answers, and every task of the assessment."""

    target: str
    feasible: bool
    already: bool
    effort: Fraction
    before_total: Fraction
    after_total: Fraction
    steps: list[PlanStepRef] = field(default_factory=list)
    blockers: list[BlockerLike] = field(default_factory=list)
    tasks: list[TaskRef] = field(default_factory=list)


def _status(task: TaskRef, lang: str) -> str:
    if task.overdue:
        return t("tasks.status_overdue", lang=lang)
    return {
        "open": t("tasks.status_open", lang=lang),
        "done": t("tasks.status_done", lang=lang),
        "closed": t("tasks.status_closed", lang=lang),
    }.get(task.status, task.status)


def add_plan(doc, data, lang: str, make_table) -> None:
    """The chapter, when the report data carries a plan (``data.plan``; the self tier only)."""
    chapter: PlanChapter | None = getattr(data, "plan", None)
    if chapter is None:
        return
    doc.add_heading(t("tasks.report.title", lang=lang), level=1)
    target = chapter.target
    doc.add_heading(t("tasks.report.plan_title", lang=lang, target=target), level=2)
    if chapter.already:
        doc.add_paragraph(t("tasks.report.already", lang=lang, target=target))
    elif chapter.blockers:
        doc.add_paragraph(t("tasks.report.blocked", lang=lang, target=target))
        for blocker in chapter.blockers:
            doc.add_paragraph(blocker.message(lang), style="List Bullet")
    else:
        doc.add_paragraph(
            t(
                "tasks.report.plan_text",
                lang=lang,
                target=target,
                steps=len(chapter.steps),
                effort=fmt_short(chapter.effort, lang=lang),
                before=fmt_number(chapter.before_total, lang=lang),
                after=fmt_number(chapter.after_total, lang=lang),
            )
        )
    if chapter.steps:
        make_table(
            doc,
            [
                t("ui.code", lang=lang),
                t("ui.question_text", lang=lang),
                t("plan.cli.from", lang=lang),
                t("plan.cli.to", lang=lang),
                t("plan.cli.gain", lang=lang),
                t("plan.cli.effort", lang=lang),
            ],
            [
                [
                    s.code,
                    s.text,
                    s.from_answer or "–",
                    s.to_answer,
                    "+" + fmt_number(s.gain, lang=lang),
                    fmt_short(s.effort, lang=lang),
                ]
                for s in chapter.steps
            ],
            widths=[2.3, 7.5, 1.6, 1.6, 1.8, 1.8],
            align_right={4, 5},
        )
    doc.add_heading(t("tasks.report.tasks_title", lang=lang), level=2)
    if not chapter.tasks:
        doc.add_paragraph(t("tasks.report.no_tasks", lang=lang))
        return
    make_table(
        doc,
        [
            "#",
            t("cli.question", lang=lang),
            t("plan.cli.to", lang=lang),
            t("tasks.col.owner", lang=lang),
            t("tasks.col.due", lang=lang),
            t("tasks.col.status", lang=lang),
        ],
        [
            [
                str(x.id),
                f"{x.code} {x.text}",
                x.target,
                x.owner,
                fmt_date(x.due_date, lang),
                _status(x, lang)
                + (f" ({fmt_date(x.closed_at, lang)})" if x.closed_at else "")
                + (f": {x.reason}" if x.reason else ""),
            ]
            for x in chapter.tasks
        ],
        widths=[0.8, 6.4, 1.6, 3.0, 2.4, 2.4],
    )
