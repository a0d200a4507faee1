"""The read models every feature shares (assessments, answers, notes, documents) and their
mappers from table rows: one module, so no feature imports another just for a view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from wbk.store.tables import Answer, Evidence, EvidenceRevision, ReviewNote


@dataclass(frozen=True, slots=True)
class AssessmentView:
    id: int
    unit_code: str
    unit_name: str
    year: int
    catalog_id: str
    status: str
    deadline: date | None
    unit_id: int | None = None
    parent_name: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerView:
    code: str
    tier: str
    value: str | None
    narrative: str | None
    version: int
    updated_by: str
    updated_at: datetime
    carried_from: int | None = None  # the year it was carried from, until confirmed


def answer_view(row: Answer) -> AnswerView:
    return AnswerView(
        row.code,
        row.tier,
        row.value,
        row.narrative,
        row.version,
        row.updated_by,
        row.updated_at,
        row.carried_from,
    )


@dataclass(frozen=True, slots=True)
class NoteView:
    id: int
    assessment_id: int
    code: str
    text: str
    severity: str
    status: str
    owner: str | None
    due_date: date | None
    response: str | None
    closing_evidence_id: int | None
    created_by: str
    created_at: datetime
    version: int


def note_view(n: ReviewNote, owner: str | None) -> NoteView:
    """A note as the pages see it; ``owner`` is the owner's username, already read."""
    return NoteView(
        n.id,
        n.assessment_id,
        n.code,
        n.text,
        n.severity,
        n.status,
        owner,
        n.due_date,
        n.response,
        n.closing_evidence_id,
        n.created_by,
        n.created_at,
        n.version,
    )


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
