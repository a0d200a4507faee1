"""Tasks of the action plan: planned steps the team accepted (owner, due date), closed when the
unit's stored answer reaches the planned option or by hand with a reason; and the team's effort
overrides per question. Every write is audited in its transaction.

When a task closes itself: its state is *computed on read* from the assessment context (the
unit's stored self answers, read in the same transaction as everything else on the screen; see
``wbk.services.plan.task_views``), so every screen, the forecast and the report see exactly the
answers they show. ``close_reached`` persists those closures in one write transaction that
re-reads answers and tasks together; the task records the author and moment of the answer that
reached it (not who happened to look), and the audit event says who persisted it. The plan
page calls it when its context shows a reached task. ``close_reached_in`` does the same inside
a caller's transaction, so an answer save can call it in its own transaction (one line).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.errors import Conflict, NotFound
from wbk.i18n import fmt_date
from wbk.planner import effort_model
from wbk.services.assessment.context import AssessmentContext, load_context, read_context
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.services.plan.task_data import EffortOverride, Person, TaskData, TaskView, task_view
from wbk.services.plan.task_views import (
    StepFacts,
    TaskError,
    is_reached,
    open_task_for,
    open_tasks,
    ordered,
    reached_open,
    step_facts,
    target_value,
    tasks_of,
    team_efforts,
)
from wbk.store.tables import Assessment, Unit, UserAccount
from wbk.store.tables.tasks import PlanEffort, PlanTask

__all__ = [
    "EffortOverride",
    "NewTask",
    "Person",
    "PersonTask",
    "StepFacts",
    "TaskData",
    "TaskError",
    "TaskView",
    "close_reached",
    "close_reached_in",
    "close_task",
    "create_tasks",
    "is_reached",
    "open_task_for",
    "open_tasks",
    "ordered",
    "reached_open",
    "set_effort",
    "step_facts",
    "target_value",
    "tasks_for_person",
    "tasks_of",
    "team_efforts",
]
MAX_REASON = 2000


def _task_view(s: Session, row: PlanTask) -> TaskView:
    owner = s.get(UserAccount, row.owner_id)
    return task_view(row, row.assessment_id, owner.username, owner.display_name)


def _snapshot(row: PlanTask) -> dict:
    return {
        "code": row.code,
        "predicate": row.predicate,
        "from": row.from_answer,
        "target": row.target,
        "effort": row.effort,
        "gain": row.gain,
        "owner_id": row.owner_id,
        "due_date": row.due_date,
        "status": row.status,
        "reason": row.reason,
        "closed_by": row.closed_by,
        "closed_at": row.closed_at,
    }


# --- writes ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewTask:
    """A step to accept: raise ``code`` to ``target`` (from the plan of ``predicate``, by
    default the catalog's lower predicate)."""

    code: str
    target: str
    owner: str  # username
    due_date: date
    predicate: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _writable(ctx: AssessmentContext, actor: Actor, code: str) -> None:
    require(actor, "task.write", list(ctx.chain), ctx.catalog.area_of(code))
    if ctx.assessment.status == "locked":
        raise Conflict("conflict.locked", id=ctx.assessment.id)


def create_tasks(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    steps: Iterable[NewTask],
    today: date | None = None,
) -> list[TaskView]:
    """Accept plan steps as tasks, all or none. Gain and effort are recomputed from the stored
    answers and the team's efforts in this transaction; the owner must be an agen of the
    question's area or a koordinator; one open task per question; due today or later."""
    today = today or date.today()
    steps = list(steps)
    if not steps:
        raise TaskError("tasks.none_selected")
    with ws.db.write() as s:
        ctx = read_context(ws, s, actor, assessment_id, today)
        data = ctx.plan
        answers = ctx.answer_set("self")
        efforts = team_efforts(ctx)
        predicates = set(ctx.catalog.predicate_ids)
        taken = {t.code: t for t in tasks_of(ctx) if t.status == "open"}
        users = {p.username: p for p in data.people}
        out: list[PlanTask] = []
        seen: set[str] = set()
        for step in steps:
            code = step.code.strip()
            _writable(ctx, actor, code)
            if code in seen:
                raise TaskError("tasks.twice", code=code)
            seen.add(code)
            predicate = step.predicate or ctx.catalog.lower_predicate
            if predicate not in predicates:
                raise TaskError("tasks.bad_predicate", predicate=predicate)
            if code in taken:
                t = taken[code]
                raise TaskError("tasks.duplicate", code=code, id=t.id, owner=t.owner)
            facts = step_facts(ctx.catalog, answers, code, step.target, efforts)
            owner = users.get((step.owner or "").strip())
            if owner is None or not owner.can_own(ctx.catalog.area_of(code)):
                raise TaskError("tasks.owner", code=code, owner=step.owner or "–")
            if step.due_date is None or step.due_date < today:
                raise TaskError("tasks.due_past", code=code, due=fmt_date(step.due_date) or "–")
            row = PlanTask(
                assessment_id=ctx.assessment.id,
                code=code,
                predicate=predicate,
                from_answer=facts.from_answer,
                target=facts.target,
                effort=str(facts.effort),
                gain=str(facts.gain),
                owner_id=owner.id,
                due_date=step.due_date,
                status="open",
                created_by=actor.name,
                created_at=_now(),
                version=1,
            )
            s.add(row)
            s.flush()
            audit.record(s, actor, "task.create", "plan_task", row.id, None, _snapshot(row))
            out.append(row)
        return [_task_view(s, r) for r in out]


def close_task(
    ws: Workspace,
    actor: Actor,
    task_id: int,
    reason: str,
    expected_version: int | None = None,
) -> TaskView:
    """Close an open task by hand; the reason is required and recorded."""
    text = (reason or "").strip()
    if not text:
        raise TaskError("tasks.reason_required", id=task_id)
    if len(text) > MAX_REASON:
        raise TaskError("tasks.reason_long", id=task_id, limit=MAX_REASON)
    with ws.db.write() as s:
        row = s.get(PlanTask, task_id)
        if row is None:
            raise NotFound("tasks.not_found", id=task_id)
        a = get_assessment(s, row.assessment_id)
        area = ws.catalog(a.catalog_id).area_of(row.code)
        require(actor, "task.write", unit_chain(s, a.unit_id), area)
        if a.status == "locked":
            raise Conflict("conflict.locked", id=a.id)
        if expected_version is not None and row.version != expected_version:
            raise Conflict("tasks.changed", id=row.id)
        if row.status != "open":
            raise TaskError("tasks.not_open", id=row.id, status=row.status)
        before = _snapshot(row)
        row.status, row.reason = "closed", text
        row.closed_by, row.closed_at = actor.name, _now()
        row.version += 1
        s.flush()
        audit.record(s, actor, "task.close", "plan_task", row.id, before, _snapshot(row))
        return _task_view(s, row)


def close_reached(
    ws: Workspace, actor: Actor, assessment_id: int, today: date | None = None
) -> list[TaskView]:
    """Persist every open task whose target the unit's stored answer has reached (one write
    transaction; the reader's right to read the assessment suffices: it records a fact)."""
    with ws.db.write() as s:
        return close_reached_in(ws, s, actor, assessment_id, today or date.today())


def close_reached_in(
    ws: Workspace, s: Session, actor: Actor, assessment_id: int, today: date
) -> list[TaskView]:
    """``close_reached`` inside the caller's write transaction (e.g. right after an answer
    save): answers and tasks are read in it, so the closure is exact for what was written."""
    ctx = read_context(ws, s, actor, assessment_id, today)
    due = reached_open(ctx)
    if not due:
        return []
    rows = {
        r.id: r
        for r in s.execute(select(PlanTask).where(PlanTask.id.in_([t.id for t in due]))).scalars()
    }
    answers = ctx.answer_set("self")
    out = []
    for task in due:
        row = rows[task.id]
        before = _snapshot(row)
        row.status = "done"
        row.closed_by = task.closed_by
        row.closed_at = task.closed_at
        row.version += 1
        s.flush()
        after = _snapshot(row) | {"auto": True, "answer": answers.raw.get(task.code)}
        audit.record(s, actor, "task.done", "plan_task", row.id, before, after)
        out.append(replace(task, version=row.version))
    return out


def set_effort(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    code: str,
    effort: str | int | Fraction | None,
    note: str | None = None,
) -> EffortOverride | None:
    """Set the team's effort per level for one question (``None`` or empty: back to the
    default 1). Checked like an effort file row: a known worksheet question, a number >= 0."""
    code = code.strip()
    text = "" if effort is None else str(effort).strip()
    with ws.db.write() as s:
        ctx = read_context(ws, s, actor, assessment_id, date.today())
        _writable(ctx, actor, code)
        row = s.execute(
            select(PlanEffort).where(
                PlanEffort.assessment_id == ctx.assessment.id, PlanEffort.code == code
            )
        ).scalar_one_or_none()
        before = None if row is None else {"effort": row.effort, "note": row.note}
        if not text:
            if row is None:
                return None
            s.delete(row)
            s.flush()
            audit.record(s, actor, "effort.clear", "plan_effort", f"{assessment_id}:{code}", before)
            return None
        value = effort_model(ctx.catalog, {code: text})[code]  # EffortError names the problem
        note = (note or "").strip() or None
        now = _now()
        if row is None:
            row = PlanEffort(assessment_id=ctx.assessment.id, code=code)
            s.add(row)
        row.effort, row.note, row.set_by, row.set_at = str(value), note, actor.name, now
        s.flush()
        audit.record(
            s,
            actor,
            "effort.set",
            "plan_effort",
            f"{assessment_id}:{code}",
            before,
            {"effort": row.effort, "note": note},
        )
        return EffortOverride(code, value, note, actor.name, now)


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonTask:
    """A task in someone's list across assessments, with where it belongs."""

    task: TaskView
    unit_name: str
    year: int


def tasks_for_person(
    ws: Workspace, actor: Actor, username: str | None = None, status: str | None = "open"
) -> list[PersonTask]:
    """One person's tasks (``username``; default the actor) in every assessment the actor may
    read, overdue first; ``status`` None for every status. Reached tasks show as done."""

    name = username or actor.name
    with ws.db.read() as s:
        uid = s.execute(select(UserAccount.id).where(UserAccount.username == name)).scalar()
        if uid is None:
            raise NotFound("notfound.user", username=name)
        found = s.execute(
            select(PlanTask.assessment_id, Assessment.unit_id, Unit.name, Assessment.year)
            .join(Assessment, Assessment.id == PlanTask.assessment_id)
            .join(Unit, Unit.id == Assessment.unit_id)
            .where(PlanTask.owner_id == uid)
            .distinct()
        ).all()
        readable = [r for r in found if actor.can("read", unit_chain(s, r.unit_id))]
    today = date.today()
    out: list[PersonTask] = []
    for aid, _unit, unit_name, year in sorted(readable, key=lambda r: (r.year, r.assessment_id)):
        ctx = load_context(ws, actor, aid, today)
        for task in tasks_of(ctx):
            if task.owner_id == uid and (status is None or task.status == status):
                out.append(PersonTask(task, unit_name, year))
    out.sort(key=lambda p: (not p.task.overdue(today), p.task.due_date, p.task.id))
    return out
