"""Tasks of the action plan as the screens read them: the tasks, the team's effort overrides and
who may own a task, as the screen's context read them (``ctx.plan``, see ``task_data``);
each task's state *computed on read* from the unit's stored answers in that same context (an
open task whose question reached its target shows as done); and what a step would be (exact
gain, effort). The writes are in ``wbk.services.plan.tasks``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from fractions import Fraction

from wbk.catalog import Catalog
from wbk.errors import WbkError
from wbk.planner.moves import layout_of, moves_of, ratio_text
from wbk.scoring import AnswerSet, score
from wbk.scoring.answers import value_of
from wbk.services.assessment.context import AssessmentContext
from wbk.services.plan.task_data import EffortOverride, Person, TaskData, TaskView  # noqa: F401


class TaskError(WbkError):
    """A task or effort change that cannot be made; the message names the question or task."""

    key = "tasks.invalid"


# --- views ------------------------------------------------------------------------------------


# --- read in the screen's transaction ------------------------------------------------------------


def answered_by(ctx: AssessmentContext, code: str) -> tuple[str | None, datetime | None]:
    """Who last wrote a question's self answer (its count inputs included), and when."""
    rows = [
        a for c, a in ctx.answers.get("self", {}).items() if c == code or c.startswith(code + "#")
    ]
    if not rows:
        return None, None
    last = max(rows, key=lambda a: _aware(a.updated_at))
    return last.updated_by, last.updated_at


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# --- computed on read ------------------------------------------------------------------------


def target_value(catalog: Catalog, code: str, target: str) -> Fraction:
    return value_of(catalog.items[code], target)[0]


def is_reached(catalog: Catalog, answers: AnswerSet, code: str, target: str) -> bool:
    """The stored answer scores at least the planned option (the planned one or better)."""
    now = answers.values.get(code)
    return now is not None and now >= target_value(catalog, code, target)


def tasks_of(ctx: AssessmentContext) -> list[TaskView]:
    """Every task of the assessment as it stands now: an open task whose question the unit's
    answer already brought to the target shows as done (by the author of that answer)."""
    data = ctx.plan
    answers = ctx.answer_set("self")
    out = []
    for task in data.tasks:
        if task.status == "open" and is_reached(ctx.catalog, answers, task.code, task.target):
            by, at = answered_by(ctx, task.code)
            task = replace(task, status="done", closed_by=by, closed_at=at, reached=True)
        out.append(task)
    return out


def reached_open(ctx: AssessmentContext) -> list[TaskView]:
    """Open tasks in the database whose target the stored answer has reached."""
    stored = {t.id: t.status for t in ctx.plan.tasks}
    return [t for t in tasks_of(ctx) if t.reached and stored.get(t.id) == "open"]


def open_tasks(ctx: AssessmentContext) -> list[TaskView]:
    """Tasks still to do, overdue first, then by due date."""
    today = ctx.today
    return sorted(
        (t for t in tasks_of(ctx) if t.status == "open"),
        key=lambda t: (not t.overdue(today), t.due_date, t.id),
    )


def ordered(tasks: Iterable[TaskView], today: date) -> list[TaskView]:
    """Overdue first, then the other open tasks by due date, then done and closed ones."""
    rank = {"open": 1, "done": 2, "closed": 3}
    return sorted(
        tasks,
        key=lambda t: (0 if t.overdue(today) else rank[t.status], t.due_date, t.id),
    )


def open_task_for(ctx: AssessmentContext, code: str) -> TaskView | None:
    return next((t for t in tasks_of(ctx) if t.code == code and t.status == "open"), None)


def team_efforts(ctx: AssessmentContext) -> dict[str, Fraction]:
    """The team's effort per level by question code (the planner's default is 1)."""
    return {e.code: e.effort for e in ctx.plan.efforts}


# --- steps: what a task for a question would be ------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepFacts:
    """A step as the service recomputes it from the stored answers: exact gain, effort."""

    code: str
    from_answer: str | None
    target: str
    gain: Fraction
    effort: Fraction


def step_facts(
    catalog: Catalog,
    answers: AnswerSet,
    code: str,
    target: str,
    efforts: Mapping[str, Fraction],
) -> StepFacts:
    """Raise ``code`` to ``target``: the exact points it adds to the total and its effort (the
    levels of the smallest planner move at or above the target, times the effort per level).

    A question that is not a worksheet question, an answer its scale lacks or one no better
    than the current answer is a TaskError naming the question."""
    item = catalog.items.get(code)
    if item is None or item.kind != "pengungkit":
        raise TaskError("tasks.not_changeable", code=code)
    try:
        value, ratio, canonical = value_of(item, target)
    except ValueError as exc:
        raise TaskError("tasks.bad_target", code=code, problem=exc.args[0].message()) from None
    if ratio is not None:
        canonical = ratio_text(ratio)
    current, moves = moves_of(layout_of(catalog), code, answers)
    if value <= current.value or not moves:
        raise TaskError("tasks.not_better", code=code, target=canonical, now=current.answer or "–")
    levels = min((m.levels for m in moves if m.value >= value), default=moves[-1].levels)
    before = score(catalog, answers.values)
    after = score(catalog, {**answers.values, code: value})
    return StepFacts(
        code=code,
        from_answer=current.answer,
        target=canonical,
        gain=after.total - before.total,
        effort=levels * efforts.get(code, Fraction(1)),
    )
