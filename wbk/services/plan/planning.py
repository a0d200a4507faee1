"""Plans for a stored assessment, read through its context (the TPI tier by the TPI rule) with
the team's effort overrides: the plan page's views, the what-if sandbox, the dashboard's
forecast and the report's chapter. The planner itself is pure (``wbk.planner``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from wbk.catalog import Catalog
from wbk.i18n import fmt_short, t
from wbk.planner import Blocker, EffortRow, Forecast, Plan, effort_model, forecast, plan
from wbk.planner.moves import layout_of
from wbk.reports.docx_plan import PlanChapter, PlanStepRef, TaskRef
from wbk.scoring import AnswerRow, AnswerSet, ScoreCard, parse_answers, score
from wbk.scoring.answers import value_of
from wbk.scoring.thresholds import predicate_lines
from wbk.services.assessment.context import AssessmentContext, load_context
from wbk.services.core.actor import Actor, check_tier
from wbk.services.core.workspace import Workspace
from wbk.services.plan import tasks as tasks_mod
from wbk.services.plan.tasks import Person, StepFacts, TaskView

ZERO = Fraction(0)


def efforts_for(
    ctx: AssessmentContext, extra: Iterable[EffortRow] | Mapping[str, object] | None = None
) -> dict[str, Fraction]:
    """Effort per level by question: the team's overrides, then ``extra`` (an effort file or
    a mapping, checked against the catalog) on top."""
    merged = tasks_mod.team_efforts(ctx)
    if extra is not None:
        merged.update(effort_model(ctx.catalog, extra))
    return merged


def plan_from_context(
    ctx: AssessmentContext,
    target: str | None = None,
    tier: str = "self",
    efforts: Iterable[EffortRow] | Mapping[str, object] | None = None,
    budget: Fraction | int | str | None = None,
    answers: AnswerSet | None = None,
) -> Plan:
    """The planner on one tier of the context (or on ``answers``, e.g. the sandbox's)."""
    chosen = answers if answers is not None else ctx.answer_set(tier)
    return plan(ctx.catalog, chosen, target, efforts_for(ctx, efforts), budget)


def plan_for_assessment(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
    target: str | None = None,
    efforts: Iterable[EffortRow] | Mapping[str, object] | None = None,
    budget: Fraction | int | str | None = None,
) -> Plan:
    """The cheapest plan to ``target`` (or the best total within ``budget``) for one tier of
    an assessment, read through its context (the TPI tier: the TPI's answer where it scored,
    the unit's elsewhere). The team's effort overrides apply; ``efforts`` (rows of an effort
    file or ``{code: effort per level}``) override those."""
    check_tier(tier)
    return plan_from_context(load_context(ws, actor, assessment_id), target, tier, efforts, budget)


# --- the plan page ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepView:
    """A plan step as the page shows it: the question, what the target option asks, the
    typical evidence, gain and effort, and whether it is a task already."""

    code: str
    text: str
    area: str | None
    from_answer: str | None
    to_answer: str
    criteria: str | None
    evidence: tuple[str, ...]
    gain: Fraction
    effort: Fraction
    levels: int
    team_effort: Fraction | None  # the team's effort per level, when it set one
    task: TaskView | None  # the open task for this question, if any
    writable: bool  # the reader may accept it as a task
    owners: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class PlanView:
    target: str
    plan: Plan
    steps: list[StepView]

    @property
    def blockers(self) -> list[Blocker]:
        return self.plan.blockers

    @property
    def already(self) -> bool:
        return self.plan.before.passed


def criteria_of(catalog: Catalog, code: str, answer: str) -> str | None:
    """What the catalog says the option asks (``B: Jika sebagian ...``); for a percentage
    target, the share it must reach."""
    item = catalog.items[code]
    question = catalog.questions.get(code)
    if item.scale.kind == "option":
        if question is None:
            return None
        for key, text in question.criteria.items():
            if key.upper() == answer.upper():
                return text
        return None
    ratio = value_of(item, answer)[1]
    if ratio is None:
        return None
    return t("tasks.ratio_target", percent=fmt_short(ratio * 100, 1))


def plan_view(
    ctx: AssessmentContext, target: str | None = None, answers: AnswerSet | None = None
) -> PlanView:
    """The plan for ``target`` (by default the catalog's lower predicate) on the unit's
    answers (or ``answers``), with each step's question, criteria, typical evidence and task."""
    target = target or ctx.catalog.lower_predicate
    result = plan_from_context(ctx, target, answers=answers)
    return PlanView(target, result, _steps(ctx, result))


def _steps(ctx: AssessmentContext, result: Plan) -> list[StepView]:
    data = ctx.plan
    open_by_code = {t.code: t for t in tasks_mod.open_tasks(ctx)}
    out = []
    for s in result.steps:
        item = ctx.catalog.items[s.code]
        question = ctx.catalog.questions.get(s.code)
        team = data.effort_of(s.code)
        out.append(
            StepView(
                code=s.code,
                text=item.text,
                area=item.area,
                from_answer=s.from_answer,
                to_answer=s.to_answer,
                criteria=criteria_of(ctx.catalog, s.code, s.to_answer),
                evidence=tuple(question.evidence) if question is not None else (),
                gain=s.gain,
                effort=s.effort,
                levels=s.levels,
                team_effort=team.effort if team else None,
                task=open_by_code.get(s.code),
                writable=data.can_write(s.code),
                owners=tuple(data.owners_for(s.code)),
            )
        )
    return out


def common_owners(ctx: AssessmentContext, codes: Iterable[str]) -> list[Person]:
    """People who may own a task on every one of ``codes`` (agen of all their areas, or a
    koordinator)."""
    codes = list(codes)
    areas = {ctx.catalog.area_of(c) for c in codes}
    return [p for p in ctx.plan.people if all(p.can_own(area) for area in areas)]


def next_target(ctx: AssessmentContext) -> str:
    """The first predicate the unit does not hold yet (the last one when it holds all)."""
    card = ctx.card("self")
    for p in ctx.catalog.predicates:
        if not card.verdicts[p.id].passed:
            return p.id
    return ctx.catalog.predicates[-1].id


# --- the what-if sandbox -----------------------------------------------------------------------


@dataclass
class SandboxView:
    """The unit's answers with the sandbox changes over them (never stored): the score, every
    gate, and the plan from there. ``problems``: changes that are not valid answers."""

    changes: dict[str, str]
    problems: dict[str, str]
    before: ScoreCard
    after: ScoreCard
    plans: dict[str, PlanView] = field(default_factory=dict)
    steps: list[StepFacts] = field(default_factory=list)  # changes that can become tasks
    skipped: list[str] = field(default_factory=list)  # changes that cannot (results, not up)


def sandbox(
    ctx: AssessmentContext, changes: Mapping[str, str | None], with_plans: bool = True
) -> SandboxView:
    """Score the unit's self answers with ``changes`` (code -> answer as typed; empty clears
    the question) written over them, in memory only."""
    catalog = ctx.catalog
    valid: dict[str, str] = {}
    problems: dict[str, str] = {}
    for code, answer in changes.items():
        item = catalog.items.get(code)
        if item is None:
            problems[code] = t("answers.unknown_code", code=code)
            continue
        text = (answer or "").strip()
        if not text:
            valid[code] = ""
            continue
        try:
            _value, _ratio, canonical = value_of(item, text)
        except ValueError as exc:
            problems[code] = exc.args[0].message()
            continue
        valid[code] = canonical
    answers = sandbox_answers(ctx, valid)
    view = SandboxView(valid, problems, ctx.card("self"), score(catalog, answers.values))
    if with_plans:
        view.plans = {p.id: plan_view(ctx, p.id, answers) for p in catalog.predicates}
    efforts = tasks_mod.team_efforts(ctx)
    stored = ctx.answer_set("self")
    for code, answer in valid.items():
        try:
            view.steps.append(tasks_mod.step_facts(catalog, stored, code, answer, efforts))
        except tasks_mod.TaskError:
            view.skipped.append(code)
    return view


def sandbox_answers(ctx: AssessmentContext, changes: Mapping[str, str]) -> AnswerSet:
    """The unit's stored self rows with each changed question (its count inputs too) replaced."""
    rows = [
        AnswerRow(c, a.value or "")
        for c, a in ctx.rows("self").items()
        if c.split("#", 1)[0] not in changes
    ]
    rows += [AnswerRow(c, a) for c, a in changes.items() if a]
    return parse_answers(ctx.catalog, rows)


# --- the forecast on the dashboard ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverdueTask:
    """An open task past its due date, and the failing gates its question feeds."""

    task: TaskView
    gain: Fraction
    gates: tuple[tuple[str, str], ...]  # (predicate, gate id)


@dataclass
class ForecastView:
    """Where the unit will stand: the expected total on the deadline, the first date each
    predicate's gates all pass if open tasks are done on time, the overdue tasks."""

    today: date
    deadline: date | None
    current: Fraction
    minimum: Fraction | None  # the WBK total line
    result: Forecast | None  # None without a deadline
    snapshots: int
    pass_dates: dict[str, date | None]  # predicate -> first date every gate passes
    still_failing: dict[str, list[str]]  # predicate -> gates failing even with every task done
    open_tasks: list[TaskView]
    overdue: list[OverdueTask]
    gains: dict[int, Fraction]  # task id -> points it adds on its own

    @property
    def enough_history(self) -> bool:
        return self.result is not None and self.result.enough_history


def forecast_view(ctx: AssessmentContext) -> ForecastView:
    """The dashboard's forecast, from the context's snapshots, answers and open tasks (read
    in the dashboard's own transaction)."""
    catalog, today = ctx.catalog, ctx.today
    answers = ctx.answer_set("self")
    card = ctx.card("self")
    pending = tasks_mod.open_tasks(ctx)
    gains = {t.id: _gain(catalog, answers, card, t) for t in pending}
    pass_dates, still = _pass_dates(ctx, answers, card, pending)
    lines = predicate_lines(catalog)
    first = catalog.predicates[0].id
    minimum = lines[first].total if first in lines else None
    deadline = ctx.assessment.deadline
    result = None
    if deadline is not None and minimum is not None:
        result = forecast(
            [(_day(s.taken_at), s.total) for s in ctx.snapshots],
            [(t.due_date, gains[t.id]) for t in pending],
            card.total,
            deadline,
            minimum,
            today,
            card.components["total"].weight,
        )
    overdue = [
        OverdueTask(t, gains[t.id], _held_back(catalog, card, t.code))
        for t in pending
        if t.overdue(today)
    ]
    return ForecastView(
        today=today,
        deadline=deadline,
        current=card.total,
        minimum=minimum,
        result=result,
        snapshots=len(ctx.snapshots),
        pass_dates=pass_dates,
        still_failing=still,
        open_tasks=pending,
        overdue=overdue,
        gains=gains,
    )


def _day(moment) -> date:
    return moment.date() if hasattr(moment, "date") else moment


def _gain(catalog: Catalog, answers: AnswerSet, card: ScoreCard, task: TaskView) -> Fraction:
    """Points the total gains if this task alone is done (0 when its target is no higher)."""
    value = tasks_mod.target_value(catalog, task.code, task.target)
    if value <= answers.values.get(task.code, ZERO):
        return ZERO
    return score(catalog, {**answers.values, task.code: value}).total - card.total


def _pass_dates(
    ctx: AssessmentContext, answers: AnswerSet, card: ScoreCard, pending: list[TaskView]
) -> tuple[dict[str, date | None], dict[str, list[str]]]:
    """Apply the open tasks day by day (an overdue one today) and score exactly after each
    day: the first day every applicable gate of each predicate passes."""
    catalog, today = ctx.catalog, ctx.today
    dates: dict[str, date | None] = {
        p.id: (today if card.verdicts[p.id].passed else None) for p in catalog.predicates
    }
    values = dict(answers.values)
    last = card
    for day in sorted({max(x.due_date, today) for x in pending}):
        for task in pending:
            if max(task.due_date, today) == day:
                value = tasks_mod.target_value(catalog, task.code, task.target)
                values[task.code] = max(value, values.get(task.code, ZERO))
        last = score(catalog, values)
        for pid, when in dates.items():
            if when is None and last.verdicts[pid].passed:
                dates[pid] = day
    still = {p: [g.id for g in last.verdicts[p].failing] for p in dates}
    return dates, still


def _held_back(catalog: Catalog, card: ScoreCard, code: str) -> tuple[tuple[str, str], ...]:
    """Failing applicable gates whose sum includes this question."""
    layout = layout_of(catalog)
    out = []
    for pred in catalog.predicates:
        for scope, gate in zip(layout.gates[pred.id], card.verdicts[pred.id].gates, strict=True):
            if gate.applies and not gate.passed and code in scope.items:
                out.append((pred.id, gate.id))
    return tuple(out)


# --- the report's chapter --------------------------------------------------------------------


def report_chapter(ctx: AssessmentContext, target: str | None = None) -> PlanChapter:
    """ "Rencana tindak lanjut": the plan for ``target`` (by default the catalog's lower
    predicate) and every task with owner and date."""
    target = target or ctx.catalog.lower_predicate
    result = plan_from_context(ctx, target)
    items = ctx.catalog.items
    return PlanChapter(
        target=target,
        feasible=result.feasible,
        already=result.before.passed,
        effort=result.effort,
        before_total=result.before.total,
        after_total=result.after.total,
        steps=[
            PlanStepRef(s.code, items[s.code].text, s.from_answer, s.to_answer, s.gain, s.effort)
            for s in result.steps
        ],
        blockers=list(result.blockers),
        tasks=[
            TaskRef(
                id=x.id,
                code=x.code,
                text=items[x.code].text if x.code in items else x.code,
                target=x.target,
                owner=x.owner_name,
                due_date=x.due_date,
                status=x.status,
                reason=x.reason,
                closed_at=_day(x.closed_at) if x.closed_at else None,
                overdue=x.overdue(ctx.today),
            )
            for x in tasks_mod.ordered(tasks_mod.tasks_of(ctx), ctx.today)
        ],
    )
