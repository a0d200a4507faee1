"""What the routes take through ``Depends``: the workspace, the settings and the rate limiter
the app was assembled with (kept on ``app.state``), and the audited call that wraps every fetch:
the token (or the signed link's caller) passes the gate (``wbk.api.gate``: its address, rate
limit and record), the work runs, and its outcome is recorded. Each is ``async`` because it
only reads: FastAPI runs a plain ``def`` dependency on the thread pool, a hop per request for
nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wbk.api.errors import from_service
from wbk.api.gate import Gate, audit
from wbk.api.ratelimit import RateLimiter
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb.links import LinkRefused
from wbk.services.portalrb.tokens import LINK_ACTOR, Principal
from wbk.settings import Settings

bearer = HTTPBearer(auto_error=False, description="Token dari `wbk token create`")
T = TypeVar("T")


async def workspace(request: Request) -> Workspace:
    return request.app.state.ws


async def settings(request: Request) -> Settings:
    """The settings the app was made with (the workspace's own, unless a test gave others)."""
    return request.app.state.settings


async def limiter(request: Request) -> RateLimiter:
    return request.app.state.limiter


WorkspaceDep = Annotated[Workspace, Depends(workspace)]
SettingsDep = Annotated[Settings, Depends(settings)]
LimiterDep = Annotated[RateLimiter, Depends(limiter)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


@dataclass(frozen=True, slots=True)
class TokenCall:
    """A fetch with a bearer token: ``call(endpoint, unit, work)`` resolves the token (a
    refused one is counted for its address, not audited on its own), applies the token's
    rate limit, runs ``work(principal)`` and audits the outcome, with ``detail``: what the
    work put there (what the fetch gave) joins the audit event."""

    gate: Gate
    secret: str | None

    def __call__(
        self,
        endpoint: str,
        unit: str | None,
        work: Callable[[Principal], T],
        detail: dict | None = None,
    ) -> T:
        try:
            principal = self.gate.resolve(endpoint, self.secret)
        except Exception as exc:
            raise from_service(exc) from None
        status = 500
        try:
            self.gate.admit_token(principal)
            result = work(principal)
            status = 200
            return result
        except Exception as exc:
            err = from_service(exc)
            status = err.status
            raise err from None
        finally:
            audit(self.gate.ws, principal, endpoint, unit, status, detail)


@dataclass(frozen=True, slots=True)
class LinkCall:
    """A fetch through a signed evidence link (no token: the signature, checked by the
    service, is the permission): rate limited per address; audited as the link actor when
    the signature holds, counted for the address when it does not."""

    gate: Gate

    def __call__(self, endpoint: str, unit: str, detail: dict, work: Callable[[], T]) -> T:
        try:
            self.gate.admit_anonymous(endpoint)
        except Exception as exc:
            raise from_service(exc) from None
        status, proved = 500, True
        try:
            result = work()
            status = 200
            return result
        except Exception as exc:
            proved = not isinstance(exc, LinkRefused)
            err = from_service(exc)
            status = err.status
            raise err from None
        finally:
            if proved:
                audit(self.gate.ws, None, endpoint, unit, status, detail, LINK_ACTOR)
            else:
                self.gate.refused(endpoint, status)


async def token_call(request: Request, creds: Credentials) -> TokenCall:
    return TokenCall(Gate.of(request), creds.credentials if creds else None)


async def link_call(request: Request) -> LinkCall:
    return LinkCall(Gate.of(request))


TokenCallDep = Annotated[TokenCall, Depends(token_call)]
LinkCallDep = Annotated[LinkCall, Depends(link_call)]
