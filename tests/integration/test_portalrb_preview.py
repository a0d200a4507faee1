"""``wbk portalrb preview`` on SQLite and PostgreSQL: it prints byte for byte the body the API
serves for the same unit, is not recorded as a PortalRB fetch, and refuses what the API
refuses (a unit not proposed, a reader outside the unit, no public address)."""

from __future__ import annotations

import json

import pytest

from tests.integration import test_proposals
from tests.integration.test_api import PUBLIC, build_api_world, fetch_events
from wbk.settings import get_settings

cli = test_proposals.cli  # the `wbk ...` fixture, on the test's workspace


@pytest.fixture
def api(world, catalog, cli, monkeypatch):
    built = build_api_world(world, catalog)
    # the CLI's settings as the API's: the same public address and link life
    monkeypatch.setenv("WBK_PUBLIC_URL", PUBLIC)
    monkeypatch.setenv("WBK_LINK_DAYS", str(built["cfg"].link_days))
    get_settings.cache_clear()
    return built


def test_the_preview_is_the_apis_body(api, cli):
    served = api["client"].get("/lke/jawaban-unit/A?tahun=2026", headers=api["auth"])
    assert served.status_code == 200
    fetches = len(fetch_events(api["ws"]))

    out = cli("portalrb", "preview", "--unit", "A", "--year", "2026").stdout
    assert out.endswith("\n") and out[:-1].encode("utf-8") == served.content
    # without --year: the latest year the unit is proposed in, as the API's default
    latest = api["client"].get("/lke/jawaban-unit/A", headers=api["auth"])
    assert cli("portalrb", "preview", "--unit", "A").stdout[:-1].encode() == latest.content
    pretty = cli("portalrb", "preview", "--unit", "A", "--pretty").stdout
    assert "\n  " in pretty and json.loads(pretty) == served.json()
    # the answers are those of the API (counts and indexes as text), and the preview is
    # not a PortalRB fetch: the audit trail has only the API's two
    body = json.loads(out)
    assert body["answers"][87]["jawaban_unit"] == "15" and body["answers"][124]["jawaban_unit"]
    assert len(fetch_events(api["ws"])) == fetches + 1


def test_the_preview_refuses_what_the_api_refuses(api, cli, monkeypatch):
    refused = cli("portalrb", "preview", "--unit", "C", "--year", "2026", code=2).stderr
    assert "Unit C tidak diusulkan pada tahun 2026" in refused
    assert "tidak ditemukan" in cli("portalrb", "preview", "--unit", "X", code=2).stderr
    # a user of unit B may not read unit A's answers
    assert (
        "agen_b tidak berhak"
        in cli("portalrb", "preview", "--unit", "A", "--as", "agen_b", code=2).stderr
    )
    assert cli("portalrb", "preview", "--unit", "B", "--as", "agen_b").stdout.startswith("{")
    monkeypatch.delenv("WBK_PUBLIC_URL")
    get_settings.cache_clear()
    assert "WBK_API_URL" in cli("portalrb", "preview", "--unit", "A", code=2).stderr
