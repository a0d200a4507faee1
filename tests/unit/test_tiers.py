"""The TPI tier is a review of a copy of the unit's answers: the rule, in one place."""

from __future__ import annotations

from wbk.scoring.tiers import base_code, fallback_questions, tpi_effective


def test_nothing_scored_by_the_tpi_means_no_tpi_score():
    assert tpi_effective({"P.MP.i.a": "Ya"}, {}) is None


def test_the_tpi_answer_stands_where_it_scored_the_unit_answer_elsewhere():
    own = {"P.MP.i.a": "Ya", "P.MP.i.b": "A", "P.TT.i.a": "B"}
    tpi = {"P.MP.i.b": "C"}
    assert tpi_effective(own, tpi) == {"P.MP.i.a": "Ya", "P.MP.i.b": "C", "P.TT.i.a": "B"}
    assert fallback_questions(own, tpi) == {"P.MP.i.a", "P.TT.i.a"}


def test_a_percentage_question_is_taken_whole_from_the_tier_that_scored_it():
    own = {"R.MP.i.a#perubahan": "9", "R.MP.i.a#agen": "12", "R.AK.i.a": "80%"}
    tpi = {"R.MP.i.a#perubahan": "6", "R.MP.i.a#agen": "12"}
    merged = tpi_effective(own, tpi)
    assert merged == {"R.MP.i.a#perubahan": "6", "R.MP.i.a#agen": "12", "R.AK.i.a": "80%"}
    assert fallback_questions(own, tpi) == {"R.AK.i.a"}


def test_a_question_only_the_tpi_answered_is_kept():
    assert tpi_effective({}, {"P.PP.i.a": "E"}) == {"P.PP.i.a": "E"}


def test_base_code():
    assert base_code("R.PW.iii.a#melapor") == "R.PW.iii.a"
    assert base_code("H.I.a") == "H.I.a"
