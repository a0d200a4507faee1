"""End to end in a real browser: sign in, answer, upload, see the score move, switch language."""

from __future__ import annotations

import re

from tests.support.server import idle
from tests.support.server import sign_in as _sign_in
from wbk.formats.simple_docs import simple_pdf
from wbk.services.demo import DEMO_PASSWORD


def metric_value(page, label: str) -> str:
    box = page.locator("[data-testid=stMetric]", has_text=label).first
    return box.locator("[data-testid=stMetricValue]").inner_text().strip()


def sign_in(page, url: str, user: str) -> None:
    _sign_in(page, url, user, DEMO_PASSWORD)
    page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()


def test_agen_session_end_to_end(browser, demo_app, artifacts, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 2400})
    sign_in(page, demo_app, "agen")
    assert metric_value(page, "Nilai total") == "74,00"
    page.screenshot(path=str(artifacts / "dashboard.png"))

    page.locator("[data-testid=stSidebarNav] a", has_text="Penilaian").click()
    idle(page)
    question = page.locator(".st-key-q-P-MP-i-a")
    question.get_by_text("Tidak (0,00)").click()  # saved at once, no save button
    idle(page)
    # P.MP.i.a: Ya -> Tidak takes its 0.50 / 2 = 0.25 points: 74.00 -> 73.75
    question.get_by_text("Jawaban P.MP.i.a tersimpan. Nilai total sekarang 73,75.").wait_for()
    page.locator("[data-testid=stSidebarNav] a", has_text="Dasbor").click()
    idle(page)
    assert metric_value(page, "Nilai total") == "73,75"

    page.locator("[data-testid=stSidebarNav] a", has_text="Data dukung").click()
    idle(page)
    page.get_by_text("Unggah data dukung").click()
    pdf = tmp_path / "Notulen Rapat.pdf"
    pdf.write_bytes(simple_pdf("Notulen rapat pemilihan anggota tim"))
    page.locator("input[type=file]").first.set_input_files(str(pdf))
    idle(page)
    # an agen limited to MP and TT links the document to a question of those areas
    page.locator(".st-key-upload_codes input").fill("P.MP.i.b")
    page.get_by_role("option", name=re.compile(r"^P\.MP\.i\.b ")).click()
    page.keyboard.press("Escape")  # close the list over the button
    page.locator(".st-key-upload_submit button").click()
    idle(page)
    page.get_by_text(re.compile("Tersimpan: Notulen Rapat")).wait_for(timeout=30_000)

    page.get_by_text("English").click()
    idle(page)
    page.get_by_role("heading", name="Evidence").wait_for()
    page.get_by_role("button", name="Sign out").click()
    idle(page)
    page.get_by_role("button", name="Sign in").wait_for()
    page.close()
