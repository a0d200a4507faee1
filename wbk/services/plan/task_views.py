"""Tasks of the action plan as the screens read them: the tasks, the team's effort overrides and
who may own a task, read in the screen's own transaction (``context_extra``, one statement);
each task's state *computed on read* from the unit's stored answers in that same context (an
open task whose question reached its target shows as done); and what a step would be (exact
gain, effort). The writes are in ``wbk.services.plan.tasks``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING

from sqlalchemy import (
    Date,
    Integer,
    String,
    Text,
    cast,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from wbk.catalog import Catalog
from wbk.errors import WbkError
from wbk.planner.moves import layout_of, moves_of, ratio_text
from wbk.scoring import AnswerSet, score
from wbk.scoring.answers import value_of
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import area_of
from wbk.store.tables import Assessment, RoleGrant, Unit, UserAccount
from wbk.store.tables_tasks import PlanEffort, PlanTask

if TYPE_CHECKING:
    from wbk.services.assessment.context import AssessmentContext

FEATURE = "wbk.services.plan.task_views"
OWNER_ROLES = ("agen", "koordinator")


class TaskError(WbkError):
    """A task or effort change that cannot be made; the message names the question or task."""

    key = "tasks.invalid"


# --- views ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task as the screens show it. ``gain``/``effort`` as the plan gave them on acceptance."""

    id: int
    assessment_id: int
    code: str
    predicate: str
    from_answer: str | None
    target: str
    effort: Fraction
    gain: Fraction
    owner_id: int
    owner: str
    owner_name: str
    due_date: date
    status: str
    reason: str | None
    created_by: str
    created_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    version: int
    reached: bool = False  # done because the answer reached the target (now or when closed)

    def overdue(self, today: date) -> bool:
        return self.status == "open" and self.due_date < today


@dataclass(frozen=True, slots=True)
class EffortOverride:
    """The team's effort per level for one question, and why."""

    code: str
    effort: Fraction
    note: str | None
    set_by: str
    set_at: datetime


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who may own a task: an agen of the unit (for its areas) or a koordinator."""

    id: int
    username: str
    display_name: str
    role: str
    areas: tuple[str, ...] | None

    def can_own(self, code: str) -> bool:
        if self.role == "koordinator" or self.areas is None:
            return True
        return area_of(code) in self.areas

    @property
    def label(self) -> str:
        return f"{self.display_name} ({self.username})"


@dataclass
class TaskData:
    """What the plan feature reads in the screen's transaction (``ctx.extras[FEATURE]``)."""

    tasks: list[TaskView] = field(default_factory=list)
    efforts: list[EffortOverride] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    locked: bool = False
    actor: Actor | None = None  # the reader
    chain: tuple[int, ...] = ()  # the assessment's unit and those above it (from the context)

    def can_write(self, code: str) -> bool:
        """The reader may accept steps, close tasks and set efforts for this question."""
        if self.locked or self.actor is None:
            return False
        return self.actor.can("task.write", list(self.chain), area_of(code))

    def can_write_any(self, codes: Iterable[str]) -> bool:
        return any(self.can_write(c) for c in codes)

    def owners_for(self, code: str) -> list[Person]:
        return [p for p in self.people if p.can_own(code)]

    def effort_of(self, code: str) -> EffortOverride | None:
        return next((e for e in self.efforts if e.code == code), None)


def _frac(text: str) -> Fraction:
    return Fraction(text)


# --- read in the screen's transaction ------------------------------------------------------------


def context_extra(session: Session, assessment: Assessment, actor: Actor, today: date) -> TaskData:
    """Tasks, effort overrides and possible owners, in the screen's transaction (the reader's
    right on the unit was checked for this assessment).

    One statement (a UNION ALL of three row kinds): every screen reads its context in a fixed,
    small number of statements, and this feature adds one."""
    rows = session.execute(_extra_statement(assessment)).all()
    data = TaskData(locked=assessment.status == "locked", actor=actor)
    people: dict[int, Person] = {}
    for r in sorted(rows, key=lambda r: (r.kind, r.id)):
        if r.kind == "task":
            data.tasks.append(
                TaskView(
                    id=r.id,
                    assessment_id=assessment.id,
                    code=r.code,
                    predicate=r.predicate,
                    from_answer=r.from_answer,
                    target=r.target,
                    effort=_frac(r.effort),
                    gain=_frac(r.gain),
                    owner_id=r.owner_id,
                    owner=r.owner,
                    owner_name=r.owner_name,
                    due_date=r.due_date,
                    status=r.status,
                    reason=r.reason,
                    created_by=r.created_by,
                    created_at=r.created_at,
                    closed_by=r.closed_by,
                    closed_at=r.closed_at,
                    version=r.version,
                    reached=r.status == "done",
                )
            )
        elif r.kind == "effort":
            data.efforts.append(
                EffortOverride(r.code, _frac(r.effort), r.reason, r.created_by, r.created_at)
            )
        else:  # a person: code = username, predicate = role, target = display name
            if r.predicate == "agen" and r.owner_id != assessment.unit_id:
                continue  # an agen works in the unit it is granted on only
            areas = json.loads(r.from_answer) if r.from_answer else None
            person = Person(
                r.id, r.code, r.target, r.predicate, tuple(areas) if areas is not None else None
            )
            known = people.get(person.id)
            if known is None or _reach(person) > _reach(known):
                people[person.id] = person
    data.efforts.sort(key=lambda e: e.code)
    data.people = sorted(people.values(), key=lambda p: (p.display_name.lower(), p.id))
    return data


def _extra_statement(assessment: Assessment):
    """Rows of kind task / effort / person in the columns of a task (see context_extra)."""
    chain = (
        select(Unit.id, Unit.parent_id, literal(0).label("depth"))
        .where(Unit.id == assessment.unit_id)
        .cte("task_chain", recursive=True)
    )
    chain = chain.union_all(
        select(Unit.id, Unit.parent_id, (chain.c.depth + 1).label("depth"))
        .join(chain, Unit.id == chain.c.parent_id)
        .where(chain.c.depth < 32)  # a cycle in the tree must not loop forever
    )

    def none(type_):
        return cast(null(), type_)

    tasks = (
        select(
            literal_column("'task'").label("kind"),
            PlanTask.id,
            PlanTask.code,
            PlanTask.predicate,
            PlanTask.from_answer,
            PlanTask.target,
            PlanTask.effort,
            PlanTask.gain,
            PlanTask.owner_id,
            UserAccount.username.label("owner"),
            UserAccount.display_name.label("owner_name"),
            PlanTask.due_date,
            PlanTask.status,
            PlanTask.reason,
            PlanTask.created_by,
            PlanTask.created_at,
            PlanTask.closed_by,
            PlanTask.closed_at,
            PlanTask.version,
        )
        .join(UserAccount, UserAccount.id == PlanTask.owner_id)
        .where(PlanTask.assessment_id == assessment.id)
    )
    efforts = select(
        literal_column("'effort'"),
        PlanEffort.id,
        PlanEffort.code,
        none(String),
        none(String),
        none(String),
        PlanEffort.effort,
        none(String),
        none(Integer),
        none(String),
        none(String),
        none(Date),
        none(String),
        PlanEffort.note,
        PlanEffort.set_by,
        PlanEffort.set_at,
        none(String),
        PlanEffort.set_at,
        none(Integer),
    ).where(PlanEffort.assessment_id == assessment.id)
    owners = (
        select(
            literal_column("'person'"),
            UserAccount.id,
            UserAccount.username,
            RoleGrant.role,
            cast(RoleGrant.areas, String),
            UserAccount.display_name,
            none(String),
            none(String),
            RoleGrant.unit_id,
            none(String),
            none(String),
            none(Date),
            none(String),
            none(Text),
            none(String),
            UserAccount.created_at,
            none(String),
            UserAccount.created_at,
            none(Integer),
        )
        .join(RoleGrant, RoleGrant.user_id == UserAccount.id)
        .where(
            UserAccount.active.is_(True),
            RoleGrant.role.in_(OWNER_ROLES),
            RoleGrant.unit_id.in_(select(chain.c.id)),
        )
    )
    return union_all(tasks, efforts, owners)


def _reach(p: Person) -> int:
    return 2 if p.role == "koordinator" else 1 if p.areas is None else 0


def task_data(ctx: AssessmentContext) -> TaskData:
    data = ctx.extras.get(FEATURE)
    if not isinstance(data, TaskData):
        return TaskData()
    if not data.chain:
        data.chain = tuple(ctx.chain)
    return data


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
    data = task_data(ctx)
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
    stored = {t.id: t.status for t in task_data(ctx).tasks}
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
    return {e.code: e.effort for e in task_data(ctx).efforts}


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
