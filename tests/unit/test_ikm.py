"""IKM arithmetic of PermenPANRB 14/2017, computed by hand, and the response reader."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction as F

import numpy as np
import pytest
from openpyxl import Workbook

from wbk.surveys import ikm
from wbk.surveys.responses import ResponsesError, read_table, to_responses


def answers(*rows) -> np.ndarray:
    return np.array(rows, dtype=np.int8)


def test_all_fours_is_100_and_a():
    result = ikm.compute(answers([4] * 9))
    assert [e.nrr for e in result.elements] == [4] * 9
    assert (result.index, result.ikm, result.category) == (4, 100, "A")


def test_two_respondents_by_hand():
    result = ikm.compute(answers([4] * 9, [3, 4, 3, 3, 4, 4, 3, 3, 4]))
    assert result.elements[0].nrr == F(7, 2)
    assert result.elements[0].weighted == F(7, 18)
    assert result.index == F(67, 18)  # (5 x 3.5 + 4 x 4) / 9
    assert result.ikm == F(67, 18) * 25
    assert result.ikm_display == Decimal("93.06") and result.category == "A"


def test_legacy_weight_reproduces_rounded_reports():
    data = answers([4] * 9)
    assert ikm.compute(data, "legacy").ikm == F("99.9")  # 4 x 0.111 x 9 x 25
    mixed = answers([3, 3, 4, 2, 3, 4, 4, 3, 3], [4, 3, 3, 3, 4, 4, 3, 2, 3])
    exact, legacy = ikm.compute(mixed), ikm.compute(mixed, "legacy")
    assert legacy.ikm == exact.ikm * F("0.999")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25", "D"),
        ("88.305", "A"),  # shown as 88.31 (half up)
        ("88.3049", "B"),
        ("76.605", "B"),
        ("64.995", "C"),
    ],
)
def test_category_boundaries_on_the_shown_value(value, expected):
    assert ikm.category(F(value)) == expected


def test_index_edges_from_the_regulation_table():
    assert ikm.category(F("3.5324") * 25) == "A"
    assert ikm.category(F("3.532") * 25) == "B"
    assert ikm.category(F("3.0644") * 25) == "B"
    assert ikm.category(F("2.60") * 25) == "C"
    assert ikm.category(F("2.5996") * 25) == "D"


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (10, 10),
        (20, 19),
        (50, 44),
        (75, 63),
        (100, 80),
        (1000, 278),
        (10_000, 370),
        (1_000_000, 384),
    ],
)
def test_krejcie_morgan_table(population, sample):
    assert ikm.sample_size(population) == sample


def test_survey_points_for_ipak_and_ipkp():
    assert ikm.survey_points(F("3.60")) == F("15.75")
    assert ikm.survey_points(F("3.20")) == 14
    assert ikm.survey_points(3.6) == F("15.75")
    with pytest.raises(ValueError):
        ikm.survey_points(F("4.1"))


def test_groups_equal_separate_computations():
    data = answers([4] * 9, [3] * 9, [2, 3, 4, 1, 2, 3, 4, 1, 2], [4, 4, 4, 3, 3, 3, 2, 2, 2])
    groups = np.array(["Nikah", "Haji", "Nikah", "Haji"])
    by = ikm.compute_groups(data, groups)
    assert by["Nikah"] == ikm.compute(data[[0, 2]])
    assert by["Haji"] == ikm.compute(data[[1, 3]])


# --- reading responses ----------------------------------------------------------------------

HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9\n"


def test_bad_rows_refuse_the_file_and_name_their_lines():
    text = (
        HEADER + "4,4,4,4,4,4,4,4,4\n4,5,4,4,4,4,4,4,4\n4,,4,4,4,4,4,4,4\n3,3,3,3,3,3,3,3,empat\n"
    )
    frame = read_table(text.encode(), "skm.csv")
    with pytest.raises(ResponsesError) as info:
        to_responses(frame)
    assert info.value.bad_rows == [
        (3, "ikm.out_of_range"),
        (4, "ikm.missing_element"),
        (5, "ikm.out_of_range"),
    ]
    message = info.value.message("en")
    assert "3 of 4 rows are invalid; nothing was imported" in message
    assert "line 4: an element is not answered" in message
    kept = to_responses(frame, skip_invalid=True)
    assert kept.answers.shape == (1, 9) and [line for line, _ in kept.skipped] == [3, 4, 5]


def test_realistic_form_export_with_semicolons_and_indonesian_headers():
    headers = [
        "Tanggal",
        "Jenis Layanan",
        "Persyaratan",
        "Prosedur",
        "Waktu Pelayanan",
        "Biaya",
        "Produk Layanan",
        "Kompetensi Petugas",
        "Perilaku Petugas",
        "Penanganan Pengaduan",
        "Sarana Prasarana",
        "Usia",
    ]
    rows = [
        ["05/01/2026", "Legalisir Ijazah", "4", "4", "3", "4", "4", "4", "4", "3", "4", "31"],
        ["17/02/2026", "Rekomendasi Haji", "3", "3", "3", "4", "3", "3", "4", "3", "3", "45"],
        ["02/04/2026", "Legalisir Ijazah", "4", "3", "3", "4", "4", "4", "4", "4", "3", "27"],
    ]
    text = ";".join(headers) + "\n" + "\n".join(";".join(r) for r in rows) + "\n"
    frame = read_table(("\ufeff" + text).encode("utf-8"), "export-formulir.csv")
    mapping = dict(zip(ikm.ELEMENTS, headers[2:11], strict=True))
    data = to_responses(frame, mapping, service_column="Jenis Layanan", date_column="Tanggal")
    result = ikm.compute(data.answers)
    assert result.respondents == 3
    assert result.elements[0].nrr == F(11, 3)
    by_service = ikm.compute_groups(data.answers, data.service)
    assert set(by_service) == {"Legalisir Ijazah", "Rekomendasi Haji"}
    assert by_service["Rekomendasi Haji"].ikm == F(29, 9) * 25
    assert sorted(set(data.period)) == ["2026-T1", "2026-T2"]


def test_xlsx_responses():
    wb = Workbook()
    sheet = wb.active
    sheet.append(list(ikm.ELEMENTS))
    sheet.append([4, 4, 4, 4, 4, 4, 4, 4, 4])
    sheet.append([3, 3, 3, 3, 3, 3, 3, 3, 3])
    buf = io.BytesIO()
    wb.save(buf)
    data = to_responses(read_table(buf.getvalue(), "skm.xlsx"))
    assert ikm.compute(data.answers).ikm == F("87.5")


def test_unmapped_elements_are_named():
    frame = read_table(b"A,B\n1,2\n", "x.csv")
    with pytest.raises(ResponsesError) as info:
        to_responses(frame)
    assert "U1, U2" in info.value.message("en")
