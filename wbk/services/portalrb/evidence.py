"""The evidence page a signed link opens: one question's current documents (the latest file of
each, or its address for a linked document), and those files opened for streaming.

Evidence is streamed through the API rather than handed out as presigned S3 URLs: the
signature check and the audit of every fetch happen there, the same link works for a local
blob directory and for S3, and a link must outlive the seven days an S3 presign can last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from sqlalchemy import select

from wbk.errors import NotFound
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb.links import Links, check_link, public_base, secret_of
from wbk.services.views import evidence_view
from wbk.settings import Settings
from wbk.store.tables import Assessment, Evidence, EvidenceLink, EvidenceRevision, Unit


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
    now: datetime | None = None,
) -> EvidencePage:
    """The current documents of one question, behind a signed link (the signature is the
    permission: PortalRB's reviewer opens it in a browser, without the token). Its files'
    links are on ``WBK_API_URL`` (LinksUnavailable without it)."""
    now = now or datetime.now(UTC)
    secret = secret_of(ws, cfg)
    check_link(secret, unit_code, year, code, expires, signature, now)
    unit, a, views = _documents(ws, unit_code, year, code)
    made = Links(public_base(cfg), secret, expires)
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
