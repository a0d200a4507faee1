"""Plain data a report is made from (filled by the services; no database here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from wbk.catalog import Catalog
from wbk.scoring import ScoreCard

if TYPE_CHECKING:
    from wbk.reports.docx_compare import YearComparison
    from wbk.reports.docx_plan import PlanChapter


@dataclass(frozen=True, slots=True)
class RevisionRef:
    revision: int
    sha256: str
    filename: str
    size: int
    media_type: str
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class DocRef:
    id: int
    title: str
    kind: str
    url: str | None
    document_date: date | None
    valid_until: date | None
    codes: list[str]
    revisions: list[RevisionRef]
    warnings: list[str]

    @property
    def latest(self) -> RevisionRef | None:
        return self.revisions[-1] if self.revisions else None


@dataclass(frozen=True, slots=True)
class NoteRef:
    id: int
    code: str
    text: str
    severity: str
    status: str
    owner: str | None
    due_date: date | None
    response: str | None


@dataclass(frozen=True)
class PreReviewCell:
    """One question's pre-review as the kertas kerja shows it: the verdict (``hijau`` ..
    ``kosong``), whether its top answer is an unsupported claim, the first reasons."""

    verdict: str
    unsupported: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreReviewColumn:
    """The pre-review of every question; ``pending``: files not read yet when it was taken."""

    cells: dict[str, PreReviewCell]
    pending: int = 0


@dataclass
class ReportData:
    unit_code: str
    unit_name: str
    parent_name: str | None
    year: int
    status: str
    tier: str
    catalog: Catalog
    card: ScoreCard
    tpi_card: ScoreCard | None
    answers: dict[str, tuple[str | None, str | None]]  # code -> (answer, narrative)
    ratios: dict[str, float]
    documents: list[DocRef]
    notes: list[NoteRef]
    generated_at: datetime
    head_name: str | None = None
    coordinator_name: str | None = None
    extra: dict = field(default_factory=dict)
    comparison: YearComparison | None = None  # the previous year beside this one, if any
    plan: PlanChapter | None = None  # the plan to WBK and the team's tasks (self tier)
    # the pre-review column of the kertas kerja, on request (None: not asked for)
    pre_review: PreReviewColumn | None = None

    def docs_for(self, code: str) -> list[DocRef]:
        return [d for d in self.documents if code in d.codes]

    def notes_for(self, code: str) -> list[NoteRef]:
        return [n for n in self.notes if n.code == code]
