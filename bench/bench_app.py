"""Benchmark: request to a fully rendered dashboard, in headless chromium (median of 5).

Two workspaces: the demo unit, and the demo unit with 500 evidence documents and 12 months
of score snapshots. Target: under 2 s. Run: ``.venv/bin/python bench/bench_app.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as `.venv/bin/python bench/x.py` from the repository root: Python puts bench/ on the
# path, not the root, and the shared helpers live in tests/support/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.support.data import build_workspace
from tests.support.server import CHROMIUM_ARGS, IDLE, idle, sign_in, start_app, stop_app
from wbk.services import demo

RUNS = 5
CHARTS = 5  # inline SVG: gauge, areas, results, completeness, trend (and self-vs-TPI)


def build(data_dir: Path, documents: int, months: int) -> None:
    ws, _ = build_workspace(data_dir, documents, months)
    ws.db.dispose()


def measure(browser, url: str) -> tuple[float, list[float]]:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    start = time.perf_counter()
    sign_in(page, url, "pimpinan", demo.DEMO_PASSWORD)
    page.wait_for_function(f"document.querySelectorAll('svg.wbk-chart').length >= {CHARTS}")
    first = time.perf_counter() - start
    timings = []
    for _ in range(RUNS):
        page.locator("[data-testid=stSidebarNav] a", has_text="Catatan TPI").click()
        idle(page)
        start = time.perf_counter()
        page.locator("[data-testid=stSidebarNav] a", has_text="Dasbor").click()
        # the notes page has no charts: all of them drawn means the dashboard is on screen
        page.wait_for_function(f"document.querySelectorAll('svg.wbk-chart').length >= {CHARTS}")
        page.wait_for_selector(IDLE)
        timings.append(time.perf_counter() - start)
    page.close()
    return first, timings


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, docs, months in (("demo unit", 0, 0), ("500 documents, 12 months", 500, 12)):
            data_dir = Path(tmp) / name.replace(" ", "_").replace(",", "")
            t0 = time.perf_counter()
            build(data_dir, docs, months)
            print(f"[{name}] data built in {time.perf_counter() - t0:.1f} s", flush=True)
            proc, url = start_app(data_dir)
            try:
                first, timings = measure(browser, url)
            finally:
                stop_app(proc)
            results[name] = statistics.median(timings)
            print(
                f"[{name}] sign-in to dashboard: {first:.2f} s; dashboard render "
                f"median of {RUNS}: {results[name]:.2f} s "
                f"(runs: {', '.join(f'{x:.2f}' for x in timings)})",
                flush=True,
            )
        browser.close()
    return 0 if all(v < 2 for v in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
