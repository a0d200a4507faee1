"""Survey instruments as data: the shipped SKM/SPKP/SPAK files, scale conversion, and every
rule an instrument file must satisfy (each problem names the file, the item and the rule)."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from wbk.catalog.loader import criteria_dir
from wbk.errors import WbkError
from wbk.surveys import ikm
from wbk.surveys.instruments import (
    InstrumentError,
    default_instrument,
    load_instrument,
    parse_instrument,
)

SURVEYS = criteria_dir() / "surveys"

MINIMAL = """\
id: custom
version: "1"
name: Survei unit
target: H.I.a
items:
  - {code: Q1, text: Tidak ada pungli pada unit layanan ini.}
  - {code: Q2, text: Tidak ada calo pada unit layanan ini.}
"""


def words(lo: int, hi: int) -> str:
    return "\n".join(f"    {v}: {{id: nilai {v}, en: value {v}}}" for v in range(lo, hi + 1))


def instrument_text(scale: str = "", extra: str = "", items: str | None = None) -> str:
    body = (
        items
        if items is not None
        else ("items:\n  - {code: Q1, text: Satu}\n  - {code: Q2, text: Dua}\n")
    )
    return f'id: t\nversion: "1"\nname: Uji\ntarget: H.II.a\n{scale}{extra}{body}'


def problem_of(text: str, source: str = "unit-spak.yaml") -> str:
    with pytest.raises(InstrumentError) as info:
        parse_instrument(text, source=source)
    assert isinstance(info.value, WbkError)
    message = info.value.message("en")
    assert source in message
    return message


# --- the shipped instruments ------------------------------------------------------------------


def test_skm_is_the_nine_elements_of_permenpanrb_14_2017():
    skm = load_instrument(SURVEYS / "skm.yaml")
    assert skm.codes == ikm.ELEMENTS
    assert {i.code: i.text for i in skm.items} == ikm.ELEMENT_NAMES
    assert skm.target is None  # IKM feeds P.PP.iv, never the IPKP result item
    assert skm.scale_range == (1, 4) and skm.conversion == "none"
    assert skm.word(1) == "Tidak sesuai" and skm.word(4) == "Sangat sesuai"


def test_spkp_has_the_eight_items_and_feeds_ipkp():
    spkp = default_instrument("spkp")
    assert spkp.target == "H.II.a" and spkp.index == "IPKP"
    assert spkp.codes == ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8")
    assert spkp.item_text("P3") == "Prosedur/alur pelayanan mudah diikuti."
    assert spkp.item_text("P8") == "Layanan konsultasi dan pengaduan mudah digunakan/diakses."
    assert [spkp.word(v) for v in (1, 2, 3, 4)] == [
        "Tidak setuju",
        "Kurang setuju",
        "Setuju",
        "Sangat setuju",
    ]
    assert spkp.word(4, "en") == "Strongly agree"
    assert all(i.text_en for i in spkp.items)


def test_spak_has_five_absence_statements_and_feeds_ipak():
    spak = default_instrument("spak")
    assert spak.target == "H.I.a" and spak.index == "IPAK"
    assert len(spak.items) == 5
    for item in spak.items:
        assert item.text.startswith("Tidak ada ")
        assert item.text.endswith("pada unit layanan ini.")
    assert "pungutan liar" in spak.item_text("A4")
    assert spak.item_text("A5", "en").startswith("There are no brokers")


# --- scale conversion to the LKE's 0-4 --------------------------------------------------------


def test_one_to_four_scale_needs_no_conversion():
    spkp = default_instrument("spkp")
    assert spkp.to_lke(F("3.2")) == F("3.2")  # 1 + (3.2 - 1) x 3 / 3
    assert not spkp.conversion_uncertain


def test_linear_map_of_six_and_ten_point_scales():
    six = parse_instrument(
        instrument_text(f"scale:\n  min: 1\n  max: 6\n  words:\n{words(1, 6)}\n")
    )
    assert six.conversion == "linear_1_4" and six.conversion_uncertain
    assert six.to_lke(F(1)) == 1 and six.to_lke(F(6)) == 4
    assert six.to_lke(F(7, 2)) == F(5, 2)  # 1 + (3.5 - 1) x 3 / 5 = 1 + 1.5
    ten = parse_instrument(
        instrument_text(f"scale:\n  min: 1\n  max: 10\n  words:\n{words(1, 10)}\n")
    )
    assert ten.to_lke(F(10)) == 4
    assert ten.to_lke(F(11, 2)) == F(5, 2)  # 1 + (5.5 - 1) x 3 / 9 = 1 + 1.5


def test_instrument_may_choose_the_proportional_map():
    text = instrument_text(
        f"scale:\n  min: 1\n  max: 6\n  words:\n{words(1, 6)}\n", "conversion: proportional_0_4\n"
    )
    six = parse_instrument(text)
    assert six.to_lke(F(3)) == 2  # 3 / 6 x 4
    assert six.to_lke(F(6)) == 4


def test_scale_left_out_is_one_to_four_with_agreement_words():
    inst = parse_instrument(MINIMAL, source="custom.yaml")
    assert inst.scale_range == (1, 4) and inst.conversion == "linear_1_4"
    assert inst.word(1) == "Tidak setuju" and inst.word(3, "en") == "Agree"
    assert inst.arithmetic.index == "mean_of_item_means" and not inst.arithmetic.zero_is_blank


def test_version_written_as_a_number_is_kept_as_text():
    inst = parse_instrument(MINIMAL.replace('version: "1"', "version: 1.10"))
    assert inst.version == "1.10"  # a float would have made it 1.1


# --- every validation rule --------------------------------------------------------------------


def test_duplicate_item_codes_are_refused_whatever_their_case():
    text = instrument_text(items="items:\n  - {code: Q1, text: Satu}\n  - {code: q1, text: Dua}\n")
    message = problem_of(text)
    assert "q1 (items[1]): code q1 is used more than once" in message


def test_no_items():
    assert "items: has no items" in problem_of(instrument_text(items="items: []\n"))
    assert "items: has no items" in problem_of(instrument_text(items=""))


@pytest.mark.parametrize(("lo", "hi"), [(4, 4), (4, 1)])
def test_scale_max_not_above_min(lo, hi):
    message = problem_of(instrument_text(f"scale:\n  min: {lo}\n  max: {hi}\n  words: {{}}\n"))
    assert f"scale: the scale maximum ({hi}) must be greater than its minimum ({lo})" in message


@pytest.mark.parametrize(("lo", "hi"), [(1, 5), (0, 4), (1, 7)])
def test_only_the_scales_seen_in_practice(lo, hi):
    text = instrument_text(f"scale:\n  min: {lo}\n  max: {hi}\n  words:\n{words(lo, hi)}\n")
    assert f"the {lo}–{hi} scale is not supported; choose 1–4, 1–6 or 1–10" in problem_of(text)


def test_unknown_lke_target():
    message = problem_of(instrument_text().replace("target: H.II.a", "target: H.III.a"))
    assert "target: LKE item H.III.a is unknown; choose H.I.a, H.II.a or null" in message


def test_unknown_conversion():
    message = problem_of(instrument_text(extra="conversion: logarithmic\n"))
    assert "conversion: conversion logarithmic is unknown" in message


def test_no_conversion_only_for_a_one_to_four_scale():
    text = instrument_text(
        f"scale:\n  min: 1\n  max: 6\n  words:\n{words(1, 6)}\n", "conversion: none\n"
    )
    assert "conversion none is only for a 1–4 scale (this one is 1–6)" in problem_of(text)


def test_missing_and_extra_scale_words():
    missing = problem_of(instrument_text(f"scale:\n  min: 1\n  max: 6\n  words:\n{words(1, 4)}\n"))
    assert "scale.words: scale words are missing for values 5, 6" in missing
    bare = problem_of(instrument_text("scale:\n  min: 1\n  max: 10\n"))
    assert "scale words are missing for values 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in bare
    extra = problem_of(instrument_text(f"scale:\n  min: 1\n  max: 4\n  words:\n{words(1, 5)}\n"))
    assert "scale words given for values 5 outside the 1–4 scale" in extra


def test_a_scale_word_needs_both_languages():
    text = instrument_text(
        "scale:\n  min: 1\n  max: 4\n  words:\n"
        "    1: {id: Tidak setuju, en: ''}\n    2: {id: b, en: b}\n"
        "    3: {id: c, en: c}\n    4: {id: d, en: d}\n"
    )
    assert "scale.words.1: a scale word needs its Indonesian (id) and English (en) text" in (
        problem_of(text)
    )


def test_unknown_arithmetic_method():
    message = problem_of(instrument_text(extra="arithmetic:\n  index: median\n"))
    assert "arithmetic.index: method median is unknown; choose mean_of_item_means, pooled_mean" in (
        message
    )


def test_bad_code_and_empty_text():
    text = instrument_text(
        items="items:\n  - {code: 'Q=1', text: Satu}\n  - {code: Q2, text: ' '}\n"
    )
    message = problem_of(text)
    assert "Q=1 (items[0]): code Q=1 must start with a letter" in message
    assert "Q2 (items[1]): the item text is empty" in message


def test_schema_errors_name_the_item():
    message = problem_of(instrument_text(items="items:\n  - {code: Q1}\n"))
    assert "Q1 (items[0].text): Field required" in message
    typo = problem_of(instrument_text(extra="conversoin: none\n"))
    assert "conversoin: Extra inputs are not permitted" in typo


def test_every_problem_is_listed():
    text = instrument_text(
        "scale:\n  min: 1\n  max: 5\n", "conversion: nope\n", "items: []\n"
    ).replace("target: H.II.a", "target: X")
    message = problem_of(text)
    for part in ("has no items", "1–5 scale is not supported", "LKE item X", "conversion nope"):
        assert part in message


def test_unreadable_yaml_names_the_line():
    message = problem_of("id: t\nitems: [\n  - {code: Q1\n", source="rusak.yaml")
    assert "rusak.yaml" in message and "line " in message


def test_not_a_mapping():
    assert "the file is not a YAML mapping" in problem_of("- a\n- b\n")


def test_missing_file(tmp_path):
    with pytest.raises(InstrumentError) as info:
        load_instrument(tmp_path / "tidak-ada.yaml")
    assert "Survey instrument not found" in info.value.message("en")
    assert "tidak-ada.yaml" in info.value.message("en")
    assert "Instrumen survei tidak ditemukan" in info.value.message("id")
