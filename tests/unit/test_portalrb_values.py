"""PortalRB's answer values: served as text (a count "12", an index with the digits it was
stored with, an option as its literal), and taken in every form PortalRB or a person would
send (numeric text, JSON numbers, spaces, a decimal comma, options in any case); anything
else refused naming the soal and the reason, in Indonesian."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from tests.unit.test_portalrb_answers import body, unit_answers
from wbk.errors import AnswersError
from wbk.portalrb import from_portalrb_answers, to_portalrb_answers
from wbk.portalrb.values import decimal_text, read_count, read_decimal

AGEN, PERUBAHAN = 88, 89  # the two counts of R.MP.i.a
IPAK, CAPAIAN, IPKP = 125, 126, 127


def answers_of(catalog, entries: list[dict]) -> dict[str, str]:
    return {r.code: r.answer for r in from_portalrb_answers(catalog, body(entries)) if r.answer}


# --- out: every answer as text ------------------------------------------------------------------


def test_every_answer_is_served_as_text_with_its_stored_digits(catalog):
    stored = {
        "P.MP.i.a": ("Ya", None),
        "P.MP.i.b": ("B", None),
        "R.MP.i.a#agen": ("0", None),
        "R.MP.i.a#perubahan": ("12", None),
        "H.I.a": ("3.60", None),  # typed with two decimals: PortalRB gets both
        "H.I.b": ("C", None),
        "H.II.a": ("3.6250", None),  # a computed survey index, kept to its four decimals
    }
    tpi = {"H.I.a": "3,5", "R.MP.i.a#agen": "15", "R.MP.i.a#perubahan": "10"}
    by_id = {e.soal_id: e for e in to_portalrb_answers(catalog, stored, tpi, {}, {}).entries}
    assert (by_id[1].jawaban_unit, by_id[2].jawaban_unit, by_id[CAPAIAN].jawaban_unit) == (
        "Ya",
        "B",
        "C",
    )
    assert (by_id[AGEN].jawaban_unit, by_id[PERUBAHAN].jawaban_unit) == ("0", "12")
    assert (by_id[AGEN].jawaban_tpi, by_id[PERUBAHAN].jawaban_tpi) == ("15", "10")
    assert by_id[IPAK].jawaban_unit == "3.60" and by_id[IPAK].jawaban_tpi == "3.5"
    assert by_id[IPKP].jawaban_unit == "3.6250"
    for entry in by_id.values():
        for value in (entry.jawaban_unit, entry.jawaban_tpi):
            assert value is None or type(value) is str


def test_what_is_served_comes_back_as_the_same_stored_text(catalog):
    answers = unit_answers(catalog) | {"H.I.a": "3.60", "H.II.a": "3.6250"}
    stored = {c: (a, None) for c, a in answers.items()}
    wire = json.loads(json.dumps(body(to_portalrb_answers(catalog, stored, {}, {}, {}).answers)))
    assert {r.code: r.answer for r in from_portalrb_answers(catalog, wire) if r.answer} == answers


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("3.62"), "3.62"),
        (Decimal("3.60"), "3.60"),
        (Decimal("4"), "4"),
        (Decimal("4E+1"), "40"),  # never an exponent
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("-0.00"), "0.00"),
        (Fraction(4, 5), "0.8"),
    ],
)
def test_a_number_is_dot_decimal_text(value, text):
    assert decimal_text(value) == text


# --- in: what PortalRB or a person sends ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("0", "0"),
        (" 12 ", "12"),
        ("007", "7"),
        (12, "12"),
        (0, "0"),
        (12.0, "12"),
        (Decimal("12.0"), "12"),  # a JSON 12.0 read exactly (wbk answers import)
    ],
)
def test_a_count_as_text_or_a_json_number(catalog, sent, stored):
    got = answers_of(
        catalog,
        [{"soal_id": AGEN, "jawaban_unit": sent}, {"soal_id": PERUBAHAN, "jawaban_unit": "3"}],
    )
    assert got == {"R.MP.i.a#agen": stored, "R.MP.i.a#perubahan": "3"}


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("3.71", "3.71"),
        ("3,71", "3.71"),
        (" 3.71 ", "3.71"),
        ("3.60", "3.60"),
        (3.71, "3.71"),
        (Decimal("3.71"), "3.71"),
        (3, "3"),
        ("4", "4"),
        (0, "0"),
    ],
)
def test_a_survey_index_as_text_a_decimal_comma_or_a_json_number(catalog, sent, stored):
    assert answers_of(catalog, [{"soal_id": IPAK, "jawaban_unit": sent}]) == {"H.I.a": stored}


@pytest.mark.parametrize(
    ("soal_id", "sent", "stored"),
    [
        (1, "ya", "Ya"),
        (1, " TIDAK ", "Tidak"),
        (2, "a", "A"),
        (2, " b ", "B"),
        (CAPAIAN, "e", "E"),
    ],
)
def test_an_option_in_any_case(catalog, soal_id, sent, stored):
    (code,) = answers_of(catalog, [{"soal_id": soal_id, "jawaban_unit": sent}]).values()
    assert code == stored


COUNT = "jumlah harus bilangan bulat 0 atau lebih"
SEPARATED = "jumlah ditulis sebagai bilangan bulat tanpa titik atau koma"
INDEX = "nilai survei harus angka 0 sampai 4"


@pytest.mark.parametrize(
    ("soal_id", "sent", "reason"),
    [
        (AGEN, "12,5", f"soal 88 (R.MP.i.a#agen): {SEPARATED}, ditemukan '12,5'"),
        (AGEN, "1.000", f"{SEPARATED}, ditemukan '1.000' ('1.000' bisa berarti seribu"),
        (AGEN, 12.5, f"soal 88 (R.MP.i.a#agen): {COUNT}, ditemukan 12.5"),
        (AGEN, Decimal("2.5"), f"{COUNT}, ditemukan 2.5"),
        (AGEN, "-1", f"{COUNT}, ditemukan '-1'"),
        (AGEN, "1e3", f"{COUNT}, ditemukan '1e3'"),
        (AGEN, "12 5", f"{COUNT}, ditemukan '12 5'"),
        (AGEN, "dua belas", f"{COUNT}, ditemukan 'dua belas'"),
        (AGEN, True, f"{COUNT}, ditemukan True"),
        (AGEN, [12], f"{COUNT}, ditemukan [12]"),
        (IPAK, "3.71.0", f"soal 125 (H.I.a): {INDEX}, ditemukan '3.71.0'"),
        (IPAK, "4,01", f"{INDEX}, ditemukan '4,01'"),
        (IPAK, -0.5, f"{INDEX}, ditemukan -0.5"),
        (IPAK, "NaN", f"{INDEX}, ditemukan 'NaN'"),
        (IPAK, "1e0", f"{INDEX}, ditemukan '1e0'"),
        (IPAK, "3,7,1", f"{INDEX}, ditemukan '3,7,1'"),
        (IPAK, {"nilai": 3}, f"{INDEX}, ditemukan {{'nilai': 3}}"),
        (1, 1, "soal 1 (P.MP.i.a): diharapkan pilihan (Ya/Tidak) berupa teks, ditemukan 1"),
        (1, "Yes", "soal 1 (P.MP.i.a): jawaban 'Yes' tidak ada pada skala"),
        (2, "ya", "soal 2 (P.MP.i.b): jawaban 'ya' tidak ada pada skala pertanyaan ini (A/B/C)"),
    ],
)
def test_anything_else_is_refused_with_its_reason(catalog, soal_id, sent, reason):
    entries = [{"soal_id": soal_id, "jawaban_unit": sent}]
    if soal_id == AGEN:
        entries.append({"soal_id": PERUBAHAN, "jawaban_unit": "3"})
    with pytest.raises(AnswersError) as info:
        from_portalrb_answers(catalog, body(entries))
    (problem,) = info.value.problems
    assert reason in problem.message("id")


def test_one_bad_soal_refuses_the_whole_body(catalog):
    good = [
        {"soal_id": 1, "jawaban_unit": "ya"},
        {"soal_id": AGEN, "jawaban_unit": "15"},
        {"soal_id": PERUBAHAN, "jawaban_unit": 12},
        {"soal_id": IPAK, "jawaban_unit": "3,71"},
    ]
    assert len(answers_of(catalog, good)) == 4
    with pytest.raises(AnswersError) as info:
        from_portalrb_answers(catalog, body([*good, {"soal_id": IPKP, "jawaban_unit": "4,5"}]))
    assert [p.params["soal_id"] for p in info.value.problems] == [IPKP]


def test_the_readers_alone():
    assert read_decimal(" 3,71 ") == Decimal("3.71") and read_decimal("3.71") == Decimal("3.71")
    assert read_decimal(True) is None and read_decimal(float("nan")) is None
    assert read_decimal("") is None and read_decimal(None) is None
    assert read_count(" 12 ") == 12 and read_count(12.0) == 12 and read_count("12.0") is None
