"""Admin > PortalRB shows when PortalRB last fetched each proposed unit (AppTest on the demo
workspace): "belum pernah diambil" until the API serves the unit's answers, then the time and
what the fetch gave."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.ui import conftest as ui
from wbk.api import create_app
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.portalrb import proposals, tokens
from wbk.settings import Settings

demo_dir = ui.demo_dir  # the demo workspace, copied per test (fixtures)
data_dir = ui.data_dir
ADMIN_PAGE = "wbk/ui/pages/admin.py"
YEAR = date.today().year  # the demo assessment's year
COLUMN = "Diambil PortalRB"


def fetched_column() -> list[str]:
    at = ui.sign_in("admin")
    at.switch_page(ADMIN_PAGE).run()
    assert not at.exception, at.exception
    [table] = [d.value for d in at.dataframe if COLUMN in d.value.columns]
    return table[COLUMN].tolist()


def test_the_proposals_show_portalrbs_last_fetch(data_dir):
    ws = open_workspace(Settings(data_dir=data_dir))
    admin = people.actor_for(ws, "admin")
    proposals.set_proposal(ws, admin, "KK-CONTOH", YEAR, "WBK", reason="uji")
    assert fetched_column() == ["belum pernah diambil"]

    token = tokens.create_token(ws, admin, "portalrb", "KW-CONTOH")
    cfg = ws.settings.model_copy(update={"public_url": "https://zi.example.go.id/api"})
    client = TestClient(create_app(ws, cfg))
    auth = {"Authorization": f"Bearer {token.secret}"}
    body = client.get("/lke/jawaban-unit/KK-CONTOH", headers=auth).json()
    answered = sum(e["jawaban_unit"] is not None for e in body["answers"])
    linked = sum(e["bukti_dukung_unit"] is not None for e in body["answers"])
    ws.db.dispose()

    [shown] = fetched_column()
    assert shown.startswith("diambil ")
    assert shown.endswith(f"127 soal, {answered} dijawab, {linked} dengan data dukung")
