"""Readiness views for leadership: score snapshots, the dashboard, and what a user may edit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select

from wbk.catalog import Catalog
from wbk.scoring import ScoreCard
from wbk.services import audit
from wbk.services.actor import Actor
from wbk.services.assessments import AssessmentView, get_assessment_view, score_assessment
from wbk.services.evidence import Warning, evidence_warnings, list_evidence
from wbk.services.notes import NoteView, list_notes
from wbk.services.workspace import Workspace, area_of, get_assessment, require, unit_chain
from wbk.store.tables import ScoreSnapshot


@dataclass(frozen=True, slots=True)
class Snapshot:
    taken_at: datetime
    tier: str
    total: float
    pengungkit: float
    hasil: float
    wbk_passed: bool


@dataclass(frozen=True, slots=True)
class Gap:
    code: str
    text: str
    area: str | None
    recoverable: float
    answered: bool


@dataclass(frozen=True, slots=True)
class Completeness:
    area: str
    questions: int
    answered: int
    with_evidence: int

    @property
    def ratio(self) -> float:
        return self.with_evidence / self.questions if self.questions else 0.0


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


@dataclass(frozen=True, slots=True)
class Abilities:
    """What the acting user may change in one assessment (the pages only draw this)."""

    tier: str | None  # the answer tier this user writes: self, tpi, or None (read-only)
    areas: frozenset[str | None]  # areas whose answers/evidence they may change (None: results)
    write_notes: bool
    respond_notes: bool
    manage: bool  # create assessments, change status, take snapshots
    locked: bool

    def can_edit(self, code: str) -> bool:
        return self.tier is not None and not self.locked and area_of(code) in self.areas


ALL_AREAS = ("MP", "TT", "SDM", "AK", "PW", "PP", None)


def abilities(ws: Workspace, actor: Actor, assessment_id: int) -> Abilities:
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        chain = unit_chain(s, a.unit_id)
    require(actor, "read", chain)
    tier = None
    if actor.can("answer.self", chain):
        tier = "self"
    elif actor.can("answer.tpi", chain):
        tier = "tpi"
    action = "answer.self" if tier == "self" else "answer.tpi"
    areas = frozenset(x for x in ALL_AREAS if tier and actor.can(action, chain, x))
    return Abilities(
        tier=tier,
        areas=areas,
        write_notes=actor.can("note.write", chain),
        respond_notes=actor.can("note.respond", chain),
        manage=actor.can("assessment.lock", chain),
        locked=a.status == "locked",
    )


def take_snapshot(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
    taken_at: datetime | None = None,
) -> Snapshot:
    """Save today's score (``taken_at`` only for imports and demo data)."""
    _, card, _ = score_assessment(ws, actor, assessment_id, tier)
    with ws.db.write() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "assessment.lock", unit_chain(s, a.unit_id))
        when = taken_at or datetime.now(UTC)
        row = ScoreSnapshot(
            assessment_id=a.id,
            tier=tier,
            taken_at=when,
            total=float(card.total),
            pengungkit=float(card.components["pengungkit"].score),
            hasil=float(card.components["hasil"].score),
            areas={k: float(v.score) for k, v in card.areas.items()},
            wbk_passed=card.verdicts["WBK"].passed,
            taken_by=actor.name,
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            actor,
            "snapshot.take",
            "assessment",
            a.id,
            None,
            {"tier": tier, "total": row.total, "taken_at": when},
        )
        return _snap(row)


def _snap(row: ScoreSnapshot) -> Snapshot:
    return Snapshot(row.taken_at, row.tier, row.total, row.pengungkit, row.hasil, row.wbk_passed)


def snapshots(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
) -> list[Snapshot]:
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        rows = s.execute(
            select(ScoreSnapshot)
            .where(
                ScoreSnapshot.assessment_id == a.id,
                ScoreSnapshot.tier == tier,
            )
            .order_by(ScoreSnapshot.taken_at)
        ).scalars()
        return [_snap(r) for r in rows]


def tpi_effective_card(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    catalog: Catalog,
) -> ScoreCard | None:
    """The TPI's score where the TPI has answered, the unit's own answer elsewhere (the TPI
    reviews a copy of the unit's answers); None while the TPI has answered nothing."""
    from wbk.scoring import AnswerRow, parse_answers, score
    from wbk.services.assessments import answers_of

    tpi = {c: a for c, a in answers_of(ws, actor, assessment_id, "tpi").items() if a.value}
    if not tpi:
        return None
    own = answers_of(ws, actor, assessment_id, "self")
    reviewed = {c.split("#", 1)[0] for c in tpi}
    rows = [AnswerRow(c, a.value) for c, a in tpi.items()]
    rows += [
        AnswerRow(c, a.value)
        for c, a in own.items()
        if a.value and c.split("#", 1)[0] not in reviewed
    ]
    return score(catalog, parse_answers(catalog, rows).values)


def dashboard(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    today: date | None = None,
) -> Dashboard:
    """Everything the leadership screen shows, computed by the services."""
    today = today or date.today()
    view = get_assessment_view(ws, actor, assessment_id)
    catalog, card, answers = score_assessment(ws, actor, assessment_id, "self")
    tpi_card = tpi_effective_card(ws, actor, assessment_id, catalog)
    docs = list_evidence(ws, actor, assessment_id, today=today)
    covered = {c for d in docs for c in d.codes}
    completeness = []
    for area in catalog.area_codes:
        codes = [c for c, i in catalog.items.items() if i.area == area]
        answered = [c for c in codes if c in answers.values or c in answers.counts]
        completeness.append(
            Completeness(area, len(codes), len(answered), sum(1 for c in codes if c in covered))
        )
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
    notes: list[NoteView] = list_notes(ws, actor, assessment_id)
    days_left = (view.deadline - today).days if view.deadline else None
    return Dashboard(
        assessment=view,
        catalog=catalog,
        card=card,
        tpi_card=tpi_card,
        completeness=completeness,
        gaps=gaps,
        trend=snapshots(ws, actor, assessment_id),
        days_left=days_left,
        open_notes=sum(1 for n in notes if n.status != "closed"),
        warnings=evidence_warnings(ws, actor, assessment_id, today=today, documents=docs),
    )
