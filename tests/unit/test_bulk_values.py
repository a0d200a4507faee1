"""Stored answers read in bulk (ValueReader, as the portfolio does) give the same values and
scores as parse_answers + the exact engine, one assessment at a time, on random answer sets
(count questions with zero denominators included) and the TPI fallback rule."""

from __future__ import annotations

import random

import pytest

from wbk.catalog import get_catalog
from wbk.scoring import AnswerRow, parse_answers, score
from wbk.scoring.batch import BatchScorer
from wbk.scoring.bulk_values import ValueReader
from wbk.scoring.tiers import tpi_effective, tpi_effective_values


def random_rows(catalog, rng: random.Random, share: float = 1.0) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, item in catalog.items.items():
        if rng.random() > share:
            continue
        kind = item.scale.kind
        if kind == "option":
            out[code] = rng.choice(item.scale.options).key
        elif kind == "ratio" and item.formula is not None and rng.random() < 0.6:
            for inp in item.formula.inputs:
                out[f"{code}#{inp.name}"] = str(rng.choice([0, 0, 1, 3, 7, 12, 30]))
        elif kind == "ratio":
            out[code] = f"{rng.randint(0, 120)}%"
        else:
            out[code] = f"{rng.uniform(1, 4):.2f}"
    return out


@pytest.fixture(scope="module")
def catalog():
    return get_catalog("lke-zi-2021")


def test_bulk_values_score_as_the_exact_engine(catalog):
    rng = random.Random(3)
    scorer = BatchScorer(catalog)
    reader = ValueReader(catalog, scorer.codes)
    own_sets = [random_rows(catalog, rng, 0.95) for _ in range(150)]
    tpi_sets = [random_rows(catalog, rng, rng.choice([0.0, 0.2, 1.0])) for _ in range(150)]
    own = reader.read(150, ((r, c, v) for r, rows in enumerate(own_sets) for c, v in rows.items()))
    tpi = reader.read(150, ((r, c, v) for r, rows in enumerate(tpi_sets) for c, v in rows.items()))
    merged, scored = tpi_effective_values(own, tpi)
    own_scores, tpi_scores = scorer.score(own.values), scorer.score(merged)
    for r in range(150):
        exact = score(
            catalog,
            parse_answers(catalog, [AnswerRow(c, v) for c, v in own_sets[r].items()]).values,
        )
        assert own_scores.column("total")[r] == pytest.approx(float(exact.total), abs=1e-9)
        assert bool(own_scores.passed["WBK"][r]) == exact.verdicts["WBK"].passed
        effective = tpi_effective(own_sets[r], tpi_sets[r])
        assert bool(scored[r]) == (effective is not None)
        if effective is not None:
            card = score(
                catalog,
                parse_answers(catalog, [AnswerRow(c, v) for c, v in effective.items()]).values,
            )
            assert tpi_scores.column("total")[r] == pytest.approx(float(card.total), abs=1e-9)


def test_unknown_codes_and_bad_values_are_unanswered(catalog):
    scorer = BatchScorer(catalog)
    reader = ValueReader(catalog, scorer.codes)
    got = reader.read(1, [(0, "X.NOPE", "A"), (0, "P.MP.i.a", "not an option")])
    assert not got.values.any()
    assert got.answered[0].sum() == 1  # the known question has a row, without a value


def test_one_reader_shared_by_threads_gives_each_its_own_values(catalog):
    """App sessions share one reader per catalog: concurrent first reads learn answers
    without mixing them up."""
    from concurrent.futures import ThreadPoolExecutor

    scorer = BatchScorer(catalog)
    shared = ValueReader(catalog, scorer.codes)
    rngs = [random.Random(seed) for seed in range(8)]
    sets = [[random_rows(catalog, rng, 0.9) for _ in range(20)] for rng in rngs]

    def rows(batch):
        return [(r, c, v) for r, answers in enumerate(batch) for c, v in answers.items()]

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda b: shared.read(len(b), rows(b)).values, sets))
    for batch, values in zip(sets, got, strict=True):
        alone = ValueReader(catalog, scorer.codes).read(len(batch), rows(batch)).values
        assert (values == alone).all()
