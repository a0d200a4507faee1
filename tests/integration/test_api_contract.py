"""PortalRB's side of the contract, played against a real ``uvicorn`` server: with a token it
fetches the proposed units and every unit's answers, retrying a failed fetch as the guide
says (at once, after 60 s, after 120 s; never a 4xx), and checks every field and type against
the guide and PortalRB's master question list."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import uvicorn

from tests.integration.test_api import PUBLIC, build_api_world

MASTER = Path(__file__).resolve().parents[1] / "data/portalrb/master-soal-lkezi-2026.json"
RETRY_WAITS = (0, 60, 120)  # the guide: 3 retries, at once, after 60 s, after 120 s


def master_soals() -> dict[int, dict]:
    out: dict[int, dict] = {}

    def walk(node: dict) -> None:
        for soal in node.get("soals", []):
            out[soal["id"]] = soal
        for child in node.get("children", []):
            walk(child)

    for node in json.loads(MASTER.read_text(encoding="utf-8"))["data"]:
        walk(node)
    return out


class FetchFailed(Exception):
    pass


class PortalRB:
    """A PortalRB as its guide describes it: GET with the bearer token; a timeout, a
    connection error or a 5xx is retried three times, anything else is the answer."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.client = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10)
        self.waits: list[int] = []  # what PortalRB would sleep (the test does not)
        self.attempts: dict[str, int] = {}

    def get(self, path: str) -> httpx.Response:
        for attempt, wait in enumerate((None, *RETRY_WAITS)):
            if wait is not None:
                self.waits.append(wait)
            self.attempts[path] = attempt + 1
            try:
                response = self.client.get(self.base + path)
            except (httpx.TimeoutException, httpx.TransportError):
                continue
            if response.status_code < 500:
                return response
        raise FetchFailed(path)


class Flaky:
    """The proxy in front of the API failing the first ``n`` requests for one path."""

    def __init__(self, app, path: str, n: int) -> None:
        self.app, self.path, self.left = app, path, n

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == self.path and self.left > 0:
            self.left -= 1
            await send({"type": "http.response.start", "status": 502, "headers": []})
            await send({"type": "http.response.body", "body": b"Bad Gateway"})
            return
        await self.app(scope, receive, send)


@pytest.fixture
def server(world, catalog):
    """The API on a real uvicorn server on a free local port (stopped after the test)."""
    built = build_api_world(world, catalog)
    app = Flaky(built["client"].app, "/lke/jawaban-unit/B", 2)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield {**built, "base": f"http://127.0.0.1:{port}"}
    srv.should_exit = True
    thread.join(10)
    sock.close()


def check_jawaban(value, soal: dict) -> None:
    """A jawaban as the master list's jenis_jawaban says, always as text (the guide's type):
    an option key, a count ("12"), an index ("3.62")."""
    if value is None:
        return
    assert type(value) is str, (soal["id"], value)
    jenis = soal["jenis_jawaban"].lower()
    keys = [o["key"] for o in soal["skema_penilaian"]]
    if jenis == "jumlah":
        assert value.isascii() and value.isdigit(), value
    elif jenis == "0-4":
        assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", value) and 0 <= Decimal(value) <= 4, value
    else:
        assert value in keys, (soal["id"], value, keys)


def test_portalrb_fetches_every_proposed_unit_by_the_guide(server):
    soals = master_soals()
    assert sorted(soals) == list(range(1, 128))
    portal = PortalRB(server["base"], server["auth"]["Authorization"].split(" ", 1)[1])

    units = []
    for path, kategori in (
        ("/pengusulan/unit-wbk", {"WBK", "WBK-AFIRMASI"}),
        ("/pengusulan/unit-wbbm", {"WBBM"}),
    ):
        response = portal.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert set(body) == {"tahun", "units"} and type(body["tahun"]) is int
        for unit in body["units"]:
            assert set(unit) == {"id", "nama", "kategori", "afirmasi"}
            assert type(unit["id"]) is str and type(unit["nama"]) is str
            assert unit["kategori"] in kategori and type(unit["afirmasi"]) is bool
            assert unit["afirmasi"] == (unit["kategori"] == "WBK-AFIRMASI")
            units.append((body["tahun"], unit))
    assert [(y, u["id"]) for y, u in units] == [(2026, "A"), (2026, "B")]

    for year, unit in units:
        response = portal.get(f"/lke/jawaban-unit/{unit['id']}")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"unit_id", "nama_unit", "tahun", "answers"}
        assert (body["unit_id"], body["nama_unit"], body["tahun"]) == (
            unit["id"],
            unit["nama"],
            year,
        )
        assert [e["soal_id"] for e in body["answers"]] == list(range(1, 128))
        for entry in body["answers"]:
            assert set(entry) == {
                "soal_id",
                "jawaban_unit",
                "jawaban_tpi",
                "catatan_unit",
                "bukti_dukung_unit",
                "catatan_tpi",
            }
            soal = soals[entry["soal_id"]]
            check_jawaban(entry["jawaban_unit"], soal)
            check_jawaban(entry["jawaban_tpi"], soal)
            for key in ("catatan_unit", "catatan_tpi", "bukti_dukung_unit"):
                assert entry[key] is None or (type(entry[key]) is str and entry[key])
            link = entry["bukti_dukung_unit"]
            if link is not None:
                assert link.startswith(PUBLIC + "/bukti-dukung/")
        answered = [e for e in body["answers"] if e["jawaban_unit"] is not None]
        assert len(answered) == (127 if unit["id"] == "A" else 0)

    # B's answers came through the flaky proxy: failed twice, retried at once, then after 60 s
    assert portal.attempts["/lke/jawaban-unit/B"] == 3 and portal.waits == [0, 60]
    # a 4xx is PortalRB's answer, not retried
    assert portal.get("/lke/jawaban-unit/C").status_code == 404
    assert portal.attempts["/lke/jawaban-unit/C"] == 1

    # the evidence links of unit A open, through the same server, without the token
    first = portal.get("/lke/jawaban-unit/A").json()["answers"][0]["bukti_dukung_unit"]
    page = httpx.get(server["base"] + first.removeprefix(PUBLIC), timeout=10)
    assert page.status_code == 200 and "SK Tim ZI.pdf" in page.text


def test_a_fetch_that_keeps_failing_is_given_up_after_three_retries(server):
    portal = PortalRB(server["base"], "wbkrb_tidak-dipakai")
    portal.base = "http://127.0.0.1:9"  # nothing listens there: every attempt fails
    with pytest.raises(FetchFailed):
        portal.get("/pengusulan/unit-wbk")
    assert portal.attempts["/pengusulan/unit-wbk"] == 4 and portal.waits == [0, 60, 120]
