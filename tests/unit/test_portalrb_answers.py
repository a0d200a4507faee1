"""PortalRB's answer format: a unit's answers travel as soal entries (percentages as their
counts) and come back scoring exactly as the same answers from CSV; bad bodies name the soal."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from tests.conftest import best_answers
from wbk.errors import AnswersError, CatalogError
from wbk.formats.answers_csv import parse_answer_csv
from wbk.portalrb.answers import (
    SoalEntry,
    SoalScaleError,
    from_portalrb_answers,
    to_portalrb_answers,
)
from wbk.scoring import parse_answers, score

# Best answers everywhere except four, with the points each loses (reference section 4):
#   P.MP.i.b  B = 0.5 of 0.5/2 = 0.25        -> -0.125
#   R.MP.i.a  12 changes / 15 agents = 0.8 of 2/2 = 1  -> -0.2
#   R.SDM.iii.a (10 - 4) / 10 = 0.6 of 2/1 = 2  -> -0.8
#   H.I.a     IPAK 3.62 -> 3.62 / 4 x 17.5 = 15.8375 of 17.5 -> -1.6625
# total = 100 - 2.7875 = 97.2125 = 7777/80
EXPECTED_TOTAL = Fraction(7777, 80)
COUNTS = {
    "R.MP.i.a#perubahan": "12",
    "R.MP.i.a#agen": "15",
    "R.MP.i.b#terintegrasi": "5",
    "R.MP.i.b#perubahan": "5",
    "R.SDM.iii.a#sebelumnya": "10",
    "R.SDM.iii.a#tahun_ini": "4",
    "R.SDM.iii.a#disanksi": "4",
    "R.AK.i.a#tercapai": "4",
    "R.AK.i.a#sasaran": "4",
    "R.PW.ii.a#harus": "10",
    "R.PW.ii.a#diproses": "0",
    "R.PW.ii.a#selesai": "10",
    "R.PW.iii.a#wajib_kepala": "1",
    "R.PW.iii.a#wajib_pejabat": "2",
    "R.PW.iii.a#wajib_lainnya": "3",
    "R.PW.iii.a#melapor": "6",
    "R.PW.iii.b#wajib_administrator": "2",
    "R.PW.iii.b#wajib_pengawas": "3",
    "R.PW.iii.b#wajib_fungsional": "5",
    "R.PW.iii.b#melapor": "10",
    "R.PP.i.b#dipermudah": "8",
    "R.PP.i.b#terdaftar": "8",
}
NARRATIVES = {
    "P.MP.i.a": "SK Tim ZI nomor 12 tahun 2026",
    "R.MP.i.a": "Daftar perubahan terlampir; satu agen belum membuat perubahan",
}


def unit_answers(catalog) -> dict[str, str]:
    answers = {c: a for c, a in best_answers(catalog).items() if not catalog.items[c].formula}
    answers.update({"P.MP.i.b": "B", "H.I.a": "3.62", **COUNTS})
    return answers


def body(answers: list[dict]) -> dict:
    return {
        "unit_id": "KK-SMG",
        "nama_unit": "Kankemenag Kota Semarang",
        "tahun": 2026,
        "answers": answers,
    }


def test_round_trip_scores_exactly_as_the_csv(catalog):
    answers = unit_answers(catalog)
    csv_lines = ["code,answer,note"] + [
        f'{c},{a},"{NARRATIVES.get(c, "")}"' for c, a in answers.items()
    ]
    csv_lines.append(f'R.MP.i.a,,"{NARRATIVES["R.MP.i.a"]}"')
    from_csv = parse_answers(catalog, parse_answer_csv("\n".join(csv_lines).encode()))
    csv_card = score(catalog, from_csv.values)

    stored = {c: (a, NARRATIVES.get(c)) for c, a in answers.items()}
    stored["R.MP.i.a"] = (None, NARRATIVES["R.MP.i.a"])  # counts entered, narrative on the question
    export = to_portalrb_answers(catalog, stored, {}, {}, {})
    assert export.ratio_only == []
    wire = json.loads(json.dumps(body(export.answers)))  # as PortalRB receives it
    from_portalrb = parse_answers(catalog, from_portalrb_answers(catalog, wire))
    portalrb_card = score(catalog, from_portalrb.values)

    assert csv_card.total == EXPECTED_TOTAL
    assert portalrb_card.total == EXPECTED_TOTAL
    assert from_portalrb.raw == from_csv.raw
    assert from_portalrb.values == from_csv.values
    assert from_portalrb.counts == from_csv.counts
    assert from_portalrb.counts["R.MP.i.a"] == {"perubahan": 12, "agen": 15}
    assert from_portalrb.notes == from_csv.notes == NARRATIVES


def test_entries_are_in_soal_order_with_portalrbs_types(catalog):
    stored = {c: (a, NARRATIVES.get(c)) for c, a in unit_answers(catalog).items()}
    stored["R.MP.i.a"] = (None, NARRATIVES["R.MP.i.a"])
    entries = to_portalrb_answers(catalog, stored, {}, {}, {}).entries
    assert [e.soal_id for e in entries] == list(range(1, 128))
    by_id = {e.soal_id: e for e in entries}
    assert by_id[1].to_dict() == {
        "soal_id": 1,
        "jawaban_unit": "Ya",
        "jawaban_tpi": None,
        "catatan_unit": "SK Tim ZI nomor 12 tahun 2026",
        "bukti_dukung_unit": None,
        "catatan_tpi": None,
    }
    assert by_id[2].jawaban_unit == "B"
    # soal 88 is the number of agents, 89 the number of changes; both carry the question's note
    # (every answer travels as text, as the guide types it)
    assert (by_id[88].jawaban_unit, by_id[89].jawaban_unit) == ("15", "12")
    assert by_id[88].catatan_unit == by_id[89].catatan_unit == NARRATIVES["R.MP.i.a"]
    assert by_id[125].jawaban_unit == "3.62" and by_id[127].jawaban_unit == "4"
    assert by_id[126].jawaban_unit == "A"


def test_tpi_tier_notes_and_evidence_links(catalog):
    tpi = {"P.MP.i.a": "tidak", "R.MP.i.a#agen": "15", "R.MP.i.a#perubahan": "10"}
    notes = {
        "P.MP.i.a": ["SK belum ditandatangani", " ", "Lampirkan notulen"],
        "R.MP.i.a": ["Hitung ulang"],
    }
    links = {
        "P.MP.i.a": "https://zi.example.go.id/bukti/1",
        "R.MP.i.a": "https://zi.example.go.id/bukti/2",
    }
    entries = to_portalrb_answers(catalog, {"P.MP.i.a": ("Ya", None)}, tpi, notes, links).entries
    by_id = {e.soal_id: e for e in entries}
    assert by_id[1].jawaban_unit == "Ya" and by_id[1].jawaban_tpi == "Tidak"
    assert by_id[1].catatan_tpi == "SK belum ditandatangani\n\nLampirkan notulen"
    assert by_id[1].bukti_dukung_unit == "https://zi.example.go.id/bukti/1"
    for sid, tpi_count in ((88, "15"), (89, "10")):
        assert by_id[sid].jawaban_unit is None and by_id[sid].jawaban_tpi == tpi_count
        assert by_id[sid].catatan_tpi == "Hitung ulang"
        assert by_id[sid].bukti_dukung_unit == "https://zi.example.go.id/bukti/2"
    assert by_id[3].to_dict() == {
        "soal_id": 3,
        "jawaban_unit": None,
        "jawaban_tpi": None,
        "catatan_unit": None,
        "bukti_dukung_unit": None,
        "catatan_tpi": None,
    }


def test_a_percentage_stored_as_a_ratio_is_reported_not_invented(catalog):
    export = to_portalrb_answers(
        catalog, {"R.MP.i.a": ("80%", "Rasio dari laporan")}, {"R.AK.i.a": "50%"}, {}, {}
    )
    assert export.ratio_only == [("self", "R.MP.i.a"), ("tpi", "R.AK.i.a")]
    by_id = {e.soal_id: e for e in export.entries}
    assert by_id[88].jawaban_unit is None and by_id[89].jawaban_unit is None
    assert by_id[88].catatan_unit == "Rasio dari laporan"
    assert by_id[105].jawaban_tpi is None and by_id[106].jawaban_tpi is None


def test_a_stored_answer_the_catalog_cannot_read_is_refused(catalog):
    with pytest.raises(AnswersError) as info:
        to_portalrb_answers(
            catalog, {"P.MP.i.b": ("F", None), "R.MP.i.a#agen": ("1,5", None)}, {}, {}, {}
        )
    message = info.value.message("en")
    assert "P.MP.i.b (self): stored answer 'F' cannot be sent to PortalRB" in message
    assert "R.MP.i.a#agen (self): stored answer '1,5' cannot be sent to PortalRB" in message


def _with_scale(catalog, code, scale):
    """A copy of ``catalog`` whose item ``code`` has ``scale`` (the shared one is untouched)."""
    copy = catalog.model_copy(deep=True)
    object.__setattr__(copy.items[code], "scale", scale)
    return copy


def test_a_soal_its_items_scale_cannot_answer_is_a_catalog_error(catalog):
    # H.I.a is soal 125, an index: on an option scale its stored "A" is no number
    broken = _with_scale(catalog, "H.I.a", catalog.items["P.MP.i.b"].scale)
    with pytest.raises(SoalScaleError) as info:
        to_portalrb_answers(broken, {"H.I.a": ("A", None)}, {}, {}, {})
    assert isinstance(info.value, CatalogError) and info.value.key == "portalrb.answers.soal_scale"
    assert info.value.message("en") == (
        "catalog lke-zi-2021, soal 125 (H.I.a): a soal of kind index, "
        "but its item's scale (option) does not give a number"
    )
    # an index scale without bounds cannot check a value PortalRB sends
    scale = catalog.items["H.I.a"].scale.model_copy(update={"minimum": None})
    unbounded = _with_scale(catalog, "H.I.a", scale)
    with pytest.raises(SoalScaleError) as info:
        from_portalrb_answers(unbounded, body([{"soal_id": 125, "jawaban_unit": 3.5}]))
    assert info.value.key == "portalrb.answers.index_unbounded"
    assert "soal 125 (H.I.a)" in info.value.message("id")
    assert catalog.items["H.I.a"].scale.minimum == 0


def test_the_answers_are_the_entries_as_portalrbs_json(catalog):
    export = to_portalrb_answers(catalog, {"P.MP.i.b": ("B", "Lewat rapat")}, {}, {}, {})
    assert all(isinstance(e, SoalEntry) for e in export.entries)
    assert export.answers == [e.to_dict() for e in export.entries]
    assert list(export.answers[1]) == [
        "soal_id",
        "jawaban_unit",
        "jawaban_tpi",
        "catatan_unit",
        "bukti_dukung_unit",
        "catatan_tpi",
    ]
    rows = from_portalrb_answers(catalog, body(export.answers))
    said = [(r.code, r.answer, r.note) for r in rows if r.answer or r.note]
    assert said == [("P.MP.i.b", "B", "Lewat rapat")]
    # every other question's catatan_unit is null: an empty penjelasan (an import clears it)
    assert {r.note for r in rows if (r.answer, r.note) != ("B", "Lewat rapat")} == {""}
    assert len(rows) == len({s.question for s in catalog.soals})


def test_null_and_empty_answers_are_unanswered(catalog):
    rows = from_portalrb_answers(
        catalog,
        body(
            [
                {"soal_id": 1, "jawaban_unit": None, "catatan_unit": None},
                {"soal_id": 2, "jawaban_unit": " b ", "catatan_unit": "Dipilih lewat rapat"},
                {"soal_id": 3, "jawaban_unit": "", "catatan_unit": "Belum ada"},
                {"soal_id": 4, "jawaban_unit": "a"},
                {"soal_id": 5, "catatan_unit": " "},
            ]
        ),
    )
    # a null or blank catatan_unit is an empty penjelasan (""); no catatan_unit key, none (None)
    assert [(r.code, r.answer, r.note) for r in rows] == [
        ("P.MP.i.a", "", ""),
        ("P.MP.i.b", "B", "Dipilih lewat rapat"),
        ("P.MP.ii.a", "", "Belum ada"),
        ("P.MP.ii.b", "A", None),
        ("P.MP.ii.c", "", ""),
    ]


def test_a_counted_questions_note_is_said_by_any_of_its_soals(catalog):
    agen, perubahan = 88, 89  # the two counts of R.MP.i.a
    both = [{"soal_id": agen, "jawaban_unit": 15}, {"soal_id": perubahan, "jawaban_unit": 12}]
    rows = from_portalrb_answers(catalog, body(both))
    assert [r.code for r in rows if r.code == "R.MP.i.a"] == []  # nothing said of its note
    emptied = [both[0] | {"catatan_unit": None}, both[1]]
    rows = from_portalrb_answers(catalog, body(emptied))
    assert [(r.code, r.note) for r in rows if r.code == "R.MP.i.a"] == [("R.MP.i.a", "")]
    noted = [both[0] | {"catatan_unit": ""}, both[1] | {"catatan_unit": "Daftar"}]
    rows = from_portalrb_answers(catalog, body(noted))
    assert [(r.code, r.note) for r in rows if r.code == "R.MP.i.a"] == [("R.MP.i.a", "Daftar")]


def _problems(catalog, payload) -> list[str]:
    with pytest.raises(AnswersError) as info:
        from_portalrb_answers(catalog, payload)
    return [p.message("en") for p in info.value.problems]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([{"soal_id": 200, "jawaban_unit": "A"}], "soal 200: not in catalog lke-zi-2021"),
        (
            [{"soal_id": 2, "jawaban_unit": "D"}],
            "soal 2 (P.MP.i.b): answer 'D' is not on this question's scale (A/B/C)",
        ),
        (
            [{"soal_id": 1, "jawaban_unit": "Ya"}, {"soal_id": 1, "jawaban_unit": "Tidak"}],
            "soal 1: given twice (answers[0] and answers[1])",
        ),
        (
            [{"soal_id": 1, "jawaban_unit": 1}],
            "soal 1 (P.MP.i.a): expected an option (Ya/Tidak) as text, found 1",
        ),
        (
            [{"soal_id": 88, "jawaban_unit": "lima belas"}, {"soal_id": 89, "jawaban_unit": 12}],
            "soal 88 (R.MP.i.a#agen): a count must be a whole number 0 or more, found 'lima belas'",
        ),
        (
            [{"soal_id": 88, "jawaban_unit": "1.000"}, {"soal_id": 89, "jawaban_unit": 12}],
            "soal 88 (R.MP.i.a#agen): a count is written as a whole number without a point or "
            "comma, found '1.000'",
        ),
        (
            [{"soal_id": 88, "jawaban_unit": -1}, {"soal_id": 89, "jawaban_unit": 12}],
            "soal 88 (R.MP.i.a#agen): a count must be a whole number 0 or more, found -1",
        ),
        (
            [{"soal_id": 88, "jawaban_unit": 15}, {"soal_id": 89, "jawaban_unit": 2.5}],
            "soal 89 (R.MP.i.a#perubahan): a count must be a whole number 0 or more, found 2.5",
        ),
        (
            [{"soal_id": 88, "jawaban_unit": True}, {"soal_id": 89, "jawaban_unit": 1}],
            "soal 88 (R.MP.i.a#agen): a count must be a whole number 0 or more, found True",
        ),
        (
            [{"soal_id": 125, "jawaban_unit": 4.5}],
            "soal 125 (H.I.a): a survey value must be a number from 0 to 4, found 4.5",
        ),
        (
            [{"soal_id": 127, "jawaban_unit": "4,5"}],
            "soal 127 (H.II.a): a survey value must be a number from 0 to 4, found '4,5'",
        ),
        (
            [{"soal_id": 88, "jawaban_unit": 15}],
            "soal 89 (R.MP.i.a): the other counts of this percentage question are given",
        ),
        (
            [{"soal_id": 5, "jawaban_unit": "A", "catatan_unit": 7}],
            "soal 5 (P.MP.ii.c): catatan_unit must be text or null",
        ),
        ([{"jawaban_unit": "A"}], "answers[0] is not an object with an integer soal_id"),
        (["soal 1: Ya"], "answers[0] is not an object with an integer soal_id"),
    ],
)
def test_each_bad_entry_is_refused_naming_its_soal(catalog, answers, expected):
    (problem,) = _problems(catalog, body(answers))
    assert expected in problem


@pytest.mark.parametrize(
    "payload",
    [
        [{"soal_id": 1, "jawaban_unit": "Ya"}],
        {"unit_id": "KK-SMG", "answers": []},
        {**body([]), "answers": {"1": "Ya"}},
        "jawaban",
    ],
)
def test_a_body_of_another_shape_is_refused(catalog, payload):
    (problem,) = _problems(catalog, payload)
    assert problem.startswith("the body must be an object with unit_id, nama_unit, tahun")


def test_every_problem_is_listed_and_nothing_is_returned(catalog):
    problems = _problems(
        catalog,
        body(
            [
                {"soal_id": 1, "jawaban_unit": "Ya"},  # fine, but not returned alone
                {"soal_id": 2, "jawaban_unit": "E"},
                {"soal_id": 128, "jawaban_unit": "A"},
                {"soal_id": 125, "jawaban_unit": -0.5},
            ]
        ),
    )
    assert [p.split(":")[0] for p in problems] == [
        "soal 2 (P.MP.i.b)",
        "soal 128",
        "soal 125 (H.I.a)",
    ]
