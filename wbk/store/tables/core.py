"""The core tables: units, people, assessments, answers, evidence, notes and the audit chain."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import UTC_TS, Base


class Unit(Base):
    """An organisational unit: instansi, Kanwil, satker (Kankemenag, KUA, madrasah...)."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), default="satker")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTC_TS)


class UserAccount(Base):
    """A person (or the local operator) who signs in; the password is stored as an argon2 hash."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    lang: Mapped[str] = mapped_column(String(8), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    # where reminders go (migration followup1); None: this person gets no e-mail
    email: Mapped[str | None] = mapped_column(String(254))


class RoleGrant(Base):
    """A role of a user on a unit (and its sub-units); ``areas`` limits an agen to some areas."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    areas: Mapped[list | None] = mapped_column(JSON)
    # local: granted in wbk; idp: given by the organisation's identity provider (OIDC claim),
    # reconciled on every sign-in
    source: Mapped[str] = mapped_column(String(16), default="local", server_default="local")


class Assessment(Base):
    """One unit's LKE self-assessment for one year, bound to a catalog version."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    catalog_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    deadline: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    created_by: Mapped[str] = mapped_column(String(160))
    # the assessment this one was started from (migration carry1; no foreign key, see there)
    source_assessment_id: Mapped[int | None] = mapped_column(Integer)


class Answer(Base):
    """An answer of one tier (self, tpi, tpn) to one question or count input (``code#name``).

    ``version`` increases on every change: a writer must name the version it read.
    """

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "tier", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    tier: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(String(64))
    narrative: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(160))
    updated_at: Mapped[datetime] = mapped_column(UTC_TS)
    # carried from that year's assessment and not yet confirmed (None: the unit's own answer)
    carried_from: Mapped[int | None] = mapped_column(SmallInteger)


class Evidence(Base):
    """A supporting document (data dukung): a file with revisions, or a link."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(8))  # file | link
    url: Mapped[str | None] = mapped_column(String(2000))
    document_date: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    tags: Mapped[list | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    retired_at: Mapped[datetime | None] = mapped_column(UTC_TS)
    retired_by: Mapped[str | None] = mapped_column(String(160))
    # the document of last year's assessment this one was carried from (same revisions)
    carried_from_id: Mapped[int | None] = mapped_column(Integer)


class EvidenceLink(Base):
    """Which questions a document supports (one document may serve many questions)."""

    __tablename__ = "evidence_link"
    __table_args__ = (UniqueConstraint("evidence_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)


class EvidenceRevision(Base):
    """One immutable upload of a document: content hash, size, sniffed type, who and when."""

    __tablename__ = "evidence_revision"
    __table_args__ = (UniqueConstraint("evidence_id", "revision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(160))
    uploaded_at: Mapped[datetime] = mapped_column(UTC_TS)


class ReviewNote(Base):
    """A TPI note (catatan) on a question: to be answered by the unit and closed with evidence."""

    __tablename__ = "review_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16), default="sedang")
    status: Mapped[str] = mapped_column(String(16), default="open")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str | None] = mapped_column(Text)
    closing_evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    updated_at: Mapped[datetime] = mapped_column(UTC_TS)
    version: Mapped[int] = mapped_column(Integer, default=1)


class AuditEvent(Base):
    """Append-only, hash-chained record of every change (each carries the previous hash)."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA-256 of ``hash`` with the audit key, which is not in the database: whoever can
    # only write the database cannot append an event that verifies
    mac: Mapped[str | None] = mapped_column(String(64))
    # the digest of every row the event's transaction inserted, changed or deleted:
    # JSON [[table, primary key, sha256 or null when deleted], ...] (wbk/store/rowdigest.py)
    rows: Mapped[str | None] = mapped_column(Text)


class AuditHead(Base):
    """The chain's tip (one row): locked by every writer, so events form a single chain."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_answer_lookup", Answer.assessment_id, Answer.tier)


class ScoreSnapshot(Base):
    """A saved score of one tier at a moment, for the trend on the dashboard."""

    __tablename__ = "score_snapshot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    tier: Mapped[str] = mapped_column(String(8))
    taken_at: Mapped[datetime] = mapped_column(UTC_TS)
    total: Mapped[float] = mapped_column()
    pengungkit: Mapped[float] = mapped_column()
    hasil: Mapped[float] = mapped_column()
    areas: Mapped[dict] = mapped_column(JSON)
    wbk_passed: Mapped[bool] = mapped_column()
    taken_by: Mapped[str] = mapped_column(String(160))


class SurveyResult(Base):
    """One computed survey result (IKM overall, per service or per period) of a unit.

    The element sums are kept so the index can be recomputed exactly later. Saving a period
    again replaces its rows (one row per unit, kind, period and service).
    """

    __tablename__ = "survey_result"
    __table_args__ = (UniqueConstraint("unit_id", "kind", "period", "service"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # ikm
    period: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(200), default="")
    respondents: Mapped[int] = mapped_column(Integer)
    sums: Mapped[list] = mapped_column(JSON)
    weights: Mapped[str] = mapped_column(String(16))
    ikm: Mapped[float] = mapped_column()
    category: Mapped[str] = mapped_column(String(2))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)


class LoginThrottle(Base):
    """Failed sign-ins per account (``user:<name>``) or per client (``client:<address>``);
    ``blocked_until`` grows with repeated failures."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTC_TS)
    blocked_until: Mapped[datetime | None] = mapped_column(UTC_TS)


class UserSession(Base):
    """A signed-in browser session; the browser keeps only a random token, stored here hashed.
    Sign-out, deactivation and a changed password end it at once."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    last_seen_at: Mapped[datetime] = mapped_column(UTC_TS)
    expires_at: Mapped[datetime] = mapped_column(UTC_TS)
    ended_at: Mapped[datetime | None] = mapped_column(UTC_TS)
    client: Mapped[str | None] = mapped_column(String(64))
