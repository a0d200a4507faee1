"""The dashboard's "next steps": the steps of the plan the Rencana aksi page shows (the
cheapest plan to the first predicate the unit does not hold yet), the ones that gain most
first, each with its question text and the points it adds. Nothing here is a second rule:
the steps are the plan's own."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction

from wbk.planner import Blocker, Plan
from wbk.services.assessment.context import AssessmentContext
from wbk.services.plan import planning
from wbk.services.plan.task_views import open_tasks, team_efforts

_PLANS: OrderedDict[tuple, Plan] = OrderedDict()  # the plan is a pure function of its key
_KEEP = 64


@dataclass(frozen=True, slots=True)
class NextStep:
    code: str
    text: str  # the question in the catalog's language
    text_en: str | None
    from_answer: str | None
    to_answer: str
    gain: Fraction  # points the total gains with this step
    task_owner: str | None  # the owner's name when an open task covers it


@dataclass(frozen=True, slots=True)
class NextSteps:
    target: str  # the predicate the plan reaches (WBK, then WBBM)
    already: bool  # every predicate holds: nothing to do
    steps: list[NextStep]  # the plan's steps that gain most, at most ``limit``
    total_steps: int  # every step of the plan
    before: Fraction
    after: Fraction
    blockers: list[Blocker]  # gates no answer change can pass


def _plan(ctx: AssessmentContext, target: str) -> Plan:
    """The plan the Rencana aksi page draws for ``target``, kept while the answers, the team's
    efforts and the catalog are the same (a dashboard rerun does not solve it again)."""
    rows = ctx.rows("self")
    key = (
        ctx.catalog.id,
        target,
        frozenset((code, a.value) for code, a in rows.items()),
        frozenset(team_efforts(ctx).items()),
    )
    found = _PLANS.get(key)
    if found is None:
        found = planning.plan_from_context(ctx, target)
        _PLANS[key] = found
        while len(_PLANS) > _KEEP:
            _PLANS.popitem(last=False)
    else:
        _PLANS.move_to_end(key)
    return found


def next_steps(ctx: AssessmentContext, limit: int = 3) -> NextSteps:
    """The ``limit`` plan steps that gain most toward the next predicate the unit lacks."""
    target = planning.next_target(ctx)
    plan = _plan(ctx, target)
    already = all(ctx.card("self").verdicts[p.id].passed for p in ctx.catalog.predicates)
    owners = {t.code: t.owner_name for t in open_tasks(ctx)}
    items = ctx.catalog.items
    ranked = sorted(plan.steps, key=lambda s: (-s.gain, s.effort, s.code))[:limit]
    steps = [
        NextStep(
            code=s.code,
            text=items[s.code].text,
            text_en=getattr(items[s.code], "text_en", None),
            from_answer=s.from_answer,
            to_answer=s.to_answer,
            gain=s.gain,
            task_owner=owners.get(s.code),
        )
        for s in ranked
    ]
    return NextSteps(
        target=target,
        already=already,
        steps=steps,
        total_steps=len(plan.steps),
        before=plan.before.total,
        after=plan.after.total,
        blockers=list(plan.blockers),
    )
