"""PermenPANRB 5/2024's requirements for a proposal (Tabel 5), recorded per unit and evaluation
year, and the check before a unit is proposed: every requirement met (or the unit exempt as a
regional Stranas PK unit) and the LKE ready for PortalRB.

An agency-level value recorded on a unit holds for every unit below it: the nearest unit up
the tree that has one wins, and the check names where it came from. Unit-level values are the
unit's own. Every value is audited with who and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.catalog.requirements import RequirementSet, requirement_set
from wbk.errors import InvalidInput, NotFound
from wbk.i18n import current_language, fmt_short, t
from wbk.services.assessment.context import read_context
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, require, unit_chain, unit_parents
from wbk.services.people.people import unit_by_code
from wbk.services.portalrb.readiness import Readiness, readiness
from wbk.store.tables import Assessment, Evidence, Unit
from wbk.store.tables.portalrb import Proposal, ProposalRequirement


@dataclass(frozen=True, slots=True)
class RequirementStatus:
    """One requirement for one unit: what the predicate needs, what is recorded (and on which
    unit), and whether it is met (None: not recorded)."""

    key: str
    level: str  # instansi | unit
    label: str
    required: str | None
    value: str | None
    set_on: str | None  # the code of the unit the value was recorded on
    met: bool | None
    evidence_id: int | None = None
    note: str | None = None
    set_by: str | None = None
    set_at: datetime | None = None
    unit_of_value: str = ""  # "%" for a percentage

    @property
    def shown(self) -> str | None:
        """The value as a person reads it (a decimal comma in Indonesian, with its unit)."""
        if self.value is None:
            return None
        if self.unit_of_value == "%":
            return f"{fmt_short(Decimal(self.value))} %"
        return self.value

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "level": self.level,
            "label": self.label,
            "required": self.required,
            "value": self.value,
            "set_on": self.set_on,
            "met": self.met,
            "evidence": self.evidence_id,
            "note": self.note,
            "set_by": self.set_by,
            "set_at": self.set_at.isoformat(timespec="seconds") if self.set_at else None,
        }


@dataclass(frozen=True, slots=True)
class LkeCheck:
    key: str
    label: str
    met: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "met": self.met, "message": self.message}


@dataclass(frozen=True, slots=True)
class ProposalCheck:
    """Whether a unit may be proposed for a predicate in a year, and why not."""

    unit: str
    unit_name: str
    year: int
    predicate: str
    exempt: bool  # a regional Stranas PK unit: unmet requirements are listed, they do not block
    requirements: tuple[RequirementStatus, ...]
    lke: tuple[LkeCheck, ...]
    regulation: str

    @property
    def ready(self) -> bool:
        lke = all(c.met for c in self.lke)
        return lke and (self.exempt or all(r.met is True for r in self.requirements))

    def blocking(self) -> list[str]:
        """What keeps the unit from being ready, one short line each."""
        out = [c.message for c in self.lke if not c.met]
        if not self.exempt:
            out += [_why(r) for r in self.requirements if r.met is not True]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "year": self.year,
            "predicate": self.predicate,
            "ready": self.ready,
            "exempt": self.exempt,
            "regulation": self.regulation,
            "requirements": [r.to_dict() for r in self.requirements],
            "lke": [c.to_dict() for c in self.lke],
        }


def _why(r: RequirementStatus) -> str:
    if r.met is None and r.value is None:
        return t("syarat.req.missing", label=r.label)
    if r.met is None:
        return t("syarat.req.undecided", label=r.label)
    return t("syarat.req.unmet", label=r.label, value=r.shown, required=r.required)


@dataclass(frozen=True, slots=True)
class RequirementSummary:
    """A unit's requirements in one line, for the portfolio: met / all, exempt or not."""

    met: int
    total: int
    exempt: bool

    @property
    def complete(self) -> bool:
        return self.met == self.total

    def label(self, lang: str | None = None) -> str:
        if self.complete:
            return t("syarat.summary.met", lang=lang)
        key = "syarat.summary.exempt" if self.exempt else "syarat.summary.open"
        return t(key, lang=lang, met=self.met, total=self.total)


def _now() -> datetime:
    return datetime.now(UTC)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise InvalidInput("invalid.year", year=year)


# --- recording -------------------------------------------------------------------------------


def set_requirement(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    year: int,
    key: str,
    value: str,
    evidence_id: int | None = None,
    note: str | None = None,
) -> RequirementStatus:
    """Record ``key`` = ``value`` on a unit for the evaluation ``year`` (a koordinator of the
    unit or above, or an admin); refused with the allowed values when it is not one of them."""
    _check_year(year)
    rs = requirement_set(year)
    req = rs.get((key or "").strip())
    if req is None:
        raise InvalidInput("syarat.req.unknown_key", name=key, allowed=", ".join(rs.keys))
    try:
        stored = rs.normalize(req, value)
    except ValueError:
        raise InvalidInput(
            "syarat.req.bad_value",
            label=req.label.get(current_language()),
            value=value,
            allowed=rs.allowed(req),
        ) from None
    note = (note or "").strip() or None
    with ws.db.write() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "proposal.write", unit_chain(s, unit.id))
        if evidence_id is not None:
            _check_evidence(s, actor, evidence_id)
        row = s.execute(
            select(ProposalRequirement).where(
                ProposalRequirement.unit_id == unit.id,
                ProposalRequirement.year == year,
                ProposalRequirement.key == req.key,
            )
        ).scalar_one_or_none()
        before = None if row is None else _state(row, unit)
        if row is None:
            row = ProposalRequirement(unit_id=unit.id, year=year, key=req.key)
            s.add(row)
        row.value, row.evidence_id, row.note = stored, evidence_id, note
        row.set_by, row.set_at = actor.name, _now()
        s.flush()
        after = _state(row, unit)
        if before is None or {**before, "set_at": None} != {**after, "set_at": None}:
            audit.record(
                s, actor, "proposal.requirement", "proposal_requirement", row.id, before, after
            )
        return RequirementStatus(
            req.key,
            req.level,
            req.label.get(current_language()),
            None,
            stored,
            unit.code,
            None,
            evidence_id,
            note,
            row.set_by,
            row.set_at,
        )


def _state(row: ProposalRequirement, unit: Unit) -> dict[str, Any]:
    return {
        "unit": unit.code,
        "year": row.year,
        "key": row.key,
        "value": row.value,
        "evidence": row.evidence_id,
        "note": row.note,
        "set_at": row.set_at.isoformat(timespec="seconds") if row.set_at else None,
    }


def _check_evidence(s: Session, actor: Actor, evidence_id: int) -> None:
    """The document exists and the actor may read it."""
    found = s.execute(
        select(Assessment.unit_id)
        .join(Evidence, Evidence.assessment_id == Assessment.id)
        .where(Evidence.id == evidence_id)
    ).scalar_one_or_none()
    if found is None or not actor.can("read", unit_chain(s, found)):
        raise NotFound("notfound.evidence", id=evidence_id)


def requirement_units(ws: Workspace, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the units the actor may record requirements on: a unit they
    coordinate and the units below it (every unit for an admin)."""
    with ws.db.read() as s:
        parents = unit_parents(s)
        units = s.execute(select(Unit).order_by(Unit.code)).scalars().all()
        return [
            (u.code, u.name)
            for u in units
            if actor.can("proposal.write", unit_chain(s, u.id, parents))
        ]


# --- the check -------------------------------------------------------------------------------


def _values(
    s: Session, year: int, unit_ids: list[int]
) -> dict[int, dict[str, ProposalRequirement]]:
    rows = s.execute(
        select(ProposalRequirement).where(
            ProposalRequirement.year == year, ProposalRequirement.unit_id.in_(unit_ids)
        )
    ).scalars()
    out: dict[int, dict[str, ProposalRequirement]] = {}
    for row in rows:
        out.setdefault(row.unit_id, {})[row.key] = row
    return out


def _resolve(
    rs: RequirementSet, chain: list[int], values: dict[int, dict[str, ProposalRequirement]]
) -> dict[str, tuple[ProposalRequirement, int]]:
    """Each key's recorded row and the unit it was recorded on: agency-level keys from the
    nearest unit up ``chain`` (the unit first), unit-level keys from the unit only."""
    out: dict[str, tuple[ProposalRequirement, int]] = {}
    for req in rs.requirements:
        for uid in chain if req.level == "instansi" else chain[:1]:
            row = values.get(uid, {}).get(req.key)
            if row is not None:
                out[req.key] = (row, uid)
                break
    return out


def _statuses(
    rs: RequirementSet,
    resolved: dict[str, tuple[ProposalRequirement, int]],
    predicate: str,
    year: int,
    codes: dict[int, str],
) -> tuple[tuple[RequirementStatus, ...], bool]:
    """The requirements (the Stranas PK flag aside: it exempts, it is not required) and
    whether the unit is exempt."""
    lang = current_language()
    value = {k: row.value for k, (row, _) in resolved.items()}
    agency_type = value.get(rs.agency_type_key)
    out = []
    for req in rs.requirements:
        if req.key == rs.stranas_pk.key:
            continue
        row, uid = resolved.get(req.key, (None, None))
        need = rs.required(req, predicate, agency_type)
        out.append(
            RequirementStatus(
                req.key,
                req.level,
                req.label.get(lang),
                _required_text(rs, req, need, predicate, year),
                row.value if row else None,
                codes.get(uid) if uid is not None else None,
                rs.met(req, row.value if row else None, predicate, agency_type, year),
                row.evidence_id if row else None,
                row.note if row else None,
                row.set_by if row else None,
                row.set_at if row else None,
                "%" if req.type == "percent" else "",
            )
        )
    return tuple(out), rs.exempt(agency_type, value.get(rs.stranas_pk.key))


def _required_text(rs: RequirementSet, req, need, predicate: str, year: int) -> str | None:
    if not req.minimum:  # a fact: one of its values
        return t("syarat.req.need_one_of", values=rs.allowed(req))
    if need is None:
        return (
            t("syarat.req.need_agency_type") if rs.depends_on_agency_type(req, predicate) else None
        )
    if req.type == "since_year":
        return t("syarat.req.need_since", year=year - int(need))
    if req.type == "yes_no":
        return str(need)
    if req.type == "percent":
        return f"{need} %"
    return t("syarat.req.need_at_least", value=need)


def _lke(
    ws: Workspace,
    s: Session,
    actor: Actor,
    unit: Unit,
    year: int,
    today: date,
    ready: Readiness | None,
) -> tuple[LkeCheck, ...]:
    if ready is None:
        a = s.execute(
            select(Assessment).where(Assessment.unit_id == unit.id, Assessment.year == year)
        ).scalar()
        if a is None:
            message = t("portalrb_api.proposal.no_assessment", unit=unit.code, year=year)
            return (LkeCheck("assessment", t("syarat.lke.assessment"), False, message),)
        ready = readiness(read_context(ws, s, actor, a.id, today))
    return tuple(LkeCheck(c.key, t(f"syarat.lke.{c.key}"), c.ok, c.message()) for c in ready.checks)


def check_in(
    ws: Workspace,
    s: Session,
    actor: Actor,
    unit: Unit,
    year: int,
    predicate: str | None = None,
    today: date | None = None,
    ready: Readiness | None = None,
    lke: bool = True,
) -> ProposalCheck:
    """The check of ``unit`` in an open session (the proposal writes it in its own, with the
    LKE's ``ready`` it has already read)."""
    _check_year(year)
    rs = requirement_set(year)
    chain = unit_chain(s, unit.id)
    require(actor, "read", chain)
    if predicate is None:
        proposed = s.execute(
            select(Proposal.predicate).where(Proposal.unit_id == unit.id, Proposal.year == year)
        ).scalar()
        predicate = proposed or rs.predicates[0]
    predicate = predicate.strip().upper()
    if predicate not in rs.predicates:
        raise InvalidInput(
            "portalrb_api.proposal.bad_predicate",
            predicate=predicate,
            allowed=", ".join(rs.predicates),
        )
    codes = dict(s.execute(select(Unit.id, Unit.code).where(Unit.id.in_(chain))).all())
    resolved = _resolve(rs, chain, _values(s, year, chain))
    statuses, exempt = _statuses(rs, resolved, predicate, year, codes)
    return ProposalCheck(
        unit.code,
        unit.name,
        year,
        predicate,
        exempt,
        statuses,
        _lke(ws, s, actor, unit, year, today or date.today(), ready) if lke else (),
        rs.regulation.get(current_language()),
    )


def check(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    year: int,
    predicate: str | None = None,
    today: date | None = None,
    lke: bool = True,
) -> ProposalCheck:
    """May ``unit_code`` be proposed for ``predicate`` (default: its proposal's, else the
    lowest) in the evaluation ``year``? ``lke`` False: the requirements only (no LKE
    checks: then ``ready`` says nothing)."""
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        return check_in(ws, s, actor, unit, year, predicate, today, lke=lke)


def summaries(
    s: Session,
    year: int,
    chains: dict[int, list[int]],
    predicates: dict[int, str],
) -> dict[int, RequirementSummary]:
    """Each unit's requirements in one line (``chains``: unit id -> its chain, nearest first;
    ``predicates``: the unit's proposal predicate, else the lowest), read in one query per
    thousand units; no text is made (a portfolio has thousands of units)."""
    rs = requirement_set(year)
    ids = sorted({uid for chain in chains.values() for uid in chain})
    values: dict[int, dict[str, ProposalRequirement]] = {}
    for start in range(0, len(ids), 1000):
        values.update(_values(s, year, ids[start : start + 1000]))
    counted = [r for r in rs.requirements if r.key != rs.stranas_pk.key]
    out = {}
    for unit_id, chain in chains.items():
        predicate = predicates.get(unit_id) or rs.predicates[0]
        value = {k: row.value for k, (row, _) in _resolve(rs, chain, values).items()}
        agency_type = value.get(rs.agency_type_key)
        met = sum(
            1 for r in counted if rs.met(r, value.get(r.key), predicate, agency_type, year) is True
        )
        exempt = rs.exempt(agency_type, value.get(rs.stranas_pk.key))
        out[unit_id] = RequirementSummary(met, len(counted), exempt)
    return out
