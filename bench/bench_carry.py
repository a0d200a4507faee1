"""Benchmark: carry forward an assessment with 500 evidence documents to the next year.

Target: under 2 s. Run: ``.venv/bin/python bench/bench_carry.py`` (SQLite in a temporary
directory; ``WBK_DATABASE_URL`` pointing at an empty PostgreSQL database measures that).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as `.venv/bin/python bench/x.py` from the repository root: Python puts bench/ on the
# path, not the root, and the shared helpers live in tests/support/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.data import build_workspace
from wbk.services.assessment import assessments, evidence
from wbk.services.core.actor import operator
from wbk.services.yearly import carry

DOCUMENTS = 500
DEMO_DOCUMENTS = 9  # the demo unit's own documents
TARGET_S = 2.0
RUNS = 3


def main() -> int:
    op = operator("bench")
    with tempfile.TemporaryDirectory() as tmp:
        ws, aid = build_workspace(Path(tmp) / "data", documents=DOCUMENTS - DEMO_DOCUMENTS)
        source = evidence.list_evidence(ws, op, aid)
        assert len(source) == DOCUMENTS, len(source)
        year = assessments.get_assessment_view(ws, op, aid).year
        blobs = sum(1 for _ in ws.blobs.names())
        times, result = [], None
        for run in range(1, RUNS + 1):  # each run opens another year from the same source
            start = time.perf_counter()
            result = carry.create_from(ws, op, "KK-CONTOH", year + run, aid)
            times.append(time.perf_counter() - start)
        assert result is not None and result.documents == DOCUMENTS
        assert sum(1 for _ in ws.blobs.names()) == blobs  # linked, not copied
        median = statistics.median(times)
        engine = ws.db.dialect
        ws.db.dispose()
    print(
        f"carry forward ({engine}): {DOCUMENTS} documents, {result.revisions} revisions, "
        f"{result.links} links, {result.questions} answers: median {median:.3f} s of {RUNS} "
        f"(target < {TARGET_S:.0f} s); blob count unchanged ({blobs})"
    )
    if os.environ.get("WBK_DATABASE_URL"):
        print("  (database from WBK_DATABASE_URL)")
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
