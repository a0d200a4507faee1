"""The one check of a stored answer (``scoring.answers.check_stored``) and the places that
rely on it: the scorer, the batch reader. Each test fails when its part of the rule goes."""

from __future__ import annotations

from fractions import Fraction

import pytest

from wbk.catalog import get_catalog
from wbk.errors import AnswersError
from wbk.scoring import AnswerRow, parse_answers
from wbk.scoring.answers import BadAnswer, check_stored
from wbk.scoring.batch import BatchScorer
from wbk.scoring.bulk_values import ValueReader


@pytest.fixture(scope="module")
def catalog():
    return get_catalog("lke-zi-2021")


def refused(catalog, code: str, raw: str) -> str:
    with pytest.raises(BadAnswer) as caught:
        check_stored(catalog, code, raw)
    return caught.value.problem.key


def test_options_are_read_in_any_case_and_stored_canonically(catalog):
    stored = check_stored(catalog, "P.MP.i.a", " ya ")
    assert (stored.text, stored.value) == ("Ya", Fraction(1))
    assert refused(catalog, "P.MP.i.a", "Mungkin") == "answers.bad_option"


def test_counts_are_whole_numbers_zero_or_more(catalog):
    assert check_stored(catalog, "R.MP.i.a#agen", "12.0").count == 12
    assert check_stored(catalog, "R.MP.i.a#agen", "0").text == "0"
    assert refused(catalog, "R.MP.i.a#agen", "1.5") == "answers.bad_count"
    assert refused(catalog, "R.MP.i.a#agen", "-1") == "answers.bad_count"
    assert refused(catalog, "R.MP.i.a#agen", "dua") == "answers.bad_count"


def test_ratios_and_indexes(catalog):
    ratio = check_stored(catalog, "R.MP.i.a", "80%")
    assert (ratio.ratio, ratio.text) == (Fraction(4, 5), "80%")
    assert refused(catalog, "R.MP.i.a", "-5%") == "answers.negative"
    index = check_stored(catalog, "H.I.a", "3,62")
    assert index.text == "3.62"
    assert refused(catalog, "H.I.a", "4.5") == "answers.index_range"


def test_unknown_codes_and_inputs_are_refused_even_without_a_value(catalog):
    assert refused(catalog, "P.ZZ.i.a", "") == "answers.unknown_code"
    assert refused(catalog, "R.MP.i.a#capai", "") == "answers.unknown_input"
    assert check_stored(catalog, "P.MP.i.a", "  ").text == ""  # no answer, a known code


def test_the_scorer_refuses_what_the_check_refuses(catalog):
    with pytest.raises(AnswersError) as caught:
        parse_answers(catalog, [AnswerRow("R.MP.i.a#agen", "1.5", line=7)])
    [problem] = caught.value.problems
    assert (problem.key, problem.line) == ("answers.bad_count", 7)


def test_the_batch_reader_leaves_a_refused_count_unanswered(catalog):
    codes = BatchScorer(catalog).codes
    reader = ValueReader(catalog, codes)
    inputs = [i.name for i in catalog.items["R.MP.i.a"].formula.inputs]
    good = {f"R.MP.i.a#{n}": "4" for n in inputs}
    bad = {**good, f"R.MP.i.a#{inputs[0]}": "1.5"}
    rows = [(0, c, v) for c, v in good.items()] + [(1, c, v) for c, v in bad.items()]
    values = reader.read(2, rows).values
    k = codes.index("R.MP.i.a")
    assert values[0, k] > 0
    assert values[1, k] == 0
