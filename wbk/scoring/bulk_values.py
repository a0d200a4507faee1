"""Stored answer rows of many assessments -> the value matrices the batch scorer takes.

One assessment at a time, ``parse_answers`` turns rows into exact values. For a portfolio of
thousands of assessments the same rules run once per distinct (code, answer) pair: an option,
ratio or index answer has the same value in every unit, so it is computed once and cached;
percentage questions answered by their counts are computed per question from the counts.
Rows that ``parse_answers`` would refuse (an unknown code, a bad value) count as unanswered.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from wbk.catalog.model import Catalog
from wbk.catalog.validate import formula_terms
from wbk.scoring.answers import BadAnswer, check_stored, ratio_from_counts


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
_MISSING = object()
MAX_TOKENS = 1_000_000  # distinct answers remembered by one reader


class ValueReader:
    """Turns stored answer rows into a TierValues, computing each distinct answer once.

    Rows come packed per assessment (``code FIELD answer`` joined by ``RECORD``, as the
    database aggregates them in one query) or as (row index, code, answer) triples."""

    def __init__(self, catalog: Catalog, codes: list[str]) -> None:
        self.catalog = catalog
        self.codes = codes
        self.index = {c: i for i, c in enumerate(codes)}
        self._lock = threading.Lock()
        self._forget()

    def _forget(self) -> None:
        # every token seen: its id, and per id the question column (_UNKNOWN), the value
        # (nan: none, or a count input) and, for a count input, (question, input name, count)
        self._ids: dict[str, int] = {}
        self._k: list[int] = []
        self._v: list[float] = []
        self._inputs: dict[int, tuple[str, str, str]] = {}
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._counts: dict[tuple, float | None] = {}
        self._terms: dict[str, tuple] = {}

    def _learn(self, token: str) -> None:
        code, _, raw = token.partition(FIELD)
        base, hash_, name = code.partition("#")
        k = self.index.get(base, _UNKNOWN)
        value = float("nan")
        i = len(self._k)
        if hash_:
            if k != _UNKNOWN:
                self._inputs[i] = (base, name, raw)
        elif k != _UNKNOWN:
            found = self.direct(code, raw)
            value = float("nan") if found is None else found
        self._ids[token] = i
        self._k.append(k)
        self._v.append(value)
        self._arrays = None

    def _tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._arrays is None:
            counted = np.zeros(len(self._k), dtype=bool)
            counted[list(self._inputs)] = True
            self._arrays = (np.array(self._k, dtype=np.int64), np.array(self._v), counted)
        return self._arrays

    def direct(self, code: str, raw: str) -> float | None:
        if code not in self.catalog.items:
            return None
        try:
            value = check_stored(self.catalog, code, raw).value
        except BadAnswer:
            return None
        return None if value is None else float(value)

    def _count_value(self, code: str, given: dict[str, str]) -> float | None:
        item = self.catalog.items.get(code)
        if item is None or item.formula is None:
            return None
        counts: dict[str, int] = {}
        for name in (i.name for i in item.formula.inputs):
            text = (given.get(name) or "").strip()
            if text.isascii() and text.isdigit():  # the usual stored count: what the check gives
                counts[name] = int(text)
                continue
            try:
                counts[name] = check_stored(self.catalog, f"{code}#{name}", given.get(name)).count
            except BadAnswer:
                return None
            if counts[name] is None:  # an input left empty: the question has no value
                return None
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
        count = len(tokens)
        with self._lock:  # app sessions share the reader: ids and tables from one state
            try:
                ids = np.fromiter(map(self._ids.__getitem__, tokens), np.int64, count=count)
            except KeyError:  # answers not seen before in this process: learn them once
                if len(self._k) > MAX_TOKENS:  # a long-lived process keeps a bounded table
                    self._forget()
                for token in set(tokens).difference(self._ids):
                    self._learn(token)
                ids = np.fromiter(map(self._ids.__getitem__, tokens), np.int64, count=count)
            k_of, v_of, counted = self._tables()
            inputs, cache = self._inputs, self._counts
        rs = np.repeat(np.array(owners, dtype=np.int64), lengths)
        ks, vs = k_of[ids], v_of[ids]
        known = ks != _UNKNOWN
        answered[rs[known], ks[known]] = True
        has_value = known & ~np.isnan(vs)
        values[rs[has_value], ks[has_value]] = vs[has_value]
        picked = np.flatnonzero(counted[ids])
        if picked.size:
            grouped: dict[tuple[int, str], list[int]] = {}
            for r, i in zip(rs[picked].tolist(), ids[picked].tolist(), strict=True):
                grouped.setdefault((r, inputs[i][0]), []).append(i)
            for (r, base), group in grouped.items():
                key = (base, *sorted(group))
                v = cache.get(key, _MISSING)
                if v is _MISSING:
                    v = cache[key] = self._count_value(
                        base, {inputs[i][1]: inputs[i][2] for i in group}
                    )
                if v is not None:
                    values[r, self.index[base]] = v
        return TierValues(values, answered)
