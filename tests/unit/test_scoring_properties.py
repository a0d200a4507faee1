"""Properties of the scoring that must hold for any answers (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import CATALOG_FILE
from wbk.catalog import load_catalog
from wbk.scoring import score, values_from_mapping
from wbk.scoring.batch import BatchScorer

CATALOG = load_catalog(CATALOG_FILE)
ITEMS = CATALOG.items


def _answer(item):
    scale = item.scale
    if scale.kind == "option":
        return st.sampled_from([o.key for o in scale.options])
    if scale.kind == "ratio":
        return st.integers(0, 150).map(lambda p: f"{p}%")
    return st.integers(0, 400).map(lambda i: f"{i / 100:.2f}")


answer_sets = st.fixed_dictionaries({}, optional={code: _answer(i) for code, i in ITEMS.items()})


def _better(item, answer: str) -> str:
    """A best-possible answer for this item: never worse than ``answer``."""
    scale = item.scale
    if scale.kind == "option":
        return scale.options[0].key
    if scale.kind == "ratio":
        return "100%"
    return str(scale.maximum)


def _all_scores(card) -> dict[str, Fraction]:
    out = {f"sub:{k}": v.score for k, v in card.subareas.items()}
    out |= {f"area:{k}": v.score for k, v in card.areas.items()}
    out |= {f"comp:{k}": v.score for k, v in card.components.items()}
    out |= {f"res:{k}": v.score for k, v in card.results.items()}
    return out


@given(answer_sets, st.sampled_from(sorted(ITEMS)))
def test_a_better_answer_never_lowers_any_score(answers, code):
    before = score(CATALOG, values_from_mapping(CATALOG, answers).values)
    improved = dict(answers)
    improved[code] = _better(ITEMS[code], answers.get(code, ""))
    after = score(CATALOG, values_from_mapping(CATALOG, improved).values)
    lower = {
        k: (v, after_v)
        for (k, v), after_v in zip(
            _all_scores(before).items(), _all_scores(after).values(), strict=True
        )
        if after_v < v
    }
    assert not lower
    for pid, verdict in before.verdicts.items():
        if verdict.passed:
            assert after.verdicts[pid].passed


@given(answer_sets)
def test_every_score_within_its_weight_and_sums_consistent(answers):
    card = score(CATALOG, values_from_mapping(CATALOG, answers).values)
    for group in (card.subareas, card.areas, card.components, card.results):
        for key, sub in group.items():
            assert 0 <= sub.score <= sub.weight, key
    c = card.components
    assert c["pengungkit"].score == c["pemenuhan"].score + c["reform"].score
    assert c["total"].score == c["pengungkit"].score + c["hasil"].score
    assert sum(q.recoverable for q in card.questions.values()) == 100 - card.total
    assert set(card.unanswered) == set(ITEMS) - set(answers)


@given(st.lists(answer_sets, min_size=1, max_size=8))
def test_batch_scoring_agrees_with_the_exact_engine(answer_list):
    batch = BatchScorer(CATALOG)
    value_sets = [values_from_mapping(CATALOG, a).values for a in answer_list]
    result = batch.score(batch.values_matrix(value_sets))
    for row, values in enumerate(value_sets):
        card = score(CATALOG, values)
        assert np.isclose(result.column("total")[row], float(card.total), atol=1e-9)
        for key, sub in card.areas.items():
            assert np.isclose(result.column(key)[row], float(sub.score), atol=1e-9)
        for pid, verdict in card.verdicts.items():
            assert bool(result.passed[pid][row]) == verdict.passed
            assert result.gates[pid] == [g.id for g in verdict.gates]
