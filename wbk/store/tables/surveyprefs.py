"""A unit's choices about its surveys: whether its IKM may stand in for IPKP (H.II.a), which
the regulation does not settle; off unless a koordinator of the unit or an admin turns it on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import UTC_TS, Base


class UnitSurveyPref(Base):
    __tablename__ = "unit_survey_pref"
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    ikm_as_ipkp: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    set_by: Mapped[str] = mapped_column(String(160))
    set_at: Mapped[datetime] = mapped_column(UTC_TS)
