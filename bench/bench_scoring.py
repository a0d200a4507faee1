"""Benchmark: score one assessment, and 10,000 assessments in one batch (synthetic answers).

Targets on the 2-core reference machine: one assessment < 2 ms, 10,000 < 1 s.
Run: ``make bench`` or ``.venv/bin/python bench/bench_scoring.py``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from wbk.catalog import load_catalog
from wbk.scoring import score, values_from_mapping
from wbk.scoring.batch import BatchScorer


def synthetic_answers(catalog, rng: random.Random) -> dict[str, str]:
    answers: dict[str, str] = {}
    for code, item in catalog.items.items():
        if rng.random() < 0.05:
            continue  # a few unanswered, as in real work
        if item.scale.kind == "option":
            answers[code] = rng.choice(item.scale.options).key
        elif item.scale.kind == "ratio" and item.formula is not None and rng.random() < 0.5:
            for inp in item.formula.inputs:
                answers[f"{code}#{inp.name}"] = str(rng.randint(0, 40))
        elif item.scale.kind == "ratio":
            answers[code] = f"{rng.randint(0, 120)}%"
        else:
            answers[code] = f"{rng.uniform(2.5, 4):.2f}"
    return answers


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    catalog = load_catalog()
    rng = random.Random(2021)
    answers = synthetic_answers(catalog, rng)
    values = values_from_mapping(catalog, answers).values

    one_score = median_ms(lambda: score(catalog, values), 500)
    one_full = median_ms(lambda: score(catalog, values_from_mapping(catalog, answers).values), 500)

    batch = BatchScorer(catalog)
    value_sets = [
        values_from_mapping(catalog, synthetic_answers(catalog, rng)).values for _ in range(10_000)
    ]
    matrix_ms = median_ms(lambda: batch.values_matrix(value_sets), 5)
    matrix = batch.values_matrix(value_sets)
    batch_ms = median_ms(lambda: batch.score(matrix), 5)
    result = batch.score(matrix)

    print(f"one assessment, score only           : {one_score:8.3f} ms (target < 2 ms)")
    print(f"one assessment, parse answers + score : {one_full:8.3f} ms (target < 2 ms)")
    print(f"10,000 assessments, scoring           : {batch_ms:8.1f} ms (target < 1000 ms)")
    print(f"10,000 assessments, values -> matrix  : {matrix_ms:8.1f} ms")
    print(f"10,000 assessments, matrix + scoring  : {matrix_ms + batch_ms:8.1f} ms")
    print(f"  (WBK passed in {int(result.passed['WBK'].sum())} of 10,000 synthetic sets)")
    ok = one_full < 2 and matrix_ms + batch_ms < 1000
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
