"""Errors as PortalRB's guide wants them: every non-2xx answer is JSON ``{"error": true,
"code", "message"}``; an unexpected failure is a 500 with a reference, never a stack trace."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wbk.api.models import ErrorBody
from wbk.errors import AnswersError, CatalogError, NotFound, PermissionDenied, WbkError
from wbk.i18n import t
from wbk.services.portalrb.links import LinkRefused, LinksUnavailable
from wbk.services.portalrb.tokens import TokenRefused

log = logging.getLogger("wbk.api")

CODES = {
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "DATA_NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "NOT_CONFIGURED",
}
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class ApiError(Exception):
    """An answer other than 200, with its code and message (and headers: Retry-After...)."""

    def __init__(
        self, status: int, message: str, code: str | None = None, headers: dict | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "ERROR")
        self.message = message
        self.headers = headers or {}


def body(code: str, message: str) -> dict[str, Any]:
    return {"error": True, "code": code, "message": message}


def error_response(err: ApiError) -> JSONResponse:
    return JSONResponse(
        body(err.code, err.message), status_code=err.status, headers={**HEADERS, **err.headers}
    )


def from_service(exc: Exception) -> ApiError:
    """The HTTP answer for what a service raised."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, TokenRefused):
        return ApiError(401, exc.message(), headers={"WWW-Authenticate": "Bearer"})
    if isinstance(exc, LinkRefused):
        code = "LINK_EXPIRED" if exc.key.endswith("expired") else "LINK_INVALID"
        return ApiError(403, exc.message(), code)
    if isinstance(exc, LinksUnavailable):  # ours to set: said to the caller and in the log
        log.error("evidence links refused: %s", exc.message("en"))
        return ApiError(503, exc.message())
    if isinstance(exc, PermissionDenied):
        return ApiError(403, exc.message())
    if isinstance(exc, NotFound):
        return ApiError(404, exc.message())
    if isinstance(exc, AnswersError):  # a stored answer PortalRB's format cannot carry
        return ApiError(422, exc.message(), "DATA_INVALID")
    if isinstance(exc, CatalogError):  # ours to fix (a catalog that misfits PortalRB's format)
        return internal(exc)
    if isinstance(exc, WbkError):
        return ApiError(422, exc.message())
    return internal(exc)


def internal(exc: BaseException) -> ApiError:
    ref = uuid.uuid4().hex[:12]
    log.error("API request failed (ref %s)", ref, exc_info=exc)
    return ApiError(500, t("portalrb_api.error.internal", ref=ref))


# OpenAPI: the error body for every status an endpoint may answer with
def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        s: {"model": ErrorBody, "description": t(f"portalrb_api.error.doc_{s}", lang="en")}
        for s in statuses
    }


async def api_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc)


def validation_error(exc: RequestValidationError) -> ApiError:
    """The 422 for parameters FastAPI refused (recorded by ``wbk.api.gate``)."""
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path"))
        parts.append(f"{where}: {e.get('msg', '')}")
    return ApiError(422, t("portalrb_api.error.validation", detail="; ".join(parts)))


async def http_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = t(f"portalrb_api.error.http_{status}") if status in (404, 405) else str(exc.detail)
    return error_response(ApiError(status, message, headers=dict(exc.headers or {})))


class CatchAll:
    """Turns any exception that escaped the routes into the guide's 500 body (logged with a
    reference); a response already started is left to the server to cut."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started:
                raise
            await error_response(internal(exc))(scope, receive, send)
