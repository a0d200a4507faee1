"""IPAK / IPKP from raw answers, computed by hand: item means without blanks, the index, its
conversion and LKE points, other scales, groups, sample adequacy and every bad-row path."""

from __future__ import annotations

import io
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from wbk.surveys import ikm, perception
from wbk.surveys.instruments import default_instrument, parse_instrument
from wbk.surveys.perception import PerceptionError
from wbk.surveys.responses import ResponsesError, read_table

SPAK = default_instrument("spak")
SPKP = default_instrument("spkp")
SPAK_COLUMNS = ["A1", "A2", "A3", "A4", "A5"]


def frame(rows, columns=SPAK_COLUMNS, **extra) -> pd.DataFrame:
    data = pd.DataFrame(rows, columns=columns, dtype=object)
    for name, values in extra.items():
        data[name] = values
    return data


def scale_instrument(hi: int, conversion: str = "linear_1_4", codes=("S1", "S2", "S3")) -> str:
    words = "\n".join(f"    {v}: {{id: bintang {v}, en: {v} stars}}" for v in range(1, hi + 1))
    items = "\n".join(f"  - {{code: {c}, text: Butir {c}}}" for c in codes)
    return (
        f'id: bintang\nversion: "1"\nname: Survei bintang\ntarget: H.II.a\n'
        f"scale:\n  min: 1\n  max: {hi}\n  words:\n{words}\nconversion: {conversion}\n"
        f"items:\n{items}\n"
    )


# --- arithmetic -------------------------------------------------------------------------------


def test_item_means_leave_blanks_out():
    data = frame([[4, 4, 4, 4, 4], [3, None, 3, 2, 4], [4, 3, None, 4, 4]])
    result = perception.compute(data, SPAK).overall
    # A1 (4+3+4)/3, A2 (4+3)/2, A3 (4+3)/2, A4 (4+2+4)/3, A5 (4+4+4)/3
    assert [i.mean for i in result.items] == [F(11, 3), F(7, 2), F(7, 2), F(10, 3), 4]
    assert [i.answers for i in result.items] == [3, 2, 2, 3, 3]
    assert result.respondents == 3
    # index = (11/3 + 7/2 + 7/2 + 10/3 + 4) / 5 = (7 + 7 + 4) / 5 = 18/5
    assert result.index == F(18, 5)
    assert result.conversion == 90  # 3.6 x 25
    assert result.points == F("15.75")  # 3.6 / 4 x 17.5: exactly the IPAK gate
    assert result.target == "H.I.a"
    # pooling every answer instead: 47 / 13 = 3.615..., so the method matters here
    assert result.uncertain == ("method",) and result.alternative == F(47, 13)
    notes = perception.uncertain_notes(result, "en")
    assert len(notes) == 1 and "3.615" in notes[0]


def test_complete_rows_are_certain():
    result = perception.compute(frame([[4, 4, 4, 4, 4], [3, 3, 3, 3, 2]]), SPAK).overall
    # item means 3.5, 3.5, 3.5, 3.5, 3 -> index 17 / 5 = 3.4
    assert result.index == F(17, 5)
    assert result.conversion == 85  # 3.4 x 25
    assert result.points == F("14.875")  # 3.4 / 4 x 17.5
    assert result.points == ikm.survey_points(result.index)
    assert result.uncertain == () and perception.uncertain_notes(result) == []


def test_pooled_mean_when_the_instrument_asks_for_it():
    text = scale_instrument(4, codes=("S1", "S2")).replace(
        "conversion: linear_1_4", "conversion: linear_1_4\narithmetic:\n  index: pooled_mean"
    )
    inst = parse_instrument(text)
    data = frame([[4, 2], [4, None]], columns=["S1", "S2"])
    result = perception.compute(data, inst).overall
    assert result.index == F(10, 3)  # (4 + 4 + 2) / 3 answers
    assert result.alternative == 3  # mean of item means (4 + 2) / 2
    assert result.uncertain == ("method",)


def test_six_point_scale_with_the_linear_map_is_uncertain():
    inst = parse_instrument(scale_instrument(6))
    result = perception.compute(frame([[6, 5, 4], [4, 3, 2]], ["S1", "S2", "S3"]), inst).overall
    assert [i.mean for i in result.items] == [5, 4, 3]  # on the 1-6 scale
    assert result.scale_index == 4  # (5 + 4 + 3) / 3
    assert result.index == F(14, 5)  # 1 + (4 - 1) x 3 / 5 = 2.8
    assert result.conversion == 70  # 2.8 x 25
    assert result.points == F("12.25")  # 2.8 / 4 x 17.5
    assert result.uncertain == ("conversion",)
    [note] = perception.uncertain_notes(result, "en")
    assert "1–6 scale is mapped linearly onto 1–4" in note and "no official rule" in note


def test_six_point_scale_with_the_proportional_map():
    inst = parse_instrument(scale_instrument(6, "proportional_0_4"))
    result = perception.compute(frame([[6, 5, 4], [4, 3, 2]], ["S1", "S2", "S3"]), inst).overall
    assert result.index == F(8, 3)  # 4 / 6 x 4
    assert result.points == F(35, 3)  # 8/3 / 4 x 17.5 = 11.67
    assert result.uncertain == ("conversion",)
    assert "proportionally onto 0–4" in perception.uncertain_notes(result, "en")[0]


def test_ten_point_scale():
    inst = parse_instrument(scale_instrument(10, codes=("S1", "S2")))
    result = perception.compute(frame([[10, 8], [7, 9]], ["S1", "S2"]), inst).overall
    assert [i.mean for i in result.items] == [F(17, 2), F(17, 2)]
    assert result.index == F(7, 2)  # 1 + (8.5 - 1) x 3 / 9 = 1 + 2.5
    assert result.conversion == F("87.5")
    assert result.points == F("15.3125")  # 3.5 / 4 x 17.5
    assert result.uncertain == ("conversion",)
    with pytest.raises(PerceptionError) as info:
        perception.compute(frame([[10, 11], [0, 9]], ["S1", "S2"]), inst)
    assert [(r.line, r.params["value"]) for r in info.value.bad_rows] == [(2, "11"), (3, "0")]


def test_custom_four_item_instrument_with_its_own_columns():
    inst = parse_instrument(
        'id: spak-4\nversion: "2026"\nname: SPAK unit\ntarget: H.I.a\nitems:\n'
        "  - {code: Q1, text: Tidak ada diskriminasi pada unit layanan ini.}\n"
        "  - {code: Q2, text: Tidak ada kecurangan pada unit layanan ini.}\n"
        "  - {code: Q3, text: Tidak ada gratifikasi pada unit layanan ini.}\n"
        "  - {code: Q4, text: Tidak ada pungli pada unit layanan ini.}\n"
    )
    columns = ["Pertanyaan 1", "Pertanyaan 2", "Pertanyaan 3", "Pertanyaan 4"]
    data = frame([[4, 4, 3, 3], [4, 3, 3, 2], [3, 4, 4, 4]], columns)
    result = perception.compute(data, inst, items=columns).overall
    # Q1 11/3, Q2 11/3, Q3 10/3, Q4 9/3 -> index 41/3 / 4 = 41/12 = 3.4167
    assert result.index == F(41, 12)
    assert result.conversion == F(1025, 12)  # 41/12 x 25 = 85.42
    assert result.points == F(1435, 96)  # 41/12 / 4 x 35/2 = 14.95
    assert result.instrument == "spak-4" and result.version == "2026"


def test_skm_instrument_agrees_with_the_ikm_index():
    skm = default_instrument("skm")
    rows = [[4] * 9, [3, 4, 3, 3, 4, 4, 3, 3, 4]]
    result = perception.compute(frame(rows, list(ikm.ELEMENTS)), skm).overall
    assert result.index == F(67, 18)  # (5 x 3.5 + 4 x 4) / 9, as in test_ikm
    assert result.index == ikm.compute(np.array(rows)).index
    assert result.target is None and result.uncertain == ()


def test_per_service_and_per_period():
    data = frame(
        [[4, 4, 4, 4, 4], [3, 3, 3, 3, 3], [4, 3, 4, 3, None], [2, 3, 3, 3, 3]],
        Layanan=["Nikah", "Haji", "Nikah", "Haji"],
        Tanggal=["05/01/2026", "20/02/2026", "02/04/2026", "30/06/2026"],
    )
    computation = perception.compute(data, SPAK, service_column="Layanan", date_column="Tanggal")
    nikah, haji = computation.by_service["Nikah"], computation.by_service["Haji"]
    # Nikah: A1..A4 means 4, 3.5, 4, 3.5; A5 only the first row: 4 -> 19/5
    assert nikah.respondents == 2 and nikah.index == F(19, 5)
    assert nikah.item("A5").answers == 1
    # Haji: A1 2.5, the rest 3 -> 14.5 / 5 = 2.9
    assert haji.index == F(29, 10) and haji.uncertain == ()
    assert set(computation.by_period) == {"2026-T1", "2026-T2"}
    q2 = computation.by_period["2026-T2"]
    # rows 3 and 4: A1 3, A2 3, A3 3.5, A4 3, A5 3 -> 15.5 / 5 = 3.1
    assert q2.respondents == 2 and q2.index == F(31, 10)


def test_period_column_is_taken_as_it_is():
    data = frame([[4] * 5, [3] * 5], Periode=["2026-S1", "2026-S2"])
    by_period = perception.compute(data, SPAK, period_column="Periode").by_period
    assert by_period["2026-S1"].index == 4 and by_period["2026-S2"].index == 3


def test_sample_adequacy_krejcie_morgan():
    check = perception.sample_check(1000, 278)
    assert (check.population, check.minimum, check.met) == (1000, 278, True)
    assert not perception.sample_check(1000, 277).met
    assert perception.sample_check(100, 80).minimum == 80


def test_stored_sums_recompute_exactly():
    data = frame([[4, 4, 4, 4, 4], [3, None, 3, 2, 4], [4, 3, None, 4, 4]])
    result = perception.compute(data, SPAK).overall
    record = result.record()
    assert record["sums"] == {"A1": 11, "A2": 7, "A3": 7, "A4": 10, "A5": 12}
    assert record["counts"] == {"A1": 3, "A2": 2, "A3": 2, "A4": 3, "A5": 3}
    assert perception.from_record(SPAK, record) == result


def test_zero_as_blank_when_the_instrument_says_so():
    text = scale_instrument(4, codes=("S1", "S2")).replace(
        "conversion: linear_1_4", "arithmetic:\n  zero_is_blank: true"
    )
    inst = parse_instrument(text)
    result = perception.compute(frame([[4, 0], [2, 3]], ["S1", "S2"]), inst).overall
    assert [i.mean for i in result.items] == [3, 3]  # S2: only the 3 counts
    strict = parse_instrument(scale_instrument(4, codes=("S1", "S2")))  # 0 is off the scale
    with pytest.raises(PerceptionError) as info:
        perception.compute(frame([[4, 0], [2, 3]], ["S1", "S2"]), strict)
    assert [r.line for r in info.value.bad_rows] == [2]


# --- columns ----------------------------------------------------------------------------------


def test_columns_named_like_the_codes_in_any_case():
    data = frame([[4, 3, 4, 3, 4]], ["a1", " A2", "a 3", "A4", "a5"])
    assert perception.compute(data, SPAK).overall.index == F(18, 5)  # (4+3+4+3+4)/5


def test_explicit_mapping_overrides_and_unknowns_are_named():
    data = frame([[4, 3, 4, 3, 4, 1]], [*SPAK_COLUMNS, "Calo"])
    # A5 read from "Calo" (1) instead of A5 (4): (4+3+4+3+1)/5 = 3
    assert perception.compute(data, SPAK, mapping={"a5": "Calo"}).overall.index == 3
    with pytest.raises(PerceptionError) as info:
        perception.compute(data, SPAK, mapping={"A9": "Calo"})
    assert "Item A9 is not in this instrument" in info.value.message("en")
    with pytest.raises(PerceptionError) as info:
        perception.compute(frame([[4, 3]], ["A1", "X"]), SPAK)
    assert "Items A2, A3, A4, A5 are not mapped" in info.value.message("en")
    with pytest.raises(PerceptionError) as info:
        perception.compute(data, SPAK, items=["A1", "A2"])
    assert "names 2 columns, but this instrument has 5 items" in info.value.message("en")
    with pytest.raises(PerceptionError) as info:
        perception.compute(data, SPAK, service_column="Layanan")
    assert "Column Layanan does not exist" in info.value.message("en")


# --- bad rows ---------------------------------------------------------------------------------

CSV = (
    "ID;Layanan;A1;A2;A3;A4;A5\n"
    "r1;Nikah;4;4;4;4;4\n"  # line 2
    "r2;Haji;4;5;4;4;4\n"  # line 3: 5 is outside 1-4
    "\n"  # line 4: a blank line, skipped
    "r3;Haji;;;;;\n"  # line 5: no answer at all
    "r1;Nikah;3;3;3;3;3\n"  # line 6: r1 again
    "r4;Haji;3;3,5;3;empat;3\n"  # line 7: 3,5 is not a scale point
    "r5;Nikah;3;;3;3;3\n"  # line 8: one blank is fine
)


def test_bad_rows_refuse_the_file_with_their_lines():
    table = read_table(CSV.encode(), "spak.csv")
    with pytest.raises(PerceptionError) as info:
        perception.compute(table, SPAK, id_column="ID")
    assert isinstance(info.value, ResponsesError)
    assert [(r.line, r.problem) for r in info.value.bad_rows] == [
        (3, "perception.row.out_of_scale"),
        (5, "perception.row.empty"),
        (6, "perception.row.duplicate_id"),
        (7, "perception.row.out_of_scale"),
    ]
    message = info.value.message("en")
    assert "4 of 6 rows are invalid; nothing was computed" in message
    assert "line 3: A2: value '5' outside the 1–4 scale" in message
    assert "line 5: no answer at all" in message
    assert "line 6: respondent id r1 already used on line 2" in message
    assert "line 7: A2: value '3,5' outside the 1–4 scale" in message
    assert "baris 5: tidak ada jawaban satu pun" in info.value.message("id")


def test_skip_invalid_computes_the_rest():
    table = read_table(CSV.encode(), "spak.csv")
    computation = perception.compute(table, SPAK, id_column="ID", skip_invalid=True)
    assert [r.line for r in computation.responses.skipped] == [3, 5, 6, 7]
    assert list(computation.responses.lines) == [2, 8]
    overall = computation.overall
    # lines 2 and 8: A1 3.5, A2 4 (blank left out), A3 3.5, A4 3.5, A5 3.5 -> 18 / 5
    assert overall.respondents == 2 and overall.index == F(18, 5)


def test_without_an_id_column_repeated_answers_are_fine():
    data = frame([[4] * 5, [4] * 5], ID=["r1", "r1"])
    assert perception.compute(data, SPAK).overall.respondents == 2
    with pytest.raises(PerceptionError):
        perception.compute(data, SPAK, id_column="ID")


def test_a_row_with_only_a_service_is_empty():
    data = frame([[4] * 5, [None] * 5], Layanan=["Nikah", "Haji"])
    with pytest.raises(PerceptionError) as info:
        perception.compute(data, SPAK, service_column="Layanan")
    assert [(r.line, r.problem) for r in info.value.bad_rows] == [(3, "perception.row.empty")]


def test_unreadable_date_is_a_bad_row():
    data = frame([[4] * 5, [3] * 5], Tanggal=["05/01/2026", "kemarin"])
    with pytest.raises(PerceptionError) as info:
        perception.compute(data, SPAK, date_column="Tanggal")
    assert "line 3: unreadable date 'kemarin'" in info.value.message("en")


def test_more_than_fifty_bad_rows_are_summarised():
    data = frame([[9] * 5] * 53 + [[4] * 5])
    with pytest.raises(PerceptionError) as info:
        perception.compute(data, SPAK)
    message = info.value.message("id")
    assert "baris 51: A1: nilai '9' di luar skala 1–4" in message
    assert "baris 52" not in message and "dan 3 lainnya" in message


def test_all_rows_bad_leaves_nothing_to_compute():
    with pytest.raises(PerceptionError) as info:
        perception.compute(frame([[9] * 5]), SPAK, skip_invalid=True)
    assert info.value.key == "perception.no_rows"


def test_xlsx_file():
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Jenis Layanan", *SPKP.codes])
    sheet.append(["PTSP", 4, 4, 4, 4, 4, 4, 4, 4])
    sheet.append(["PTSP", 3, 3, 3, 3, 3, 3, 3, None])
    buf = io.BytesIO()
    wb.save(buf)
    computation = perception.compute_file(
        buf.getvalue(), "spkp.xlsx", SPKP, service_column="Jenis Layanan"
    )
    # P1..P7 mean 3.5, P8 only 4 -> (7 x 3.5 + 4) / 8 = 28.5 / 8
    assert computation.overall.index == F(57, 16)
    assert computation.overall.target == "H.II.a"
    assert computation.by_service["PTSP"] == computation.overall


def test_line_numbers_count_comment_cells_that_span_lines():
    text = (
        'A1,A2,A3,A4,A5,Saran\n4,4,4,4,4,"Antrean\npanjang,\nmohon diperbaiki"\n'  # lines 2-4
        "4,4,7,4,4,\n"  # line 5: 7 is outside the scale
    )
    with pytest.raises(PerceptionError) as info:
        perception.compute(read_table(text.encode(), "spak.csv"), SPAK)
    assert [r.line for r in info.value.bad_rows] == [5]
