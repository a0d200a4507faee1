"""Stored answer rows of many assessments -> the value matrices the batch scorer takes.

One assessment at a time, ``parse_answers`` turns rows into exact values. For a portfolio of
thousands of assessments the same rules run once per distinct (code, answer) pair: an option,
ratio or index answer has the same value in every unit, so it is computed once and cached;
percentage questions answered by their counts are computed per question from the counts.
Rows that ``parse_answers`` would refuse (an unknown code, a bad value) count as unanswered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from wbk.catalog.model import Catalog
from wbk.scoring.answers import ONE, parse_number, ratio_from_counts, value_of


@dataclass(frozen=True)
class TierValues:
    """``values[r, k]``: the value of question ``codes[k]`` in assessment row ``r`` (0 when
    unanswered); ``answered[r, k]``: the tier has a row for that question (a value or counts)."""

    values: np.ndarray
    answered: np.ndarray

    @property
    def any(self) -> np.ndarray:
        """Rows (assessments) where this tier has answered anything."""
        return self.answered.any(axis=1)


class ValueReader:
    """Turns (row index, code, stored answer) triples into a TierValues, caching per answer."""

    def __init__(self, catalog: Catalog, codes: list[str]) -> None:
        self.catalog = catalog
        self.codes = codes
        self.index = {c: i for i, c in enumerate(codes)}
        self._direct: dict[tuple[str, str], float | None] = {}
        self._counts: dict[tuple[str, tuple], float | None] = {}

    def direct(self, code: str, raw: str) -> float | None:
        key = (code, raw)
        try:
            return self._direct[key]
        except KeyError:
            pass
        item = self.catalog.items.get(code)
        value: float | None = None
        if item is not None and raw.strip():
            try:
                value = float(value_of(item, raw)[0])
            except ValueError:
                value = None
        self._direct[key] = value
        return value

    def from_counts(self, code: str, given: dict[str, str]) -> float | None:
        key = (code, tuple(sorted(given.items())))
        try:
            return self._counts[key]
        except KeyError:
            pass
        self._counts[key] = value = self._count_value(code, given)
        return value

    def _count_value(self, code: str, given: dict[str, str]) -> float | None:
        item = self.catalog.items.get(code)
        if item is None or item.formula is None:
            return None
        counts: dict[str, int] = {}
        for name in (i.name for i in item.formula.inputs):
            number = parse_number(given.get(name, ""))
            if number is None or number < 0 or number != number.to_integral_value():
                return None
            counts[name] = int(number)
        ratio = ratio_from_counts(item.formula, counts)
        if ratio is None:
            return None
        cap = Fraction(item.scale.cap) if item.scale.cap is not None else ONE
        return float(min(ratio, cap) / cap)

    def read(self, n: int, rows: Iterable[tuple[int, str, str]]) -> TierValues:
        """``rows``: (assessment row index in 0..n-1, stored code, stored answer), answered
        rows only (a cleared answer is no row)."""
        values = np.zeros((n, len(self.codes)))
        answered = np.zeros((n, len(self.codes)), dtype=bool)
        index, direct = self.index, self.direct
        rs: list[int] = []
        ks: list[int] = []
        vs: list[float] = []
        marks_r: list[int] = []
        marks_k: list[int] = []
        counts: dict[tuple[int, str], dict[str, str]] = {}
        for r, code, raw in rows:
            if "#" in code:
                base, _, name = code.partition("#")
                k = index.get(base)
                if k is not None:
                    counts.setdefault((r, base), {})[name] = raw
                    marks_r.append(r)
                    marks_k.append(k)
                continue
            k = index.get(code)
            if k is None:
                continue
            marks_r.append(r)
            marks_k.append(k)
            v = direct(code, raw)
            if v is not None:
                rs.append(r)
                ks.append(k)
                vs.append(v)
        for (r, base), given in counts.items():
            v = self.from_counts(base, given)
            if v is not None:
                rs.append(r)
                ks.append(index[base])
                vs.append(v)
        if marks_r:
            answered[np.array(marks_r), np.array(marks_k)] = True
        if rs:
            values[np.array(rs), np.array(ks)] = np.array(vs)
        return TierValues(values, answered)


def tpi_effective_values(own: TierValues, tpi: TierValues) -> tuple[np.ndarray, np.ndarray]:
    """The TPI score's values (the TPI's answer on every question it scored, the unit's
    elsewhere, as ``tiers.tpi_effective``) and which rows have a TPI score at all."""
    scored = tpi.any
    merged = np.where(tpi.answered, tpi.values, own.values)
    return merged, scored
