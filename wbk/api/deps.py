"""What the routes take through ``Depends``: the workspace, the settings and the rate limiter
the app was assembled with (kept on ``app.state``), and the audited call that wraps every fetch:
the token (or the signed link's client) is checked and rate limited, the work runs, and its
outcome becomes an audit event. Each is ``async`` because it only reads: FastAPI runs a
plain ``def`` dependency on the thread pool, a hop per request for nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wbk.api.errors import ApiError, from_service
from wbk.api.ratelimit import RateLimiter
from wbk.i18n import t
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import tokens
from wbk.services.portalrb.tokens import LINK_ACTOR, Principal
from wbk.settings import Settings

log = logging.getLogger("wbk.api")
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


def client_of(request: Request) -> str:
    return request.client.host if request.client else "-"


def limited(wait: int) -> ApiError:
    return ApiError(
        429, t("portalrb_api.error.rate", seconds=wait), headers={"Retry-After": str(wait)}
    )


def audit(
    ws: Workspace,
    principal: Principal | None,
    endpoint: str,
    unit: str | None,
    status: int,
    detail: dict | None = None,
    actor: Actor | None = None,
) -> None:
    try:
        tokens.record_fetch(ws, principal, endpoint, unit, status, detail, actor)
    except Exception:  # the answer stands; the failure is in the log
        log.exception("could not audit %s %s (%s)", endpoint, unit, status)


@dataclass(frozen=True, slots=True)
class TokenCall:
    """A fetch with a bearer token: ``call(endpoint, unit, work)`` resolves the token, applies
    its rate limit, runs ``work(principal)`` and audits the outcome (a refused token too, but
    not a client already slowed down for guessing tokens)."""

    ws: Workspace
    limiter: RateLimiter
    client: str
    secret: str | None

    def __call__(self, endpoint: str, unit: str | None, work: Callable[[Principal], T]) -> T:
        principal, status = None, 500
        try:
            try:
                principal = tokens.resolve_token(self.ws, self.secret)
            except tokens.TokenRefused:
                wait = self.limiter.take(f"client:{self.client}")
                if wait:  # someone guessing tokens: slow them down, do not fill the audit
                    status = 0
                    raise limited(wait) from None
                raise
            wait = self.limiter.take(f"token:{principal.token_id}")
            if wait:
                raise limited(wait)
            result = work(principal)
            status = 200
            return result
        except Exception as exc:
            err = from_service(exc)
            status = status if status == 0 else err.status
            raise err from None
        finally:
            if status:
                audit(self.ws, principal, endpoint, unit, status)


@dataclass(frozen=True, slots=True)
class LinkCall:
    """A fetch through a signed evidence link (no token: the signature, checked by the
    service, is the permission): rate limited per client, audited as the link actor."""

    ws: Workspace
    limiter: RateLimiter
    client: str

    def __call__(self, endpoint: str, unit: str, detail: dict, work: Callable[[], T]) -> T:
        status = 500
        try:
            wait = self.limiter.take(f"link:{self.client}")
            if wait:
                raise limited(wait)
            result = work()
            status = 200
            return result
        except Exception as exc:
            err = from_service(exc)
            status = err.status
            raise err from None
        finally:
            audit(self.ws, None, endpoint, unit, status, detail, LINK_ACTOR)


async def token_call(
    request: Request, creds: Credentials, ws: WorkspaceDep, rate: LimiterDep
) -> TokenCall:
    return TokenCall(ws, rate, client_of(request), creds.credentials if creds else None)


async def link_call(request: Request, ws: WorkspaceDep, rate: LimiterDep) -> LinkCall:
    return LinkCall(ws, rate, client_of(request))


TokenCallDep = Annotated[TokenCall, Depends(token_call)]
LinkCallDep = Annotated[LinkCall, Depends(link_call)]
