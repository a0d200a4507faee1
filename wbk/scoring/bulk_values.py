"""Stored answer rows of many assessments -> the value matrices the batch scorer takes.

One assessment at a time, ``parse_answers`` turns rows into exact values. For a portfolio of
thousands of assessments the same rules run once per distinct (code, answer) pair: an option,
ratio or index answer has the same value in every unit, so it is computed once and cached;
percentage questions answered by their counts are computed per question from the counts.
Rows that ``parse_answers`` would refuse (an unknown code, a bad value) count as unanswered.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from wbk.catalog.model import Catalog
from wbk.catalog.validate import formula_terms
from wbk.scoring.answers import BadAnswer, check_stored


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
        # (nan: none, or a count input), and for a count input its slot (a question's input,
        # -1 for any other token) and the count (nan: empty or refused)
        self._ids: dict[str, int] = {}
        self._k: list[int] = []
        self._v: list[float] = []
        self._slot: list[int] = []
        self._count: list[float] = []
        self._slots: dict[tuple[str, str], int] = {}
        self._terms: dict[str, tuple] = {}
        self._arrays: tuple[np.ndarray, ...] | None = None

    def _learn(self, token: str) -> None:
        code, _, raw = token.partition(FIELD)
        base, hash_, name = code.partition("#")
        k = self.index.get(base, _UNKNOWN)
        value = count = float("nan")
        slot = -1
        if hash_:
            if k != _UNKNOWN:
                slot = self._slots.setdefault((base, name), len(self._slots))
                found = self._stored_count(code, raw)
                count = float("nan") if found is None else float(found)
        elif k != _UNKNOWN:
            found = self.direct(code, raw)
            value = float("nan") if found is None else found
        self._ids[token] = len(self._k)
        self._k.append(k)
        self._v.append(value)
        self._slot.append(slot)
        self._count.append(count)
        self._arrays = None

    def _tables(self) -> tuple[np.ndarray, ...]:
        if self._arrays is None:
            self._arrays = (
                np.array(self._k, dtype=np.int64),
                np.array(self._v),
                np.array(self._slot, dtype=np.int64),
                np.array(self._count),
            )
        return self._arrays

    def direct(self, code: str, raw: str) -> float | None:
        if code not in self.catalog.items:
            return None
        try:
            value = check_stored(self.catalog, code, raw).value
        except BadAnswer:
            return None
        return None if value is None else float(value)

    def _stored_count(self, code: str, raw: str) -> int | None:
        """The count of one input row (``code#name``), None when empty or refused."""
        text = raw.strip()
        if text.isascii() and text.isdigit():  # the usual stored count: what the check gives
            return int(text)
        try:
            return check_stored(self.catalog, code, raw).count
        except BadAnswer:
            return None

    def _count_values(
        self,
        rows: np.ndarray,
        slots: np.ndarray,
        counts: np.ndarray,
        n: int,
        slot_map: dict[tuple[str, str], int],
    ):
        """(question column, rows, values) of the questions answered by their counts: per
        question, the counts of its inputs side by side, the ratio computed for every row at
        once (in floats, like ``_ratio``; a zero denominator by the exact rule)."""
        by_slot = {slot: key for key, slot in slot_map.items()}
        # every input's counts side by side (one scatter), then a question's inputs by column
        width = len(slot_map)
        dense = np.full((n, width), np.nan)
        dense[rows, slots] = counts
        stated = np.zeros((n, width), dtype=bool)
        stated[rows, slots] = True
        present = np.flatnonzero(np.bincount(slots, minlength=width))
        for base in {by_slot[int(x)][0] for x in present}:
            item = self.catalog.items.get(base)
            if item is None or item.formula is None:
                continue
            names = [i.name for i in item.formula.inputs]
            matrix = np.full((n, len(names)), np.nan)
            given = np.zeros(n, dtype=bool)
            for col, name in enumerate(names):
                slot = slot_map.get((base, name))
                if slot is None:
                    continue
                matrix[:, col] = dense[:, slot]
                given |= stated[:, slot]
            complete = given & ~np.isnan(matrix).any(axis=1)  # an input empty or refused: none
            where = np.flatnonzero(complete)
            if not where.size:
                continue
            col_of = {name: c for c, name in enumerate(names)}
            num_terms, den_terms = self._terms_of(item)
            part = matrix[where]
            num = np.zeros(where.size)
            den = np.zeros(where.size)
            for sign, name in num_terms:
                num += sign * part[:, col_of[name]]
            for sign, name in den_terms:
                den += sign * part[:, col_of[name]]
            ratio = np.full(where.size, np.nan)
            nonzero = den != 0
            ratio[nonzero] = np.maximum(num[nonzero] / den[nonzero], 0.0)
            # 0/0 and n/0 as the LKE says (``ratio_from_counts``): n/0 reaches the cap, a fall
            # below zero is clamped, 0/0 is ``when_zero`` or unanswered
            zero = ~nonzero
            when_zero = item.formula.when_zero
            ratio[zero & (num > 0)] = 1.0
            ratio[zero & (num < 0)] = 0.0
            ratio[zero & (num == 0)] = np.nan if when_zero is None else float(Fraction(when_zero))
            cap = float(item.scale.cap) if item.scale.cap is not None else 1.0
            keep = ~np.isnan(ratio)
            yield self.index[base], where[keep], np.minimum(ratio[keep], cap) / cap

    def _terms_of(self, item) -> tuple:
        terms = self._terms.get(item.code)
        if terms is None:
            f = item.formula
            terms = self._terms[item.code] = (
                formula_terms(f.numerator),
                formula_terms(f.denominator),
            )
        return terms

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
        rs = np.repeat(np.array(owners, dtype=np.int64), lengths)
        return self._fill(n, self._resolve(tokens), rs)

    def read_columns(
        self, n: int, answers: Sequence[tuple[str, str]], sizes: Sequence[int], rows: np.ndarray
    ) -> TierValues:
        """A columnar read: each distinct stored answer once, with the assessment rows that
        gave it. ``answers[g]`` is (stored code, stored answer); its rows are the next
        ``sizes[g]`` entries of ``rows`` (assessment row indices in 0..n-1). The same values
        as ``read_packed`` of the same answers, built without a Python step per answer row."""
        ids, *state = self._resolve([code + FIELD + raw for code, raw in answers])
        sizes = np.asarray(sizes, dtype=np.int64)
        return self._fill(n, (ids, *state), np.asarray(rows, dtype=np.int64), sizes)

    def _resolve(self, tokens: list[str]) -> tuple:
        """The id of each token, with the tables and slots those ids index."""
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
            return ids, self._tables(), dict(self._slots)

    def _fill(
        self, n: int, resolved: tuple, rs: np.ndarray, sizes: np.ndarray | None = None
    ) -> TierValues:
        """The matrices of answer rows given as token ids (``_resolve``) and their rows: one
        token per row, or (``sizes``) token ``g`` for the next ``sizes[g]`` rows."""
        ids, (k_of, v_of, slot_of, count_of), slot_map = resolved
        values = np.zeros((n, len(self.codes)))
        answered = np.zeros((n, len(self.codes)), dtype=bool)
        if not rs.size:
            return TierValues(values, answered)

        def spread(per_token: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
            """A per-token array as one entry per row (of the tokens ``among`` only)."""
            if sizes is None:
                return per_token
            return np.repeat(per_token, sizes if among is None else sizes[among])

        # per token first (a few thousand distinct answers), then one flat gather and one
        # scatter per matrix over the rows: no Python step per answer row
        ks, vs, slots = k_of[ids], v_of[ids], slot_of[ids]
        flat = rs * len(self.codes)
        flat += spread(ks)
        known = ks != _UNKNOWN
        answered.ravel()[flat if known.all() else flat[spread(known)]] = True
        has_value = ~np.isnan(vs)  # an unknown code has no value either
        if has_value.all():
            values.ravel()[flat] = spread(vs)
        elif has_value.any():
            values.ravel()[flat[spread(has_value)]] = spread(vs[has_value], has_value)
        counted = slots >= 0
        if counted.any():
            mine = spread(counted)
            for k, where, found in self._count_values(
                rs[mine],
                spread(slots[counted], counted),
                spread(count_of[ids][counted], counted),
                n,
                slot_map,
            ):
                values[where, k] = found
        return TierValues(values, answered)
