"""Proposals to PortalRB: which unit is proposed for WBK or WBBM in which evaluation year, set
by a koordinator of a unit above it (or an admin), audited, and shown with the readiness
checks that matter to PortalRB (every soal answered, percentages as counts, evidence on every
answered question, the assessment locked)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.catalog.contract import PORTALRB_PREDICATES, afirmasi_allowed, portalrb_kategori
from wbk.errors import InvalidInput, NotFound, WbkError
from wbk.services.assessment.context import read_context
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, require, unit_chain, unit_parents
from wbk.services.people.people import unit_by_code
from wbk.services.portalrb import requirements
from wbk.services.portalrb.readiness import Readiness, readiness
from wbk.services.portalrb.requirements import ProposalCheck
from wbk.store.tables import Assessment, Unit
from wbk.store.tables.portalrb import Proposal

PREDICATES = PORTALRB_PREDICATES  # PortalRB's predicate ids, lowest first


class ProposalError(WbkError):
    """A proposal that cannot be made: no assessment that year, afirmasi for WBBM..."""

    key = "portalrb_api.proposal.invalid"


class ReasonNeeded(ProposalError):
    """A unit that is not ready is proposed only with a reason; ``check`` says why not."""

    key = "syarat.check.reason_needed"

    def __init__(self, check: ProposalCheck) -> None:
        reasons = check.blocking()
        super().__init__(None, unit=check.unit, count=len(reasons), first=reasons[0])
        self.check = check


@dataclass(frozen=True, slots=True)
class ProposalView:
    unit_code: str
    unit_name: str
    year: int
    predicate: str  # one of PREDICATES
    afirmasi: bool
    assessment_id: int
    status: str  # the assessment's status
    reason: str | None
    set_by: str
    set_at: datetime
    readiness: Readiness | None = field(default=None, compare=False)
    check: ProposalCheck | None = field(default=None, compare=False)  # set when proposing

    @property
    def kategori(self) -> str:
        """PortalRB's category: ``WBK``, ``WBK-AFIRMASI`` or ``WBBM``."""
        return portalrb_kategori(self.predicate, self.afirmasi)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "unit": self.unit_code,
            "nama": self.unit_name,
            "tahun": self.year,
            "predikat": self.predicate,
            "kategori": self.kategori,
            "afirmasi": self.afirmasi,
            "assessment": self.assessment_id,
            "status": self.status,
            "alasan": self.reason,
            "set_by": self.set_by,
            "set_at": self.set_at.isoformat(timespec="seconds"),
        }
        if self.readiness is not None:
            out["readiness"] = self.readiness.to_dict()
        return out


def _now() -> datetime:
    return datetime.now(UTC)


def check_readiness(
    ws: Workspace, actor: Actor, unit_code: str, year: int, today: date | None = None
) -> Readiness:
    """The readiness of a unit's assessment of ``year`` (whether proposed or not)."""
    today = today or date.today()
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        a = _assessment(s, unit, year)
        return readiness(read_context(ws, s, actor, a.id, today))


# --- writing ---------------------------------------------------------------------------------


def _assessment(s: Session, unit: Unit, year: int) -> Assessment:
    a = s.execute(
        select(Assessment).where(Assessment.unit_id == unit.id, Assessment.year == year)
    ).scalar()
    if a is None:
        raise ProposalError("portalrb_api.proposal.no_assessment", unit=unit.code, year=year)
    return a


def _require_above(s: Session, actor: Actor, unit: Unit) -> None:
    """A unit is proposed from above: a koordinator of a unit over it, or an admin."""
    require(actor, "proposal.write", unit_chain(s, unit.id)[1:])


def _state(row: Proposal, unit: Unit) -> dict[str, Any]:
    return {
        "unit": unit.code,
        "unit_id": unit.id,
        "year": row.year,
        "predicate": row.predicate,
        "afirmasi": row.afirmasi,
        "assessment_id": row.assessment_id,
        "reason": row.reason,
    }


def set_proposal(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    year: int,
    predicate: str,
    afirmasi: bool = False,
    reason: str | None = None,
    today: date | None = None,
) -> ProposalView:
    """Propose ``unit_code`` for ``predicate`` in the evaluation ``year`` (or change its
    proposal); returns it with its readiness checks. The unit needs an assessment of that year."""
    predicate = (predicate or "").strip().upper()
    if predicate not in PREDICATES:
        raise InvalidInput(
            "portalrb_api.proposal.bad_predicate",
            predicate=predicate,
            allowed=", ".join(PREDICATES),
        )
    if afirmasi and not afirmasi_allowed(predicate):
        raise ProposalError("portalrb_api.proposal.afirmasi_wbk_only", predicate=predicate)
    if not 2000 <= year <= 2100:
        raise InvalidInput("invalid.year", year=year)
    reason = (reason or "").strip() or None
    with ws.db.write() as s:
        unit = unit_by_code(s, unit_code)
        _require_above(s, actor, unit)
        a = _assessment(s, unit, year)
        row = s.execute(
            select(Proposal).where(Proposal.unit_id == unit.id, Proposal.year == year)
        ).scalar()
        before = None
        if row is None:
            row = Proposal(unit_id=unit.id, year=year)
            s.add(row)
        else:
            before = _state(row, unit)
        row.predicate, row.afirmasi, row.assessment_id, row.reason = (
            predicate,
            afirmasi,
            a.id,
            reason,
        )
        row.set_by, row.set_at = actor.name, _now()
        s.flush()
        after = _state(row, unit)
        if after != before:
            audit.record(s, actor, "proposal.set", "proposal", row.id, before, after)
        view = _view(row, unit, a)
        ready = readiness(read_context(ws, s, actor, a.id, today or date.today()))
        verdict = requirements.check_in(ws, s, actor, unit, year, predicate, today, ready)
        if not verdict.ready and reason is None:  # rolled back: nothing is proposed
            raise ReasonNeeded(verdict)
    return replace(view, readiness=ready, check=verdict)


def remove_proposal(ws: Workspace, actor: Actor, unit_code: str, year: int) -> ProposalView:
    """Withdraw a unit's proposal of ``year``: PortalRB no longer sees it in the lists and
    its answers are no longer served."""
    with ws.db.write() as s:
        unit = unit_by_code(s, unit_code)
        _require_above(s, actor, unit)
        row = s.execute(
            select(Proposal).where(Proposal.unit_id == unit.id, Proposal.year == year)
        ).scalar()
        if row is None:
            raise NotFound("portalrb_api.proposal.none", unit=unit.code, year=year)
        view = _view(row, unit, s.get(Assessment, row.assessment_id))
        before = _state(row, unit)
        s.delete(row)
        audit.record(
            s,
            actor,
            "proposal.remove",
            "proposal",
            row.id,
            before,
            {"unit": unit.code, "unit_id": unit.id, "year": year, "proposed": False},
        )
    return view


# --- reading ---------------------------------------------------------------------------------


def _view(row: Proposal, unit: Unit, a: Assessment) -> ProposalView:
    return ProposalView(
        unit.code,
        unit.name,
        row.year,
        row.predicate,
        row.afirmasi,
        row.assessment_id,
        a.status,
        row.reason,
        row.set_by,
        row.set_at,
    )


def _with(view: ProposalView, ready: Readiness | None) -> ProposalView:
    return replace(view, readiness=ready)


def list_proposals(
    ws: Workspace,
    actor: Actor,
    year: int | None = None,
    with_readiness: bool = True,
    today: date | None = None,
) -> list[ProposalView]:
    """The proposals the actor may read (newest year first, then WBBM before WBK, then unit
    code), each with its readiness, all read in one transaction."""
    today = today or date.today()
    with ws.db.read() as s:
        query = select(Proposal, Unit, Assessment).join(Unit, Unit.id == Proposal.unit_id)
        query = query.join(Assessment, Assessment.id == Proposal.assessment_id)
        if year is not None:
            query = query.where(Proposal.year == year)
        parents = unit_parents(s)
        out = []
        for row, unit, a in s.execute(query).all():
            if not actor.can("read", unit_chain(s, unit.id, parents)):
                continue
            ready = readiness(read_context(ws, s, actor, a.id, today)) if with_readiness else None
            out.append(_with(_view(row, unit, a), ready))
    out.sort(key=lambda p: (-p.year, p.predicate != PREDICATES[-1], p.unit_code))
    return out


def may_propose(actor: Actor) -> bool:
    """Whether the Admin page offers proposals at all: an admin, or a koordinator anywhere
    (whether a given unit is in reach is decided when proposing it)."""
    return actor.can_somewhere("proposal.write")


def proposable_units(ws: Workspace, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the units the actor may propose: those below a unit they coordinate
    (every unit for an admin)."""
    with ws.db.read() as s:
        parents = unit_parents(s)
        units = s.execute(select(Unit).order_by(Unit.code)).scalars().all()
        return [
            (u.code, u.name)
            for u in units
            if actor.can("proposal.write", unit_chain(s, u.id, parents)[1:])
        ]
