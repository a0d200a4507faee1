"""Benchmark: the IKM of 1,000,000 responses (target under 2 s), and reading them from CSV.

Run: ``.venv/bin/python bench/bench_surveys.py``.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from wbk.surveys import ikm
from wbk.surveys.responses import read_table, to_responses

N = 1_000_000
RUNS = 5


def median_s(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    rng = np.random.default_rng(14)
    answers = rng.choice(
        np.array([1, 2, 3, 4], dtype=np.int8), size=(N, 9), p=[0.03, 0.12, 0.45, 0.40]
    )
    services = rng.choice(np.array(["Nikah", "Haji", "Legalisir", "Rekomendasi", "PTSP"]), N)
    overall = median_s(lambda: ikm.compute(answers))
    grouped = median_s(lambda: ikm.compute_groups(answers, services))
    result = ikm.compute(answers)

    lines = ["U1;U2;U3;U4;U5;U6;U7;U8;U9;Layanan"]
    lines += [";".join(map(str, row)) + ";" + s for row, s in zip(answers, services, strict=True)]
    data = ("\n".join(lines) + "\n").encode()
    start = time.perf_counter()
    parsed = to_responses(read_table(data, "skm.csv"), service_column="Layanan")
    read_s = time.perf_counter() - start
    assert parsed.answers.shape == (N, 9)

    print(
        f"1,000,000 responses: IKM {ikm.round2(result.ikm)} ({result.category}); "
        f"compute {overall * 1000:.0f} ms, per service {grouped * 1000:.0f} ms "
        f"(median of {RUNS}); read + validate CSV ({len(data) / 1e6:.0f} MB) {read_s:.2f} s"
    )
    return 0 if overall + grouped < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
