"""Plan for a stored assessment: its answers (read with the reader's rights) into the planner."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from wbk.planner import EffortRow, Plan, effort_model, plan
from wbk.services.actor import Actor
from wbk.services.assessments import score_assessment
from wbk.services.workspace import Workspace


def plan_for_assessment(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
    target: str = "WBK",
    efforts: Iterable[EffortRow] | Mapping[str, object] | None = None,
    budget: Fraction | int | str | None = None,
) -> Plan:
    """The cheapest plan to ``target`` (or the best total within ``budget``) for one tier of
    an assessment. ``efforts``: rows of an effort file or ``{code: effort per level}``,
    checked against the assessment's catalog."""
    catalog, _card, answers = score_assessment(ws, actor, assessment_id, tier)
    return plan(catalog, answers, target, effort_model(catalog, efforts), budget)
