"""Benchmark: Word report and evidence binder for the demo unit and for 500 documents.

Target: the report in under 5 s. Run: ``.venv/bin/python bench/bench_reports.py``.
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

from tests.support.data import build_workspace
from wbk.services.assessment import reports
from wbk.services.core.actor import operator

RUNS = 3


def timed(fn) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> int:
    op = operator("bench")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, docs in (("demo unit", 0), ("500 documents", 500)):
            ws, aid = build_workspace(Path(tmp) / str(docs), documents=docs)
            report_s, report_size = timed(lambda ws=ws, aid=aid: reports.word_report(ws, op, aid))
            xlsx_s, _ = timed(lambda ws=ws, aid=aid: reports.excel_export(ws, op, aid))
            binder_s, binder_size = timed(
                lambda ws=ws, aid=aid: reports.evidence_binder(ws, op, aid)
            )
            worst = max(worst, report_s)
            print(
                f"[{name}] report {report_s:.2f} s ({report_size / 1024:.0f} KB), "
                f"xlsx {xlsx_s:.2f} s, binder {binder_s:.2f} s "
                f"({binder_size / 1024:.0f} KB); median of {RUNS}",
                flush=True,
            )
            ws.db.dispose()
    return 0 if worst < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
