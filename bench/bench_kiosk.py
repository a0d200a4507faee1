"""Benchmark: the survey form at the counter.

1. 200 submissions in a row through ``kiosk.submit`` (the service the form calls: key check,
   validation, the shared rate-limit counter, the insert), median and p95 per submission, on
   SQLite (and PostgreSQL when ``WBK_BENCH_PG_URL`` names an empty database). The rate limit
   is raised for the run so that all 200 are stored.
2. The live IKM, IPKP and IPAK of 10,000 stored responses (the Survei page's computation).
3. A browser sample: a real ``streamlit run`` and chromium at 390 px wide, ``--browser N``
   submissions (default 10) one after another, median time from the click on "Kirim jawaban"
   to the thank-you screen, and the median for filling in the 22 items as well.

Run: ``.venv/bin/python bench/bench_kiosk.py [--browser 10]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wbk.services.core.actor import operator  # noqa: E402
from wbk.services.core.workspace import open_workspace  # noqa: E402
from wbk.services.people.people import add_unit  # noqa: E402
from wbk.services.surveys import kiosk, kiosk_results  # noqa: E402
from wbk.settings import Settings  # noqa: E402

SUBMISSIONS = 200
STORED = 10_000


def form(i: int) -> dict:
    value = 1 + (i * 7) % 4
    answers = {f"U{j}": value for j in range(1, 10)}
    answers |= {f"P{j}": 1 + (i + j) % 4 for j in range(1, 9)}
    answers |= {f"A{j}": 1 + (i * j) % 4 for j in range(1, 6)}
    return {"service": ("Legalisir", "Haji", "Nikah")[i % 3], "answers": answers, "sex": "P"}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def service_bench(label: str, settings: Settings) -> None:
    ws = open_workspace(settings)
    op = operator("bench")
    add_unit(ws, op, "PTSP", "Kankemenag Bench")
    secret = kiosk.create_key(ws, op, "PTSP", "2026-T1", services=["Legalisir", "Haji", "Nikah"])
    secret = secret.secret
    times = []
    for i in range(SUBMISSIONS):
        start = time.perf_counter()
        kiosk.submit(ws, "PTSP", secret, form(i), f"tablet-{i % 4}", limit=10**9)
        times.append(time.perf_counter() - start)
    print(
        f"{label}: {SUBMISSIONS} kiosk.submit in a row:"
        f" median {statistics.median(times) * 1000:.1f} ms, p95 {p95(times) * 1000:.1f} ms,"
        f" total {sum(times):.2f} s"
    )
    for i in range(SUBMISSIONS, STORED):
        kiosk.submit(ws, "PTSP", secret, form(i), None, limit=10**9)
    start = time.perf_counter()
    live = kiosk_results.live_results(ws, op, "PTSP")
    took = time.perf_counter() - start
    print(
        f"{label}: live IKM/IPKP/IPAK of {live.respondents} responses (per service and period):"
        f" {took * 1000:.0f} ms"
    )
    ws.db.dispose()


def browser_bench(count: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.support.server import CHROMIUM_ARGS, idle, start_app, stop_app
    from wbk.services import demo

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        ws = open_workspace(Settings(data_dir=data_dir))
        demo.create_demo(ws)
        secret = kiosk.create_key(
            ws, operator("bench"), "KK-CONTOH", "2026-T1", services=["Legalisir"]
        ).secret
        proc, url = start_app(data_dir)
        fills, sends = [], []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 390, "height": 844})
                page.goto(kiosk.form_url("KK-CONTOH", secret, base_url=url))
                idle(page)
                for n in range(count):
                    start = time.perf_counter()
                    page.locator(f".st-key-kiosk_service_{n}").get_by_text("Legalisir").click()
                    for code in [f"U{j}" for j in range(1, 10)]:
                        box = page.locator(f".st-key-kiosk_{code}_{n}")
                        box.get_by_text("Sesuai", exact=True).click()
                    for code in [f"P{j}" for j in range(1, 9)] + [f"A{j}" for j in range(1, 6)]:
                        box = page.locator(f".st-key-kiosk_{code}_{n}")
                        box.get_by_text("Setuju", exact=True).click()
                    filled = time.perf_counter()
                    page.locator(f".st-key-kiosk_submit_{n} button").click()
                    page.get_by_text("Terima kasih!").wait_for()
                    sent = time.perf_counter()
                    fills.append(filled - start)
                    sends.append(sent - filled)
                    page.get_by_role("button", name="Isi untuk pengunjung berikutnya").click()
                    idle(page)
                browser.close()
        finally:
            stop_app(proc)
            ws.db.dispose()
    print(
        f"browser (chromium, 390 px, streamlit run): {count} submissions: click to thank-you"
        f" median {statistics.median(sends) * 1000:.0f} ms (p95 {p95(sends) * 1000:.0f} ms);"
        f" filling 22 items median {statistics.median(fills) * 1000:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--browser", type=int, default=10, help="browser submissions (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        service_bench("sqlite", Settings(data_dir=Path(tmp) / "data"))
    pg = os.environ.get("WBK_BENCH_PG_URL")
    if pg:
        with tempfile.TemporaryDirectory() as tmp:
            service_bench("postgresql", Settings(data_dir=Path(tmp) / "data", database_url=pg))
    if args.browser:
        browser_bench(args.browser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
