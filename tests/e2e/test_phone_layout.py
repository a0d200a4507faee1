"""The dashboard and the kiosk form on a 390 px phone (issue 23, item 9): the gate table shows
Nilai, Minimum and Status without scrolling sideways, the result bars' figures ("3,75 / 5,0")
are whole, and the kiosk form marks each unanswered question and says so at the top."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.server import idle, sign_in
from wbk.services import demo
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.surveys import kiosk
from wbk.settings import Settings

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _inside(box, width: int = 390) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


def _box(page, locator) -> dict | None:
    """The element's box once it is drawn: a rerun (the pre-review's reading finishing in the
    background redraws the page) may replace it between finding and measuring."""
    for _ in range(20):
        locator.wait_for()
        box = locator.bounding_box()
        if box is not None:
            return box
        page.wait_for_timeout(250)
    return None


def test_the_dashboard_fits_a_phone(browser, demo_app, artifacts):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in(page, demo_app, "pimpinan", demo.DEMO_PASSWORD)
    page.get_by_text("Syarat predikat", exact=True).wait_for()
    idle(page)  # the sign-in's own rerun draws the page once more
    table = page.locator("[data-testid=stTable]").first
    table.locator("td", has_text="gagal").first.wait_for()
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "dashboard-gates-390.png"))
    for header in ("Nilai", "Minimum", "Status"):
        cell = table.locator("th", has_text=header).first
        assert _inside(_box(page, cell)), header
    status = table.locator("td", has_text="gagal").first
    assert _inside(_box(page, status))

    label = page.locator("svg text", has_text="3,75 / 5,0").first
    label.wait_for()
    label.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "dashboard-results-390.png"))
    assert _inside(_box(page, label))
    name = label.locator("xpath=..").locator("text", has_text="Capaian kinerja").first
    assert _inside(_box(page, name))  # the item's name above its bar, whole as well
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_the_kiosk_form_marks_what_is_missing_and_says_it_at_the_top(
    browser, demo_app, tmp_path, artifacts
):
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    secret = kiosk.create_key(
        ws, operator("test"), "KK-CONTOH", "2026-T1", services=["Legalisir"]
    ).secret
    ws.db.dispose()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(kiosk.form_url("KK-CONTOH", secret, base_url=demo_app))
    idle(page)
    page.locator(".st-key-kiosk_service_0").get_by_text("Legalisir", exact=True).click()
    for i in (1, 2, 3, 5, 6, 7, 8, 9):  # U4 left empty
        page.locator(f".st-key-kiosk_U{i}_0").get_by_text("Sesuai", exact=True).click()
    page.locator(".st-key-kiosk_submit_0 button").click()
    idle(page)
    summary = page.locator(".st-key-kiosk_summary")
    summary.wait_for()
    page.wait_for_timeout(800)  # the jump to the summary
    page.screenshot(path=str(artifacts / "kiosk-missing-390.png"))
    assert "Kepuasan terhadap layanan no. 4" in summary.inner_text()
    top = summary.bounding_box()
    assert top is not None and -2 <= top["y"] < 844  # in view after the send, not below it
    assert page.evaluate("window.scrollY") < 600  # near the top of a long page
    marked = page.locator("[data-testid=stRadio]", has_text="Belum dijawab")
    expect(marked).to_have_count(1)
    assert "Persyaratan" not in marked.inner_text() and "4." in marked.inner_text()
    context.close()
