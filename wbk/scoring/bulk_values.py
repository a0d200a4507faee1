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

import numpy as np

from wbk.catalog.model import Catalog
from wbk.catalog.validate import formula_terms
from wbk.scoring.answers import parse_number, ratio_from_counts, value_of


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


FIELD = "\x1e"  # between a code and its answer in a packed row (record separator)
RECORD = "\x1d"  # between the rows of one assessment (group separator)
_UNKNOWN = -1  # a code the catalog does not have


class ValueReader:
    """Turns stored answer rows into a TierValues, computing each distinct answer once.

    Rows come packed per assessment (``code FIELD answer`` joined by ``RECORD``, as the
    database aggregates them in one query) or as (row index, code, answer) triples."""

    def __init__(self, catalog: Catalog, codes: list[str]) -> None:
        self.catalog = catalog
        self.codes = codes
        self.index = {c: i for i, c in enumerate(codes)}
        self._k: dict[str, int] = {}  # packed token -> question column (_UNKNOWN)
        self._v: dict[str, float] = {}  # packed token -> value (nan: counts or no value)
        self._counted: set[str] = set()  # tokens of count inputs (``code#name``)
        self._counts: dict[tuple[str, tuple], float | None] = {}
        self._terms: dict[str, tuple] = {}

    def _learn(self, token: str) -> None:
        code, _, raw = token.partition(FIELD)
        base, hash_, _name = code.partition("#")
        k = self.index.get(base, _UNKNOWN)
        value = float("nan")
        if hash_:
            self._counted.add(token)
        elif k != _UNKNOWN:
            found = self.direct(code, raw)
            value = float("nan") if found is None else found
        self._k[token] = k
        self._v[token] = value

    def direct(self, code: str, raw: str) -> float | None:
        item = self.catalog.items.get(code)
        if item is None or not raw.strip():
            return None
        try:
            return float(value_of(item, raw)[0])
        except ValueError:
            return None

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
            text = given.get(name, "")
            try:
                counts[name] = int(text)
                if counts[name] < 0:
                    return None
                continue
            except ValueError:
                pass
            number = parse_number(text)
            if number is None or number < 0 or number != number.to_integral_value():
                return None
            counts[name] = int(number)
        ratio = self._ratio(item, counts)
        if ratio is None:
            return None
        cap = float(item.scale.cap) if item.scale.cap is not None else 1.0
        return min(ratio, cap) / cap

    def _ratio(self, item, counts: dict[str, int]) -> float | None:
        """The uncapped ratio, in floats (the exact engine agrees to the last bit or two)."""
        terms = self._terms.get(item.code)
        if terms is None:
            f = item.formula
            terms = self._terms[item.code] = (
                formula_terms(f.numerator),
                formula_terms(f.denominator),
            )
        num = sum(sign * counts[name] for sign, name in terms[0])
        den = sum(sign * counts[name] for sign, name in terms[1])
        if den == 0:
            exact = ratio_from_counts(item.formula, counts)  # 0/0 and n/0 as the LKE says
            return None if exact is None else float(exact)
        return max(num / den, 0.0)

    def read(self, n: int, rows: Iterable[tuple[int, str, str]]) -> TierValues:
        """``rows``: (assessment row index in 0..n-1, stored code, stored answer), answered
        rows only (a cleared answer is no row)."""
        packed: dict[int, list[str]] = {}
        for r, code, raw in rows:
            packed.setdefault(r, []).append(code + FIELD + raw)
        return self.read_packed(n, ((r, RECORD.join(t)) for r, t in packed.items()))

    def read_packed(self, n: int, rows: Iterable[tuple[int, str | None]]) -> TierValues:
        """``rows``: (assessment row index, its rows packed as ``code FIELD answer`` joined
        by ``RECORD``)."""
        tokens: list[str] = []
        owners: list[int] = []
        lengths: list[int] = []
        for r, blob in rows:
            if not blob:
                continue
            part = blob.split(RECORD)
            tokens += part
            owners.append(r)
            lengths.append(len(part))
        values = np.zeros((n, len(self.codes)))
        answered = np.zeros((n, len(self.codes)), dtype=bool)
        if not tokens:
            return TierValues(values, answered)
        for token in set(tokens).difference(self._k):
            self._learn(token)
        count = len(tokens)
        rs = np.repeat(np.array(owners, dtype=np.int64), lengths)
        ks = np.fromiter(map(self._k.__getitem__, tokens), dtype=np.int64, count=count)
        vs = np.fromiter(map(self._v.__getitem__, tokens), dtype=float, count=count)
        known = ks != _UNKNOWN
        answered[rs[known], ks[known]] = True
        has_value = known & ~np.isnan(vs)
        values[rs[has_value], ks[has_value]] = vs[has_value]
        if self._counted:
            grouped: dict[tuple[int, str], dict[str, str]] = {}
            counted = self._counted
            for i in np.flatnonzero(known & np.isnan(vs)):
                token = tokens[i]
                if token not in counted:
                    continue
                code, _, raw = token.partition(FIELD)
                base, _, name = code.partition("#")
                grouped.setdefault((int(rs[i]), base), {})[name] = raw
            for (r, base), given in grouped.items():
                v = self.from_counts(base, given)
                if v is not None:
                    values[r, self.index[base]] = v
        return TierValues(values, answered)


def tpi_effective_values(own: TierValues, tpi: TierValues) -> tuple[np.ndarray, np.ndarray]:
    """The TPI score's values (the TPI's answer on every question it scored, the unit's
    elsewhere, as ``tiers.tpi_effective``) and which rows have a TPI score at all."""
    scored = tpi.any
    merged = np.where(tpi.answered, tpi.values, own.values)
    return merged, scored
