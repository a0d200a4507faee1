"""End to end on a phone-sized screen (390 px wide): a visitor opens the counter's survey link,
answers with large touch targets, is thanked, and the form resets for the next person; the 31st
submission within a minute is refused with a polite message."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.support.server import idle
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.surveys import kiosk
from wbk.settings import Settings
from wbk.store.tables.kiosk import KioskResponse

UNIT = "KK-CONTOH"


def stored(ws) -> int:
    with ws.db.read() as s:
        return s.execute(select(func.count()).select_from(KioskResponse)).scalar_one()


def answer(page, key: str, word: str) -> None:
    page.locator(f".st-key-{key}").get_by_text(word, exact=True).click()


def test_a_visitor_answers_on_a_phone_and_the_31st_in_a_minute_waits(
    browser, demo_app, tmp_path, artifacts
):
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    secret = kiosk.create_key(
        ws, operator("test"), UNIT, "2026-T1", services=["Legalisir", "Rekomendasi haji"]
    ).secret
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(kiosk.form_url(UNIT, secret, base_url=demo_app))  # the poster's /survei link
    idle(page)
    page.get_by_role("heading", name="Survei Kepuasan dan Persepsi Layanan").wait_for()
    assert (
        page.locator("[data-testid=stSidebar]").count() == 0
        or not page.locator("[data-testid=stSidebar]").is_visible()
    )
    # nothing wider than the phone, and answers large enough to touch
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "kiosk-form-390.png"))
    box = page.locator(".st-key-kiosk_U1_0 [role=radiogroup] label").first.bounding_box()
    assert box["height"] >= 44

    def fill(n: int) -> None:
        answer(page, f"kiosk_service_{n}", "Legalisir")
        for i in range(1, 10):
            answer(page, f"kiosk_U{i}_{n}", "Sangat sesuai")
        for i in range(1, 9):
            answer(page, f"kiosk_P{i}_{n}", "Setuju")
        for i in range(1, 6):
            answer(page, f"kiosk_A{i}_{n}", "Sangat setuju")
        answer(page, f"kiosk_age_group_{n}", "30–39")
        page.locator(f".st-key-kiosk_submit_{n} button").click()
        idle(page)

    fill(0)
    page.get_by_text("Terima kasih! Jawaban Anda sudah kami terima.").wait_for()
    page.screenshot(path=str(artifacts / "kiosk-thanks-390.png"), full_page=True)
    assert stored(ws) == 1
    page.get_by_role("button", name="Isi untuk pengunjung berikutnya").click()
    idle(page)
    page.locator(".st-key-kiosk_U1_1").wait_for()

    # 29 more in the same minute from other tablets: the next one from this phone waits
    for i in range(29):
        form = {"service": "Legalisir", "answers": {f"U{j}": 3 for j in range(1, 10)}}
        kiosk.submit(ws, UNIT, secret, form, f"tablet-{i}")
    fill(1)
    page.get_by_text("Mohon tunggu sebentar", exact=False).wait_for()
    page.screenshot(path=str(artifacts / "kiosk-rate-limited-390.png"), full_page=True)
    assert stored(ws) == 30
    context.close()
    ws.db.dispose()


def test_the_poster_link_at_survei_opens_the_form(browser, demo_app, tmp_path):
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    secret = kiosk.create_key(ws, operator("test"), UNIT, "2026-T1").secret
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(kiosk.form_url(UNIT, secret, base_url=demo_app))
    idle(page)
    page.get_by_role("heading", name="Survei Kepuasan dan Persepsi Layanan").wait_for()
    page.wait_for_timeout(1000)
    assert page.get_by_text("Page not found").count() == 0
    assert "/survei?" in page.url
    page.close()
    ws.db.dispose()
