"""``/lke/jawaban-unit/{unit_id}``: a proposed unit's answers, one entry per soal_id."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from wbk.api import models
from wbk.api.deps import SettingsDep, TokenCallDep, WorkspaceDep
from wbk.api.errors import documented
from wbk.api.routes.params import Tahun
from wbk.services.portalrb import answers as portalrb
from wbk.services.portalrb.tokens import Principal

router = APIRouter(tags=["lke"])


@router.get(
    "/lke/jawaban-unit/{unit_id}",
    response_model=models.UnitAnswers,
    responses=documented(401, 403, 404, 422, 429, 500, 503),
    summary="Jawaban LKE satu unit yang diusulkan, satu entri per soal_id 1..127",
)
def jawaban_unit(
    call: TokenCallDep,
    ws: WorkspaceDep,
    cfg: SettingsDep,
    unit_id: Annotated[str, Path(max_length=64, description="Kode unit (id pada daftar)")],
    tahun: Tahun = None,
) -> Any:
    fetched: dict = {}  # what this fetch gave: its audit event keeps it (wbk proposal list)

    def work(p: Principal) -> models.UnitAnswers:
        found = portalrb.unit_answers(ws, p, unit_id, tahun, cfg)
        body = models.UnitAnswers.model_validate(found.body())
        fetched.update(found.fetched())
        return body

    return call("/lke/jawaban-unit", unit_id, work, fetched)
