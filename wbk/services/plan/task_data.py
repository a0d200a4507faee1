"""The plan's part of a screen's context: its tasks, the team's effort overrides and who may
own a task, read in the screen's own transaction with one statement (``read_plan``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import (
    Date,
    Integer,
    Row,
    String,
    Text,
    cast,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from wbk.catalog import Catalog
from wbk.services.core.actor import AREA_ROLES, RULES, WHOLE, Actor, Grant, allows
from wbk.services.core.workspace import ancestors
from wbk.store.tables import Assessment, RoleGrant, UserAccount
from wbk.store.tables.tasks import PlanEffort, PlanTask

OWNER_ROLES = sorted(RULES["task.own"])


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

    @property
    def grant(self) -> Grant:
        return Grant(None, self.role, self.areas)

    def can_own(self, area: str | None) -> bool:
        """Whether a task in ``area`` (the question's area in the catalog) may be theirs."""
        return allows(self.grant, "task.own", area)

    @property
    def label(self) -> str:
        return f"{self.display_name} ({self.username})"


@dataclass
class TaskData:
    """What the plan feature reads in the screen's transaction (``ctx.plan``)."""

    tasks: list[TaskView] = field(default_factory=list)
    efforts: list[EffortOverride] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    locked: bool = False
    actor: Actor | None = None  # the reader
    chain: tuple[int, ...] = ()  # the assessment's unit and those above it (from the context)
    catalog: Catalog | None = field(default=None, compare=False, repr=False)  # question areas

    def area_of(self, code: str) -> str | None:
        return self.catalog.area_of(code) if self.catalog is not None else None

    def can_write(self, code: str) -> bool:
        """The reader may accept steps, close tasks and set efforts for this question."""
        if self.locked or self.actor is None:
            return False
        return self.actor.can("task.write", list(self.chain), self.area_of(code))

    def can_write_any(self, codes: Iterable[str]) -> bool:
        return any(self.can_write(c) for c in codes)

    def owners_for(self, code: str) -> list[Person]:
        area = self.area_of(code)
        return [p for p in self.people if p.can_own(area)]

    def effort_of(self, code: str) -> EffortOverride | None:
        return next((e for e in self.efforts if e.code == code), None)


def _frac(text: str) -> Fraction:
    return Fraction(text)


def task_view(row: PlanTask | Row, assessment_id: int, owner: str, owner_name: str) -> TaskView:
    """A stored task as the screens show it: a ``PlanTask`` or a row with its columns, and its
    owner's username and display name. A done task counts as reached."""
    return TaskView(
        id=row.id,
        assessment_id=assessment_id,
        code=row.code,
        predicate=row.predicate,
        from_answer=row.from_answer,
        target=row.target,
        effort=_frac(row.effort),
        gain=_frac(row.gain),
        owner_id=row.owner_id,
        owner=owner,
        owner_name=owner_name,
        due_date=row.due_date,
        status=row.status,
        reason=row.reason,
        created_by=row.created_by,
        created_at=row.created_at,
        closed_by=row.closed_by,
        closed_at=row.closed_at,
        version=row.version,
        reached=row.status == "done",
    )


def read_plan(
    session: Session,
    assessment: Assessment,
    actor: Actor,
    chain: tuple[int, ...],
    catalog: Catalog,
) -> TaskData:
    """Tasks, effort overrides and possible owners, in the screen's transaction (the reader's
    right on the unit was checked for this assessment).

    One statement (a UNION ALL of three row kinds): every screen reads its context in a fixed,
    small number of statements, and this feature adds one."""
    rows = session.execute(_extra_statement(assessment)).all()
    data = TaskData(locked=assessment.status == "locked", actor=actor, chain=chain, catalog=catalog)
    people: dict[int, Person] = {}
    for r in sorted(rows, key=lambda r: (r.kind, r.id)):
        if r.kind == "task":
            data.tasks.append(task_view(r, assessment.id, r.owner, r.owner_name))
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
    """Rows of kind task / effort / person in the columns of a task (see read_plan)."""
    chain = ancestors(assessment.unit_id)

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


def _reach(p: Person) -> tuple[bool, bool]:
    """How much of the unit a person's grant reaches (a grant without an area limit first,
    then one of a role that has none at all): the widest of their grants is the one kept."""
    return (allows(p.grant, "task.own", WHOLE), p.role not in AREA_ROLES)
