"""Changing evidence (data dukung): checked uploads as immutable revisions, links, retirement."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wbk.blobs.store import hold
from wbk.errors import Conflict, InvalidInput
from wbk.services.assessment.evidence_views import (  # noqa: F401 - the public face of evidence
    _evidence,
    _evidence_view,
    evidence_warnings,
    list_evidence,
    open_revision,
    same_file,
    where_used,
)
from wbk.services.core import audit
from wbk.services.core.actor import WHOLE, Actor
from wbk.services.core.workspace import (
    Workspace,
    get_assessment,
    question_area,
    writable_assessment,
)
from wbk.services.review import queue as review_queue
from wbk.services.views import EvidenceView, RevisionView, Warning  # noqa: F401
from wbk.store.tables import Evidence, EvidenceLink, EvidenceRevision
from wbk.uploads import ALLOWED_EXTENSIONS, UploadInfo, UploadRefused, check_upload

CHUNK = 1024 * 1024
# what the upload widgets offer; the server checks the content whatever the browser sends
UPLOAD_EXTENSIONS = list(ALLOWED_EXTENSIONS)


def _now() -> datetime:
    return datetime.now(UTC)


def _spool(ws: Workspace, source: Path | BinaryIO, limit: int) -> tuple[Path, str, int]:
    """Copy the upload to the staging dir, hashing it and stopping past the size limit; the
    spool file stays held (the returned descriptor) until the caller closes it, so ``wbk
    verify --repair`` never takes it for a crashed upload's leftover."""
    fd, tmp = tempfile.mkstemp(dir=ws.blobs.staging_dir(), prefix="up-")
    path = Path(tmp)
    lock = hold(path)
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
        os.close(lock)
        raise
    return path, digest.hexdigest(), lock


def _store(ws: Workspace, source: Path | BinaryIO, filename: str) -> tuple[UploadInfo, str]:
    """Check and store a file; on refusal nothing remains (no row, no file)."""
    staged, sha, lock = _spool(ws, source, ws.max_upload_bytes)
    try:
        info = check_upload(staged, filename, ws.max_upload_bytes)
        ws.blobs.put_file(staged, sha)
    finally:
        staged.unlink(missing_ok=True)
        os.close(lock)
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
        writable_assessment(
            s, actor, assessment_id, "evidence.write", question_area(ws, s, assessment_id, code)
        )
        out.append(code)
    if not out:  # a document for no question belongs to the whole assessment
        writable_assessment(s, actor, assessment_id, "evidence.write", WHOLE)
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
        _refuse_same_file(s, assessment_id, sha, codes)
        return insert_file(
            ws, s, actor, assessment_id, codes, info, sha, title, document_date, valid_until, tags
        )


def _refuse_same_file(s: Session, assessment_id: int, sha: str, codes: list[str]) -> None:
    """The same bytes are stored once per assessment: on a question that already has them the
    upload is refused; on another question the existing document is offered for linking
    (``SameFileElsewhere`` names it)."""
    for ev_id, title, linked in same_file(s, assessment_id, sha):
        if not codes or set(codes) & set(linked):
            raise Conflict("flows.same_file", id=ev_id, title=title, codes=", ".join(linked) or "–")
        raise SameFileElsewhere(ev_id, title, linked)


class SameFileElsewhere(Conflict):
    """The uploaded bytes are already a document of the assessment, linked to other questions:
    the caller may link that document (``evidence_id``) instead of storing a copy."""

    def __init__(self, evidence_id: int, title: str, codes: list[str]) -> None:
        self.evidence_id = evidence_id
        super().__init__(
            "flows.same_file_elsewhere", id=evidence_id, title=title, codes=", ".join(codes)
        )


def store_file(ws: Workspace, source: Path | BinaryIO, filename: str) -> tuple[UploadInfo, str]:
    """Check a file and put it in the blob store (before the transaction that records it: a
    failed transaction leaves an orphan file that ``wbk verify`` reports, never a row without
    its file)."""
    return _store(ws, source, filename)


def insert_file(
    ws: Workspace,
    s: Session,
    actor: Actor,
    assessment_id: int,
    codes: Iterable[str],
    info: UploadInfo,
    sha: str,
    title: str | None = None,
    document_date: date | None = None,
    valid_until: date | None = None,
    tags: list[str] | None = None,
) -> EvidenceView:
    """Record a stored file as a new document in the caller's write transaction (audited)."""
    codes = _validate_codes(ws, s, actor, assessment_id, codes)
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
    s.add(_revision(ev.id, 1, info, sha, actor))
    review_queue.enqueue(s, sha, info.media_type, info.filename)  # read in the background
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


def _revision(
    evidence_id: int, number: int, info: UploadInfo, sha: str, actor: Actor
) -> EvidenceRevision:
    return EvidenceRevision(
        evidence_id=evidence_id,
        revision=number,
        sha256=sha,
        size=info.size,
        media_type=info.media_type,
        filename=info.filename,
        uploaded_by=actor.name,
        uploaded_at=_now(),
    )


def add_revision(
    ws: Workspace, actor: Actor, evidence_id: int, source: Path | BinaryIO, filename: str
) -> EvidenceView:
    """Upload a new version of a file; earlier revisions stay as they were."""
    with ws.db.read() as s:
        ev = _evidence(s, evidence_id)
        _check_evidence_write(ws, s, actor, ev)
    info, sha = _store(ws, source, filename)
    with ws.db.write() as s:
        return insert_revision(ws, s, actor, evidence_id, info, sha)


def insert_revision(
    ws: Workspace, s: Session, actor: Actor, evidence_id: int, info: UploadInfo, sha: str
) -> EvidenceView:
    """Record a stored file as the next revision of a document, in the caller's transaction."""
    ev = _evidence(s, evidence_id)
    _check_evidence_write(ws, s, actor, ev)
    if ev.kind != "file":
        raise InvalidInput("invalid.link_revision")
    number = (
        s.execute(
            select(func.max(EvidenceRevision.revision)).where(EvidenceRevision.evidence_id == ev.id)
        ).scalar()
        or 0
    ) + 1
    s.add(_revision(ev.id, number, info, sha, actor))
    review_queue.enqueue(s, sha, info.media_type, info.filename)
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
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.netloc
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in url.strip())
    ):
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


def _check_evidence_write(ws: Workspace, s: Session, actor: Actor, ev: Evidence) -> None:
    codes = s.execute(select(EvidenceLink.code).where(EvidenceLink.evidence_id == ev.id)).scalars()
    catalog = ws.catalog(get_assessment(s, ev.assessment_id).catalog_id)
    areas = {catalog.area_of(c) for c in codes} or {WHOLE}
    for area in areas:
        writable_assessment(s, actor, ev.assessment_id, "evidence.write", area)
