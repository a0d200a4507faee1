"""What PortalRB reads from wbk: the proposed units of a token's tree, a proposed unit's
answers by soal_id (from one assessment context), signed expiring links to each question's
evidence and the files behind them; and PortalRB's answer format read back into a workspace.

Evidence is streamed through the API rather than handed out as presigned S3 URLs: the
signature check and the audit of every fetch happen there, the same link works for a local
blob directory and for S3, and a link must outlive the seven days an S3 presign can last."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wbk.errors import InvalidInput, NotFound, PermissionDenied, WbkError
from wbk.portalrb import (
    PortalRBExport,
    RatioOnly,
    SoalEntry,
    from_portalrb_answers,
    to_portalrb_answers,
)
from wbk.scoring import parse_answers
from wbk.services.assessment.assessments import (
    canonical_answer,
    writable_assessment,
    write_answer_row,
)
from wbk.services.assessment.context import AssessmentContext, read_context
from wbk.services.assessment.evidence_views import evidence_view
from wbk.services.core.actor import Actor
from wbk.services.core.keys import link_secret
from wbk.services.core.workspace import Workspace, area_of, require, unit_chain, unit_parents
from wbk.services.portalrb.tokens import Principal
from wbk.settings import Settings
from wbk.store.tables import Answer, Assessment, Evidence, EvidenceLink, EvidenceRevision, Unit
from wbk.store.tables_portalrb import Proposal

MAX_BODY_BYTES = 10 * 1024 * 1024  # a full body is ~30 KB; the answers CSV has the same limit


class LinkRefused(WbkError):
    """An evidence link whose signature does not match or whose time has passed (HTTP 403)."""

    key = "portalrb_api.link.invalid"


# --- signed evidence links ---------------------------------------------------------------------


def link_signature(secret: bytes, unit: str, year: int, code: str, expires: int) -> str:
    """HMAC-SHA256 over everything the link names, so no part of it can be changed."""
    message = f"bukti-dukung\n{unit}\n{year}\n{code}\n{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def link_expiry(now: datetime, days: int) -> int:
    """The end of the UTC day ``days`` from now, as a Unix time: every link made on one day
    reads the same, so two fetches of an unchanged unit give the same answers."""
    day = (now.astimezone(UTC) + timedelta(days=days)).date() + timedelta(days=1)
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def page_path(unit: str, year: int, code: str) -> str:
    return f"/bukti-dukung/{quote(unit, safe='')}/{year}/{quote(code, safe='')}"


def check_link(
    secret: bytes, unit: str, year: int, code: str, expires: int, signature: str, now: datetime
) -> None:
    """Refuse a link whose signature is not ours for exactly these parts, or that expired."""
    expected = link_signature(secret, unit, year, code, expires)
    given = (signature or "").lower().encode("utf-8")  # bytes: any text compares, unequal
    if not hmac.compare_digest(expected.encode("ascii"), given):
        raise LinkRefused("portalrb_api.link.invalid")
    if now.timestamp() > expires:
        when = datetime.fromtimestamp(expires, UTC).isoformat(timespec="seconds")
        raise LinkRefused("portalrb_api.link.expired", expired=when)


@dataclass(frozen=True, slots=True)
class Links:
    """Makes the signed link of each question's evidence page, all with one expiry."""

    base: str
    secret: bytes
    expires: int

    def query(self, unit: str, year: int, code: str) -> str:
        sig = link_signature(self.secret, unit, year, code, self.expires)
        return f"exp={self.expires}&sig={sig}"

    def page(self, unit: str, year: int, code: str) -> str:
        return f"{self.base}{page_path(unit, year, code)}?{self.query(unit, year, code)}"

    def file(self, unit: str, year: int, code: str, sha256: str) -> str:
        path = f"{page_path(unit, year, code)}/berkas/{sha256}"
        return f"{self.base}{path}?{self.query(unit, year, code)}"


def secret_of(ws: Workspace, cfg: Settings) -> bytes:
    return link_secret(ws.settings.data_dir, cfg.link_secret)


def links(ws: Workspace, cfg: Settings, base_url: str | None, now: datetime) -> Links:
    """Links on ``WBK_PUBLIC_URL`` (else ``base_url``, the address the request came to)."""
    base = (cfg.public_url or base_url or "").rstrip("/")
    return Links(base, secret_of(ws, cfg), link_expiry(now, cfg.link_days))


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
        UnitEntry(u.code, u.name, "WBK-AFIRMASI" if p.afirmasi else p.predicate, p.afirmasi)
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
    principal: Principal,
    unit_code: str,
    year: int | None,
    cfg: Settings,
    base_url: str | None = None,
    now: datetime | None = None,
) -> UnitAnswers:
    """A proposed unit's answers for PortalRB, from one read of its assessment of ``year``
    (default: the latest year it is proposed in). NotFound for an unknown unit or one without
    a proposal that year; PermissionDenied for a unit outside the token's tree."""
    now = now or datetime.now(UTC)
    with ws.db.read() as s:
        unit = s.execute(select(Unit).where(Unit.code == unit_code)).scalar()
        if unit is None:
            raise NotFound("portalrb_api.not_found.unit", unit=unit_code)
        if not principal.actor.can("read", unit_chain(s, unit.id)):
            raise PermissionDenied("portalrb_api.forbidden_unit", unit=unit_code)
        query = select(Proposal).where(Proposal.unit_id == unit.id)
        if year is None:
            latest = select(func.max(Proposal.year)).where(Proposal.unit_id == unit.id)
            query = query.where(Proposal.year == latest.scalar_subquery())
        else:
            query = query.where(Proposal.year == year)
        proposal = s.execute(query).scalar()
        if proposal is None:
            shown = year if year is not None else "-"
            raise NotFound("portalrb_api.not_found.proposal", unit=unit_code, year=shown)
        ctx = read_context(ws, s, principal.actor, proposal.assessment_id, now.date())
    made = links(ws, cfg, base_url, now)
    view = ctx.assessment
    export = jawaban(ctx, lambda code: made.page(view.unit_code, view.year, code))
    return UnitAnswers(view.unit_code, view.unit_name, view.year, export.entries, export.ratio_only)


# --- the evidence page and its files -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """One current document of a question: its latest file (or its address, for a link)."""

    title: str
    kind: str  # file | link
    filename: str | None
    document_date: date | None
    uploaded_at: datetime | None
    sha256: str | None
    size: int | None
    media_type: str | None
    url: str  # the signed download link, or the linked address


@dataclass(frozen=True, slots=True)
class EvidencePage:
    unit_id: str
    nama_unit: str
    tahun: int
    kode: str
    pertanyaan: str
    expires: datetime
    files: list[EvidenceFile]


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes for timezone columns: they were written in UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _documents(
    ws: Workspace, unit_code: str, year: int, code: str
) -> tuple[Unit, Assessment, list[Any]]:
    with ws.db.read() as s:
        unit = s.execute(select(Unit).where(Unit.code == unit_code)).scalar()
        a = None
        if unit is not None:
            a = s.execute(
                select(Assessment).where(Assessment.unit_id == unit.id, Assessment.year == year)
            ).scalar()
        if a is None:
            raise NotFound("portalrb_api.not_found.unit", unit=unit_code)
        docs = list(
            s.execute(
                select(Evidence)
                .join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
                .where(
                    Evidence.assessment_id == a.id,
                    Evidence.retired_at.is_(None),
                    EvidenceLink.code == code,
                )
                .order_by(Evidence.id)
            ).scalars()
        )
        revisions: dict[int, list[EvidenceRevision]] = {}
        if docs:
            for rev in s.execute(
                select(EvidenceRevision)
                .where(EvidenceRevision.evidence_id.in_([d.id for d in docs]))
                .order_by(EvidenceRevision.revision)
            ).scalars():
                revisions.setdefault(rev.evidence_id, []).append(rev)
        views = [evidence_view(d, [code], revisions.get(d.id, [])) for d in docs]
    return unit, a, views


def evidence_page(
    ws: Workspace,
    cfg: Settings,
    unit_code: str,
    year: int,
    code: str,
    expires: int,
    signature: str,
    base_url: str | None = None,
    now: datetime | None = None,
) -> EvidencePage:
    """The current documents of one question, behind a signed link (the signature is the
    permission: PortalRB's reviewer opens it in a browser, without the token)."""
    now = now or datetime.now(UTC)
    secret = secret_of(ws, cfg)
    check_link(secret, unit_code, year, code, expires, signature, now)
    unit, a, views = _documents(ws, unit_code, year, code)
    made = Links((cfg.public_url or base_url or "").rstrip("/"), secret, expires)
    files = []
    for v in views:
        rev = v.latest
        if v.kind == "link" or rev is None:
            if v.url:
                files.append(
                    EvidenceFile(
                        v.title, "link", None, v.document_date, None, None, None, None, v.url
                    )
                )
            continue
        files.append(
            EvidenceFile(
                v.title,
                "file",
                rev.filename,
                v.document_date,
                _aware(rev.uploaded_at),
                rev.sha256,
                rev.size,
                rev.media_type,
                made.file(unit.code, a.year, code, rev.sha256),
            )
        )
    item = ws.catalog(a.catalog_id).items.get(code)
    return EvidencePage(
        unit.code,
        unit.name,
        a.year,
        code,
        item.text if item is not None else code,
        datetime.fromtimestamp(expires, UTC),
        files,
    )


def open_evidence_file(
    ws: Workspace,
    cfg: Settings,
    unit_code: str,
    year: int,
    code: str,
    sha256: str,
    expires: int,
    signature: str,
    now: datetime | None = None,
) -> tuple[EvidenceFile, BinaryIO]:
    """One file listed on a question's evidence page (the latest revision of a current
    document), opened for streaming after the same signature check."""
    now = now or datetime.now(UTC)
    check_link(secret_of(ws, cfg), unit_code, year, code, expires, signature, now)
    _, _, views = _documents(ws, unit_code, year, code)
    for v in views:
        rev = v.latest
        if v.kind == "file" and rev is not None and rev.sha256 == sha256.lower():
            found = EvidenceFile(
                v.title,
                "file",
                rev.filename,
                v.document_date,
                rev.uploaded_at,
                rev.sha256,
                rev.size,
                rev.media_type,
                "",
            )
            return found, ws.blobs.open(rev.sha256)
    raise NotFound("portalrb_api.not_found.file", code=code, sha256=sha256[:64])


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


def import_portalrb_answers(ws: Workspace, actor: Actor, assessment_id: int, body: Any) -> int:
    """Apply a ``/lke/jawaban-unit`` body to the self tier in one transaction: each
    ``jawaban_unit`` as an answer (count soals as count inputs, so the catalog's formula makes
    the percentage), each ``catatan_unit`` as its question's penjelasan. Any bad entry raises
    AnswersError naming its soal and nothing is written. Returns the rows changed."""
    with ws.db.write() as s:
        a = writable_assessment(s, actor, assessment_id, "answer.self")
        catalog = ws.catalog(a.catalog_id)
        rows = from_portalrb_answers(catalog, body)
        parse_answers(catalog, [r for r in rows if r.answer])
        chain = unit_chain(s, a.unit_id)
        stored = {
            r.code: r
            for r in s.execute(
                select(Answer).where(Answer.assessment_id == a.id, Answer.tier == "self")
            ).scalars()
        }
        counted = {r.code.split("#", 1)[0] for r in rows if "#" in r.code}
        writes: list[tuple[str, str | None, str | None]] = []
        for row in rows:
            if row.answer:
                value = canonical_answer(catalog, row.code, row.answer)
                writes.append((row.code, value, None if "#" in row.code else row.note))
            else:  # a penjelasan alone: of a counted question, or of one left unanswered
                current = stored.get(row.code)
                keep = None if row.code in counted or current is None else current.value
                writes.append((row.code, keep, row.note))
        noted = {code for code, _, _ in writes}
        for code in sorted(counted - noted):  # counts replace a stored ratio, never beside it
            current = stored.get(code)
            if current is not None and (current.value is not None or current.narrative):
                writes.append((code, None, None))
        changed = 0
        for code, value, note in writes:
            require(actor, "answer.self", chain, area_of(code))
            before = stored[code].version if code in stored else None
            view = write_answer_row(s, actor, a, "self", code, value, note, None)
            changed += view.version != before
        return changed


# --- the workbook's Jawaban sheet ----------------------------------------------------------------


def jawaban_for_workbook(
    ws: Workspace, ctx: AssessmentContext, cfg: Settings | None = None
) -> list[dict[str, Any]]:
    """The Jawaban sheet's rows: the same entries PortalRB fetches. The evidence column holds
    the signed link when ``WBK_PUBLIC_URL`` is set, else the documents' titles and hashes."""
    cfg = cfg or ws.settings
    if cfg.public_url:
        made = links(ws, cfg, None, datetime.now(UTC))
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
