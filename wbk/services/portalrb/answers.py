"""What PortalRB reads from wbk: the proposed units of a token's tree and a proposed unit's
answers by soal_id (from one assessment context, with the signed link to each question's
evidence: ``links``, served by ``evidence``); and PortalRB's answer format read back into a
workspace, and the workbook's Jawaban sheet."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wbk.catalog import Catalog
from wbk.catalog.contract import portalrb_kategori
from wbk.errors import InvalidInput, NotFound, PermissionDenied
from wbk.portalrb import (
    PortalRBExport,
    RatioOnly,
    SoalEntry,
    from_portalrb_answers,
    to_portalrb_answers,
)
from wbk.scoring import parse_answers
from wbk.services.assessment.answer_import import (
    KEEP,
    AnswerWrite,
    ImportPlan,
    apply_writes,
    plan_writes,
    tier_rows,
)
from wbk.services.assessment.assessments import canonical_answer
from wbk.services.assessment.context import AssessmentContext, read_context
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import (
    Workspace,
    get_assessment,
    require,
    unit_chain,
    unit_parents,
    writable_assessment,
)
from wbk.services.portalrb.links import links
from wbk.services.portalrb.tokens import Principal
from wbk.settings import Settings, api_url
from wbk.store.tables import Unit
from wbk.store.tables.portalrb import Proposal

MAX_BODY_BYTES = 10 * 1024 * 1024  # a full body is ~30 KB; the answers CSV has the same limit


# --- the proposal lists ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitEntry:
    id: str
    nama: str
    kategori: str
    afirmasi: bool


@dataclass(frozen=True, slots=True)
class UnitList:
    tahun: int
    units: list[UnitEntry]


def _in_tree(s: Session, principal: Principal) -> Callable[[int], bool]:
    parents = unit_parents(s)
    return lambda unit_id: principal.actor.can("read", unit_chain(s, unit_id, parents))


def unit_list(
    ws: Workspace,
    principal: Principal,
    predicate: str,
    year: int | None = None,
    today: date | None = None,
) -> UnitList:
    """The units of the token's tree proposed for ``predicate`` in ``year`` (default: the
    latest year with a proposal in the tree, else this year), by unit code."""
    with ws.db.read() as s:
        reach = _in_tree(s, principal)
        rows = [
            (p, u)
            for p, u in s.execute(select(Proposal, Unit).join(Unit, Unit.id == Proposal.unit_id))
            if reach(u.id)
        ]
    if year is None:
        year = max((p.year for p, _ in rows), default=(today or date.today()).year)
    units = [
        UnitEntry(u.code, u.name, portalrb_kategori(p.predicate, p.afirmasi), p.afirmasi)
        for p, u in sorted(rows, key=lambda r: r[1].code)
        if p.year == year and p.predicate == predicate
    ]
    return UnitList(year, units)


# --- one unit's answers ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitAnswers:
    unit_id: str
    nama_unit: str
    tahun: int
    answers: list[SoalEntry]
    ratio_only: list[RatioOnly]

    def body(self) -> dict[str, Any]:
        """The JSON body of ``/lke/jawaban-unit/{unit_id}``, in the guide's key order (the API
        serves it; ``wbk portalrb preview`` prints it)."""
        return {
            "unit_id": self.unit_id,
            "nama_unit": self.nama_unit,
            "tahun": self.tahun,
            "answers": [e.to_dict() for e in self.answers],
        }

    def fetched(self) -> dict[str, int]:
        """What a fetch of these answers gave PortalRB, for the audit event of the fetch: the
        year, how many soals, how many the unit answered and how many link to evidence."""
        return {
            "tahun": self.tahun,
            "soals": len(self.answers),
            "answered": sum(e.jawaban_unit is not None for e in self.answers),
            "evidence": sum(e.bukti_dukung_unit is not None for e in self.answers),
        }


def jawaban(ctx: AssessmentContext, link: Callable[[str], str | None]) -> PortalRBExport:
    """The PortalRB entries of one assessment context: the unit's answers and penjelasan, the
    TPI's own answers (not the unit's where the TPI has not scored), the TPI's notes per
    question, and ``link(code)`` for each question that has evidence."""
    unit = {c: (a.value, a.narrative) for c, a in ctx.answers.get("self", {}).items()}
    tpi = {c: a.value for c, a in ctx.answers.get("tpi", {}).items()}
    notes: dict[str, list[str]] = {}
    for n in ctx.notes:
        notes.setdefault(n.code, []).append(n.text)
    evidence = {code: link(code) for code in ctx.covered}
    return to_portalrb_answers(ctx.catalog, unit, tpi, notes, evidence)


def unit_answers(
    ws: Workspace,
    reader: Principal | Actor,
    unit_code: str,
    year: int | None,
    cfg: Settings,
    now: datetime | None = None,
) -> UnitAnswers:
    """A proposed unit's answers for PortalRB, from one read of its assessment of ``year``
    (default: the latest year it is proposed in), as the API's token (a Principal) or a user
    previewing them (an Actor) reads them. NotFound for an unknown unit or one without a
    proposal that year; PermissionDenied for a unit outside the token's tree (or the user's
    reach); LinksUnavailable without ``WBK_API_URL`` (the evidence links need it)."""
    now = now or datetime.now(UTC)
    actor = reader.actor if isinstance(reader, Principal) else reader
    with ws.db.read() as s:
        unit = s.execute(select(Unit).where(Unit.code == unit_code)).scalar()
        if unit is None:
            raise NotFound("portalrb_api.not_found.unit", unit=unit_code)
        chain = unit_chain(s, unit.id)
        if not isinstance(reader, Principal):
            require(actor, "read", chain)
        elif not actor.can("read", chain):
            raise PermissionDenied("portalrb_api.forbidden_unit", unit=unit_code)
        query = select(Proposal).where(Proposal.unit_id == unit.id)
        if year is None:
            latest = select(func.max(Proposal.year)).where(Proposal.unit_id == unit.id)
            query = query.where(Proposal.year == latest.scalar_subquery())
        else:
            query = query.where(Proposal.year == year)
        proposal = s.execute(query).scalar()
        if proposal is None:
            if year is None:  # no year asked and none proposed: no year to name
                raise NotFound("portalrb_api.not_found.proposal_any", unit=unit_code)
            raise NotFound("portalrb_api.not_found.proposal", unit=unit_code, year=year)
        ctx = read_context(ws, s, actor, proposal.assessment_id, now.date())
    made = links(ws, cfg, now)
    view = ctx.assessment
    export = jawaban(ctx, lambda code: made.page(view.unit_code, view.year, code))
    return UnitAnswers(view.unit_code, view.unit_name, view.year, export.entries, export.ratio_only)


# --- PortalRB answers in -------------------------------------------------------------------------


def is_portalrb_file(path: Path) -> bool:
    """A PortalRB answers file rather than a CSV: named .json, or starting with ``{``."""
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read_body(path: Path) -> Any:
    """A PortalRB answers body from a file (numbers kept exact, as Decimal)."""
    try:
        size = path.stat().st_size
        if size > MAX_BODY_BYTES:
            raise InvalidInput(
                "portalrb_api.import.too_large",
                file=str(path),
                size=size // (1024 * 1024),
                limit=MAX_BODY_BYTES // (1024 * 1024),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("invalid.file", file=str(path)) from exc
    try:
        return json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise InvalidInput(
            "portalrb_api.import.not_json", file=str(path), detail=str(exc)
        ) from None


def _writes(catalog: Catalog, body: Any) -> list[AnswerWrite]:
    """The answer writes of a body: each ``jawaban_unit`` sets its answer (an absent or empty
    one leaves the stored answer), each question's ``catatan_unit`` its penjelasan (no such
    key: left as stored; only null or empty: cleared); a counted question's stored ratio goes,
    its counts replace it."""
    rows = from_portalrb_answers(catalog, body)
    parse_answers(catalog, [r for r in rows if r.answer])
    counted = {r.code.split("#", 1)[0] for r in rows if "#" in r.code}
    writes: list[AnswerWrite] = []
    for row in rows:
        note = KEEP if row.note is None else (row.note.strip() or None)
        if row.answer:
            value = canonical_answer(catalog, row.code, row.answer)
            writes.append(AnswerWrite(row.code, value, KEEP if "#" in row.code else note))
        else:  # a penjelasan alone: of a counted question, or of one left unanswered
            writes.append(AnswerWrite(row.code, None if row.code in counted else KEEP, note))
    noted = {w.code for w in writes}
    for code in sorted(counted - noted):  # counts replace a stored ratio, never beside it
        writes.append(AnswerWrite(code, None, KEEP))
    return writes


def preview_portalrb_answers(
    ws: Workspace, actor: Actor, assessment_id: int, body: Any
) -> ImportPlan:
    """What ``import_portalrb_answers`` would change, nothing applied (AnswersError for a
    bad entry)."""
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        writes = _writes(ws.catalog(a.catalog_id), body)
        stored = {c: (r.value, r.narrative) for c, r in tier_rows(s, a.id, "self").items()}
        return plan_writes(stored, writes)


def import_portalrb_answers(ws: Workspace, actor: Actor, assessment_id: int, body: Any) -> int:
    """Apply a ``/lke/jawaban-unit`` body to the self tier in one transaction: each
    ``jawaban_unit`` as an answer (count soals as count inputs, so the catalog's formula makes
    the percentage), each ``catatan_unit`` as its question's penjelasan (see ``_writes``). Any
    bad entry raises AnswersError naming its soal and nothing is written. Returns the rows
    really changed (a value or a penjelasan now different)."""
    with ws.db.write() as s:
        a = writable_assessment(s, actor, assessment_id, "answer.self")
        catalog = ws.catalog(a.catalog_id)
        return apply_writes(s, actor, a, "self", catalog, _writes(catalog, body))


# --- the workbook's Jawaban sheet ----------------------------------------------------------------


def jawaban_for_workbook(
    ws: Workspace, ctx: AssessmentContext, cfg: Settings | None = None
) -> list[dict[str, Any]]:
    """The Jawaban sheet's rows: the same entries PortalRB fetches. The evidence column holds
    the signed link when ``WBK_API_URL`` is set, else the documents' titles and hashes."""
    cfg = cfg or ws.settings
    if api_url(cfg):
        made = links(ws, cfg, datetime.now(UTC))
        view = ctx.assessment

        def link(code: str) -> str | None:
            return made.page(view.unit_code, view.year, code)
    else:

        def link(code: str) -> str | None:
            docs = ctx.documents_for(code)
            return "; ".join(
                d.title + (f" [{d.latest.sha256[:12]}]" if d.latest else "") for d in docs
            )

    return jawaban(ctx, link).answers
