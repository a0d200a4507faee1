"""Hand-computed LKE scores (reference section 4) and the WBK/WBBM gates at their edges."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from tests.conftest import best_answers, worst_answers
from wbk.errors import AnswersError
from wbk.scoring import score, values_from_mapping


def card_for(catalog, answers):
    return score(catalog, values_from_mapping(catalog, answers).values)


def gate(card, predicate, gate_id):
    return next(g for g in card.verdicts[predicate].gates if g.id == gate_id)


def test_all_best_scores_100_and_passes_both_predicates(catalog):
    card = card_for(catalog, best_answers(catalog))
    assert card.total == 100
    assert card.components["pengungkit"].score == 60
    assert card.components["pemenuhan"].score == 30
    assert card.components["reform"].score == 30
    assert card.components["hasil"].score == 40
    assert card.results["bersih_akuntabel"].score == F(45, 2)
    assert card.verdicts["WBK"].passed and card.verdicts["WBBM"].passed
    assert card.unanswered == []
    assert card.gaps() == []


def test_all_worst_scores_0_and_fails_every_gate(catalog):
    card = card_for(catalog, worst_answers(catalog))
    assert card.total == 0
    assert card.unanswered == []
    for verdict in card.verdicts.values():
        assert not verdict.passed
        assert all(not g.passed for g in verdict.gates)


def test_empty_answers_score_0_and_list_every_item_unanswered(catalog):
    card = card_for(catalog, {})
    assert card.total == 0
    assert len(card.unanswered) == 113
    assert card.unanswered[0] == "P.MP.i.a" and card.unanswered[-1] == "H.II.a"


def test_subarea_uses_the_067_033_literals(catalog):
    # P.MP.iii (weight 1.00, three A/B/C/D questions): B, B, C -> (0.67 + 0.67 + 0.33) / 3
    card = card_for(catalog, {"P.MP.iii.a": "B", "P.MP.iii.b": "B", "P.MP.iii.c": "C"})
    assert card.subareas["P.MP.iii"].score == F("1.67") / 3
    assert card.subareas["P.MP.iii"].score != F(5, 9)  # what 2/3 and 1/3 would give


def test_pn_serang_2022_published_subareas(catalog):
    # Reference S9: i. Penyusunan Tim Kerja "Ya, A" -> 0.50 (100 %);
    # ii. Rencana Pembangunan ZI "Ya, C, A" -> 0.67 (66.67 %).
    card = card_for(
        catalog,
        {
            "P.MP.i.a": "Ya",
            "P.MP.i.b": "A",
            "P.MP.ii.a": "Ya",
            "P.MP.ii.b": "C",
            "P.MP.ii.c": "A",
        },
    )
    assert card.subareas["P.MP.i"].score == F(1, 2)
    assert card.subareas["P.MP.i"].ratio == 1
    assert card.subareas["P.MP.ii"].score == F(2, 3)
    assert round(float(card.subareas["P.MP.ii"].ratio * 100), 2) == 66.67
    assert card.areas["P.MP"].score == F(1, 2) + F(2, 3)


def test_area_pemenuhan_reform_and_combined(catalog):
    card = card_for(
        catalog,
        {
            "P.MP.iv.a": "Ya",
            "P.MP.iv.b": "A",
            "P.MP.iv.c": "B",
            "P.MP.iv.d": "D",
            "R.MP.ii.a": "B",
        },
    )
    p_mp = F("1.5") * (1 + 1 + F("0.5") + 0) / 4
    r_mp = F(1) * F("0.75")
    assert card.areas["P.MP"].score == p_mp
    assert card.areas["R.MP"].score == r_mp
    assert card.areas["MP"].score == p_mp + r_mp
    assert card.areas["MP"].weight == 8
    assert card.total == p_mp + r_mp


@pytest.mark.parametrize(
    ("index", "points", "passes"),
    [
        ("3.60", F("15.75"), True),
        ("3.59", F("15.70625"), False),
        ("4", F("17.5"), True),
        ("0", F(0), False),
        ("3,6", F("15.75"), True),
    ],
)
def test_ipak_conversion_and_gate_edge(catalog, index, points, passes):
    card = card_for(catalog, {"H.I.a": index})
    assert card.results["ipak"].score == points
    assert gate(card, "WBK", "ipak").passed is passes
    assert gate(card, "WBBM", "ipak").passed is passes


def test_ipkp_gate_differs_between_wbk_and_wbbm(catalog):
    card = card_for(catalog, {"H.II.a": "3.20"})
    assert card.results["ipkp"].score == 14
    assert gate(card, "WBK", "ipkp").passed
    assert not gate(card, "WBBM", "ipkp").passed
    assert not gate(card_for(catalog, {"H.II.a": "3.19"}), "WBK", "ipkp").passed
    assert gate(card_for(catalog, {"H.II.a": "3.6"}), "WBBM", "ipkp").passed


def test_capaian_kinerja_option_times_five(catalog):
    card = card_for(catalog, {"H.I.b": "B", "H.I.a": "3.6"})
    assert card.results["capaian_kinerja"].score == F("3.75")
    assert card.results["bersih_akuntabel"].score == F("19.5")
    assert gate(card, "WBBM", "bersih_akuntabel").passed  # 19.50 is the WBBM minimum
    assert gate(card, "WBBM", "capaian_kinerja").passed
    low = card_for(catalog, {"H.I.b": "D", "H.I.a": "3.6"})
    assert low.results["capaian_kinerja"].score == F("1.25")
    assert not gate(low, "WBK", "capaian_kinerja").passed


def test_total_exactly_75_passes_and_just_below_fails(catalog):
    answers = best_answers(catalog)
    # Reform 30 -> 5: keep R.MP (4.00) and R.TT.ii (1.00), drop everything else in Reform.
    for code in [c for c in answers if c.startswith("R.")]:
        if not (code.startswith("R.MP.") or code.startswith("R.TT.ii.")):
            del answers[code]
    card = card_for(catalog, answers)
    assert card.total == 75
    assert gate(card, "WBK", "total").passed
    answers["R.TT.ii.b"] = "B"  # -0.25
    below = card_for(catalog, answers)
    assert below.total == F("74.75")
    assert not gate(below, "WBK", "total").passed
    assert "total" in [g.id for g in below.verdicts["WBK"].failing]


def test_area_gate_at_exactly_sixty_percent(catalog):
    # R.SDM (5.00): i B (0.75) + ii B (0.75) + iii 75 % (1.50) = 3.00 = 60 %
    card = card_for(catalog, {"R.SDM.i.a": "B", "R.SDM.ii.a": "B", "R.SDM.iii.a": "75%"})
    g = gate(card, "WBK", "area:R.SDM")
    assert (g.value, g.minimum, g.passed) == (3, 3, True)
    assert not gate(card, "WBBM", "area:R.SDM").passed  # needs 3.75
    assert not gate(card, "WBK", "area:SDM").passed  # combined SDM needs 6.00


def test_every_gate_id_is_reported(catalog):
    card = card_for(catalog, best_answers(catalog))
    ids = [g.id for g in card.verdicts["WBK"].gates]
    areas = ["MP", "TT", "SDM", "AK", "PW", "PP"]
    expected = (
        ["total", "pengungkit"]
        + [f"area:P.{a}" for a in areas]
        + [f"area:R.{a}" for a in areas]
        + [f"area:{a}" for a in areas]
        + ["bersih_akuntabel", "ipak", "capaian_kinerja", "ipkp"]
    )
    assert ids == expected


def with_area_reading(catalog, reading):
    """The catalog with every predicate's ``area_reading`` set to ``reading``."""
    predicates = [p.model_copy(update={"area_reading": reading}) for p in catalog.predicates]
    return catalog.model_copy(update={"predicates": predicates})


def batch_passed(catalog, answers, predicate):
    from wbk.scoring.batch import BatchScorer

    scorer = BatchScorer(catalog)
    values = values_from_mapping(catalog, answers).values
    return bool(scorer.score(scorer.values_matrix([values])).passed[predicate][0])


@pytest.mark.parametrize(
    ("reading", "wbk_passes"),
    [("separate", False), ("combined", True), ("both", False)],
)
def test_area_reading_chosen_by_the_catalog(catalog, reading, wbk_passes):
    # Every answer best except Reform MP's sub-areas ii (1.00) and iii (1.00), answered worst:
    #   P.MP = 4.00 of 4.00 (100 %);  R.MP = R.MP.i 2.00 + 0 + 0 = 2.00 of 4.00 (50 % < 60 %)
    #   combined MP = (4.00 + 2.00) / 8.00 = 75 % >= 60 %
    #   total 100 - 2 = 98 >= 75, pengungkit 60 - 2 = 58 >= 40, results untouched (40):
    # so WBK hangs on the area reading alone: separate fails (R.MP), combined passes.
    answers = best_answers(catalog) | {"R.MP.ii.a": "E", "R.MP.iii.a": "D"}
    chosen = with_area_reading(catalog, reading)
    card = card_for(chosen, answers)
    assert card.total == 98
    assert card.areas["R.MP"].score == 2 and card.areas["MP"].score == 6
    r_mp, mp = gate(card, "WBK", "area:R.MP"), gate(card, "WBK", "area:MP")
    # both readings are always reported; only the chosen ones decide
    assert (r_mp.value, r_mp.minimum, r_mp.passed) == (2, F("2.4"), False)  # 0.60 x 4.00
    assert (mp.value, mp.minimum, mp.passed) == (6, F("4.8"), True)  # 0.60 x 8.00
    assert r_mp.applies is (reading in ("separate", "both"))
    assert mp.applies is (reading in ("combined", "both"))
    assert card.verdicts["WBK"].passed is wbk_passes
    assert [g.id for g in card.verdicts["WBK"].failing] == ([] if wbk_passes else ["area:R.MP"])
    assert batch_passed(chosen, answers, "WBK") is wbk_passes  # the numpy path agrees


@pytest.mark.parametrize("reading", ["separate", "combined", "both"])
def test_area_reading_when_both_readings_fail(catalog, reading):
    # The reverse split (separate passes, combined fails) cannot happen: the combined ratio
    # (P + R) / (wP + wR) is a weighted mean of the two separate ratios, so when both are
    # >= 60 % so is the combined one. What the reverse leaves is a failure every reading sees:
    # Reform MP all worst -> R.MP = 0 of 4.00 (0 %), combined MP = 4.00 / 8.00 = 50 % < 60 %;
    # total 100 - 4 = 96, pengungkit 56: every other gate passes.
    answers = best_answers(catalog) | {
        "R.MP.i.a": "0%",
        "R.MP.i.b": "0%",
        "R.MP.ii.a": "E",
        "R.MP.iii.a": "D",
    }
    chosen = with_area_reading(catalog, reading)
    card = card_for(chosen, answers)
    assert card.total == 96 and card.areas["MP"].score == 4
    expected_failing = {
        "separate": ["area:R.MP"],
        "combined": ["area:MP"],
        "both": ["area:R.MP", "area:MP"],
    }[reading]
    assert [g.id for g in card.verdicts["WBK"].failing] == expected_failing
    assert card.verdicts["WBK"].passed is False
    assert batch_passed(chosen, answers, "WBK") is False
    # and all best passes whatever the reading
    assert card_for(chosen, best_answers(catalog)).verdicts["WBK"].passed is True


def test_recoverable_points(catalog):
    card = card_for(catalog, {"P.MP.i.b": "B", "H.I.a": "3.2"})
    assert card.questions["P.MP.i.b"].recoverable == F("0.125")  # 0.50 / 2 x (1 - 0.5)
    assert card.questions["P.MP.i.a"].recoverable == F("0.25")  # unanswered: all of it
    assert card.questions["H.I.a"].recoverable == F("3.5")  # (4 - 3.2) / 4 x 17.5
    assert sum(q.recoverable for q in card.questions.values()) == 100 - card.total
    ranked = [(q.code, q.recoverable) for q in card.gaps(4)]
    assert ranked == [("H.II.a", F("17.5")), ("H.I.b", 5), ("H.I.a", F("3.5")), ("R.PW.ii.a", 3)]


# --- percentage questions ------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["0.8", "80%", "80 %", "0,8", "80,0%"])
def test_percentage_as_ratio_in_any_notation(catalog, answer):
    card = card_for(catalog, {"R.AK.i.a": answer})
    assert card.questions["R.AK.i.a"].value == F(4, 5)
    assert card.subareas["R.AK.i"].score == F(8, 5)


def test_percentage_from_counts_equals_ratio(catalog):
    by_counts = card_for(catalog, {"R.AK.i.a#tercapai": "8", "R.AK.i.a#sasaran": "10"})
    assert by_counts.questions["R.AK.i.a"].value == F(4, 5)
    by_counts = card_for(catalog, {"R.MP.i.a#perubahan": "3", "R.MP.i.a#agen": "4"})
    assert by_counts.subareas["R.MP.i"].score == F(3, 4)  # 2.00 x mean(0.75, unanswered 0)


def test_percentage_capped_at_one(catalog):
    card = card_for(catalog, {"R.MP.i.a#perubahan": "12", "R.MP.i.a#agen": "5", "R.AK.i.a": "150%"})
    assert card.questions["R.MP.i.a"].value == 1
    assert card.questions["R.AK.i.a"].value == 1


def test_discipline_reduction_edge_cases(catalog):
    def value(prev, now):
        answers = {
            "R.SDM.iii.a#sebelumnya": str(prev),
            "R.SDM.iii.a#tahun_ini": str(now),
            "R.SDM.iii.a#disanksi": "0",
        }
        return card_for(catalog, answers).questions["R.SDM.iii.a"].value

    assert value(10, 4) == F(3, 5)
    assert value(0, 0) == 1  # no violations in either year
    assert value(5, 8) == 0  # more violations: clamped, never negative
    assert value(0, 3) == 0


def test_complaints_and_zero_denominators(catalog):
    none_at_all = {"R.PW.ii.a#harus": "0", "R.PW.ii.a#diproses": "0", "R.PW.ii.a#selesai": "0"}
    assert card_for(catalog, none_at_all).questions["R.PW.ii.a"].value == 1
    handled = {"R.PW.ii.a#harus": "20", "R.PW.ii.a#diproses": "5", "R.PW.ii.a#selesai": "15"}
    assert card_for(catalog, handled).questions["R.PW.ii.a"].value == F(3, 4)
    no_agents = card_for(catalog, {"R.MP.i.a#perubahan": "0", "R.MP.i.a#agen": "0"})
    assert "R.MP.i.a" in no_agents.unanswered


def test_lhkpn_sums_every_obligated_group(catalog):
    answers = {
        "R.PW.iii.a#wajib_kepala": "1",
        "R.PW.iii.a#wajib_pejabat": "4",
        "R.PW.iii.a#wajib_lainnya": "5",
        "R.PW.iii.a#melapor": "9",
    }
    card = card_for(catalog, answers)
    assert card.questions["R.PW.iii.a"].value == F(9, 10)
    assert card.subareas["R.PW.iii"].score == F(2) * F(9, 10) / 2


# --- bad answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({"P.MP.i.z": "Ya"}, "answers.unknown_code"),
        ({"P.MP.i.a": "A"}, "answers.bad_option"),
        ({"P.MP.i.b": "D"}, "answers.bad_option"),
        ({"R.AK.i.a": "-5%"}, "answers.negative"),
        ({"R.AK.i.a": "banyak"}, "answers.not_number"),
        ({"H.I.a": "4.01"}, "answers.index_range"),
        ({"H.I.a": "-1"}, "answers.index_range"),
        ({"R.AK.i.a#tercapai": "3"}, "answers.missing_inputs"),
        (
            {"R.AK.i.a#tercapai": "3", "R.AK.i.a#sasaran": "4", "R.AK.i.a": "50%"},
            "answers.ratio_and_counts",
        ),
        ({"R.AK.i.a#capai": "3"}, "answers.unknown_input"),
        ({"R.AK.i.a#tercapai": "2.5", "R.AK.i.a#sasaran": "4"}, "answers.bad_count"),
        ({"R.AK.i.a#tercapai": "-1", "R.AK.i.a#sasaran": "4"}, "answers.bad_count"),
    ],
)
def test_bad_answers_are_refused_whole(catalog, answers, key):
    with pytest.raises(AnswersError) as info:
        values_from_mapping(catalog, {"P.MP.ii.a": "Ya", **answers})
    assert [p.key for p in info.value.problems] == [key]


def test_all_problems_reported_at_once_with_lines(catalog):
    from wbk.scoring import AnswerRow, parse_answers

    rows = [
        AnswerRow("P.MP.i.a", "Ya", 2),
        AnswerRow("P.MP.i.a", "Tidak", 3),
        AnswerRow("X.Y", "A", 4),
        AnswerRow("H.II.a", "9", 5),
    ]
    with pytest.raises(AnswersError) as info:
        parse_answers(catalog, rows)
    problems = info.value.problems
    assert [(p.line, p.key) for p in problems] == [
        (3, "answers.duplicate"),
        (4, "answers.unknown_code"),
        (5, "answers.index_range"),
    ]
    text = info.value.message("en")
    assert "line 3: code P.MP.i.a appears twice (first on line 2)" in text


def test_answers_are_case_and_space_tolerant(catalog):
    card = card_for(catalog, {"P.MP.i.a": " ya ", "P.MP.i.b": "b", "P.MP.iii.a": "c."})
    assert card.questions["P.MP.i.a"].value == 1
    assert card.questions["P.MP.i.b"].value == F(1, 2)
    assert card.questions["P.MP.iii.a"].value == F("0.33")


def test_the_regulations_reading_passes_what_only_the_stricter_one_fails(catalog):
    # PermenPANRB 90/2021 Bab III A (hlm. 52-53): 60 % of each area's weight (Tabel 3, one
    # weight per area for Pemenuhan and Reform together), as the LKE workbook's "Unit" sheet
    # computes it. Every answer best except:
    #   P.TT.ii (2.00, four A/B/C) all C -> 0:       P.TT = 1.00 + 0 + 0.50 = 1.50 < 2.10
    #   P.PW.iii (1.50) all C/Tidak -> 0, P.PW.iv (1.50) all C -> 0, P.PW.i.a B ->
    #   P.PW.i = 1.50 x (0.5 + 1) / 2 = 1.125: P.PW = 1.125 + 1.50 + 0 + 0 + 1.50 = 4.125 < 4.50
    #   combined TT = 1.50 + 3.50 = 5.00 >= 4.20 (60 % of 7), PW = 4.125 + 7.50 = 11.625 >= 9.00
    #   total = 100 - 2.00 - 3.375 = 94.625, pengungkit 54.625: every other gate passes.
    answers = best_answers(catalog) | {
        "P.TT.ii.a": "C",
        "P.TT.ii.b": "C",
        "P.TT.ii.c": "C",
        "P.TT.ii.d": "C",
        "P.PW.iii.a": "C",
        "P.PW.iii.b": "Tidak",
        "P.PW.iii.c": "C",
        "P.PW.iii.d": "C",
        "P.PW.iv.a": "C",
        "P.PW.iv.b": "C",
        "P.PW.iv.c": "C",
        "P.PW.i.a": "B",
    }
    card = card_for(catalog, answers)  # the shipped catalog: the regulation's reading
    assert card.total == F("94.625")
    assert (card.areas["P.TT"].score, card.areas["P.PW"].score) == (F("1.5"), F("4.125"))
    assert (card.areas["TT"].score, card.areas["PW"].score) == (5, F("11.625"))
    separate = [gate(card, "WBK", "area:P.TT"), gate(card, "WBK", "area:P.PW")]
    assert [(g.passed, g.applies, g.stricter) for g in separate] == [(False, False, True)] * 2
    assert card.verdicts["WBK"].passed and card.verdicts["WBK"].failing == []
    assert batch_passed(catalog, answers, "WBK")

    strict = catalog.with_area_reading("both")  # WBK_AREA_READING=strict
    card = card_for(strict, answers)
    assert not card.verdicts["WBK"].passed
    assert [g.id for g in card.verdicts["WBK"].failing] == ["area:P.TT", "area:P.PW"]
    assert all(g.stricter and g.applies for g in card.verdicts["WBK"].failing)
    assert not batch_passed(strict, answers, "WBK")


def test_the_workspace_setting_chooses_the_stricter_reading(catalog):
    from wbk.catalog import in_force, stricter_in_force
    from wbk.settings import Settings

    assert in_force(catalog, Settings()) is catalog and not stricter_in_force(catalog)
    strict = in_force(catalog, Settings(area_reading="strict"))
    assert strict is in_force(catalog, Settings(area_reading="strict"))  # one kept copy
    assert stricter_in_force(strict)
    assert [p.area_reading for p in strict.predicates] == ["both", "both"]
    assert [p.area_reading for p in catalog.predicates] == ["combined", "combined"]
