"""Tables of the PortalRB integration: which unit is proposed for which predicate in which
evaluation year, and the API tokens PortalRB pulls them with (stored only as a hash)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import UTC_TS, Base


class Proposal(Base):
    """A unit proposed to PortalRB for WBK or WBBM in one evaluation year (one per unit and
    year). ``afirmasi`` is PortalRB's WBK-AFIRMASI category; ``assessment_id`` the unit's
    assessment of that year, whose answers PortalRB fetches."""

    __tablename__ = "proposal"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    predicate: Mapped[str] = mapped_column(String(8))  # WBK | WBBM
    afirmasi: Mapped[bool] = mapped_column(Boolean, default=False)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(160))
    set_at: Mapped[datetime] = mapped_column(UTC_TS)


class ProposalRequirement(Base):
    """One recorded fact of PermenPANRB 5/2024's requirements for a proposal (Tabel 5) for a
    unit and evaluation year: ``key`` one of the requirement file's keys, ``value`` its stored
    form (``WTP``, ``BB``, ``3``, ``ya``, ``100``, ``2025``). An agency-level fact recorded on a
    unit holds for every unit below it. ``evidence_id``: the document that shows it."""

    __tablename__ = "proposal_requirement"
    __table_args__ = (UniqueConstraint("unit_id", "year", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(40))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    note: Mapped[str | None] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(160))
    set_at: Mapped[datetime] = mapped_column(UTC_TS)


class ApiToken(Base):
    """A bearer token for the PortalRB API, reaching the proposals of ``unit_id`` and the
    units below it. Only the SHA-256 of the token is kept; the token is shown once.

    ``expires_on``: the last day the token works (None: until revoked). A name is unique
    among tokens not revoked, so a rotated token may take the old name again.
    """

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    expires_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    revoked_by: Mapped[str | None] = mapped_column(String(160))
    revoked_at: Mapped[datetime | None] = mapped_column(UTC_TS)
    last_used_at: Mapped[datetime | None] = mapped_column(UTC_TS)


ACTIVE = sql_text("revoked_at IS NULL")
Index(
    "uq_api_token_active_name",
    ApiToken.name,
    unique=True,
    sqlite_where=ACTIVE,
    postgresql_where=ACTIVE,
)
