"""The PortalRB API (FastAPI): the proposed units, a proposed unit's answers by soal_id, and
the signed evidence pages and files; bearer tokens, a rate limit per token, and an audit
event for every fetch. Every read goes through the services, with the token's principal."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from typing import Annotated, Any, BinaryIO
from urllib.parse import quote

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from wbk.api import models
from wbk.api.errors import (
    HEADERS,
    ApiError,
    CatchAll,
    api_error_handler,
    documented,
    from_service,
    http_handler,
    validation_handler,
)
from wbk.api.pages import CSP, render
from wbk.api.ratelimit import RateLimiter
from wbk.catalog import DEFAULT_CATALOG_ID
from wbk.i18n import t
from wbk.services.core.workspace import Workspace, open_workspace
from wbk.services.portalrb import answers as portalrb
from wbk.services.portalrb import tokens
from wbk.services.portalrb.tokens import LINK_ACTOR, Principal
from wbk.settings import Settings

log = logging.getLogger("wbk.api")
bearer = HTTPBearer(auto_error=False, description="Token dari `wbk token create`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
Tahun = Annotated[
    int | None,
    Query(ge=2000, le=2100, description="Tahun evaluasi (bawaan: tahun terakhir yang diusulkan)"),
]
CHUNK = 256 * 1024
Exp = Annotated[int, Query(description="Batas berlaku tautan (waktu Unix)")]
Sig = Annotated[str, Query(max_length=128, description="Tanda tangan HMAC-SHA256")]
UnitCode = Annotated[str, Path(max_length=64)]
KodePath = Annotated[str, Path(max_length=64)]
TahunPath = Annotated[int, Path(ge=2000, le=2100)]


def create_app(
    ws: Workspace | None = None,
    cfg: Settings | None = None,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    """The API over ``ws`` (default: the workspace the settings point at)."""
    ws = ws or open_workspace()
    cfg = cfg or ws.settings
    limiter = limiter or RateLimiter(cfg.api_rate_per_minute)
    app = FastAPI(
        title="wbk: API Integrasi ZI (PortalRB)",
        version="1.0.0",
        description=t("portalrb_api.doc.description", lang="id"),
        redoc_url=None,
    )
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(RequestValidationError, validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_handler)
    app.add_middleware(CatchAll)

    def client(request: Request) -> str:
        return request.client.host if request.client else "-"

    def audit(
        principal: Principal | None,
        endpoint: str,
        unit: str | None,
        status: int,
        detail: dict | None = None,
        actor=None,
    ) -> None:
        try:
            tokens.record_fetch(ws, principal, endpoint, unit, status, detail, actor)
        except Exception:  # the answer stands; the failure is in the log
            log.exception("could not audit %s %s (%s)", endpoint, unit, status)

    def serve(
        request: Request,
        creds: HTTPAuthorizationCredentials | None,
        endpoint: str,
        unit: str | None,
        work: Callable[[Principal], Any],
    ) -> Any:
        """Resolve the token, apply its rate limit, do the work, audit the outcome."""
        principal, status = None, 500
        try:
            secret = creds.credentials if creds is not None else None
            try:
                principal = tokens.resolve_token(ws, secret)
            except tokens.TokenRefused:
                wait = limiter.take(f"client:{client(request)}")
                if wait:  # someone guessing tokens: slow them down, do not fill the audit
                    status = 0
                    raise _limited(wait) from None
                raise
            wait = limiter.take(f"token:{principal.token_id}")
            if wait:
                raise _limited(wait)
            result = work(principal)
            status = 200
            return result
        except Exception as exc:
            err = from_service(exc)
            status = status if status == 0 else err.status
            raise err from None
        finally:
            if status:
                audit(principal, endpoint, unit, status)

    def unit_list(predicate: str, tahun: int | None) -> Callable[[Principal], Any]:
        def work(p: Principal) -> models.UnitList:
            found = portalrb.unit_list(ws, p, predicate, tahun)
            units = [
                models.UnitProposed(id=u.id, nama=u.nama, kategori=u.kategori, afirmasi=u.afirmasi)
                for u in found.units
            ]
            return models.UnitList(tahun=found.tahun, units=units)

        return work

    lists = documented(401, 422, 429, 500)

    @app.get(
        "/pengusulan/unit-wbk",
        response_model=models.UnitList,
        responses=lists,
        tags=["pengusulan"],
        summary="Unit yang diusulkan untuk WBK (termasuk WBK-AFIRMASI)",
    )
    def unit_wbk(request: Request, creds: Credentials, tahun: Tahun = None) -> Any:
        return serve(request, creds, "/pengusulan/unit-wbk", None, unit_list("WBK", tahun))

    @app.get(
        "/pengusulan/unit-wbbm",
        response_model=models.UnitList,
        responses=lists,
        tags=["pengusulan"],
        summary="Unit yang diusulkan untuk WBBM",
    )
    def unit_wbbm(request: Request, creds: Credentials, tahun: Tahun = None) -> Any:
        return serve(request, creds, "/pengusulan/unit-wbbm", None, unit_list("WBBM", tahun))

    @app.get(
        "/lke/jawaban-unit/{unit_id}",
        response_model=models.UnitAnswers,
        responses=documented(401, 403, 404, 422, 429, 500),
        tags=["lke"],
        summary="Jawaban LKE satu unit yang diusulkan, satu entri per soal_id 1..127",
    )
    def jawaban_unit(
        request: Request,
        creds: Credentials,
        unit_id: Annotated[str, Path(max_length=64, description="Kode unit (id pada daftar)")],
        tahun: Tahun = None,
    ) -> Any:
        base = str(request.base_url)

        def work(p: Principal) -> models.UnitAnswers:
            found = portalrb.unit_answers(ws, p, unit_id, tahun, cfg, base)
            return models.UnitAnswers(
                unit_id=found.unit_id,
                nama_unit=found.nama_unit,
                tahun=found.tahun,
                answers=[models.SoalAnswer(**e.to_dict()) for e in found.answers],
            )

        return serve(request, creds, "/lke/jawaban-unit", unit_id, work)

    # --- signed evidence links (no token: the signature is the permission) ------------------

    def link_call(request: Request, endpoint: str, unit: str, detail: dict, work: Callable) -> Any:
        status = 500
        try:
            wait = limiter.take(f"link:{client(request)}")
            if wait:
                raise _limited(wait)
            result = work()
            status = 200
            return result
        except Exception as exc:
            err = from_service(exc)
            status = err.status
            raise err from None
        finally:
            audit(None, endpoint, unit, status, detail, LINK_ACTOR)

    @app.get(
        "/bukti-dukung/{unit_id}/{tahun}/{kode}",
        response_class=HTMLResponse,
        responses={
            200: {
                "description": "Halaman data dukung (HTML; JSON bila Accept: application/json)",
                "content": {
                    "text/html": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/EvidencePage"}},
                },
            },
            **documented(403, 404, 422, 429, 500),
        },
        tags=["bukti dukung"],
        summary="Data dukung satu pertanyaan (tautan bertanda tangan dari bukti_dukung_unit)",
    )
    def evidence_page(
        request: Request, unit_id: UnitCode, tahun: TahunPath, kode: KodePath, exp: Exp, sig: Sig
    ) -> Response:
        base = str(request.base_url)

        def work() -> Response:
            page = portalrb.evidence_page(ws, cfg, unit_id, tahun, kode, exp, sig, base)
            if _wants_json(request):
                return JSONResponse(_page_model(page).model_dump(mode="json"), headers=HEADERS)
            headers = {**HEADERS, "Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer"}
            return HTMLResponse(render(page), headers=headers)

        detail = {"kode": kode, "tahun": tahun}
        return link_call(request, "/bukti-dukung", unit_id, detail, work)

    @app.get(
        "/bukti-dukung/{unit_id}/{tahun}/{kode}/berkas/{sha256}",
        response_class=StreamingResponse,
        responses={
            200: {
                "description": "Isi berkas",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            },
            **documented(403, 404, 422, 429, 500),
        },
        tags=["bukti dukung"],
        summary="Unduh satu berkas data dukung (tanda tangan yang sama dengan halamannya)",
    )
    def evidence_file(
        request: Request,
        unit_id: UnitCode,
        tahun: TahunPath,
        kode: KodePath,
        sha256: Annotated[str, Path(min_length=64, max_length=64)],
        exp: Exp,
        sig: Sig,
    ) -> Response:
        def work() -> Response:
            found, handle = portalrb.open_evidence_file(
                ws, cfg, unit_id, tahun, kode, sha256, exp, sig
            )
            name = found.filename or f"{sha256[:12]}"
            headers = {
                **HEADERS,
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
                "Content-Length": str(found.size),
            }
            return StreamingResponse(
                _chunks(handle),
                media_type=found.media_type or "application/octet-stream",
                headers=headers,
            )

        detail = {"kode": kode, "tahun": tahun, "sha256": sha256}
        return link_call(request, "/bukti-dukung/berkas", unit_id, detail, work)

    # the evidence page's JSON form has a schema too
    app.openapi_schema = None
    _register(app, models.EvidencePage)
    return app


def settle(ws: Workspace) -> None:
    """Before serving: load the default catalog, then take everything alive from now on (the
    modules, the catalog, SQLAlchemy's compiled statements) out of the garbage collector's
    view. A full collection over that heap cost ~100 ms every few requests (bench_api's p95);
    frozen, each request's own garbage is all it walks."""
    ws.catalog(DEFAULT_CATALOG_ID)
    gc.collect()
    gc.freeze()


def _limited(wait: int) -> ApiError:
    return ApiError(
        429, t("portalrb_api.error.rate", seconds=wait), headers={"Retry-After": str(wait)}
    )


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _page_model(page: portalrb.EvidencePage) -> models.EvidencePage:
    return models.EvidencePage(
        unit_id=page.unit_id,
        nama_unit=page.nama_unit,
        tahun=page.tahun,
        kode=page.kode,
        pertanyaan=page.pertanyaan,
        berlaku_sampai=page.expires,
        berkas=[
            models.EvidenceFile(
                judul=f.title,
                jenis=f.kind,
                nama_berkas=f.filename,
                tanggal_dokumen=f.document_date,
                diunggah=f.uploaded_at,
                sha256=f.sha256,
                ukuran=f.size,
                tipe=f.media_type,
                url=f.url,
            )
            for f in page.files
        ],
    )


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


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
