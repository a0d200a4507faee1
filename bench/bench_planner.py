"""Benchmark: the cheapest plan to WBK for one assessment (the demo unit's answers), and for
1,000 assessments in a loop (random answer sets, fixed seed), solver and exact re-check
included.

Target on the 2-core reference machine: one plan < 100 ms.
Run: ``.venv/bin/python bench/bench_planner.py``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

from wbk.catalog import Catalog, load_catalog
from wbk.planner import plan
from wbk.scoring import AnswerRow, parse_answers, values_from_mapping
from wbk.services.demo import PEMENUHAN, REFORM

TARGET_MS = 100.0


def demo_answers(catalog: Catalog):
    """The demo unit's answers, built from the demo constants without a database."""
    rows: list[AnswerRow] = []
    pemenuhan = [c for c, i in catalog.items.items() if i.part == "P"]
    for code, pick in zip(pemenuhan, PEMENUHAN, strict=True):
        if pick != "-":
            rows.append(AnswerRow(code, catalog.items[code].scale.options[int(pick)].key))
    rows += [AnswerRow(code, value) for code, value in REFORM.items()]
    return parse_answers(catalog, rows)


def random_answers(catalog: Catalog, rng: random.Random, good: float) -> dict[str, str]:
    """Random answers; ``good`` is the chance that an answer is drawn from the better half
    of its scale (0: uniform over the scale). Survey results between 3.4 and 4 (most pass
    the gates)."""
    out: dict[str, str] = {}
    for code, item in catalog.items.items():
        if item.kind == "pengungkit" and rng.random() < 0.05:
            continue  # a few unanswered, as in real work
        kind = item.scale.kind
        if kind == "option":
            options = item.scale.options
            half = max(1, len(options) // 2)
            pool = options[:half] if rng.random() < good else options
            out[code] = rng.choice(pool).key
        elif kind == "ratio" and item.formula is not None and rng.random() < 0.3:
            for inp in item.formula.inputs:
                out[f"{code}#{inp.name}"] = str(rng.randint(1, 30))
        elif kind == "ratio":
            out[code] = f"{rng.randint(50 if rng.random() < good else 0, 100)}%"
        else:
            out[code] = f"{rng.uniform(3.4, 4):.2f}"
    return out


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"median {statistics.median(ordered):6.1f} ms, p95 {p95:6.1f} ms, "
        f"max {ordered[-1]:6.1f} ms, total {sum(ordered) / 1000:5.1f} s"
    )


def main() -> int:
    catalog = load_catalog()
    demo = demo_answers(catalog)
    plan(catalog, demo, "WBK")  # warm-up: catalog layout, imports
    one = [timed(lambda: plan(catalog, demo, "WBK")) for _ in range(50)]
    result = plan(catalog, demo, "WBK")
    print(
        f"demo unit, WBK plan (median of 50)   : {statistics.median(one):6.1f} ms "
        f"(target < {TARGET_MS:.0f} ms); {len(result.steps)} steps, effort "
        f"{float(result.effort):g}, total {float(result.before.total):.2f} -> "
        f"{float(result.after.total):.2f}"
    )
    budget = [timed(lambda: plan(catalog, demo, "WBK", budget=5)) for _ in range(50)]
    print(f"demo unit, budget 5 (median of 50)   : {statistics.median(budget):6.1f} ms")

    worst = 0.0
    for label, good in (
        ("1,000 random sets (uniform)", 0.0),
        ("1,000 random sets (near WBK)", 0.8),
    ):
        rng = random.Random(2021)
        sets = [
            values_from_mapping(catalog, random_answers(catalog, rng, good)) for _ in range(1000)
        ]
        times: list[float] = []
        solved: list[float] = []
        feasible = blocked = 0
        for answers in sets:
            start = time.perf_counter()
            p = plan(catalog, answers, "WBK")
            ms = (time.perf_counter() - start) * 1000
            times.append(ms)
            if p.blocking:
                blocked += 1
            else:
                solved.append(ms)
                feasible += p.feasible
        print(f"{label:37}: {summary(times)}")
        print(
            f"  of which solved by the MILP ({len(solved):4d}) : {summary(solved)}; "
            f"{blocked} blocked by a result gate"
        )
        worst = max(worst, statistics.median(times))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"(load average during the run: {load}; other work on the machine slows the figures)")
    return 0 if statistics.median(one) < TARGET_MS and worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
