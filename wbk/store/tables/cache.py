"""Derived tables: what the database keeps to answer a question fast, never a source of truth.

``answer_rev`` counts the changes to each assessment's answers. The database itself keeps it,
with triggers on ``answer`` (migration 0006), so any write that reaches the answers (a service,
a restore, an SQL statement typed by hand) moves it. ``score_cache`` holds an assessment's
portfolio figures together with the count and the stamp (catalog and scoring code) they were
computed from; a row whose count or stamp differs from today's is computed again.

Both are marked ``info={"cache": True}``: backups leave them out, a restore lets the triggers
rebuild the counts, and nothing else reads them as evidence of anything.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import Base

CACHE = {"cache": True}


class _PerAssessment:
    """One row per assessment, gone with it, kept out of backups."""

    __table_args__: ClassVar[dict] = {"info": CACHE}
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    rev: Mapped[int] = mapped_column(BigInteger)


class AnswerRev(_PerAssessment, Base):
    """How many times the answers of one assessment have changed (kept by triggers)."""

    __tablename__ = "answer_rev"


class ScoreCache(_PerAssessment, Base):
    """One assessment's portfolio figures (JSON), valid while ``rev`` and ``stamp`` hold."""

    __tablename__ = "score_cache"
    stamp: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)


class RowTouch(Base):
    """A row a transaction inserted, changed or deleted, noted by the database's triggers
    (wbk/store/rowdigest.py): read and emptied by the write that made it, which records the
    rows' digests in its audit event. Bookkeeping, never backed up."""

    __tablename__ = "row_touch"
    __table_args__: ClassVar[dict] = {"info": CACHE}
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    txid: Mapped[int] = mapped_column(BigInteger, index=True)
    tbl: Mapped[str] = mapped_column(String(64))
    pk: Mapped[str] = mapped_column(String(200))


def is_cache(table) -> bool:
    """A derived table: left out of backups, recomputed rather than trusted."""
    return bool(table.info.get("cache"))
