"""A working day in the browser: a reload keeps the sign-in, a deep link opens its question,
the phone shows the verdict in the first screen, nothing is fetched from outside the machine,
and signing out ends the session in every tab."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.support.server import idle
from tests.support.server import sign_in as _sign_in
from wbk.services.demo import DEMO_PASSWORD


def _watch(page, url: str) -> tuple[list[str], list[str]]:
    """Requests to another host, and console errors."""
    outside, errors = [], []
    host = urlparse(url).netloc
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(r.url).netloc != host
            else None
        ),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return outside, errors


def test_reload_deep_link_and_sign_out_everywhere(browser, demo_app, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    outside, errors = _watch(page, demo_app)
    _sign_in(page, demo_app, "koordinator", DEMO_PASSWORD)
    page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
    page.screenshot(path=str(artifacts / "day-dashboard.png"), full_page=True)

    page.reload()  # the session survives a reload
    idle(page)
    page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
    # a badge on the page with something due: the demo's koordinator owns one open note
    page.locator("[data-testid=stSidebarNav] a", has_text="Catatan TPI (1)").wait_for()

    other = context.new_page()  # a new tab with a bookmarked deep link
    other.goto(demo_app + "/lke?q=P.TT.ii.a")
    idle(other)
    other.get_by_role("heading", name="Penilaian LKE").wait_for()
    other.locator(".st-key-q-P-TT-ii-a").wait_for()
    other.get_by_text("Dibuka dari tautan: P.TT.ii.a").wait_for()
    other.screenshot(path=str(artifacts / "day-deeplink.png"))

    page.get_by_role("button", name="Keluar").click()  # signing out in one tab...
    idle(page)
    other.reload()  # ...ends the session in the other
    idle(other)
    other.get_by_role("button", name="Masuk").wait_for()
    assert outside == [], outside
    assert not [e for e in errors if "favicon" not in e.lower()], errors
    context.close()


def test_phone_shows_the_verdict_first(browser, demo_app, artifacts):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    _sign_in(page, demo_app, "pimpinan", DEMO_PASSWORD)
    page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
    verdict = page.get_by_text("gagal WBK").first
    verdict.wait_for()
    box = verdict.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # in the first screen
    first_metric = page.locator("[data-testid=stMetric]").first.bounding_box()
    assert first_metric is None or box["y"] < first_metric["y"]
    page.screenshot(path=str(artifacts / "day-phone.png"), full_page=True)
    page.close()


def test_agen_adds_evidence_inside_the_question_and_a_refusal_keeps_the_form(
    browser, demo_app, artifacts, tmp_path
):
    from wbk.formats.simple_docs import simple_pdf

    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    _sign_in(page, demo_app, "agen", DEMO_PASSWORD)
    page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
    page.goto(demo_app + "/lke?q=P.MP.i.b")
    idle(page)
    question = page.locator(".st-key-q-P-MP-i-b")
    question.get_by_text("Tambah data dukung untuk pertanyaan ini").click()
    idle(page)
    fake = tmp_path / "notulen.pdf"  # a Windows program named .pdf: refused, form kept
    fake.write_bytes(b"MZ" + b"\0" * 2000)
    question.locator("input[type=file]").set_input_files(str(fake))
    idle(page)
    question.get_by_label("Judul").fill("Notulen pemilihan anggota tim")
    question.get_by_role("button", name="Unggah").click()
    idle(page)
    question.locator("[data-testid=stAlertContentError]").wait_for()
    assert question.get_by_label("Judul").input_value() == "Notulen pemilihan anggota tim"
    page.screenshot(path=str(artifacts / "day-refused-upload.png"))

    good = tmp_path / "notulen-asli.pdf"
    good.write_bytes(simple_pdf("Notulen rapat pemilihan anggota tim"))
    question.locator("input[type=file]").set_input_files(str(good))
    idle(page)
    question.get_by_role("button", name="Unggah").click()
    idle(page)
    question.get_by_text("Notulen pemilihan anggota tim · rev 1").wait_for()
    page.close()
