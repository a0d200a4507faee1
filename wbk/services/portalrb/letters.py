"""The letters that send a year's ZI proposals (PermenPANRB 5/2024): the head of the agency
proposes every unit below it in one Surat Pengajuan Evaluasi, with the SPTJM. This service
gathers the units proposed below the agency for the year, in one read with its letterhead,
after checking that the actor may send the letter: the right to propose (``proposal.write``)
on the agency itself or a unit above it, as its koordinator or an admin."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from sqlalchemy import select

from wbk.catalog.contract import PORTALRB_PREDICATES, portalrb_kategori
from wbk.errors import InvalidInput, PermissionDenied, WbkError
from wbk.i18n import current_language
from wbk.reports.docx_letters import (  # Signer: what the entry points fill in
    LetterData,
    ProposedUnit,
    Signer,
    build_letter,
    build_sptjm,
    head_title,
)

__all__ = ["Letter", "NothingProposed", "Signer", "build", "letter_data", "letter_senders"]
from wbk.services.assessment.branding import branding_for_chain
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, unit_chain, unit_parents
from wbk.services.people.people import unit_by_code
from wbk.store.tables import Unit
from wbk.store.tables.portalrb import Proposal

KINDS = ("letter", "sptjm")
MAX_FIELD = 200  # characters of one signer field (a name with its degrees, a letter number)
MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class Letter:
    """One letter built: its .docx bytes and what it holds."""

    kind: str  # letter | sptjm
    data: LetterData
    content: bytes

    @property
    def file_name(self) -> str:
        return file_name(self.kind, self.data.agency_code, self.data.year)


class NothingProposed(WbkError):
    """No unit at or below the agency is proposed for the year: there is nothing to send."""

    key = "letters.none"


def deadline(year: int) -> date:
    """The last day to send the year's proposals, unless the TPN announces another."""
    return date(year, 5, 31)


def past_deadline(year: int, today: date | None = None) -> bool:
    return (today or date.today()) > deadline(year)


def may_send(actor: Actor, chain: list[int]) -> bool:
    """Whether the actor may send the letters of the agency whose unit chain is ``chain``:
    the right to propose on it or above it (a koordinator there or higher, or an admin).
    Those roles reach every unit below, so every unit listed is one the actor may read."""
    return actor.can("proposal.write", chain)


def _signer(signer: Signer | None, agency_name: str, lang: str) -> Signer:
    signer = signer or Signer()
    values = {f.name: " ".join((getattr(signer, f.name) or "").split()) for f in fields(signer)}
    for name, value in values.items():
        if len(value) > MAX_FIELD:
            raise InvalidInput("letters.too_long", field=name, limit=MAX_FIELD)
    values["title"] = values["title"] or head_title(agency_name, lang)
    return replace(signer, **values)


def letter_data(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    year: int,
    signer: Signer | None = None,
    lang: str | None = None,
    today: date | None = None,
) -> LetterData:
    """What both letters show: the agency ``unit_code``, every unit proposed for ``year`` at
    or below it (WBBM first, then by code; a withdrawn proposal is gone), its letterhead, and
    who signs (the head's jabatan from the agency's name when none is given)."""
    if not 2000 <= year <= 2100:
        raise InvalidInput("invalid.year", year=year)
    lang = lang or current_language()
    with ws.db.read() as s:
        agency = unit_by_code(s, unit_code)
        parents = unit_parents(s)
        chain = unit_chain(s, agency.id, parents)
        if not may_send(actor, chain):
            raise PermissionDenied("letters.denied", actor=actor.name, unit=agency.code)
        rows = s.execute(
            select(Proposal, Unit)
            .join(Unit, Unit.id == Proposal.unit_id)
            .where(Proposal.year == year)
        ).all()
        units = [
            ProposedUnit(
                unit.code, unit.name, row.predicate, portalrb_kategori(row.predicate, row.afirmasi)
            )
            for row, unit in rows
            if agency.id in unit_chain(s, unit.id, parents)
        ]
        brand = branding_for_chain(s, chain)
        agency_code, agency_name = agency.code, agency.name
    if not units:
        raise NothingProposed(unit=agency_code, year=year)
    units.sort(key=lambda u: (u.predicate != PORTALRB_PREDICATES[-1], u.code))
    return LetterData(
        agency_code=agency_code,
        agency_name=agency_name,
        year=year,
        units=tuple(units),
        issued_on=today or date.today(),
        signer=_signer(signer, agency_name, lang),
        letterhead=(brand.content, brand.letterhead) if brand is not None else None,
    )


def build(
    ws: Workspace,
    actor: Actor,
    kind: str,
    unit_code: str,
    year: int,
    signer: Signer | None = None,
    lang: str | None = None,
    today: date | None = None,
) -> Letter:
    """One letter as .docx: ``letter`` (the Surat Pengajuan Evaluasi) or ``sptjm``."""
    if kind not in KINDS:
        raise InvalidInput("letters.bad_kind", kind=kind, allowed=", ".join(KINDS))
    lang = lang or current_language()
    data = letter_data(ws, actor, unit_code, year, signer, lang, today)
    return Letter(kind, data, (build_letter if kind == "letter" else build_sptjm)(data, lang))


def file_name(kind: str, unit_code: str, year: int) -> str:
    """The name a downloaded letter is saved under."""
    stem = "Surat Pengajuan Evaluasi ZI" if kind == "letter" else "SPTJM ZI"
    return f"{stem} {unit_code} {year}.docx"


def letter_senders(ws: Workspace, actor: Actor, year: int) -> list[tuple[str, str]]:
    """(code, name) of the units whose letters the actor may send for ``year``: those they
    may propose from with at least one unit proposed at or below them, by code."""
    with ws.db.read() as s:
        parents = unit_parents(s)
        proposed = s.execute(select(Proposal.unit_id).where(Proposal.year == year)).scalars()
        reached = {uid for pid in proposed for uid in unit_chain(s, pid, parents)}
        units = s.execute(
            select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(reached)).order_by(Unit.code)
        ).all()
        return [
            (code, name)
            for uid, code, name in units
            if may_send(actor, unit_chain(s, uid, parents))
        ]
