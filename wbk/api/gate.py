"""What every API request passes around its work: where it comes from (the connection's
address, or X-Forwarded-For from a proxy in ``WBK_TRUSTED_PROXIES`` only), what it proves (a
token, a signed link, or nothing), its rate limit, and its record.

A request that proves a token or a link is an ``api.fetch`` audit event of its own (token,
endpoint, unit, status). A request that proves nothing (no usable token, a link whose
signature fails, a malformed request without a token, or over its address's allowance) is
counted against its address and in that address's minute, which becomes one ``api.refused``
event with the counts (``wbk.services.portalrb.traffic``): a flood costs a counter, not an
audit event per request."""

from __future__ import annotations

import logging
import re

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from wbk.api.errors import ApiError, error_response, validation_error
from wbk.api.ratelimit import RateLimiter
from wbk.i18n import t
from wbk.services.core.actor import Actor
from wbk.services.core.clients import client_address
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import tokens, traffic
from wbk.services.portalrb.tokens import Principal
from wbk.settings import Settings

log = logging.getLogger("wbk.api")
UNKNOWN_CLIENT = "?"  # no address at all: every such request shares one allowance
PARAMETER = re.compile(r"/\{[^}]*\}")


def client_of(request: Request, cfg: Settings) -> str:
    """The caller's address (``clients.client_address``); ``?`` when there is none."""
    peer = request.client.host if request.client else None
    forwarded = request.headers.getlist("x-forwarded-for")
    return client_address(peer, forwarded, cfg.trusted_proxies) or UNKNOWN_CLIENT


def endpoint_of(request: Request) -> str:
    """The endpoint as the audit trail names it: the route's path without its parameters
    (``/lke/jawaban-unit``, ``/bukti-dukung/berkas``)."""
    route = request.scope.get("route")
    path = getattr(route, "path", None) or request.url.path
    return PARAMETER.sub("", path) or "/"


def bearer_of(request: Request) -> str | None:
    """The bearer token of the Authorization header, as ``HTTPBearer`` reads it."""
    scheme, credentials = get_authorization_scheme_param(request.headers.get("authorization"))
    return credentials if scheme.lower() == "bearer" and credentials else None


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


class Gate:
    """The rate limits and records of one request from ``client``."""

    __slots__ = ("client", "limiter", "ws")

    def __init__(self, ws: Workspace, limiter: RateLimiter, client: str) -> None:
        self.ws, self.limiter, self.client = ws, limiter, client

    @classmethod
    def of(cls, request: Request) -> Gate:
        state = request.app.state
        return cls(state.ws, state.limiter, client_of(request, state.settings))

    def resolve(self, endpoint: str, secret: str | None) -> Principal:
        """The token's principal. A refused token proves nothing: it is counted against the
        address (429 past its allowance) and in its summary, then TokenRefused is raised."""
        try:
            return tokens.resolve_token(self.ws, secret)
        except tokens.TokenRefused:
            self.admit_anonymous(endpoint)
            self.refused(endpoint, 401)
            raise

    def admit_token(self, principal: Principal) -> None:
        """Count a request of the token; ApiError 429 past its allowance."""
        wait = self.limiter.take(self.ws, f"token:{principal.token_id}")
        if wait:
            raise limited(wait)

    def admit_anonymous(self, endpoint: str) -> None:
        """Count a request without a token against the address; past its allowance the
        refusal is counted and ApiError 429 raised."""
        wait = self.limiter.take(self.ws, f"client:{self.client}")
        if wait:
            self.refused(endpoint, 429)
            raise limited(wait)

    def refused(self, endpoint: str, status: int) -> None:
        """A request that proved nothing, counted in the address's minute."""
        try:
            traffic.count_refused(self.ws, self.client, endpoint, status, self.limiter.clock())
        except Exception:  # the answer stands; the failure is in the log
            log.exception("could not count a refused %s (%s)", endpoint, status)

    def invalid(self, request: Request, err: ApiError) -> ApiError:
        """A request FastAPI refused before its route ran (422), recorded as any other: with
        a usable token, counted against the token and audited as its fetch; without one,
        counted against the address and in its summary. The answer: ``err``, or 429 past
        the allowance."""
        endpoint = endpoint_of(request)
        principal = None
        secret = bearer_of(request)
        if secret:
            try:
                principal = tokens.resolve_token(self.ws, secret)
            except tokens.TokenRefused:
                principal = None
        if principal is None:
            try:
                self.admit_anonymous(endpoint)
            except ApiError as refused:
                return refused
            self.refused(endpoint, err.status)
            return err
        unit = request.path_params.get("unit_id")
        answer = err
        try:
            self.admit_token(principal)
        except ApiError as refused:
            answer = refused
        audit(self.ws, principal, endpoint, str(unit)[:64] if unit else None, answer.status)
        return answer


async def validation_handler(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 (parameters refused before the route ran), recorded as ``Gate.invalid``
    says (on the thread pool: it reads and writes the database)."""
    assert isinstance(exc, RequestValidationError)
    err = validation_error(exc)
    try:
        answer = await run_in_threadpool(Gate.of(request).invalid, request, err)
    except Exception:  # the answer stands; the failure is in the log
        log.exception("could not record a refused request to %s", request.url.path)
        answer = err
    return error_response(answer)
