"""The columnar read (each distinct stored answer once, with the assessments that gave it)
builds the same value matrix as the answer rows read one by one, and scores as the exact
engine does one assessment at a time, on random answers (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import CATALOG_FILE
from wbk.catalog import load_catalog
from wbk.scoring import score, values_from_mapping
from wbk.scoring.batch import BatchScorer
from wbk.scoring.bulk_values import ValueReader

CATALOG = load_catalog(CATALOG_FILE)
SCORER = BatchScorer(CATALOG)
COUNTS = st.sampled_from(["0", "0", "1", "3", "7", "12", "40"])


def _rows(item) -> st.SearchStrategy[dict[str, str]]:
    """One question's stored rows: its answer, or (a percentage) the counts of its inputs."""
    scale = item.scale
    if scale.kind == "option":
        return st.sampled_from([o.key for o in scale.options]).map(lambda a: {item.code: a})
    if scale.kind == "ratio":
        direct = st.integers(0, 150).map(lambda p: {item.code: f"{p}%"})
        if item.formula is None:
            return direct
        names = [f"{item.code}#{i.name}" for i in item.formula.inputs]
        counts = st.fixed_dictionaries({name: COUNTS for name in names})
        return st.one_of(direct, counts)
    return st.integers(0, 400).map(lambda i: {item.code: f"{i / 100:.2f}"})


def _answers() -> st.SearchStrategy[dict[str, str]]:
    picked = st.fixed_dictionaries({}, optional={c: _rows(i) for c, i in CATALOG.items.items()})
    return picked.map(lambda parts: {k: v for rows in parts.values() for k, v in rows.items()})


NOISE = st.lists(
    st.sampled_from(
        [("X.NOPE", "Ya"), ("P.MP.i.a", "not an option"), ("P.MP.i.a", ""), ("R.MP.i.a#x", "3")]
    ),
    max_size=3,
)


def _columns(sets: list[dict[str, str]]):
    """The answers as the columnar query returns them: each distinct answer, its rows."""
    groups: dict[tuple[str, str], list[int]] = {}
    for r, answers in enumerate(sets):
        for code, raw in answers.items():
            groups.setdefault((code, raw), []).append(r)
    keys = list(groups)
    rows = np.array([r for k in keys for r in groups[k]], dtype=np.int64)
    return keys, [len(groups[k]) for k in keys], rows


def _one_by_one(reader: ValueReader, sets: list[dict[str, str]]):
    rows = [(r, c, v) for r, answers in enumerate(sets) for c, v in answers.items()]
    return reader.read(len(sets), rows)


@given(st.lists(_answers(), min_size=1, max_size=6))
def test_columnar_values_equal_the_exact_engine(sets):
    reader = ValueReader(CATALOG, SCORER.codes)
    fast = reader.read_columns(len(sets), *_columns(sets))
    slow = _one_by_one(reader, sets)
    assert np.array_equal(fast.values, slow.values)
    assert np.array_equal(fast.answered, slow.answered)
    exact = [values_from_mapping(CATALOG, answers).values for answers in sets]
    assert fast.values == pytest.approx(SCORER.values_matrix(exact), abs=1e-12)
    result = SCORER.score(fast.values)
    for r, values in enumerate(exact):
        card = score(CATALOG, values)
        assert result.column("total")[r] == pytest.approx(float(card.total), abs=1e-9)
        for pid, verdict in card.verdicts.items():
            assert bool(result.passed[pid][r]) == verdict.passed


@given(st.lists(st.tuples(_answers(), NOISE), min_size=1, max_size=4))
def test_columnar_read_ignores_what_the_row_read_ignores(sets):
    """Unknown codes, refused values and unknown count inputs: the same in both reads."""
    noisy = [answers | dict(noise) for answers, noise in sets]
    reader = ValueReader(CATALOG, SCORER.codes)
    fast = reader.read_columns(len(noisy), *_columns(noisy))
    slow = _one_by_one(ValueReader(CATALOG, SCORER.codes), noisy)
    assert np.array_equal(fast.values, slow.values)
    assert np.array_equal(fast.answered, slow.answered)


def test_rows_left_unanswered_stay_empty():
    reader = ValueReader(CATALOG, SCORER.codes)
    got = reader.read_columns(3, [("P.MP.i.a", "Ya")], [2], np.array([0, 2]))
    k = SCORER.codes.index("P.MP.i.a")
    assert got.answered[:, k].tolist() == [True, False, True]
    assert got.values[1].sum() == 0
    assert got.values[0, k] == got.values[2, k] == 1.0
