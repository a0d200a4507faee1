"""Readiness views for leadership: the dashboard and score snapshots, derived from one context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from wbk.catalog import Catalog
from wbk.scoring import ScoreCard
from wbk.services.assessment.context import (
    AssessmentContext,
    Completeness,
    Snapshot,
    load_context,
    read_context,
)
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.services.views import AssessmentView, Warning
from wbk.store.tables import ScoreSnapshot


@dataclass(frozen=True, slots=True)
class Gap:
    code: str
    text: str
    area: str | None
    recoverable: float
    answered: bool


@dataclass
class Dashboard:
    assessment: AssessmentView
    catalog: Catalog
    card: ScoreCard
    tpi_card: ScoreCard | None
    completeness: list[Completeness]
    gaps: list[Gap]
    trend: list[Snapshot]
    days_left: int | None
    open_notes: int
    warnings: list[Warning] = field(default_factory=list)
    context: AssessmentContext | None = None


def build_dashboard(ctx: AssessmentContext) -> Dashboard:
    """Everything the leadership screen shows, from one assessment context."""
    catalog, card = ctx.catalog, ctx.card("self")
    gaps = [
        Gap(
            q.code,
            catalog.items[q.code].text,
            catalog.items[q.code].area,
            float(q.recoverable),
            q.value is not None,
        )
        for q in card.gaps(10)
    ]
    return Dashboard(
        assessment=ctx.assessment,
        catalog=catalog,
        card=card,
        tpi_card=ctx.tpi_card,
        completeness=ctx.completeness,
        gaps=gaps,
        trend=ctx.snapshots,
        days_left=ctx.days_left,
        open_notes=len(ctx.open_notes),
        warnings=ctx.warnings,
        context=ctx,
    )


def dashboard(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    today: date | None = None,
) -> Dashboard:
    """The leadership screen of one assessment, read in one transaction."""
    return build_dashboard(load_context(ws, actor, assessment_id, today))


def take_snapshot(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
    taken_at: datetime | None = None,
) -> Snapshot:
    """Save the score of this moment (``taken_at`` only for imports and demo data); the score
    is read and the snapshot written in the same transaction."""

    with ws.db.write() as s:
        ctx = read_context(ws, s, actor, assessment_id, date.today())
        require(actor, "assessment.lock", list(ctx.chain))
        card = ctx.card(tier)
        when = taken_at or datetime.now(UTC)
        row = ScoreSnapshot(
            assessment_id=assessment_id,
            tier=tier,
            taken_at=when,
            total=float(card.total),
            pengungkit=float(card.components["pengungkit"].score),
            hasil=float(card.components["hasil"].score),
            areas={k: float(v.score) for k, v in card.areas.items()},
            wbk_passed=card.verdicts[ctx.catalog.lower_predicate].passed,
            taken_by=actor.name,
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            actor,
            "snapshot.take",
            "assessment",
            assessment_id,
            None,
            {"tier": tier, "total": row.total, "taken_at": when},
        )
        taken = _snapshot(row)
    ws.witness("snapshot")  # a snapshot is a moment people rely on: witness the chain head
    return taken


def _snapshot(r: ScoreSnapshot) -> Snapshot:
    return Snapshot(r.taken_at, r.tier, r.total, r.pengungkit, r.hasil, r.wbk_passed)


def snapshots(
    ws: Workspace, actor: Actor, assessment_id: int, tier: str = "self"
) -> list[Snapshot]:
    """The saved scores of one tier, oldest first."""
    from sqlalchemy import select

    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        rows = s.execute(
            select(ScoreSnapshot)
            .where(ScoreSnapshot.assessment_id == a.id, ScoreSnapshot.tier == tier)
            .order_by(ScoreSnapshot.taken_at)
        ).scalars()
        return [_snapshot(r) for r in rows]
