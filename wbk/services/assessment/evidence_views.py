"""Reading evidence: document views with revisions and warnings, where-used, file access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.errors import NotFound
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.store.tables import Answer, Evidence, EvidenceLink, EvidenceRevision


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
    carried_from: int | None = None  # the document of an earlier year it was carried from

    @property
    def latest(self) -> RevisionView | None:
        return self.revisions[-1] if self.revisions else None


@dataclass(frozen=True, slots=True)
class Warning:
    kind: str  # wrong_year | expired | no_evidence; carried documents: renew | undated
    code: str | None
    evidence_id: int | None
    detail: str


def _evidence(s: Session, evidence_id: int) -> Evidence:
    ev = s.get(Evidence, evidence_id)
    if ev is None:
        raise NotFound("notfound.evidence", id=evidence_id)
    return ev


def _evidence_view(
    s: Session,
    ev: Evidence,
    year: int | None = None,
    today: date | None = None,
) -> EvidenceView:
    """The view of one document, reading its links and revisions."""
    codes = sorted(
        s.execute(select(EvidenceLink.code).where(EvidenceLink.evidence_id == ev.id)).scalars()
    )
    revisions = list(
        s.execute(
            select(EvidenceRevision)
            .where(EvidenceRevision.evidence_id == ev.id)
            .order_by(EvidenceRevision.revision)
        ).scalars()
    )
    return evidence_view(ev, codes, revisions, year, today)


def evidence_view(
    ev: Evidence,
    codes: list[str],
    revisions: list[EvidenceRevision],
    year: int | None = None,
    today: date | None = None,
) -> EvidenceView:
    """A document as the pages see it, from rows already read; ``year`` adds date warnings."""
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
        ev.carried_from_id,
    )


def _document_warnings(ev: Evidence, year: int, today: date) -> list[str]:
    out = []
    if ev.document_date is not None and ev.document_date.year != year:
        out.append("wrong_year")
    if ev.valid_until is not None and ev.valid_until < today:
        out.append("expired")
    if ev.carried_from_id is not None:  # brought from last year: is it still good this year?
        if out:
            out.append("renew")
        elif ev.document_date is None and ev.valid_until is None:
            out.append("undated")
    return out


def warning_detail(ev: EvidenceView, kind: str) -> str:
    """The date a document warning is about: the document date for a wrong year, the
    valid-until date for an expiry (a renewal names whichever of the two caused it)."""
    if kind == "wrong_year" or (kind == "renew" and "expired" not in ev.warnings):
        return ev.document_date.isoformat() if ev.document_date else ""
    if kind in ("expired", "renew") and ev.valid_until:
        return ev.valid_until.isoformat()
    return ""


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
            evidence_view(ev, codes.get(ev.id, []), revisions.get(ev.id, []), a.year, today)
            for ev in docs
        ]


def evidence_warnings(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    today: date | None = None,
    documents: list[EvidenceView] | None = None,
) -> list[Warning]:
    """Documents dated outside the assessment year, past their valid-until date, and answered
    questions that have no (non-retired) evidence. ``documents``: the list the caller already
    read with ``list_evidence`` (same actor, same day)."""
    items = (
        documents if documents is not None else list_evidence(ws, actor, assessment_id, today=today)
    )
    out: list[Warning] = []
    for ev in items:
        for kind in ev.warnings:
            for code in ev.codes or [None]:
                out.append(Warning(kind, code, ev.id, warning_detail(ev, kind)))
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
