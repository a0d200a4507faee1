"""Benchmark: the portfolio of a ministry with 5,000 units, each with an assessment of 110
answers in two tiers (self and TPI: 1.1 million answer rows), 30 evidence links, a few
TPI notes and, for 90 % of them, a cached pre-review verdict per question (the share of
hijau), created by bulk insert (COPY on PostgreSQL, executemany on SQLite), not through
the services.

Measured on each engine, for 500 and 5,000 units:
- service: ``portfolio.build_portfolio`` for the ministry (every unit below it), best of 3;
- cli: ``wbk portfolio --unit ROOT --json`` as a process (interpreter start included);
- page: the page's data (group summary, the table, three charts, the ranking) built from it.

Targets on the 2-core reference machine with PostgreSQL, 5,000 units: service < 2 s,
service + page data < 3 s. Run: ``.venv/bin/python bench/bench_portfolio.py [--units N ...]
[--engine postgresql|sqlite] [--browser]``;
``--browser`` also times the page drawn in Chromium. PostgreSQL needs its server binaries.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, text

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))

from tests.integration.pg import PgServer, find_pg_bin  # noqa: E402
from wbk.services.core.actor import operator  # noqa: E402
from wbk.services.core.workspace import open_workspace  # noqa: E402
from wbk.services.portfolio import portfolio  # noqa: E402
from wbk.settings import Settings  # noqa: E402
from wbk.store.tables import Assessment, Evidence, ReviewNote, Unit  # noqa: E402
from wbk.ui.portfolio.frames import page_data  # noqa: E402

YEAR = 2026
KANWIL = 38
SERVICE_TARGET = 2.0
PAGE_TARGET = 3.0
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def answer_rows(catalog, rng: random.Random, good: float) -> list[tuple[str, str]]:
    """110 answers of one tier: options, percentages (some by their counts), indices."""
    out: list[tuple[str, str]] = []
    codes = list(catalog.items)
    skipped = set(rng.sample([c for c in codes if catalog.items[c].kind == "pengungkit"], 3))
    for code in codes:
        if code in skipped:
            continue
        item = catalog.items[code]
        kind = item.scale.kind
        if kind == "option":
            options = item.scale.options
            pool = options[: max(1, len(options) // 2)] if rng.random() < good else options
            out.append((code, rng.choice(pool).key))
        elif kind == "ratio" and item.formula is not None and rng.random() < 0.5:
            for inp in item.formula.inputs:
                out.append((f"{code}#{inp.name}", str(rng.randint(1, 30))))
        elif kind == "ratio":
            out.append((code, f"{rng.randint(40, 100)}%"))
        else:
            out.append((code, f"{rng.uniform(3.2, 4):.2f}"))
    return out


def populate(ws, n_units: int, seed: int = 7) -> None:
    """The ministry ROOT, 38 Kanwil and ``n_units`` satker below them, each with an assessment."""
    rng = random.Random(seed)
    catalog = ws.catalog("lke-zi-2021")
    codes = list(catalog.items)
    engine = ws.db.engine
    with engine.begin() as conn:
        conn.execute(
            insert(Unit),
            [
                {
                    "id": 1,
                    "code": "ROOT",
                    "name": "Kementerian Contoh",
                    "kind": "instansi",
                    "parent_id": None,
                    "created_at": NOW,
                }
            ],
        )
        conn.execute(
            insert(Unit),
            [
                {
                    "id": 1 + k,
                    "code": f"KW{k:02d}",
                    "name": f"Kanwil Provinsi {k}",
                    "kind": "kanwil",
                    "parent_id": 1,
                    "created_at": NOW,
                }
                for k in range(1, KANWIL + 1)
            ],
        )
        first = KANWIL + 2
        conn.execute(
            insert(Unit),
            [
                {
                    "id": first + i,
                    "code": f"S{i:05d}",
                    "name": f"Satker {i}",
                    "kind": "satker",
                    "parent_id": 2 + i % KANWIL,
                    "created_at": NOW,
                }
                for i in range(n_units)
            ],
        )
        conn.execute(
            insert(Assessment),
            [
                {
                    "id": i + 1,
                    "unit_id": first + i,
                    "year": YEAR,
                    "catalog_id": catalog.id,
                    "status": rng.choice(("draft", "submitted", "reviewed", "locked")),
                    "deadline": date(YEAR, 5, 31),
                    "created_at": NOW,
                    "created_by": "bench",
                }
                for i in range(n_units)
            ],
        )
        conn.execute(
            insert(Evidence),
            [
                {
                    "id": i + 1,
                    "assessment_id": i + 1,
                    "title": "Dokumen",
                    "kind": "link",
                    "url": "https://contoh.go.id",
                    "created_by": "bench",
                    "created_at": NOW,
                }
                for i in range(n_units)
            ],
        )
        conn.execute(
            insert(ReviewNote),
            [
                {
                    "assessment_id": i + 1,
                    "code": "P.MP.i.a",
                    "text": "Catatan",
                    "severity": "sedang",
                    "status": rng.choice(("open", "answered", "closed")),
                    "created_by": "bench",
                    "created_at": NOW,
                    "updated_at": NOW,
                    "version": 1,
                }
                for i in range(n_units)
                for _ in range(2)
            ],
        )
    answers = []
    links = []
    verdicts: list[tuple[int, str, str]] = []
    for i in range(n_units):
        aid = i + 1
        good = rng.random()
        for code, value in answer_rows(catalog, rng, good):
            answers.append((aid, "self", code, value))
        if rng.random() < 0.8:  # the TPI has scored 80 % of the units
            for code, value in answer_rows(catalog, rng, good * 0.8):
                answers.append((aid, "tpi", code, value))
        links += [(aid, c) for c in rng.sample(codes, 30)]
        if rng.random() < 0.9:  # pre-reviewed: a cached verdict per question (the share of hijau)
            verdicts += [
                (aid, c, rng.choice(("hijau", "kuning", "merah", "kosong"))) for c in codes
            ]
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if ws.db.dialect == "postgresql":
            with cur.copy(
                "COPY answer (assessment_id, tier, code, value, version, updated_by, updated_at)"
                " FROM STDIN"
            ) as copy:
                for aid, tier, code, value in answers:
                    copy.write_row((aid, tier, code, value, 1, "bench", NOW))
            with cur.copy("COPY evidence_link (evidence_id, code) FROM STDIN") as copy:
                for row in links:
                    copy.write_row(row)
            with cur.copy(
                "COPY review_verdict (assessment_id, code, verdict, unsupported, payload)"
                " FROM STDIN"
            ) as copy:
                for aid, code, verdict in verdicts:
                    copy.write_row((aid, code, verdict, False, "{}"))
            for name in ("setval('unit_id_seq', 100000)", "setval('assessment_id_seq', 100000)"):
                cur.execute(f"SELECT {name}")
        else:
            stamp = NOW.isoformat(sep=" ")
            cur.executemany(
                "INSERT INTO answer (assessment_id, tier, code, value, version, updated_by,"
                " updated_at) VALUES (?, ?, ?, ?, 1, 'bench', ?)",
                [(*a, stamp) for a in answers],
            )
            cur.executemany("INSERT INTO evidence_link (evidence_id, code) VALUES (?, ?)", links)
            cur.executemany(
                "INSERT INTO review_verdict (assessment_id, code, verdict, unsupported, payload)"
                " VALUES (?, ?, ?, 0, '{}')",
                verdicts,
            )
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def best_of(fn, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def browser_draw(data: Path, url: str | None, runs: int = 3) -> float:
    """Seconds from opening /portofolio (signed in as an admin) until Streamlit is idle with
    the table drawn, in a real browser (best of ``runs``)."""
    from playwright.sync_api import sync_playwright

    from tests.support.server import CHROMIUM_ARGS, idle, sign_in, start_app, stop_app

    proc, app_url = start_app(data, env_extra={"WBK_DATABASE_URL": url} if url else None)
    best = float("inf")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            sign_in(page, app_url, "bench-admin", BENCH_PASSWORD)
            page.wait_for_selector("[data-testid=stSidebarNav]", timeout=120_000)
            for _ in range(100):  # the sign-in cookie is written by a script after the run
                if page.context.cookies():
                    break
                page.wait_for_timeout(100)
            for _ in range(runs):
                start = time.perf_counter()
                page.goto(app_url + "/portofolio")
                try:
                    page.wait_for_selector("[data-testid=stDataFrame]", timeout=120_000)
                except Exception:
                    shot = Path(tempfile.gettempdir()) / "bench-portfolio-failed.png"
                    page.screenshot(path=str(shot), full_page=True)
                    print(f"the table did not appear; the page is in {shot}")
                    raise
                idle(page, timeout=120_000)
                best = min(best, time.perf_counter() - start - 0.3)  # idle() waits 0.3 s first
            browser.close()
    finally:
        stop_app(proc)
    return best


BENCH_PASSWORD = "bench-kata-sandi-panjang"


def measure(
    engine_name: str, url: str | None, n_units: int, workdir: Path, browser: bool = False
) -> dict[str, float]:
    data = workdir / f"{engine_name}-{n_units}"
    ws = open_workspace(Settings(data_dir=data, database_url=url))
    start = time.perf_counter()
    populate(ws, n_units)
    load = time.perf_counter() - start
    op = operator("bench")
    cold_start = time.perf_counter()
    portfolio.build_portfolio(ws, op, "ROOT", YEAR)
    cold = time.perf_counter() - cold_start
    service, p = best_of(lambda: portfolio.build_portfolio(ws, op, "ROOT", YEAR))
    page, _ = best_of(lambda: page_data(p))
    env = {**os.environ, "WBK_DATA_DIR": str(data)}
    if url:
        env["WBK_DATABASE_URL"] = url
    cli = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        subprocess.run(
            [
                str(ROOT_DIR / ".venv/bin/wbk"),
                "portfolio",
                "--unit",
                "ROOT",
                "--year",
                str(YEAR),
                "--json",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cli = min(cli, time.perf_counter() - start)
    out = {"load": load, "cold": cold, "service": service, "page": page, "cli": cli}
    if browser:
        from wbk.services.people import people

        people.add_user(ws, op, "bench-admin", "Bench", BENCH_PASSWORD, "admin", None)
        ws.db.dispose()
        out["browser"] = browser_draw(data, url)
    ws.db.dispose()
    assert len(p.rows) == n_units + KANWIL
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="*", default=[500, 5000])
    parser.add_argument(
        "--engine", choices=("postgresql", "sqlite"), nargs="*", default=["postgresql", "sqlite"]
    )
    parser.add_argument(
        "--browser",
        action="store_true",
        help="also time the page in Chromium (the largest size, each engine)",
    )
    args = parser.parse_args()
    results: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="wbk-bench-pf-") as tmp:
        workdir = Path(tmp)
        for engine_name in args.engine:
            server = None
            base = None
            if engine_name == "postgresql":
                bin_dir = find_pg_bin()
                if bin_dir is None:
                    print("PostgreSQL server binaries not found: skipping PostgreSQL")
                    continue
                server = PgServer(bin_dir)
                base = server.start()
            try:
                for n in args.units:
                    url = None
                    if base is not None:
                        name = f"bench_pf_{n}"
                        admin = create_engine(base, isolation_level="AUTOCOMMIT")
                        with admin.connect() as conn:
                            conn.execute(text(f"CREATE DATABASE {name}"))
                        admin.dispose()
                        url = base.rsplit("/", 1)[0] + f"/{name}"
                    draw = args.browser and n == max(args.units)
                    r = results[(engine_name, n)] = measure(engine_name, url, n, workdir, draw)
                    print(
                        f"{engine_name:10s} {n:6d} units: load {r['load']:.1f} s, "
                        f"service {r['service']:.3f} s (first {r['cold']:.3f} s), "
                        f"page data {r['page']:.3f} s, service + page "
                        f"{r['service'] + r['page']:.3f} s, wbk portfolio --json {r['cli']:.2f} s",
                        flush=True,
                    )
                    if "browser" in r:
                        print(f"{'':10s} {n:6d} units: page drawn in Chromium {r['browser']:.2f} s")
            finally:
                if server is not None:
                    server.stop()
    ok = True
    for engine_name in args.engine:
        small, large = results.get((engine_name, 500)), results.get((engine_name, 5000))
        if small and large:
            print(
                f"{engine_name}: 500 -> 5,000 units (x10): service x"
                f"{large['service'] / small['service']:.1f}, page data x"
                f"{large['page'] / small['page']:.1f}"
            )
    pg = results.get(("postgresql", 5000))
    if pg:
        ok = pg["service"] < SERVICE_TARGET and pg["service"] + pg["page"] < PAGE_TARGET
        print(
            f"targets (PostgreSQL, 5,000 units): service {pg['service']:.2f} s "
            f"< {SERVICE_TARGET} s, page {pg['service'] + pg['page']:.2f} s < {PAGE_TARGET} s: "
            f"{'met' if ok else 'MISSED'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
