"""People decide on findings: accept one (it becomes a TPI note on the question) or dismiss
it with a reason (it stays away for the same document revision); both audited. The TPI and
the koordinator of the unit decide (``finding.decide``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from wbk.errors import Conflict, InvalidInput, NotFound
from wbk.i18n import t
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, writable_assessment
from wbk.services.review.reviews import AssessmentReview, current_review
from wbk.store.tables import ReviewDecision, ReviewNote, ReviewPeriod

SEVERITY = {
    "outside_period": "tinggi",
    "unreadable": "tinggi",
    "expected_missing": "sedang",
}


def _find(review: AssessmentReview, code: str, key: str) -> dict:
    q = review.question(code)
    finding = next((f for f in (q or {}).get("findings", []) if f["key"] == key), None)
    if finding is None:
        raise NotFound("review.error.finding", code=code, key=key)
    return finding


def _snapshot(d: ReviewDecision) -> dict:
    return {
        "code": d.code,
        "finding_key": d.finding_key,
        "finding_code": d.finding_code,
        "evidence_id": d.evidence_id,
        "decision": d.decision,
        "reason": d.reason,
        "note_id": d.note_id,
    }


def accept(ws: Workspace, actor: Actor, assessment_id: int, code: str, key: str) -> int:
    """Turn a finding into a TPI note on its question; the note's id."""
    review = current_review(ws, actor, assessment_id)
    finding = _find(review, code, key)
    text = t("review.note_text", message=review.message(finding))
    now = datetime.now(UTC)
    with ws.db.write() as s:
        a = writable_assessment(s, actor, assessment_id, "finding.decide")
        _not_decided(s, a.id, code, key)
        note = ReviewNote(
            assessment_id=a.id,
            code=code,
            text=text,
            severity=SEVERITY.get(finding["code"], "rendah"),
            status="open",
            created_by=actor.name,
            created_at=now,
            updated_at=now,
            version=1,
        )
        s.add(note)
        s.flush()
        audit.record(
            s,
            actor,
            "note.add",
            "review_note",
            note.id,
            None,
            {"status": "open", "text": text, "severity": note.severity, "code": code},
        )
        d = _decision(a.id, code, key, finding, "accept", None, actor, now)
        d.note_id = note.id
        s.add(d)
        s.flush()
        audit.record(s, actor, "finding.accept", "review_decision", d.id, None, _snapshot(d))
        return note.id


def dismiss(
    ws: Workspace, actor: Actor, assessment_id: int, code: str, key: str, reason: str
) -> None:
    """Set a finding aside with a reason, for this document revision."""
    if not reason.strip():
        raise InvalidInput("review.error.reason")
    review = current_review(ws, actor, assessment_id)
    finding = _find(review, code, key)
    now = datetime.now(UTC)
    with ws.db.write() as s:
        a = writable_assessment(s, actor, assessment_id, "finding.decide")
        _not_decided(s, a.id, code, key)
        d = _decision(a.id, code, key, finding, "dismiss", reason.strip(), actor, now)
        s.add(d)
        s.flush()
        audit.record(s, actor, "finding.dismiss", "review_decision", d.id, None, _snapshot(d))


def _not_decided(s, assessment_id: int, code: str, key: str) -> None:
    taken = s.execute(
        select(ReviewDecision.id).where(
            ReviewDecision.assessment_id == assessment_id,
            ReviewDecision.code == code,
            ReviewDecision.finding_key == key,
        )
    ).scalar()
    if taken is not None:
        raise Conflict("review.error.decided", code=code)


def _decision(assessment_id, code, key, finding, decision, reason, actor, now) -> ReviewDecision:
    return ReviewDecision(
        assessment_id=assessment_id,
        code=code,
        finding_key=key,
        finding_code=finding["code"],
        evidence_id=finding.get("document"),
        decision=decision,
        reason=reason,
        decided_by=actor.name,
        decided_at=now,
    )


def set_period(ws: Workspace, actor: Actor, assessment_id: int, start: date, end: date) -> None:
    """The assessment's own review period (the koordinator, the TPI or an admin sets it)."""
    if end < start:
        raise InvalidInput("review.error.period", start=start.isoformat(), end=end.isoformat())
    with ws.db.write() as s:
        a = writable_assessment(s, actor, assessment_id, "review.period")
        row = s.get(ReviewPeriod, a.id)
        before = {"start": row.start, "end": row.end} if row is not None else None
        if row is None:
            row = ReviewPeriod(assessment_id=a.id)
            s.add(row)
        row.start, row.end, row.set_by, row.set_at = start, end, actor.name, datetime.now(UTC)
        s.flush()
        audit.record(
            s, actor, "finding.period", "review_period", a.id, before, {"start": start, "end": end}
        )
