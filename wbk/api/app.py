"""The PortalRB API (FastAPI): the proposed units, a proposed unit's answers by soal_id, and
the signed evidence pages and files; bearer tokens, a rate limit per token (and per address
without one) shared by every process, and an audit record of every fetch (``wbk.api.gate``).
Every read goes through the services, with the token's principal.

``create_app`` only assembles: the workspace, its settings and the rate limiter go on
``app.state`` (the routes take them through ``wbk.api.deps``), the error handlers, and the
routers of ``wbk.api.routes``. The description is served at ``/openapi.json``; the pages
that render it (``/docs``, ``/redoc``) are off: FastAPI loads them from a CDN, and the API
must work where there is none."""

from __future__ import annotations

import gc
import logging
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from wbk.api import models
from wbk.api.errors import ApiError, CatchAll, api_error_handler, http_handler
from wbk.api.gate import validation_handler
from wbk.api.ratelimit import RateLimiter
from wbk.api.routes import ROUTERS
from wbk.catalog import DEFAULT_CATALOG_ID
from wbk.i18n import t
from wbk.services.core.workspace import Workspace, open_workspace
from wbk.settings import Settings, address_warnings, api_url

log = logging.getLogger("wbk.api")


def create_app(
    ws: Workspace | None = None,
    cfg: Settings | None = None,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    """The API over ``ws`` (default: the workspace the settings point at), with ``cfg``
    (default: the workspace's settings) and ``limiter`` (default: their rate per minute)."""
    ws = ws or open_workspace()
    cfg = cfg or ws.settings
    app = FastAPI(
        title="wbk: API Integrasi ZI (PortalRB)",
        version="1.0.0",
        description=t("portalrb_api.doc.description", lang="id"),
        docs_url=None,
        redoc_url=None,
    )
    app.state.ws = ws
    app.state.settings = cfg
    app.state.limiter = limiter or RateLimiter(cfg.api_rate_per_minute)
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(RequestValidationError, validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_handler)
    app.add_middleware(CatchAll)
    for router in ROUTERS:
        app.include_router(router)
    # the evidence page's JSON form has a schema too
    _register(app, models.EvidencePage)
    return app


def serve() -> FastAPI:
    """The app ``wbk api`` serves (uvicorn's factory, ``wbk.api.app:serve``): the API over the
    workspace the settings point at, settled before the first request."""
    ws = open_workspace()
    app = create_app(ws)
    if not api_url(ws.settings):
        log.error("WBK_API_URL is not set: answers with evidence links are refused (503)")
    for warning in address_warnings(ws.settings):
        log.warning(warning)
    settle(ws)
    return app


def settle(ws: Workspace) -> None:
    """Before serving: load the default catalog, then take everything alive from now on (the
    modules, the catalog, SQLAlchemy's compiled statements) out of the garbage collector's
    view. A full collection over that heap cost ~100 ms every few requests (bench_api's p95);
    frozen, each request's own garbage is all it walks."""
    ws.catalog(DEFAULT_CATALOG_ID)
    gc.collect()
    gc.freeze()


def _register(app: FastAPI, model: type) -> None:
    """Add ``model`` to the schema's components (it is only referenced by a raw response)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            extra = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in extra.pop("$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas[model.__name__] = extra
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
