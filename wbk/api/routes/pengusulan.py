"""``/pengusulan/unit-wbk`` and ``/pengusulan/unit-wbbm``: the units of the token's tree
proposed for a predicate in a year."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from wbk.api import models
from wbk.api.deps import TokenCallDep, WorkspaceDep
from wbk.api.errors import documented
from wbk.api.routes.params import Tahun
from wbk.catalog.contract import PORTALRB_PREDICATES, portalrb_kategori
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import answers as portalrb
from wbk.services.portalrb.tokens import Principal

router = APIRouter(tags=["pengusulan"])
WBK, WBBM = PORTALRB_PREDICATES  # the two lists PortalRB's guide defines
LISTS = documented(401, 422, 429, 500)


def unit_list(
    ws: Workspace, predicate: str, tahun: int | None
) -> Callable[[Principal], models.UnitList]:
    def work(p: Principal) -> models.UnitList:
        found = portalrb.unit_list(ws, p, predicate, tahun)
        units = [
            models.UnitProposed(id=u.id, nama=u.nama, kategori=u.kategori, afirmasi=u.afirmasi)
            for u in found.units
        ]
        return models.UnitList(tahun=found.tahun, units=units)

    return work


@router.get(
    "/pengusulan/unit-wbk",
    response_model=models.UnitList,
    responses=LISTS,
    summary=f"Unit yang diusulkan untuk {WBK} (termasuk {portalrb_kategori(WBK, True)})",
)
def unit_wbk(call: TokenCallDep, ws: WorkspaceDep, tahun: Tahun = None) -> Any:
    return call("/pengusulan/unit-wbk", None, unit_list(ws, WBK, tahun))


@router.get(
    "/pengusulan/unit-wbbm",
    response_model=models.UnitList,
    responses=LISTS,
    summary=f"Unit yang diusulkan untuk {WBBM}",
)
def unit_wbbm(call: TokenCallDep, ws: WorkspaceDep, tahun: Tahun = None) -> Any:
    return call("/pengusulan/unit-wbbm", None, unit_list(ws, WBBM, tahun))
