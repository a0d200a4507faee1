"""What one audited write costs: one process saving an answer N times (SQLite, or PostgreSQL
with --database-url), median and quartiles in milliseconds.

    .venv/bin/python bench/bench_writes.py [--writes 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from wbk.services.assessment import assessments
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Settings(data_dir=Path(tmp), database_url=args.database_url))
        op = operator("bench")
        people.add_unit(ws, op, "A", "Unit A")
        assessment = assessments.create_assessment(ws, op, "A", 2026).id
        times = []
        for i in range(args.writes):
            start = time.perf_counter()
            assessments.set_answer(ws, op, assessment, "P.MP.i.b", "AB"[i % 2])
            times.append((time.perf_counter() - start) * 1000)
        q1, median, q3 = statistics.quantiles(times[20:], n=4)
        print(
            f"set_answer ({ws.db.dialect}): median {median:.2f} ms "
            f"(quartiles {q1:.2f} to {q3:.2f}), {1000 / median:.0f} writes/s in one process"
        )
        ws.db.dispose()


if __name__ == "__main__":
    main()
