"""Use cases for TPI review notes (catatan): written by the TPI, answered, closed with evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.errors import Conflict, InvalidInput, NotFound
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import (
    Workspace,
    get_assessment,
    question_area,
    require,
    unit_chain,
    writable_assessment,
)
from wbk.services.views import NoteView, note_view
from wbk.store.tables import Evidence, ReviewNote, UserAccount

SEVERITIES = ("rendah", "sedang", "tinggi")
NOTE_STATUSES = ("open", "answered", "closed")


def _now() -> datetime:
    return datetime.now(UTC)


def _view(s: Session, n: ReviewNote) -> NoteView:
    owner = s.get(UserAccount, n.owner_id).username if n.owner_id else None
    return note_view(n, owner)


def _snapshot(n: ReviewNote) -> dict:
    return {
        "status": n.status,
        "response": n.response,
        "owner_id": n.owner_id,
        "due_date": n.due_date,
        "closing_evidence_id": n.closing_evidence_id,
        "text": n.text,
        "severity": n.severity,
    }


def _note(s: Session, note_id: int) -> ReviewNote:
    n = s.get(ReviewNote, note_id)
    if n is None:
        raise NotFound("notfound.note", id=note_id)
    return n


def _owner_id(s: Session, owner: str | None) -> int | None:
    if not owner:
        return None
    uid = s.execute(select(UserAccount.id).where(UserAccount.username == owner)).scalar()
    if uid is None:
        raise NotFound("notfound.user", username=owner)
    return uid


def add_note(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    code: str,
    text: str,
    severity: str = "sedang",
    owner: str | None = None,
    due_date: date | None = None,
) -> NoteView:
    if severity not in SEVERITIES:
        raise InvalidInput("invalid.severity", severity=severity, known=", ".join(SEVERITIES))
    if not text.strip():
        raise InvalidInput("invalid.note_text")
    with ws.db.write() as s:
        a = writable_assessment(s, actor, assessment_id, "note.write")
        if code not in ws.catalog(a.catalog_id).items:
            raise InvalidInput("invalid.question", code=code)
        now = _now()
        n = ReviewNote(
            assessment_id=a.id,
            code=code,
            text=text.strip(),
            severity=severity,
            status="open",
            owner_id=_owner_id(s, owner),
            due_date=due_date,
            created_by=actor.name,
            created_at=now,
            updated_at=now,
            version=1,
        )
        s.add(n)
        s.flush()
        audit.record(s, actor, "note.add", "review_note", n.id, None, _snapshot(n) | {"code": code})
        return _view(s, n)


def _change(
    ws: Workspace, actor: Actor, note_id: int, action: str, expected_version: int | None, apply
) -> NoteView:
    with ws.db.write() as s:
        n = _note(s, note_id)
        area = question_area(ws, s, n.assessment_id, n.code)
        writable_assessment(s, actor, n.assessment_id, action, area)
        if expected_version is not None and n.version != expected_version:
            raise Conflict("conflict.note", id=n.id)
        before = _snapshot(n)
        apply(s, n)
        n.version += 1
        n.updated_at = _now()
        audit.record(s, actor, action, "review_note", n.id, before, _snapshot(n))
        return _view(s, n)


def respond(
    ws: Workspace,
    actor: Actor,
    note_id: int,
    response: str,
    closing_evidence_id: int | None = None,
    expected_version: int | None = None,
) -> NoteView:
    """The unit answers a note (and may attach the evidence that closes it)."""
    if not response.strip():
        raise InvalidInput("invalid.note_text")

    def apply(s: Session, n: ReviewNote) -> None:
        if n.status == "closed":
            raise Conflict("conflict.note_closed", id=n.id)
        if closing_evidence_id is not None:
            ev = s.get(Evidence, closing_evidence_id)
            if ev is None or ev.assessment_id != n.assessment_id:
                raise NotFound("notfound.evidence", id=closing_evidence_id)
            n.closing_evidence_id = closing_evidence_id
        n.response, n.status = response.strip(), "answered"

    return _change(ws, actor, note_id, "note.respond", expected_version, apply)


def set_note_status(
    ws: Workspace, actor: Actor, note_id: int, status: str, expected_version: int | None = None
) -> NoteView:
    """The TPI closes or reopens a note."""
    if status not in NOTE_STATUSES:
        raise InvalidInput("invalid.status", status=status, statuses=", ".join(NOTE_STATUSES))

    def apply(_s: Session, n: ReviewNote) -> None:
        n.status = status

    return _change(ws, actor, note_id, "note.write", expected_version, apply)


def assign_note(
    ws: Workspace,
    actor: Actor,
    note_id: int,
    owner: str | None,
    due_date: date | None,
    expected_version: int | None = None,
) -> NoteView:
    def apply(s: Session, n: ReviewNote) -> None:
        n.owner_id, n.due_date = _owner_id(s, owner), due_date

    return _change(ws, actor, note_id, "note.write", expected_version, apply)


def list_notes(ws: Workspace, actor: Actor, assessment_id: int) -> list[NoteView]:
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        rows = s.execute(
            select(ReviewNote).where(ReviewNote.assessment_id == a.id).order_by(ReviewNote.id)
        ).scalars()
        return [_view(s, n) for n in rows]
