"""Vectorised scoring of many answer sets at once (portfolio views, what-if search, benchmarks).

Every LKE score is linear in the question values, so all of them are one matrix product:
``scores = values @ weights``. The exact engine (``engine.score``) stays the reference; this
float64 path agrees with it to 1e-9 and compares gates with that tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from wbk.catalog.model import Catalog

TOLERANCE = 1e-9


@dataclass(frozen=True)
class BatchResult:
    """Scores of N answer sets: ``scores[:, nodes.index(name)]``; ``passed[pid]`` per predicate."""

    nodes: list[str]
    scores: np.ndarray
    gates: dict[str, list[str]]
    gate_passed: dict[str, np.ndarray]
    passed: dict[str, np.ndarray]

    def column(self, name: str) -> np.ndarray:
        return self.scores[:, self.nodes.index(name)]


class BatchScorer:
    """Precomputes the catalog's weight matrix once; then scores any number of value rows."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.codes = list(catalog.items)
        index = {c: i for i, c in enumerate(self.codes)}
        columns: dict[str, np.ndarray] = {}

        def col(name: str) -> np.ndarray:
            return columns.setdefault(name, np.zeros(len(self.codes)))

        for part in catalog.pengungkit.parts:
            for area in part.areas:
                for sub in area.subareas:
                    per_q = float(Fraction(sub.weight) / len(sub.questions))
                    for q in sub.questions:
                        i = index[q.code]
                        for name in (
                            f"{part.code}.{area.code}.{sub.id}",
                            f"{part.code}.{area.code}",
                            area.code,
                            part.key,
                            "pengungkit",
                            "total",
                        ):
                            col(name)[i] = per_q
        for group in catalog.hasil.groups:
            for item in group.items:
                i = index[item.code]
                for name in (item.key, group.key, group.code, "hasil", "total"):
                    col(name)[i] = float(item.weight)
        self.nodes = list(columns)
        self.matrix = np.stack([columns[n] for n in self.nodes], axis=1)

        self._gates: dict[str, list[tuple[str, int, float, bool]]] = {}
        for pred in catalog.predicates:
            gates: list[tuple[str, int, float, bool]] = []
            for gate in pred.gates:
                if gate.target == "areas":
                    applies = pred.area_reading in (gate.reading, "both")
                    if gate.reading == "separate":
                        areas = [
                            (f"{p.code}.{a.code}", a.weight)
                            for p in catalog.pengungkit.parts
                            for a in p.areas
                        ]
                    else:
                        areas = [
                            (
                                code,
                                sum(
                                    a.weight
                                    for p in catalog.pengungkit.parts
                                    for a in p.areas
                                    if a.code == code
                                ),
                            )
                            for code in catalog.area_codes
                        ]
                    for key, weight in areas:
                        minimum = float(Fraction(gate.minimum_ratio) * Fraction(weight))
                        gates.append((f"{gate.id}:{key}", self.nodes.index(key), minimum, applies))
                    continue
                kind, _, ref = gate.target.partition(":")
                if kind == "item":
                    node = next(i.key for _, i in catalog.result_items if i.code == ref)
                elif kind == "group":
                    node = ref
                else:
                    node = gate.target
                gates.append((gate.id, self.nodes.index(node), float(gate.minimum), True))
            self._gates[pred.id] = gates

    def values_matrix(self, value_sets: Sequence[Mapping[str, Fraction | float]]) -> np.ndarray:
        """An N x K float matrix of question values; unanswered questions are 0."""
        index = {c: i for i, c in enumerate(self.codes)}
        out = np.zeros((len(value_sets), len(self.codes)))
        for row, values in enumerate(value_sets):
            for code, v in values.items():
                out[row, index[code]] = float(v)
        return out

    def score(self, values: np.ndarray) -> BatchResult:
        scores = np.nan_to_num(values, nan=0.0) @ self.matrix
        gate_names: dict[str, list[str]] = {}
        gate_passed: dict[str, np.ndarray] = {}
        passed: dict[str, np.ndarray] = {}
        for pid, gates in self._gates.items():
            cols = np.array([g[1] for g in gates])
            minima = np.array([g[2] for g in gates])
            ok = scores[:, cols] >= minima - TOLERANCE
            applies = np.array([g[3] for g in gates])
            gate_names[pid] = [g[0] for g in gates]
            gate_passed[pid] = ok
            passed[pid] = ok[:, applies].all(axis=1)
        return BatchResult(self.nodes, scores, gate_names, gate_passed, passed)
