"""The rate limit per API token (and per client address for requests without one): fixed
one-minute windows counted in the database (``wbk.services.portalrb.traffic``), so every
``wbk api`` process shares one allowance; the wait until the next minute is Retry-After."""

from __future__ import annotations

import time
from collections.abc import Callable

from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import traffic


class RateLimiter:
    """``per_minute`` requests per caller and minute of ``clock`` (Unix time)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self.per_minute = max(1, per_minute)
        self.clock = clock

    def take(self, ws: Workspace, key: str) -> int:
        """0 when ``key`` may make a request now (and it is counted), else the whole seconds
        to wait before the next one will be allowed."""
        return traffic.take(ws, key, self.per_minute, self.clock())
