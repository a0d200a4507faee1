"""The PortalRB API's counters, shared by every ``wbk api`` process through the database:
requests per caller and minute (the rate limit), and the requests that carried no usable
credential, per address and minute (summed into one audit event per address and minute).

Both are counters of the last minutes, not records: rows of past minutes are deleted as new
minutes begin, and backups leave them out (``info={"cache": True}``, as the derived tables).
``minute`` is the Unix time divided by 60; it leads each key, so old minutes are found and
deleted through the primary key.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wbk.store.tables.base import Base
from wbk.store.tables.cache import CACHE


class ApiRate(Base):
    """Requests of one caller (``token:<id>``, or ``client:<address>`` without a token) in
    one minute; past the allowance they are refused with 429 until the minute ends."""

    __tablename__ = "api_rate"
    __table_args__: ClassVar[dict] = {"info": CACHE}
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    bucket: Mapped[str] = mapped_column(String(100), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)


class ApiRefusal(Base):
    """Requests from one address in one minute that proved nothing (no usable token, a link
    whose signature fails, a malformed request without a token, or over the address's
    allowance), by endpoint and HTTP status; written to the audit trail as one event per
    address and minute once the minute is over, then deleted."""

    __tablename__ = "api_refusal"
    __table_args__: ClassVar[dict] = {"info": CACHE}
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hits: Mapped[int] = mapped_column(Integer)
