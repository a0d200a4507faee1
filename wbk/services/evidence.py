"""Use cases for evidence (data dukung): checked uploads as immutable revisions, links, warnings."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wbk.errors import Conflict, InvalidInput, NotFound
from wbk.services import audit
from wbk.services.actor import Actor
from wbk.services.assessments import writable_assessment
from wbk.services.workspace import Workspace, area_of, get_assessment, require, unit_chain
from wbk.store.tables import Answer, Evidence, EvidenceLink, EvidenceRevision
from wbk.uploads import UploadInfo, UploadRefused, check_upload

CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RevisionView:
    revision: int
    sha256: str
    size: int
    media_type: str
    filename: str
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class EvidenceView:
    id: int
    title: str
    kind: str
    url: str | None
    document_date: date | None
    valid_until: date | None
    tags: list[str]
    codes: list[str]
    revisions: list[RevisionView]
    retired: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def latest(self) -> RevisionView | None:
        return self.revisions[-1] if self.revisions else None


@dataclass(frozen=True, slots=True)
class Warning:
    kind: str  # wrong_year | expired | no_evidence
    code: str | None
    evidence_id: int | None
    detail: str


def _now() -> datetime:
    return datetime.now(UTC)


def _spool(ws: Workspace, source: Path | BinaryIO, limit: int) -> tuple[Path, str]:
    """Copy the upload to the staging dir, hashing it and stopping past the size limit."""
    fd, tmp = tempfile.mkstemp(dir=ws.blobs.staging_dir(), prefix="up-")
    path = Path(tmp)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            stream = source.open("rb") if isinstance(source, Path) else source
            try:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise UploadRefused(
                            "upload.too_large",
                            size_mb=f"> {limit / 1e6:.0f}",
                            limit_mb=limit // 10**6,
                        )
                    digest.update(chunk)
                    out.write(chunk)
            finally:
                if isinstance(source, Path):
                    stream.close()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest()


def _store(ws: Workspace, source: Path | BinaryIO, filename: str) -> tuple[UploadInfo, str]:
    """Check and store a file; on refusal nothing remains (no row, no file)."""
    staged, sha = _spool(ws, source, ws.max_upload_bytes)
    try:
        info = check_upload(staged, filename, ws.max_upload_bytes)
        ws.blobs.put_file(staged, sha)
    finally:
        staged.unlink(missing_ok=True)
    return info, sha


def _validate_codes(
    ws: Workspace, s: Session, actor: Actor, assessment_id: int, codes: Iterable[str]
) -> list[str]:
    a = get_assessment(s, assessment_id)
    catalog = ws.catalog(a.catalog_id)
    out = []
    for code in codes:
        code = code.strip()
        if code not in catalog.items:
            raise InvalidInput("invalid.question", code=code)
        writable_assessment(s, actor, assessment_id, "evidence.write", area_of(code))
        out.append(code)
    if not out:
        writable_assessment(s, actor, assessment_id, "evidence.write")
    return sorted(set(out), key=out.index)


def _check_dates(document_date: date | None, valid_until: date | None) -> None:
    if document_date and valid_until and valid_until < document_date:
        raise InvalidInput(
            "invalid.valid_until",
            date=document_date.isoformat(),
            valid_until=valid_until.isoformat(),
        )


def add_file(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    codes: Iterable[str],
    source: Path | BinaryIO,
    filename: str,
    title: str | None = None,
    document_date: date | None = None,
    valid_until: date | None = None,
    tags: list[str] | None = None,
) -> EvidenceView:
    """A new evidence document with its first revision, linked to ``codes``."""
    _check_dates(document_date, valid_until)
    with ws.db.read() as s:  # refuse on permissions before reading a large file
        codes = _validate_codes(ws, s, actor, assessment_id, codes)
    info, sha = _store(ws, source, filename)
    with ws.db.write() as s:
        _validate_codes(ws, s, actor, assessment_id, codes)
        ev = Evidence(
            assessment_id=assessment_id,
            title=(title or info.filename).strip()[:300],
            kind="file",
            document_date=document_date,
            valid_until=valid_until,
            tags=tags or None,
            created_by=actor.name,
            created_at=_now(),
        )
        s.add(ev)
        s.flush()
        s.add_all(EvidenceLink(evidence_id=ev.id, code=c) for c in codes)
        rev = EvidenceRevision(
            evidence_id=ev.id,
            revision=1,
            sha256=sha,
            size=info.size,
            media_type=info.media_type,
            filename=info.filename,
            uploaded_by=actor.name,
            uploaded_at=_now(),
        )
        s.add(rev)
        s.flush()
        audit.record(
            s,
            actor,
            "evidence.add",
            "evidence",
            ev.id,
            None,
            {
                "title": ev.title,
                "codes": codes,
                "sha256": sha,
                "size": info.size,
                "media_type": info.media_type,
                "filename": info.filename,
                "document_date": document_date,
                "valid_until": valid_until,
            },
        )
        return _evidence_view(s, ev)


def add_revision(
    ws: Workspace, actor: Actor, evidence_id: int, source: Path | BinaryIO, filename: str
) -> EvidenceView:
    """Upload a new version of a file; earlier revisions stay as they were."""
    with ws.db.read() as s:
        ev = _evidence(s, evidence_id)
        _check_evidence_write(ws, s, actor, ev)
    info, sha = _store(ws, source, filename)
    with ws.db.write() as s:
        ev = _evidence(s, evidence_id)
        _check_evidence_write(ws, s, actor, ev)
        if ev.kind != "file":
            raise InvalidInput("invalid.link_revision")
        number = (
            s.execute(
                select(func.max(EvidenceRevision.revision)).where(
                    EvidenceRevision.evidence_id == ev.id
                )
            ).scalar()
            or 0
        ) + 1
        s.add(
            EvidenceRevision(
                evidence_id=ev.id,
                revision=number,
                sha256=sha,
                size=info.size,
                media_type=info.media_type,
                filename=info.filename,
                uploaded_by=actor.name,
                uploaded_at=_now(),
            )
        )
        s.flush()
        audit.record(
            s,
            actor,
            "evidence.revise",
            "evidence",
            ev.id,
            None,
            {"revision": number, "sha256": sha, "size": info.size, "filename": info.filename},
        )
        return _evidence_view(s, ev)


def add_link(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    codes: Iterable[str],
    url: str,
    title: str,
    document_date: date | None = None,
    valid_until: date | None = None,
) -> EvidenceView:
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput("invalid.url", url=url)
    _check_dates(document_date, valid_until)
    with ws.db.write() as s:
        codes = _validate_codes(ws, s, actor, assessment_id, codes)
        ev = Evidence(
            assessment_id=assessment_id,
            title=title.strip()[:300] or url,
            kind="link",
            url=url.strip(),
            document_date=document_date,
            valid_until=valid_until,
            created_by=actor.name,
            created_at=_now(),
        )
        s.add(ev)
        s.flush()
        s.add_all(EvidenceLink(evidence_id=ev.id, code=c) for c in codes)
        s.flush()
        audit.record(
            s,
            actor,
            "evidence.add_link",
            "evidence",
            ev.id,
            None,
            {"title": ev.title, "url": ev.url, "codes": codes},
        )
        return _evidence_view(s, ev)


def link_question(ws: Workspace, actor: Actor, evidence_id: int, code: str) -> EvidenceView:
    with ws.db.write() as s:
        ev = _evidence(s, evidence_id)
        _check_evidence_write(ws, s, actor, ev)
        [code] = _validate_codes(ws, s, actor, ev.assessment_id, [code])
        exists = s.execute(
            select(EvidenceLink.id).where(
                EvidenceLink.evidence_id == ev.id, EvidenceLink.code == code
            )
        ).scalar()
        if exists is None:
            s.add(EvidenceLink(evidence_id=ev.id, code=code))
            s.flush()
            audit.record(s, actor, "evidence.link", "evidence", ev.id, None, {"code": code})
        return _evidence_view(s, ev)


def unlink_question(ws: Workspace, actor: Actor, evidence_id: int, code: str) -> EvidenceView:
    with ws.db.write() as s:
        ev = _evidence(s, evidence_id)
        _check_evidence_write(ws, s, actor, ev)
        link = s.execute(
            select(EvidenceLink).where(EvidenceLink.evidence_id == ev.id, EvidenceLink.code == code)
        ).scalar()
        if link is not None:
            s.delete(link)
            s.flush()
            audit.record(s, actor, "evidence.unlink", "evidence", ev.id, {"code": code}, None)
        return _evidence_view(s, ev)


def retire(ws: Workspace, actor: Actor, evidence_id: int) -> EvidenceView:
    """Take a document out of use; it and its revisions stay (never hard-deleted)."""
    with ws.db.write() as s:
        ev = _evidence(s, evidence_id)
        _check_evidence_write(ws, s, actor, ev)
        if ev.retired_at is not None:
            raise Conflict("conflict.retired", id=ev.id)
        ev.retired_at, ev.retired_by = _now(), actor.name
        audit.record(
            s, actor, "evidence.retire", "evidence", ev.id, {"retired": False}, {"retired": True}
        )
        return _evidence_view(s, ev)


def _evidence(s: Session, evidence_id: int) -> Evidence:
    ev = s.get(Evidence, evidence_id)
    if ev is None:
        raise NotFound("notfound.evidence", id=evidence_id)
    return ev


def _check_evidence_write(ws: Workspace, s: Session, actor: Actor, ev: Evidence) -> None:
    codes = s.execute(select(EvidenceLink.code).where(EvidenceLink.evidence_id == ev.id)).scalars()
    areas = {area_of(c) for c in codes} or {None}
    for area in areas:
        writable_assessment(s, actor, ev.assessment_id, "evidence.write", area)


def _evidence_view(
    s: Session,
    ev: Evidence,
    year: int | None = None,
    today: date | None = None,
    codes: list[str] | None = None,
    revisions: list[EvidenceRevision] | None = None,
) -> EvidenceView:
    if codes is None:
        codes = sorted(
            s.execute(select(EvidenceLink.code).where(EvidenceLink.evidence_id == ev.id)).scalars()
        )
    if revisions is None:
        revisions = list(
            s.execute(
                select(EvidenceRevision)
                .where(EvidenceRevision.evidence_id == ev.id)
                .order_by(EvidenceRevision.revision)
            ).scalars()
        )
    warnings = []
    if year is not None:
        warnings = _document_warnings(ev, year, today or date.today())
    return EvidenceView(
        ev.id,
        ev.title,
        ev.kind,
        ev.url,
        ev.document_date,
        ev.valid_until,
        list(ev.tags or []),
        codes,
        [
            RevisionView(
                r.revision, r.sha256, r.size, r.media_type, r.filename, r.uploaded_by, r.uploaded_at
            )
            for r in revisions
        ],
        ev.retired_at is not None,
        warnings,
    )


def _document_warnings(ev: Evidence, year: int, today: date) -> list[str]:
    out = []
    if ev.document_date is not None and ev.document_date.year != year:
        out.append("wrong_year")
    if ev.valid_until is not None and ev.valid_until < today:
        out.append("expired")
    return out


def list_evidence(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    include_retired: bool = False,
    today: date | None = None,
) -> list[EvidenceView]:
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        q = select(Evidence).where(Evidence.assessment_id == a.id).order_by(Evidence.id)
        if not include_retired:
            q = q.where(Evidence.retired_at.is_(None))
        docs = list(s.execute(q).scalars())
        ids = select(Evidence.id).where(Evidence.assessment_id == a.id)
        codes: dict[int, list[str]] = {}
        for eid, code in s.execute(
            select(EvidenceLink.evidence_id, EvidenceLink.code)
            .where(EvidenceLink.evidence_id.in_(ids))
            .order_by(EvidenceLink.code)
        ):
            codes.setdefault(eid, []).append(code)
        revisions: dict[int, list[EvidenceRevision]] = {}
        for rev in s.execute(
            select(EvidenceRevision)
            .where(EvidenceRevision.evidence_id.in_(ids))
            .order_by(EvidenceRevision.revision)
        ).scalars():
            revisions.setdefault(rev.evidence_id, []).append(rev)
        return [
            _evidence_view(s, ev, a.year, today, codes.get(ev.id, []), revisions.get(ev.id, []))
            for ev in docs
        ]


def evidence_warnings(
    ws: Workspace, actor: Actor, assessment_id: int, today: date | None = None
) -> list[Warning]:
    """Documents dated outside the assessment year, past their valid-until date, and answered
    questions that have no (non-retired) evidence."""
    items = list_evidence(ws, actor, assessment_id, today=today)
    out: list[Warning] = []
    for ev in items:
        for kind in ev.warnings:
            detail = (
                ev.document_date.isoformat()
                if kind == "wrong_year" and ev.document_date
                else ev.valid_until.isoformat()
                if ev.valid_until
                else ""
            )
            for code in ev.codes or [None]:
                out.append(Warning(kind, code, ev.id, detail))
    covered = {c for ev in items for c in ev.codes}
    with ws.db.read() as s:
        answered = s.execute(
            select(Answer.code).where(
                Answer.assessment_id == assessment_id,
                Answer.tier == "self",
                Answer.value.is_not(None),
            )
        ).scalars()
        bases = sorted({c.split("#", 1)[0] for c in answered})
    out += [Warning("no_evidence", c, None, "") for c in bases if c not in covered]
    return out


def where_used(ws: Workspace, actor: Actor, sha256: str) -> list[tuple[int, int, list[str]]]:
    """Every (assessment, evidence, codes) that holds a revision with this content hash."""
    with ws.db.read() as s:
        holders = select(EvidenceRevision.evidence_id).where(EvidenceRevision.sha256 == sha256)
        query = select(Evidence).where(Evidence.id.in_(holders)).order_by(Evidence.id)
        rows = s.execute(query).scalars().all()
        out = []
        for ev in rows:
            a = get_assessment(s, ev.assessment_id)
            if actor.can("read", unit_chain(s, a.unit_id)):
                codes = sorted(
                    s.execute(
                        select(EvidenceLink.code).where(EvidenceLink.evidence_id == ev.id)
                    ).scalars()
                )
                out.append((ev.assessment_id, ev.id, codes))
        return out


def open_revision(
    ws: Workspace,
    actor: Actor,
    evidence_id: int,
    revision: int | None = None,
) -> tuple[RevisionView, BinaryIO]:
    """The bytes of a revision (latest by default) after a read-permission check."""
    with ws.db.read() as s:
        ev = _evidence(s, evidence_id)
        a = get_assessment(s, ev.assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        view = _evidence_view(s, ev)
    revs = [r for r in view.revisions if revision is None or r.revision == revision]
    if not revs:
        raise NotFound("notfound.revision", id=evidence_id, revision=revision or "-")
    rev = revs[-1]
    return rev, ws.blobs.open(rev.sha256)


def copy_revision_to(ws: Workspace, actor: Actor, evidence_id: int, target: Path) -> Path:
    _, fh = open_revision(ws, actor, evidence_id)
    with fh, target.open("wb") as out:
        shutil.copyfileobj(fh, out)
    return target
