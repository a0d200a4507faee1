"""When PortalRB last fetched each proposed unit's answers, and what it got: read back from the
``api.fetch`` audit events the API writes. A fetch of ``/lke/jawaban-unit`` that succeeds
records, beside its token, unit and status, the year and how many soals it served, how many
the unit answered and how many link to evidence (``UnitAnswers.fetched``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from wbk.i18n import fmt_date, t
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb.proposals import list_proposals
from wbk.store.tables import AuditEvent

ENDPOINT = "/lke/jawaban-unit"  # the route's name in the audit trail (wbk.api.gate)


@dataclass(frozen=True, slots=True)
class LastFetch:
    """PortalRB's last successful fetch of one proposed unit's answers of ``year``; ``at`` is
    None when it never fetched them."""

    unit_code: str
    year: int
    at: datetime | None = None
    token: str | None = None
    soals: int | None = None
    answered: int | None = None
    evidence: int | None = None

    def message(self, lang: str | None = None) -> str:
        """``diambil 3 Juni 2026 10:15 UTC: 127 soal, 120 dijawab, 80 dengan data dukung``, or
        ``belum pernah diambil``."""
        if self.at is None:
            return t("portalrb_fetch.never", lang=lang)
        local = self.at.astimezone()
        when = f"{fmt_date(local.date(), lang)} {local:%H:%M} {local.tzname() or ''}".rstrip()
        return t(
            "portalrb_fetch.last",
            lang=lang,
            when=when,
            soals=self.soals,
            answered=self.answered,
            evidence=self.evidence,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "diambil": self.at.isoformat(timespec="seconds") if self.at else None,
            "token": self.token,
            "soal": self.soals,
            "dijawab": self.answered,
            "bukti_dukung": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Fetches:
    """The last fetch of each proposal the reader may read, by (unit code, year)."""

    by_unit: dict[tuple[str, int], LastFetch]

    def of(self, unit_code: str, year: int) -> LastFetch:
        """The unit's last fetch of ``year`` (never fetched: a LastFetch without ``at``)."""
        return self.by_unit.get((unit_code, year)) or LastFetch(unit_code, year)

    def __iter__(self) -> Iterator[LastFetch]:
        return iter(self.by_unit.values())


def _fetch(after: str | None) -> dict[str, Any] | None:
    """A successful fetch of a unit's answers that says what it gave, else None (a list, a
    refused fetch, an evidence link, a fetch recorded before wbk kept the counts)."""
    try:
        data = json.loads(after or "null")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("endpoint") != ENDPOINT or data.get("status") != 200:
        return None
    keys = ("unit", "tahun", "soals", "answered", "evidence")
    return data if all(data.get(k) is not None for k in keys) else None


def last_fetches(ws: Workspace, actor: Actor, year: int | None = None) -> Fetches:
    """When PortalRB last fetched the answers of each proposal the actor may read (of
    ``year``, or every year), with the soals it got, how many answered and how many with
    evidence, as that fetch's audit event recorded them."""
    proposed = list_proposals(ws, actor, year, with_readiness=False)
    wanted = {(p.unit_code, p.year) for p in proposed}
    found: dict[tuple[str, int], LastFetch] = {}
    query = (
        select(AuditEvent.at, AuditEvent.after)
        .where(AuditEvent.action == "api.fetch", AuditEvent.actor.like("token:%"))
        .order_by(AuditEvent.seq.desc())
        .execution_options(yield_per=500)
    )
    with ws.db.read() as s:
        for at, after in s.execute(query) if wanted else ():
            data = _fetch(after)
            if data is None:
                continue
            key = (str(data["unit"]), int(data["tahun"]))
            if key in wanted and key not in found:
                found[key] = LastFetch(
                    key[0],
                    key[1],
                    datetime.fromisoformat(at),
                    data.get("token"),
                    int(data["soals"]),
                    int(data["answered"]),
                    int(data["evidence"]),
                )
                if len(found) == len(wanted):
                    break
    return Fetches({k: found.get(k) or LastFetch(*k) for k in sorted(wanted)})
