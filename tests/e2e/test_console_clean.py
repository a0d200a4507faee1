"""Every page loaded at its own address, as a bookmark or a reload does, in chromium: no
console error and no failed request (issue 23: each direct load asked ``/lke/_stcore/health``
and ``/lke/_stcore/host-config`` and logged two 404s; the kiosk the same under /survei), and
the page says its language."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.support.server import idle, sign_in
from wbk.services import demo
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.surveys import kiosk
from wbk.settings import Settings

UPLOADER_BUTTON = "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p"
UPLOADER_HINT = "[data-testid=stFileUploaderDropzoneInstructions] div"
UPLOADER_WORDS = f"""() => {{
  const button = document.querySelector('{UPLOADER_BUTTON}');
  const hint = document.querySelector('{UPLOADER_HINT}');
  if (!button || !hint) return null;  // not drawn yet
  return [getComputedStyle(button, '::after').content, getComputedStyle(hint, '::after').content];
}}"""


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on(
        "requestfailed",
        # a request the browser dropped itself because the test moved on is no fault of a page
        lambda r: None if r.failure == "net::ERR_ABORTED" else problems.append(f"failed {r.url}"),
    )
    return problems


def _load(page, url: str) -> None:
    page.goto(url)
    idle(page)
    page.wait_for_load_state("networkidle")  # the script's lazy chunks, charts and frames


def test_every_page_loads_at_its_address_without_a_console_error(browser, demo_app):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, demo_app, "koordinator", demo.DEMO_PASSWORD)
    links = page.locator("[data-testid=stSidebarNav] a")
    links.nth(5).wait_for()  # the menu is drawn after the sign-in's rerun
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    paths = sorted({urlparse(h).path.strip("/") for h in hrefs if h} - {""})
    assert {"lke", "rencana", "data-dukung", "catatan", "laporan", "admin"} <= set(paths)
    problems = _watch(page)
    seen = {}
    for path in ["", *paths]:
        _load(page, f"{demo_app}/{path}")
        seen[path] = list(problems)
        problems.clear()
        assert page.evaluate("document.documentElement.lang") == "id"
        menu = page.locator("[data-testid=stSidebarNav]")
        menu.wait_for()  # drawn once the session is restored from its cookie (one more rerun)
        assert menu.count() == 1  # signed in, a real page
        if path == "data-dukung":  # the uploader's own English words, replaced by ours
            # drawn after the menu, with the page's body; a redraw may replace it meanwhile
            words = page.wait_for_function(UPLOADER_WORDS, timeout=15_000).json_value()
            assert words == [
                '"Pilih berkas"',
                '"Seret berkas ke sini atau pilih berkas; maksimal 50 MB per berkas"',
            ]
    assert {p: found for p, found in seen.items() if found} == {}
    context.close()


def test_a_signed_out_bookmark_shows_the_sign_in_there_and_then_the_page(browser, demo_app):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    problems = _watch(page)
    _load(page, f"{demo_app}/lke")
    assert problems == []  # no "Page not found" (in English) and no error
    page.get_by_label("Nama pengguna").fill("koordinator")
    page.get_by_label("Kata sandi").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    idle(page)
    page.get_by_role("heading", name="Penilaian LKE").wait_for()
    assert urlparse(page.url).path == "/lke" and problems == []
    page.context.close()


def test_the_kiosk_form_loads_at_its_address_without_a_console_error(browser, demo_app, tmp_path):
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    secret = kiosk.create_key(ws, operator("test"), "KK-CONTOH", "2026-T1", services=["A"]).secret
    ws.db.dispose()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    problems = _watch(page)
    _load(page, kiosk.form_url("KK-CONTOH", secret, base_url=demo_app))
    page.get_by_role("heading", name="Survei Kepuasan dan Persepsi Layanan").wait_for()
    assert problems == []
    assert page.evaluate("document.documentElement.lang") == "id"
    context.close()


def test_the_page_follows_the_readers_language(browser, demo_app):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, demo_app, "pimpinan", demo.DEMO_PASSWORD)
    page.locator("[data-testid=stSidebar]").get_by_text("English").click()
    idle(page)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
    page.locator("[data-testid=stSidebar]").get_by_text("Bahasa Indonesia").click()
    idle(page)
    page.wait_for_function("document.documentElement.lang === 'id'", timeout=10_000)
    context.close()
