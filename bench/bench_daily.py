"""Benchmark: a team's day in headless chromium on a warm server (the demo workspace).

- sign-in to a settled dashboard (every chart drawn, script idle), median of 5: for a
  returning user (the same browser, signed out and in again; target < 1 s) and for a
  browser's first visit (a fresh context with an empty cache; target < 1.5 s);
- each page switch from the sidebar until the script is idle: median of 5 per page; target
  < 0.5 s;
- a reload with the session cookie back to a settled dashboard.

Run: ``.venv/bin/python bench/bench_daily.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.support.server import CHROMIUM_ARGS, IDLE, idle, sign_in, start_app, stop_app
from wbk.services import demo
from wbk.services.core.workspace import open_workspace
from wbk.settings import Settings

RUNS = 5
CHARTS = 6  # the demo dashboard's inline SVG charts: gauge, areas, results, evidence, trend, TPI
PAGES = ("Penilaian", "Data dukung", "Catatan TPI", "Laporan", "Dasbor")


def settled_dashboard(page) -> None:
    page.wait_for_function(f"document.querySelectorAll('svg.wbk-chart').length >= {CHARTS}")
    page.wait_for_selector(IDLE)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        data_dir = Path(tmp) / "data"
        ws = open_workspace(Settings(data_dir=data_dir))
        demo.create_demo(ws)
        ws.db.dispose()
        proc, url = start_app(data_dir)
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            warm = browser.new_context(viewport={"width": 1400, "height": 900})
            page = warm.new_page()
            sign_in(page, url, "koordinator", demo.DEMO_PASSWORD)
            settled_dashboard(page)
            warm.close()

            signins, reloads, cold = [], [], []
            switches: dict[str, list[float]] = {p: [] for p in PAGES}
            for _ in range(RUNS):  # a browser's first visit: nothing in its cache
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                page = ctx.new_page()
                page.goto(url)
                idle(page)
                page.get_by_label("Nama pengguna").fill("koordinator")
                page.get_by_label("Kata sandi").fill(demo.DEMO_PASSWORD)
                start = time.perf_counter()
                page.get_by_role("button", name="Masuk").click()
                settled_dashboard(page)
                cold.append(time.perf_counter() - start)
                ctx.close()
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            page = ctx.new_page()
            for _ in range(RUNS):  # a returning user: same browser, signed out, signs in again
                page.goto(url)
                signed_in = page.get_by_role("button", name="Keluar")
                # the cookie's session resumes on the page's second run: wait for either face
                signed_in.or_(page.get_by_label("Nama pengguna")).first.wait_for()
                if signed_in.count():
                    signed_in.click()
                    page.get_by_label("Nama pengguna").wait_for()
                    idle(page)
                page.get_by_label("Nama pengguna").fill("koordinator")
                page.get_by_label("Kata sandi").fill(demo.DEMO_PASSWORD)
                start = time.perf_counter()
                page.get_by_role("button", name="Masuk").click()
                settled_dashboard(page)
                signins.append(time.perf_counter() - start)
                for name in PAGES:
                    start = time.perf_counter()
                    page.locator("[data-testid=stSidebarNav] a", has_text=name).click()
                    page.wait_for_timeout(50)
                    page.wait_for_selector(IDLE)
                    if name == "Dasbor":
                        settled_dashboard(page)
                    switches[name].append(time.perf_counter() - start)
                start = time.perf_counter()
                page.reload()
                settled_dashboard(page)
                reloads.append(time.perf_counter() - start)
            ctx.close()
        finally:
            browser.close()
            stop_app(proc)
    med = statistics.median
    print(
        f"first visit (cold browser cache), sign-in to settled dashboard: "
        f"median {med(cold):.2f} s ({_runs(cold)})"
    )
    print(
        f"returning user, sign-in to settled dashboard: "
        f"median {med(signins):.2f} s ({_runs(signins)})"
    )
    for name, values in switches.items():
        print(f"switch to {name}: median {med(values):.2f} s ({_runs(values)})")
    print(f"reload (cookie) to settled dashboard: median {med(reloads):.2f} s ({_runs(reloads)})")
    ok = (
        med(signins) < 1.0
        and med(cold) < 1.5
        and med(reloads) < 1.5
        and all(med(v) < 0.5 for v in switches.values())
    )
    return 0 if ok else 1


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
