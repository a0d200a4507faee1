"""End to end in a real browser: an agen opens the action plan, accepts a step as a task, finds
it in the task list, and tries an answer in the sandbox without saving it."""

from __future__ import annotations

import re

import pytest

from tests.support.server import idle, start_app, stop_app
from tests.support.server import sign_in as _sign_in
from wbk.services import demo
from wbk.services.core.workspace import open_workspace
from wbk.services.demo import DEMO_PASSWORD
from wbk.settings import Settings


@pytest.fixture
def strict_demo_app(tmp_path):
    """The demo under the stricter per-area reading (WBK_AREA_READING=strict): the plan below
    (R.MP.ii.a, a Reform MP step) is the one that reading gives."""
    data_dir = tmp_path / "data"
    ws = open_workspace(Settings(data_dir=data_dir))
    demo.create_demo(ws)
    ws.db.dispose()
    proc, url = start_app(data_dir, env_extra={"WBK_AREA_READING": "strict"})
    yield url
    stop_app(proc)


def metric_value(page, label: str) -> str:
    box = page.locator("[data-testid=stMetric]", has_text=label).first
    return box.locator("[data-testid=stMetricValue]").inner_text().strip()


def test_agen_accepts_a_step_as_a_task(browser, strict_demo_app, artifacts):
    page = browser.new_page(viewport={"width": 1440, "height": 2400})
    _sign_in(page, strict_demo_app, "agen", DEMO_PASSWORD)
    page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
    page.locator("[data-testid=stSidebarNav] a", has_text="Rencana aksi").click()
    idle(page)
    page.get_by_role("heading", name="Rencana aksi").wait_for()
    assert metric_value(page, "Sebelum") == "74,00"

    # keep one step: clear the chosen steps, then pick R.MP.ii.a (C -> B)
    steps = page.locator(".st-key-accept_steps_WBK")
    steps.get_by_role("button", name=re.compile("Clear all", re.I)).first.click()
    idle(page)
    steps.locator("input").fill("R.MP.ii.a")
    page.get_by_role("option", name=re.compile(r"^R\.MP\.ii\.a → B")).click()
    page.keyboard.press("Escape")
    idle(page)
    page.locator(".st-key-accept_submit_WBK button").click()
    idle(page)
    page.get_by_text("1 tugas dibuat.").wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "plan-accepted.png"))

    page.get_by_role("tab", name="Tugas (1 terbuka)").click()
    idle(page)
    # the task list offers it for closing by hand: number, question, target, owner
    chosen = page.locator(".st-key-close_task")
    shown = chosen.locator("input").input_value()
    assert shown == "#1 R.MP.ii.a → B (Budi Santoso (Pokja MP & TT))"

    page.get_by_role("tab", name="Simulasi (what-if)").click()
    idle(page)
    page.locator(".st-key-sb_code input").fill("R.MP.iii.a")
    page.get_by_role("option", name=re.compile(r"^R\.MP\.iii\.a ")).click()
    idle(page)
    # R.MP.iii.a B (0.67) -> A (1): +0.33 in R.MP.iii (1.0 for one question), nothing saved
    page.locator(".st-key-sb-1-R-MP-iii-a").get_by_text("A (1,00)").click()
    idle(page)
    assert metric_value(page, "Nilai total (simulasi)") == "74,33"
    page.screenshot(path=str(artifacts / "plan-sandbox.png"))
    page.close()
