"""Review notes as threads: replies under a note (TPI and unit alike), the notes in the order
a team works them (overdue first), and what is due for one person (the navigation badges)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from wbk.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from wbk.services.assessment.context import AssessmentContext
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.services.views import NoteView
from wbk.store.tables import ReviewNote, UserAccount
from wbk.store.tables.followup import NoteReply
from wbk.store.tables.tasks import PlanTask

MAX_REPLY = 5000


@dataclass(frozen=True, slots=True)
class ReplyView:
    id: int
    note_id: int
    text: str
    author: str  # username as recorded
    author_name: str  # display name where known
    created_at: datetime


def add_reply(ws: Workspace, actor: Actor, note_id: int, text: str) -> ReplyView:
    """Add a message under a note: the TPI (who writes notes) or whoever may answer the note's
    question. Not on a locked assessment, not on a closed note (reopen it first)."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("invalid.note_text")
    if len(text) > MAX_REPLY:
        raise InvalidInput("followup.reply_too_long", limit=MAX_REPLY)
    with ws.db.write() as s:
        n = s.get(ReviewNote, note_id)
        if n is None:
            raise NotFound("notfound.note", id=note_id)
        a = get_assessment(s, n.assessment_id)
        chain = unit_chain(s, a.unit_id)
        area = ws.catalog(a.catalog_id).area_of(n.code)
        if not (actor.can("note.write", chain) or actor.can("note.respond", chain, area)):
            raise PermissionDenied(
                "perm.denied", actor=actor.name, action="note.reply", area=area or "-"
            )
        if a.status == "locked":
            raise Conflict("conflict.locked", id=a.id)
        if n.status == "closed":
            raise Conflict("conflict.note_closed", id=n.id)
        row = NoteReply(note_id=n.id, text=text, author=actor.name, created_at=datetime.now(UTC))
        s.add(row)
        s.flush()
        audit.record(
            s, actor, "note.reply", "review_note", n.id, None, {"reply": row.id, "text": text}
        )
        return ReplyView(
            row.id, n.id, text, actor.name, actor.display_name or actor.name, row.created_at
        )


def list_replies(ws: Workspace, actor: Actor, assessment_id: int) -> dict[int, list[ReplyView]]:
    """The threads of an assessment's notes: note id -> replies, oldest first."""
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        rows = s.execute(
            select(NoteReply, UserAccount.display_name)
            .join(ReviewNote, ReviewNote.id == NoteReply.note_id)
            .outerjoin(UserAccount, UserAccount.username == NoteReply.author)
            .where(ReviewNote.assessment_id == a.id)
            .order_by(NoteReply.note_id, NoteReply.created_at, NoteReply.id)
        ).all()
    out: dict[int, list[ReplyView]] = {}
    for r, name in rows:
        out.setdefault(r.note_id, []).append(
            ReplyView(r.id, r.note_id, r.text, r.author, name or r.author, r.created_at)
        )
    return out


def is_overdue(n: NoteView, today: date) -> bool:
    """Still waiting for the unit's answer past its due date."""
    return n.status == "open" and n.due_date is not None and n.due_date < today


def work_order(items: Iterable[NoteView], today: date | None = None) -> list[NoteView]:
    """Overdue first (oldest due first), then open, answered and closed; by due date then id."""
    today = today or date.today()
    rank = {"open": 1, "answered": 2, "closed": 3}

    def key(n: NoteView):
        return (
            0 if is_overdue(n, today) else rank.get(n.status, 4),
            n.due_date or date.max,
            n.id,
        )

    return sorted(items, key=key)


def due_counts(
    ws: Workspace, actor: Actor, assessment_id: int, today: date | None = None
) -> dict[str, int]:
    """What waits for the actor in this assessment, per page (``notes``, ``plan``), for the
    badges in the navigation: notes owned by the actor still to answer (open) plus, for whoever
    writes notes (TPI), answered notes waiting to be closed; open plan tasks of the actor past
    their due date. Pages with nothing due are 0."""
    today = today or date.today()
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        chain = unit_chain(s, a.unit_id)
        require(actor, "read", chain)
        uid = actor.user_id
        if uid is None:
            uid = s.execute(
                select(UserAccount.id).where(UserAccount.username == actor.name)
            ).scalar()
        notes = 0
        if uid is not None:
            notes = s.execute(
                select(func.count(ReviewNote.id)).where(
                    ReviewNote.assessment_id == a.id,
                    ReviewNote.owner_id == uid,
                    ReviewNote.status == "open",
                )
            ).scalar_one()
        if actor.can("note.write", chain) and not actor.operator:
            notes += s.execute(
                select(func.count(ReviewNote.id)).where(
                    ReviewNote.assessment_id == a.id, ReviewNote.status == "answered"
                )
            ).scalar_one()
        tasks = 0
        if uid is not None:
            tasks = s.execute(
                select(func.count(PlanTask.id)).where(
                    PlanTask.assessment_id == a.id,
                    PlanTask.owner_id == uid,
                    PlanTask.status == "open",
                    PlanTask.due_date < today,
                )
            ).scalar_one()
    return {"notes": int(notes), "plan": int(tasks)}


def can_reply(actor: Actor, ctx: AssessmentContext, code: str) -> bool:
    """Whether the actor may add to the thread of a note on ``code`` (the page's buttons)."""
    units, area = list(ctx.chain), ctx.catalog.area_of(code)
    return actor.can("note.write", units) or actor.can("note.respond", units, area)


def can_respond(actor: Actor, ctx: AssessmentContext, code: str) -> bool:
    """Whether the actor may answer a note on ``code`` for the unit (area limits apply)."""
    return actor.can("note.respond", list(ctx.chain), ctx.catalog.area_of(code))
