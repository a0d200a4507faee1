"""``/bukti-dukung/...``: one question's evidence page and its files, behind the signed link
``bukti_dukung_unit`` carries (no token: the signature is the permission)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, BinaryIO
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from wbk.api import models
from wbk.api.deps import LinkCallDep, SettingsDep, WorkspaceDep
from wbk.api.errors import HEADERS, documented
from wbk.api.pages import CSP, render
from wbk.services.portalrb import evidence

router = APIRouter(tags=["bukti dukung"])
CHUNK = 256 * 1024
Exp = Annotated[int, Query(description="Batas berlaku tautan (waktu Unix)")]
Sig = Annotated[str, Query(max_length=128, description="Tanda tangan HMAC-SHA256")]
UnitCode = Annotated[str, Path(max_length=64)]
KodePath = Annotated[str, Path(max_length=64)]
TahunPath = Annotated[int, Path(ge=2000, le=2100)]


@router.get(
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
        **documented(403, 404, 422, 429, 500, 503),
    },
    summary="Data dukung satu pertanyaan (tautan bertanda tangan dari bukti_dukung_unit)",
)
def evidence_page(
    request: Request,
    call: LinkCallDep,
    ws: WorkspaceDep,
    cfg: SettingsDep,
    unit_id: UnitCode,
    tahun: TahunPath,
    kode: KodePath,
    exp: Exp,
    sig: Sig,
) -> Response:
    def work() -> Response:
        page = evidence.evidence_page(ws, cfg, unit_id, tahun, kode, exp, sig)
        if _wants_json(request):
            return JSONResponse(page_model(page).model_dump(mode="json"), headers=HEADERS)
        headers = {**HEADERS, "Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer"}
        return HTMLResponse(render(page), headers=headers)

    return call("/bukti-dukung", unit_id, {"kode": kode, "tahun": tahun}, work)


@router.get(
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
    summary="Unduh satu berkas data dukung (tanda tangan yang sama dengan halamannya)",
)
def evidence_file(
    call: LinkCallDep,
    ws: WorkspaceDep,
    cfg: SettingsDep,
    unit_id: UnitCode,
    tahun: TahunPath,
    kode: KodePath,
    sha256: Annotated[str, Path(min_length=64, max_length=64)],
    exp: Exp,
    sig: Sig,
) -> Response:
    def work() -> Response:
        found, handle = evidence.open_evidence_file(ws, cfg, unit_id, tahun, kode, sha256, exp, sig)
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
    return call("/bukti-dukung/berkas", unit_id, detail, work)


def page_model(page: evidence.EvidencePage) -> models.EvidencePage:
    """The evidence page's JSON form."""
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


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()
