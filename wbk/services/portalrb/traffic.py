"""The PortalRB API's rate limit and the record of requests that proved nothing, both counted
in the database so every ``wbk api`` process shares them.

- **Rate limit.** Fixed one-minute windows: each caller (a token, or an address for requests
  without one) has ``per_minute`` requests in each minute of the clock; past that it waits
  for the next minute (Retry-After). Counted by one atomic insert-or-increment.
- **Refusals.** A request that proved nothing (no usable token, a link whose signature fails,
  a malformed request without a token, or over its address's allowance) is not an audit
  event of its own: a flood would fill the trail. It is counted per address, minute,
  endpoint and status, and each address's minute becomes one ``api.refused`` audit event
  with the counts, written once the minute is over (by the first request of a later minute).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from itertools import groupby

from sqlalchemy import delete, select

from wbk.services.core import audit
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb.tokens import ANONYMOUS
from wbk.store.tables import ApiRate, ApiRefusal

WINDOW = 60  # seconds


def minute_of(now: float) -> int:
    return int(now // WINDOW)


def take(ws: Workspace, bucket: str, per_minute: int, now: float) -> int:
    """Count one request of ``bucket`` at ``now`` (Unix time): 0 when it is within the
    minute's allowance, else the whole seconds until the minute ends. The first request of a
    caller's minute also deletes the counts of past minutes and has the finished minutes'
    refusals written to the audit trail."""
    minute = minute_of(now)
    counted = ws.db.increment(ApiRate.__table__, {"minute": minute, "bucket": bucket[:100]}, "hits")
    due = False
    with ws.db.cache_write() as s:
        hits = s.execute(counted).scalar_one()
        if hits == 1:
            # the minute before stays: another process's clock may still be in it
            s.execute(delete(ApiRate).where(ApiRate.minute < minute - 1))
            old = select(ApiRefusal.minute).where(ApiRefusal.minute < minute - 1).limit(1)
            due = s.execute(old).first() is not None
    if due:
        summarize(ws, now)
    if hits <= max(1, per_minute):
        return 0
    return max(1, math.ceil((minute + 1) * WINDOW - now))


def count_refused(ws: Workspace, client: str, endpoint: str, status: int, now: float) -> None:
    """One request from ``client`` that proved nothing, counted in its minute's summary."""
    key = {
        "minute": minute_of(now),
        "client": client[:64],
        "endpoint": endpoint[:64],
        "status": status,
    }
    with ws.db.cache_write() as s:
        s.execute(ws.db.increment(ApiRefusal.__table__, key, "hits"))


def summarize(ws: Workspace, now: float) -> int:
    """Write one ``api.refused`` audit event per address and finished minute (every minute
    before the one before ``now``'s, so a process whose clock lags has finished counting),
    with its counts by endpoint and status, and delete those counts. Returns the events
    written. Concurrent calls write each minute once: the audit chain's lock orders them."""
    cutoff = minute_of(now) - 1
    with ws.db.write() as s:
        rows = (
            s.execute(
                select(ApiRefusal)
                .where(ApiRefusal.minute < cutoff)
                .order_by(
                    ApiRefusal.minute, ApiRefusal.client, ApiRefusal.endpoint, ApiRefusal.status
                )
                .with_for_update()
            )
            .scalars()
            .all()
        )
        written = 0
        for (minute, client), group in groupby(rows, key=lambda r: (r.minute, r.client)):
            counts = [{"endpoint": r.endpoint, "status": r.status, "count": r.hits} for r in group]
            after = {
                "client": client,
                "minute": datetime.fromtimestamp(minute * WINDOW, UTC).isoformat(),
                "count": sum(c["count"] for c in counts),
                "requests": counts,
            }
            audit.record(s, ANONYMOUS, "api.refused", "api_client", client, None, after)
            written += 1
        if rows:
            s.execute(delete(ApiRefusal).where(ApiRefusal.minute < cutoff))
    return written
