"""Benchmark: score one assessment, and 10,000 assessments in one batch (synthetic answers).

Targets on the 2-core reference machine: one assessment < 2 ms, 10,000 < 1 s; the value
matrix of 10,000 assessments from a columnar read of their stored answers (as the portfolio
reads them: each distinct answer once, with the rows that gave it) < 30 ms.
Run: ``make bench`` or ``.venv/bin/python bench/bench_scoring.py``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

import numpy as np

from wbk.catalog import load_catalog
from wbk.scoring import score, values_from_mapping
from wbk.scoring.batch import BatchScorer
from wbk.scoring.bulk_values import FIELD, RECORD, ValueReader


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
    answer_sets = [synthetic_answers(catalog, rng) for _ in range(10_000)]
    value_sets = [values_from_mapping(catalog, a).values for a in answer_sets]
    matrix_ms = median_ms(lambda: batch.values_matrix(value_sets), 5)
    matrix = batch.values_matrix(value_sets)
    batch_ms = median_ms(lambda: batch.score(matrix), 5)
    result = batch.score(matrix)

    # the stored answers as the portfolio's queries return them: packed per assessment (one
    # row per answer to split and look up), and columnar (each distinct answer once)
    reader = ValueReader(catalog, batch.codes)
    n = len(answer_sets)
    packed = [
        (r, RECORD.join(c + FIELD + v for c, v in a.items())) for r, a in enumerate(answer_sets)
    ]
    groups: dict[tuple[str, str], list[int]] = {}
    for r, a in enumerate(answer_sets):
        for pair in a.items():
            groups.setdefault(pair, []).append(r)
    keys = list(groups)
    sizes = [len(groups[k]) for k in keys]
    rows = np.array([r for k in keys for r in groups[k]], dtype=np.int64)
    reader.read_columns(n, keys, sizes, rows)  # learns each distinct answer once, as the app
    packed_ms = median_ms(lambda: reader.read_packed(n, packed), 5)
    columns_ms = median_ms(lambda: reader.read_columns(n, keys, sizes, rows), 9)
    columnar = reader.read_columns(n, keys, sizes, rows).values
    same = bool(np.abs(columnar - matrix).max() < 1e-12)

    print(f"one assessment, score only           : {one_score:8.3f} ms (target < 2 ms)")
    print(f"one assessment, parse answers + score : {one_full:8.3f} ms (target < 2 ms)")
    print(f"10,000 assessments, scoring           : {batch_ms:8.1f} ms (target < 1000 ms)")
    print(f"10,000 assessments, values -> matrix  : {matrix_ms:8.1f} ms")
    print(f"10,000 assessments, matrix + scoring  : {matrix_ms + batch_ms:8.1f} ms")
    print(f"  (WBK passed in {int(result.passed['WBK'].sum())} of 10,000 synthetic sets)")
    print(f"10,000 assessments, stored answers -> matrix, row by row: {packed_ms:8.1f} ms")
    print(f"10,000 assessments, stored answers -> matrix, columnar  : {columns_ms:8.1f} ms", end="")
    print(f" (target < 30 ms; same values: {same})")
    print(
        f"10,000 assessments, columnar read + scoring             : {columns_ms + batch_ms:8.1f} ms"
    )
    ok = one_full < 2 and matrix_ms + batch_ms < 1000 and columns_ms < 30 and same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
