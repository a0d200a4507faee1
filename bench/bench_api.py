"""Benchmark: the PortalRB API as PortalRB calls it, over HTTP against a real ``wbk api``.

1. ``/lke/jawaban-unit/{id}`` of the demo unit with 500 evidence documents: median and p95
   over 200 requests (target: median < 50 ms). Each request reads one assessment context,
   signs the evidence links and writes its audit event.
2. 50 proposed units fetched one after another, as PortalRB's queue would: the unit list,
   then each unit's answers.

Run: ``.venv/bin/python bench/bench_api.py`` (SQLite in a temporary directory;
``WBK_DATABASE_URL`` pointing at an empty PostgreSQL database measures that).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as `.venv/bin/python bench/x.py` from the repository root: Python puts bench/ on the
# path, not the root, and the shared helpers live in tests/support/.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.support.data import build_workspace  # noqa: E402
from tests.support.server import free_port  # noqa: E402
from wbk.scoring import AnswerRow  # noqa: E402
from wbk.services.assessment import answer_import, assessments  # noqa: E402
from wbk.services.core.actor import operator  # noqa: E402
from wbk.services.people import people  # noqa: E402
from wbk.services.portalrb import proposals, tokens  # noqa: E402

DOCUMENTS = 500
DEMO_DOCUMENTS = 9  # the demo unit's own documents
REQUESTS = 200
UNITS = 50
TARGET_MS = 50.0


def start_api(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "WBK_DATA_DIR": str(data_dir),
        "WBK_PUBLIC_URL": "https://zi.example.go.id/api",
        "WBK_API_RATE_PER_MINUTE": "1000000",  # the benchmark measures work, not the limit
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "wbk", "api", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/openapi.json", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("wbk api did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    op = operator("bench")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        print(f"building a workspace with {DOCUMENTS} evidence documents and {UNITS} units...")
        ws, aid = build_workspace(data_dir, documents=DOCUMENTS - DEMO_DOCUMENTS)
        year = assessments.get_assessment_view(ws, op, aid).year
        proposals.set_proposal(ws, op, "KK-CONTOH", year, "WBK")
        demo_rows = [
            AnswerRow(c, a.value, note=a.narrative)
            for c, a in assessments.answers_of(ws, op, aid).items()
            if a.value is not None
        ]
        for i in range(1, UNITS):
            code = f"SATKER-{i:02d}"
            people.add_unit(ws, op, code, f"Satuan Kerja Contoh {i}", parent_code="KW-CONTOH")
            unit_aid = assessments.create_assessment(ws, op, code, year).id
            answer_import.import_answers(ws, op, unit_aid, demo_rows)
            proposals.set_proposal(ws, op, code, year, "WBBM" if i % 10 == 0 else "WBK")
        secret = tokens.create_token(ws, op, "bench", "KW-CONTOH").secret
        engine = ws.db.dialect
        ws.db.dispose()

        proc, url = start_api(data_dir)
        try:
            client = httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=30
            )
            for _ in range(5):  # warm up: imports, catalog, connection pool
                assert client.get("/lke/jawaban-unit/KK-CONTOH").status_code == 200
            times = []
            for _ in range(REQUESTS):
                start = time.perf_counter()
                response = client.get("/lke/jawaban-unit/KK-CONTOH")
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            links = sum(1 for e in response.json()["answers"] if e["bukti_dukung_unit"])

            start = time.perf_counter()
            listed = []
            for path in ("/pengusulan/unit-wbk", "/pengusulan/unit-wbbm"):
                listed += [u["id"] for u in client.get(path).json()["units"]]
            per_unit = []
            for unit in listed:
                t0 = time.perf_counter()
                assert client.get(f"/lke/jawaban-unit/{unit}").status_code == 200
                per_unit.append((time.perf_counter() - t0) * 1000)
            queue_s = time.perf_counter() - start
        finally:
            proc.terminate()
            proc.wait(10)

    median, p95 = statistics.median(times), percentile(times, 0.95)
    print(
        f"/lke/jawaban-unit ({engine}, {DOCUMENTS} documents, {links} soals with a link): "
        f"median {median:.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms over {REQUESTS} "
        f"requests (target median < {TARGET_MS:.0f} ms)"
    )
    print(
        f"PortalRB queue: 2 lists + {len(listed)} units one after another in {queue_s:.2f} s "
        f"(per unit median {statistics.median(per_unit):.1f} ms, "
        f"p95 {percentile(per_unit, 0.95):.1f} ms)"
    )
    if os.environ.get("WBK_DATABASE_URL"):
        print("  (database from WBK_DATABASE_URL)")
    return 0 if median < TARGET_MS and len(listed) == UNITS else 1


if __name__ == "__main__":
    raise SystemExit(main())
