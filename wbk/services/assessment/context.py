"""One assessment's context, read in one transaction: the assessment, its unit chain, the
actor's abilities, both answer tiers, evidence, notes and snapshots. Every screen and
document (dashboard, LKE page, Word report, PortalRB answers) is derived from it, so nothing
on one screen comes from a different moment than the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.catalog import Catalog
from wbk.errors import NotFound
from wbk.scoring import AnswerRow, AnswerSet, ScoreCard, parse_answers, score
from wbk.scoring.thresholds import PredicateLines, index_for_points, predicate_lines
from wbk.scoring.tiers import base_code, fallback_questions, tpi_effective
from wbk.services.core import abilities as abilities_mod
from wbk.services.core.abilities import Abilities
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, ancestors, require
from wbk.services.plan.task_data import TaskData, read_plan
from wbk.services.surveys.origins import ProvenanceView, read_origins
from wbk.services.views import (
    AnswerView,
    AssessmentView,
    EvidenceView,
    NoteView,
    Warning,
    answer_view,
    evidence_view,
    note_view,
    warning_detail,
)
from wbk.services.yearly.previous import PreviousYear, read_previous_year
from wbk.store.tables import (
    Answer,
    Assessment,
    Evidence,
    EvidenceLink,
    EvidenceRevision,
    ReviewNote,
    RoleGrant,
    ScoreSnapshot,
    Unit,
    UserAccount,
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A saved score of one tier at a moment (the dashboard's trend)."""

    taken_at: object  # datetime
    tier: str
    total: float
    pengungkit: float
    hasil: float
    wbk_passed: bool


@dataclass(frozen=True, slots=True)
class Completeness:
    """Per area: questions, how many are answered, how many have evidence."""

    area: str
    questions: int
    answered: int
    with_evidence: int

    @property
    def ratio(self) -> float:
        return self.with_evidence / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class AssessmentContext:
    """Everything about one assessment that one actor may read, at one moment."""

    assessment: AssessmentView
    chain: tuple[int, ...]
    catalog: Catalog
    abilities: Abilities
    answers: dict[str, dict[str, AnswerView]]  # tier -> code -> stored row
    documents: list[EvidenceView]  # in use (not retired), with their date warnings
    notes: list[NoteView]
    snapshots: list[Snapshot]  # self tier, oldest first
    head_name: str | None
    coordinator_name: str | None
    today: date
    # what the features read in the same transaction
    previous_year: PreviousYear | None = None  # the unit's assessment of an earlier year
    plan: TaskData = field(default_factory=TaskData)  # tasks, effort overrides, possible owners
    survey_origins: dict[str, ProvenanceView] = field(default_factory=dict)  # H.I.a, H.II.a
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # --- answers and scores -------------------------------------------------------------

    def rows(self, tier: str) -> dict[str, AnswerView]:
        """Answered rows of one stored tier (a cleared answer is not an answer)."""
        return {c: a for c, a in self.answers.get(tier, {}).items() if a.value is not None}

    def effective_rows(self, tier: str) -> dict[str, AnswerView]:
        """The rows a tier is scored from. For ``tpi`` that is the TPI's answer where the TPI
        scored and the unit's elsewhere (empty while the TPI has scored nothing)."""
        if tier != "tpi":
            return self.rows(tier)
        return tpi_effective(self.rows("self"), self.rows("tpi")) or {}

    def answer_set(self, tier: str = "self") -> AnswerSet:
        key = ("set", tier)
        if key not in self._cache:
            rows = self.effective_rows(tier)
            self._cache[key] = parse_answers(
                self.catalog, [AnswerRow(c, a.value or "") for c, a in rows.items()]
            )
        return self._cache[key]

    def card(self, tier: str = "self") -> ScoreCard:
        key = ("card", tier)
        if key not in self._cache:
            self._cache[key] = score(self.catalog, self.answer_set(tier).values)
        return self._cache[key]

    @property
    def tpi_scored(self) -> bool:
        return bool(self.rows("tpi"))

    @property
    def tpi_card(self) -> ScoreCard | None:
        """The TPI score (over a copy of the unit's answers), None while it has scored nothing."""
        return self.card("tpi") if self.tpi_scored else None

    @cached_property
    def tpi_fallback(self) -> set[str]:
        """Questions whose TPI score is still the unit's own answer."""
        if not self.tpi_scored:
            return set()
        return fallback_questions(self.rows("self"), self.rows("tpi"))

    @cached_property
    def lines(self) -> dict[str, PredicateLines]:
        """The minima each predicate draws (75/85, 60 %/75 %, result items), from the catalog."""
        return predicate_lines(self.catalog)

    def index_minimum(self, item_code: str, predicate: str) -> Fraction | None:
        """The survey index a result item needs for a predicate (IPAK 3.60 for WBK)."""
        key = self.catalog.items[item_code]
        lines = self.lines.get(predicate)
        result_key = next(
            i.key for g in self.catalog.hasil.groups for i in g.items if i.code == key.code
        )
        if lines is None or result_key not in lines.items:
            return None
        return index_for_points(self.catalog, item_code, lines.items[result_key])

    # --- evidence and notes -------------------------------------------------------------

    @cached_property
    def covered(self) -> set[str]:
        """Question codes with at least one document in use."""
        return {c for d in self.documents for c in d.codes}

    def documents_for(self, code: str) -> list[EvidenceView]:
        return [d for d in self.documents if code in d.codes]

    def notes_for(self, code: str) -> list[NoteView]:
        return [n for n in self.notes if n.code == code]

    @property
    def open_notes(self) -> list[NoteView]:
        return [n for n in self.notes if n.status != "closed"]

    @cached_property
    def answered_questions(self) -> set[str]:
        """Questions the unit has answered (by value or by all their counts)."""
        s = self.answer_set("self")
        return set(s.values) | set(s.counts)

    @cached_property
    def warnings(self) -> list[Warning]:
        """Documents dated outside the year or past their validity (carried ones: to renew, or
        without a date), and answered questions without evidence."""
        out: list[Warning] = []
        for ev in self.documents:
            for kind in ev.warnings:
                for code in ev.codes or [None]:
                    out.append(Warning(kind, code, ev.id, warning_detail(ev, kind)))
        answered = sorted({base_code(c) for c in self.rows("self")})
        out += [Warning("no_evidence", c, None, "") for c in answered if c not in self.covered]
        return out

    @cached_property
    def completeness(self) -> list[Completeness]:
        out = []
        for area in self.catalog.area_codes:
            codes = [c for c, i in self.catalog.items.items() if i.area == area]
            out.append(
                Completeness(
                    area,
                    len(codes),
                    sum(1 for c in codes if c in self.answered_questions),
                    sum(1 for c in codes if c in self.covered),
                )
            )
        return out

    @property
    def days_left(self) -> int | None:
        deadline = self.assessment.deadline
        return (deadline - self.today).days if deadline else None


def load_context(
    ws: Workspace, actor: Actor, assessment_id: int, today: date | None = None
) -> AssessmentContext:
    """Read one assessment's whole context in one read transaction (one snapshot)."""
    today = today or date.today()
    with ws.db.read() as s:
        return read_context(ws, s, actor, assessment_id, today)


def read_context(
    ws: Workspace, s: Session, actor: Actor, assessment_id: int, today: date
) -> AssessmentContext:
    """``load_context`` inside a transaction the caller holds."""
    a = s.get(Assessment, assessment_id)
    if a is None:
        raise NotFound("notfound.assessment", id=assessment_id)
    units = _unit_chain_rows(s, a.unit_id)
    chain = [u.id for u in units]
    require(actor, "read", chain)
    unit, parent = units[0], units[1] if len(units) > 1 else None
    view = AssessmentView(
        a.id,
        unit.code,
        unit.name,
        a.year,
        a.catalog_id,
        a.status,
        a.deadline,
        unit_id=unit.id,
        parent_name=parent.name if parent else None,
    )
    catalog = ws.catalog(a.catalog_id)

    answers: dict[str, dict[str, AnswerView]] = {}
    for row in s.execute(select(Answer).where(Answer.assessment_id == a.id)).scalars():
        answers.setdefault(row.tier, {})[row.code] = answer_view(row)

    docs = list(
        s.execute(
            select(Evidence)
            .where(Evidence.assessment_id == a.id, Evidence.retired_at.is_(None))
            .order_by(Evidence.id)
        ).scalars()
    )
    ids = [d.id for d in docs]
    codes: dict[int, list[str]] = {}
    revisions: dict[int, list[EvidenceRevision]] = {}
    if ids:
        for eid, code in s.execute(
            select(EvidenceLink.evidence_id, EvidenceLink.code)
            .where(EvidenceLink.evidence_id.in_(ids))
            .order_by(EvidenceLink.code)
        ):
            codes.setdefault(eid, []).append(code)
        for rev in s.execute(
            select(EvidenceRevision)
            .where(EvidenceRevision.evidence_id.in_(ids))
            .order_by(EvidenceRevision.revision)
        ).scalars():
            revisions.setdefault(rev.evidence_id, []).append(rev)
    documents = [
        evidence_view(ev, codes.get(ev.id, []), revisions.get(ev.id, []), a.year, today)
        for ev in docs
    ]

    notes = [
        note_view(n, owner)
        for n, owner in s.execute(
            select(ReviewNote, UserAccount.username)
            .outerjoin(UserAccount, UserAccount.id == ReviewNote.owner_id)
            .where(ReviewNote.assessment_id == a.id)
            .order_by(ReviewNote.id)
        )
    ]
    snapshots = [
        Snapshot(r.taken_at, r.tier, r.total, r.pengungkit, r.hasil, r.wbk_passed)
        for r in s.execute(
            select(ScoreSnapshot)
            .where(ScoreSnapshot.assessment_id == a.id, ScoreSnapshot.tier == "self")
            .order_by(ScoreSnapshot.taken_at)
        ).scalars()
    ]
    signers: dict[str, str] = {}
    for role, name in s.execute(
        select(RoleGrant.role, UserAccount.display_name)
        .join(UserAccount, UserAccount.id == RoleGrant.user_id)
        .where(
            RoleGrant.unit_id == unit.id,
            RoleGrant.role.in_(("pimpinan", "koordinator")),
            UserAccount.active.is_(True),
        )
        .order_by(UserAccount.id)
    ):
        signers.setdefault(role, name)
    return AssessmentContext(
        assessment=view,
        chain=tuple(chain),
        catalog=catalog,
        abilities=abilities_mod.decide(actor, chain, a.status, catalog),
        answers=answers,
        documents=documents,
        notes=notes,
        snapshots=snapshots,
        head_name=signers.get("pimpinan"),
        coordinator_name=signers.get("koordinator"),
        today=today,
        previous_year=read_previous_year(s, a),
        plan=read_plan(s, a, actor, tuple(chain), catalog),
        survey_origins=read_origins(s, a),
    )


def _unit_chain_rows(s: Session, unit_id: int) -> list[Unit]:
    """The unit and its ancestors as rows, nearest first, in one statement."""
    tree = ancestors(unit_id)
    rows = s.execute(select(Unit, tree.c.depth).join(tree, tree.c.id == Unit.id)).all()
    depth: dict[int, int] = {}
    units: dict[int, Unit] = {}
    for unit, d in rows:
        if unit.id not in depth or d < depth[unit.id]:
            depth[unit.id], units[unit.id] = d, unit
    return sorted(units.values(), key=lambda u: depth[u.id])
