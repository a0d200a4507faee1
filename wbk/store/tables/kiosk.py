"""Tables of the survey form at the service counter: kiosk keys (per unit and period, kept
only as a hash), the responses they collect, a shared submission counter for the rate limit,
and where a survey value written into the LKE came from (provenance)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import UTC_TS, Base


class KioskKey(Base):
    """A key that lets the public form add responses for one unit and one period (not a login).

    ``instruments``: the questionnaires shown (``skm``, ``spkp``, ``spak``); ``services``: the
    unit's service types offered on the form; ``hours``: the service hours
    (``{"days": [1..7 ISO weekdays], "open": "08:00", "close": "16:00", "tz": "Asia/Jakarta"}``)
    a response outside of which is flagged."""

    __tablename__ = "kiosk_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(120))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    instruments: Mapped[list] = mapped_column(JSON)
    services: Mapped[list] = mapped_column(JSON)
    hours: Mapped[dict | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    revoked_by: Mapped[str | None] = mapped_column(String(160))
    revoked_at: Mapped[datetime | None] = mapped_column(UTC_TS)


class KioskResponse(Base):
    """One respondent's answers from the counter form: item code -> value on the item's scale
    (an item left blank is absent). No personal data: the demographics are optional codes and
    the browser session is kept only as a hash."""

    __tablename__ = "kiosk_response"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("kiosk_key.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    period: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(200))
    answers: Mapped[dict] = mapped_column(JSON)
    age_group: Mapped[str | None] = mapped_column(String(16))
    sex: Mapped[str | None] = mapped_column(String(8))
    education: Mapped[str | None] = mapped_column(String(16))
    occupation: Mapped[str | None] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(UTC_TS)
    outside_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    session_hash: Mapped[str | None] = mapped_column(String(64))


Index("ix_kiosk_response_unit_period", KioskResponse.unit_id, KioskResponse.period)


class KioskHit(Base):
    """One submission attempt counted by the rate limit (per kiosk key and per browser
    session), shared by every app process through the database; rows older than the window
    are deleted as new ones arrive."""

    __tablename__ = "kiosk_hit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTC_TS)


Index("ix_kiosk_hit_bucket_at", KioskHit.bucket, KioskHit.at)


class SurveyProvenance(Base):
    """Where an IPAK / IPKP value written into an assessment came from: the survey period, the
    respondents, the source (an imported file or the kiosk responses) and its SHA-256, the
    instrument, the survey report attached as evidence, and the answer version written."""

    __tablename__ = "survey_provenance"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(32))
    respondents: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))  # file | kiosk
    source_name: Mapped[str] = mapped_column(String(300))
    source_hash: Mapped[str] = mapped_column(String(64))
    instrument: Mapped[str] = mapped_column(String(80))
    uncertain: Mapped[list | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    answer_version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
