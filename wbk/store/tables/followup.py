"""Tables of the daily follow-up: replies under a review note, and a unit's letterhead logo."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import UTC_TS, Base
from wbk.store.tables.core import AuditEvent


class NoteReply(Base):
    """One message in the thread under a review note (TPI or unit), oldest first."""

    __tablename__ = "note_reply"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("review_note.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)


class UnitBranding(Base):
    """A unit's logo (PNG or JPEG, its bytes base64 in ``content`` so backups carry it) and
    letterhead text for the report cover; one row per unit, replaced by a new upload."""

    __tablename__ = "unit_branding"
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    letterhead: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)  # base64 of the image (migration followup2)
    set_by: Mapped[str] = mapped_column(String(160))
    set_at: Mapped[datetime] = mapped_column(UTC_TS)


# a question's history reads its audit events by entity id (migration followup3)
Index("ix_audit_event_entity_id", AuditEvent.entity_id)
