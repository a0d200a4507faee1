"""A day's flows in the browser: the LKE page's totals follow a save at once, an upload form
clears and the same file is not stored twice, and the TPI sees the status steps and only its
own moves."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.server import idle
from tests.support.server import sign_in as _sign_in
from wbk.formats.simple_docs import simple_pdf
from wbk.services.assessment import assessments
from wbk.services.core.workspace import open_workspace
from wbk.services.demo import DEMO_PASSWORD
from wbk.services.people import people
from wbk.settings import Settings


def _metrics(page) -> dict[str, str]:
    boxes = page.locator("[data-testid=stMetric]")
    out = {}
    for i in range(boxes.count()):
        box = boxes.nth(i)
        label = box.locator("[data-testid=stMetricLabel]").inner_text().strip()
        out[label] = box.locator("[data-testid=stMetricValue]").inner_text().strip()
    return out


def _open(page, url: str, user: str, path: str) -> None:
    _sign_in(page, url, user, DEMO_PASSWORD)
    page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
    page.goto(url + path)
    idle(page)
    page.get_by_role("heading", name="Penilaian LKE").wait_for()
    page.locator("[data-testid=stMetricLabel]", has_text="Nilai total").wait_for()
    idle(page)


def test_the_totals_follow_a_save_and_an_upload_clears_and_is_not_stored_twice(
    browser, demo_app, artifacts, tmp_path
):
    page = browser.new_page(viewport={"width": 1366, "height": 2400})
    _open(page, demo_app, "agen", "/lke?q=P.MP.i.a")
    before = _metrics(page)
    assert before["Nilai total"] == "74,00"
    question = page.locator(".st-key-q-P-MP-i-a")
    question.get_by_text("Tidak (0,00)").click()  # saved inside the question's fragment
    idle(page)
    question.get_by_text("Nilai total sekarang 73,75").wait_for()
    idle(page)
    after = _metrics(page)
    assert after["Nilai total"] == "73,75"  # the header follows without leaving the page
    area = [k for k in before if k != "Nilai total"]
    assert area and after[area[0]] != before[area[0]]  # and so does the area's figure
    page.screenshot(path=str(artifacts / "flows-totals.png"))

    pdf = tmp_path / "notulen.pdf"
    pdf.write_bytes(simple_pdf("Notulen rapat pembentukan tim kerja"))
    page.goto(demo_app + "/lke?q=P.MP.i.b")
    idle(page)
    question = page.locator(".st-key-q-P-MP-i-b")

    def upload(title: str) -> None:
        question.get_by_text("Tambah data dukung untuk pertanyaan ini").click()
        idle(page)
        question.locator("input[type=file]").set_input_files(str(pdf))
        idle(page)
        question.get_by_label("Judul").fill(title)
        question.get_by_role("button", name="Unggah").click()
        idle(page)

    upload("Notulen pembentukan tim")
    question.get_by_text("Notulen pembentukan tim · rev 1").wait_for()
    # stored: the form is empty again (no file, no title). The document line is drawn
    # before the form below it is replaced, within the same run: wait for the run to end.
    idle(page)
    expect(question.get_by_label("Judul")).to_have_value("", timeout=10_000)
    expect(question.locator("[data-testid=stFileUploaderFile]")).to_have_count(0)
    question.locator("input[type=file]").set_input_files(str(pdf))  # the same file again
    idle(page)
    question.get_by_label("Judul").fill("Notulen lagi")
    question.get_by_role("button", name="Unggah").click()
    idle(page)
    refusal = question.locator("[data-testid=stAlertContentError]")
    refusal.wait_for()
    assert re.search(r"sudah ada sebagai dokumen #\d+", refusal.inner_text())
    expect(question.get_by_text("Notulen pembentukan tim · rev 1")).to_have_count(1)
    page.screenshot(path=str(artifacts / "flows-same-file.png"))

    page.goto(demo_app + "/lke?q=P.MP.ii.a")  # the same file for another question
    idle(page)
    other = page.locator(".st-key-q-P-MP-ii-a")
    question = other
    upload("Notulen untuk pertanyaan lain")
    link = other.get_by_role("button", name=re.compile(r"Tautkan dokumen #\d+ ke pertanyaan ini"))
    link.click()
    idle(page)
    other.get_by_text("Notulen pembentukan tim · rev 1").wait_for()
    idle(page)
    expect(other.get_by_text("Notulen untuk pertanyaan lain")).to_have_count(0)
    page.close()


def test_the_tpi_sees_the_steps_and_only_its_own_moves(browser, demo_app, artifacts, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 1200})
    _open(page, demo_app, "tpi", "/lke")
    steps = page.locator(".st-key-lke-status")
    steps.get_by_text("Draf → Diajukan → Direviu → Dikunci").wait_for()
    steps.get_by_text("Berikutnya: koordinator atau admin (Ajukan ke TPI)").wait_for()
    steps.get_by_text("setelah penilaian berstatus Diajukan ke TPI").wait_for()
    assert steps.get_by_role("button").count() == 0  # in Draf the TPI has nothing to press
    page.screenshot(path=str(artifacts / "flows-tpi-draft.png"))

    ws = open_workspace(Settings(data_dir=tmp_path / "data"))  # the koordinator submits
    koordinator = people.actor_for(ws, "koordinator")
    [aid] = [a.id for a in assessments.list_assessments(ws, koordinator)]
    assessments.set_status(ws, koordinator, aid, "submitted")
    ws.db.dispose()
    page.reload()
    idle(page)
    steps.get_by_text("Giliran Anda: Tandai sudah direviu").wait_for()
    steps.get_by_role("button", name="Tandai sudah direviu").click()
    idle(page)
    steps.get_by_text("Berikutnya: koordinator atau admin (Kunci penilaian)").wait_for()
    idle(page)
    expect(steps.get_by_role("button", name="Buka kembali reviu")).to_have_count(1)
    expect(steps.get_by_role("button", name="Ajukan ke TPI")).to_have_count(0)
    page.screenshot(path=str(artifacts / "flows-tpi-reviewed.png"))
    page.close()
