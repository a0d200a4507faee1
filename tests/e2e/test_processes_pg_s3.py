"""Two Streamlit processes and the API on one PostgreSQL database and one S3 store: two
people editing the same assessment lose nothing, each process sees the other's change on its
next rerun, the API serves it, and the audit chain verifies afterwards."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import httpx
import pytest
from sqlalchemy import create_engine, text

import tests.integration.s3 as s3
from tests.integration.conftest import pg_url  # noqa: F401 - the PostgreSQL server fixture
from tests.support.server import ROOT, free_port, idle, sign_in, start_app, stop_app
from wbk.formats.simple_docs import simple_pdf
from wbk.services.assessment import assessments, evidence
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.demo import DEMO_PASSWORD, create_demo
from wbk.services.people import people
from wbk.services.portalrb import proposals, tokens
from wbk.settings import Settings

moto_endpoint = s3.moto_endpoint
s3_env = s3.s3_env


@pytest.fixture
def shared(pg_url, s3_env, tmp_path):  # noqa: F811
    """A demo workspace on a fresh PostgreSQL database with its evidence in S3."""
    name = f"wbk_procs_{os.getpid()}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    env = {
        "WBK_DATABASE_URL": pg_url.rsplit("/", 1)[0] + f"/{name}",
        "WBK_BLOB_URL": s3_env.url(),
        "WBK_BACKUP_KEY": str(tmp_path / "keys" / "backup.pem"),
        **{k: v for k, v in os.environ.items() if k.startswith("AWS_")},
    }
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=env["WBK_DATABASE_URL"],
        blob_url=env["WBK_BLOB_URL"],
        backup_key=tmp_path / "keys" / "backup.pem",
    )
    ws = open_workspace(settings)
    aid = create_demo(ws)
    return ws, aid, env, tmp_path / "data"


def _question(page, url: str, user: str):
    sign_in(page, url, user, DEMO_PASSWORD)
    page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
    page.locator("[data-testid=stSidebarNav] a", has_text="Penilaian").click()
    idle(page)
    return page.locator(".st-key-q-P-MP-i-a")


def _api(env: dict[str, str], data_dir, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wbk", "api", "--port", str(port)],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "WBK_DATA_DIR": str(data_dir),
            "WBK_PUBLIC_URL": "https://zi.example.go.id/api",  # the answers carry links
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
            return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("wbk api did not start")


def test_two_processes_and_the_api_lose_nothing(browser, shared, artifacts):
    ws, aid, env, data_dir = shared
    op = operator("tester")
    ev = evidence.add_file(ws, op, aid, ["P.MP.i.b"], io.BytesIO(simple_pdf("Notulen")), "n.pdf")
    year = assessments.get_assessment_view(ws, op, aid).year
    proposals.set_proposal(ws, op, "KK-CONTOH", year, "WBK", reason="uji")
    secret = tokens.create_token(ws, op, "portalrb", "KW-CONTOH").secret
    one, url_one = start_app(data_dir, env_extra=env)
    two, url_two = start_app(data_dir, env_extra=env)
    port = free_port()
    api = _api(env, data_dir, port)
    try:
        agen = browser.new_page(viewport={"width": 1400, "height": 2000})
        koordinator = browser.new_page(viewport={"width": 1400, "height": 2000})
        q_agen = _question(agen, url_one, "agen")
        q_koor = _question(koordinator, url_two, "koordinator")  # both pages read "Ya"

        q_agen.get_by_text("Tidak (0,00)").click()  # process one saves first
        idle(agen)
        q_agen.get_by_text("Nilai total sekarang 73,75").wait_for()

        q_koor.get_by_text("Tidak (0,00)").click()  # process two's page is now stale
        idle(koordinator)
        q_koor.get_by_text("sudah diubah oleh").wait_for()  # names who changed it, not lost
        koordinator.screenshot(path=str(artifacts / "two-processes-conflict.png"))

        koordinator.locator("[data-testid=stSidebarNav] a", has_text="Dasbor").click()
        idle(koordinator)  # process two shows process one's change on its next rerun
        box = koordinator.locator("[data-testid=stMetric]", has_text="Nilai total").first
        assert box.locator("[data-testid=stMetricValue]").inner_text().strip() == "73,75"

        auth = {"Authorization": f"Bearer {secret}"}
        body = httpx.get(
            f"http://127.0.0.1:{port}/lke/jawaban-unit/KK-CONTOH", headers=auth, timeout=10
        ).json()
        soal = ws.catalog("lke-zi-2021").questions["P.MP.i.a"].soal_id
        first = next(a for a in body["answers"] if a["soal_id"] == soal)
        assert first["jawaban_unit"] == "Tidak"  # the API reads the same database
    finally:
        stop_app(api)
        stop_app(one)
        stop_app(two)

    result = subprocess.run(
        [sys.executable, "-m", "wbk", "verify"],
        cwd=ROOT,
        env={**os.environ, **env, "WBK_DATA_DIR": str(data_dir), "WBK_LANG": "en"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert ev.latest.sha256 in set(ws.blobs.names())  # the evidence lives in the bucket
    assert people.count_users(ws) == 5
    ws.db.dispose()
