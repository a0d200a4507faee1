"""Reading evidence: document views with revisions and warnings, where-used, file access."""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.errors import NotFound
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.services.views import EvidenceView, RevisionView, Warning, evidence_view, warning_detail
from wbk.store.tables import Answer, Evidence, EvidenceLink, EvidenceRevision


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


def same_file(s: Session, assessment_id: int, sha: str) -> list[tuple[int, str, list[str]]]:
    """The documents in use in the assessment whose current revision has exactly these bytes:
    (id, title, linked codes)."""
    rows = s.execute(
        select(Evidence.id, Evidence.title, EvidenceRevision.revision, EvidenceRevision.sha256)
        .join(EvidenceRevision, EvidenceRevision.evidence_id == Evidence.id)
        .where(
            Evidence.assessment_id == assessment_id,
            Evidence.retired_at.is_(None),
            Evidence.id.in_(
                select(EvidenceRevision.evidence_id).where(EvidenceRevision.sha256 == sha)
            ),
        )
    ).all()
    latest: dict[int, tuple[int, str, str]] = {}
    for ev_id, title, number, digest in rows:
        if ev_id not in latest or number > latest[ev_id][0]:
            latest[ev_id] = (number, digest, title)
    out = []
    for ev_id in sorted(latest):
        number, digest, title = latest[ev_id]
        if digest == sha:
            codes = s.execute(
                select(EvidenceLink.code).where(EvidenceLink.evidence_id == ev_id)
            ).scalars()
            out.append((ev_id, title, sorted(codes)))
    return out
