"""Benchmark: the IKM of 1,000,000 responses (target under 2 s), and reading them from CSV;
IPKP (SPKP) and IPAK (SPAK) of 1,000,000 responses each with 5 % blanks: validation, index,
per item and per service (target under 2 s each).

Run: ``.venv/bin/python bench/bench_surveys.py``.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import pandas as pd

from wbk.surveys import ikm, perception
from wbk.surveys.instruments import default_instrument
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
    ok = overall + grouped < 2
    for name, seed in (("spkp", 23), ("spak", 4)):
        ok &= perception_bench(name, seed)
    return 0 if ok else 1


def perception_frame(codes: tuple[str, ...], seed: int) -> pd.DataFrame:
    """N random answers on 1..4 with 5 % blanks (NaN, as a form export reads) and a service."""
    rng = np.random.default_rng(seed)
    answers = rng.choice(
        np.array([1, 2, 3, 4], dtype=float), size=(N, len(codes)), p=[0.03, 0.12, 0.45, 0.40]
    )
    answers[rng.random(answers.shape) < 0.05] = np.nan
    frame = pd.DataFrame(answers, columns=list(codes))
    frame["Layanan"] = rng.choice(
        np.array(["Nikah", "Haji", "Legalisir", "Rekomendasi", "PTSP"]), N
    )
    return frame


def perception_bench(name: str, seed: int) -> bool:
    inst = default_instrument(name)
    frame = perception_frame(inst.codes, seed)
    whole = median_s(lambda: perception.compute(frame, inst, service_column="Layanan"))
    responses = perception.read_answers(frame, inst, service_column="Layanan")
    arithmetic = median_s(
        lambda: (
            perception.result_of(responses.answers, inst),
            perception.results_by(responses.answers, responses.service, inst),
        )
    )
    computation = perception.compute(frame, inst, service_column="Layanan")
    result = computation.overall
    blanks = sum(N - i.answers for i in result.items) / (N * len(result.items))
    worst = min(computation.by_service.items(), key=lambda kv: kv[1].index)
    print(
        f"1,000,000 {name.upper()} responses ({len(inst.codes)} items, {blanks:.1%} blank): "
        f"{inst.index} {float(result.index):.4f}, conversion {float(result.conversion):.2f}, "
        f"{inst.target} points {float(result.points):.4f}, "
        f"items {min(float(i.mean) for i in result.items):.3f}.."
        f"{max(float(i.mean) for i in result.items):.3f}, "
        f"lowest service {worst[0]} {float(worst[1].index):.4f}; "
        f"validate + index + items + {len(computation.by_service)} services "
        f"{whole * 1000:.0f} ms (arithmetic alone {arithmetic * 1000:.0f} ms, median of {RUNS})"
    )
    return whole < 2


if __name__ == "__main__":
    sys.exit(main())
