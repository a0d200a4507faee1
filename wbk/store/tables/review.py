"""Tables of the pre-review (pra-reviu data dukung).

Caches (``info={"cache": True}``, recomputed, never backed up): the text read from each file
(``review_text``, by SHA-256: the same bytes are never read twice), the queue of files still
to read (``review_queue``), each question's verdict (``review_verdict``) and what it was
computed from (``review_state``). State (audited, with row digests): people's decisions on
findings (``review_decision``) and an assessment's own review period (``review_period``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import UTC_TS, Base
from wbk.store.tables.cache import CACHE


class ReviewText(Base):
    """The text of one file by its SHA-256, page by page, with the facts read from it.
    ``stamp``: the reader that produced it (a file read without OCR is read again once
    Tesseract is installed)."""

    __tablename__ = "review_text"
    __table_args__: ClassVar[dict] = {"info": CACHE}
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(8))  # text | ocr | none
    needs_ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[list] = mapped_column(JSON)
    facts: Mapped[dict] = mapped_column(JSON)
    stamp: Mapped[str] = mapped_column(String(32))
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    read_at: Mapped[datetime] = mapped_column(UTC_TS)


class ReviewQueue(Base):
    """A file waiting to be read: ``queued``, ``working`` (claimed by ``worker``), ``done``
    or ``failed``. Workers in several processes share it (see services/review/queue.py)."""

    __tablename__ = "review_queue"
    __table_args__: ClassVar[dict] = {"info": CACHE}
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(8), index=True)
    worker: Mapped[str | None] = mapped_column(String(80))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[datetime] = mapped_column(UTC_TS)
    claimed_at: Mapped[datetime | None] = mapped_column(UTC_TS)


class ReviewVerdict(Base):
    """The verdict of one question of an assessment with its reasons (JSON ``payload``)."""

    __tablename__ = "review_verdict"
    __table_args__: ClassVar[dict] = {"info": CACHE}
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    area: Mapped[str | None] = mapped_column(String(8))
    verdict: Mapped[str] = mapped_column(String(8))
    unsupported: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[str] = mapped_column(Text)


# the portfolio counts each assessment's hijau verdicts from this index alone
Index("ix_review_verdict_assessment_verdict", ReviewVerdict.assessment_id, ReviewVerdict.verdict)


class ReviewState(Base):
    """What an assessment's verdicts were computed from (a digest of documents, texts,
    answers, decisions, period and terms): equal digest, nothing to compute."""

    __tablename__ = "review_state"
    __table_args__: ClassVar[dict] = {"info": CACHE}
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    digest: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    reviewed_at: Mapped[datetime] = mapped_column(UTC_TS)


class ReviewDecision(Base):
    """A person's decision on a finding: ``accept`` (it became the TPI note ``note_id``) or
    ``dismiss`` (with ``reason``). ``finding_key`` names the finding for one question and
    document revision, so a dismissed finding stays away until the document changes."""

    __tablename__ = "review_decision"
    __table_args__ = (UniqueConstraint("assessment_id", "code", "finding_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    finding_key: Mapped[str] = mapped_column(String(32))
    finding_code: Mapped[str] = mapped_column(String(32))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    decision: Mapped[str] = mapped_column(String(8))  # accept | dismiss
    reason: Mapped[str | None] = mapped_column(Text)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("review_note.id"))
    decided_by: Mapped[str] = mapped_column(String(160))
    decided_at: Mapped[datetime] = mapped_column(UTC_TS)


class ReviewPeriod(Base):
    """An assessment's own review period, in place of the catalog's default."""

    __tablename__ = "review_period"
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id"), primary_key=True, autoincrement=False
    )
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(160))
    set_at: Mapped[datetime] = mapped_column(UTC_TS)
