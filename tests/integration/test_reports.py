"""The Word report, the LKE workbook (out, recalculated, back in) and the evidence binder."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from wbk.i18n import fmt_number
from wbk.reports.xlsx_import import WorkbookError
from wbk.scoring import score, values_from_mapping
from wbk.services import demo
from wbk.services.assessment import assessments, reports
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.settings import Settings

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
IN_CI = os.environ.get("CI") == "true"
OP = operator("test")


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """The demo workspace, built once; tests work on their own copy of it."""
    path = tmp_path_factory.mktemp("reports-demo") / "data"
    ws = open_workspace(Settings(data_dir=path))
    demo.create_demo(ws)
    ws.db.dispose()
    return path


@pytest.fixture
def demo_ws(demo_dir, tmp_path):
    """A private copy of the demo workspace: a test may change it freely."""
    target = tmp_path / "data"
    shutil.copytree(demo_dir, target)
    ws = open_workspace(Settings(data_dir=target), migrate=False)
    yield ws
    ws.db.dispose()


def need_soffice():
    if SOFFICE is None:
        if IN_CI:
            pytest.fail("LibreOffice (soffice) is required under CI=true")
        pytest.skip("LibreOffice not installed")


def convert(path: Path, fmt: str, outdir: Path) -> Path:
    need_soffice()
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / (path.stem + "." + fmt.split(":")[0])


def cell_texts(doc) -> list[str]:
    return [cell.text for table in doc.tables for row in table.rows for cell in row.cells]


# --- Word -----------------------------------------------------------------------------------


def test_report_has_every_question_in_order_and_the_scorecard_numbers(demo_ws):
    data = reports.word_report(demo_ws, OP, 1)
    doc = Document(io.BytesIO(data))
    _, card, _ = assessments.score_assessment(demo_ws, OP, 1)
    texts = cell_texts(doc)
    codes = [t for t in texts if t in card.questions]
    first_seen = list(dict.fromkeys(codes))
    catalog = demo_ws.catalog("lke-zi-2021")
    assert first_seen[: len(catalog.items)] == list(catalog.items)  # kertas kerja, LKE order
    assert fmt_number(card.total, lang="id") == "74,00"
    assert "74,00" in texts and "39,76" in texts and "34,24" in texts
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert {"Ringkasan", "Kertas Kerja", "Rekomendasi", "Pengesahan"} <= set(headings)
    # the gate table of each predicate lists every gate with its status
    for pid, verdict in card.verdicts.items():
        assert f"Syarat predikat {pid}" in headings
        statuses = [g for g in verdict.gates if g.applies and not g.passed]
        assert statuses  # the demo unit fails some gates
    assert "Syarat yang belum terpenuhi: Nilai total, Nilai pengungkit" in "\n".join(
        p.text for p in doc.paragraphs
    )
    xml = doc.element.xml
    assert "w:tblHeader" in xml  # header rows repeat across pages
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    full_hashes = {
        line for t in texts for line in t.split("\n") if re.fullmatch(r"[0-9a-f]{64}", line)
    }
    revisions = {
        r.sha256 for d in reports.report_data(demo_ws, OP, 1).documents for r in d.revisions
    }
    assert full_hashes == revisions  # the manifest: every revision with its full hash


def rows_of(doc) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]


def test_report_in_english(demo_ws):
    doc = Document(io.BytesIO(reports.word_report(demo_ws, OP, 1, lang="en")))
    paragraphs = [p.text for p in doc.paragraphs]
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert titles == ["Zona Integritas Self-Assessment Report"]  # the cover
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Contents",
        "Summary",
        "Scores per Reform Area",
        "Worksheet",
        "Recommendations",
        "Follow-up plan",
        "Approval",
        "Appendix: Evidence Manifest",
    ]
    sub_headings = {p.text for p in doc.paragraphs if p.style.name == "Heading 2"}
    assert {"Gates of the WBK predicate", "MP · Change Management", "Charts"} <= sub_headings
    # the table of contents shown before Word refreshes it lists every chapter written
    toc = reports_toc(doc)
    assert toc == [f"{i}. {h}" for i, h in enumerate(headings[1:], start=1)]
    # numbers in English notation: the demo unit stands at 74.00, just below WBK
    assert any("is 74.00 out of 100" in p for p in paragraphs)
    rows = rows_of(doc)
    assert ["Total", "74.00", "100.00", "74.00"] in rows  # component table
    assert ["Total score", "74.00", "75.00", "fail"] in rows  # WBK gate table: 74 < 75
    assert ["Total score", "74.00", "85.00", "fail"] in rows  # WBBM gate table
    assert "WBK: NOT MET" in paragraphs
    assert not any("Ringkasan" in p or "Kertas Kerja" in p for p in paragraphs)


def test_report_opens_in_libreoffice(demo_ws, tmp_path):
    path = tmp_path / "laporan.docx"
    path.write_bytes(reports.word_report(demo_ws, OP, 1))
    pdf = convert(path, "pdf", tmp_path)
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) >= 12
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Laporan Penilaian Mandiri Zona" in text
    assert "P.PP.v.c" in text and "H.II.a" in text
    assert "halaman 2 dari" in text  # the footer fields were computed


# --- Excel ----------------------------------------------------------------------------------


def test_workbook_formulas_compute_the_scorecard(demo_ws, tmp_path):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(reports.excel_export(demo_ws, OP, 1))
    recalculated = convert(path, "xlsx", tmp_path / "out")
    ws = load_workbook(recalculated, data_only=True)["LKE"]
    _, card, _ = assessments.score_assessment(demo_ws, OP, 1)
    values = {ws.cell(r, 1).value: ws.cell(r, 6).value for r in range(5, ws.max_row + 1)}
    assert values["TOTAL"] == pytest.approx(float(card.total), abs=1e-9)
    for key, sub in card.subareas.items():
        assert values[key] == pytest.approx(float(sub.score), abs=1e-9), key
    for key in ("P.MP", "R.PW", "P.SDM"):
        assert values[key] == pytest.approx(float(card.areas[key].score), abs=1e-9)
    assert values["H.I.a"] == pytest.approx(float(card.results["ipak"].score), abs=1e-9)


def test_export_then_import_gives_the_same_answers(demo_ws, tmp_path):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(reports.excel_export(demo_ws, OP, 1))
    people.add_unit(demo_ws, OP, "KUA-1", "KUA Contoh", "KK-CONTOH", "kua")
    target = assessments.create_assessment(demo_ws, OP, "KUA-1", 2026).id
    changed, preview = reports.import_workbook(demo_ws, OP, target, path)
    assert not preview.problems
    original = {
        c: (a.value, a.narrative)
        for c, a in assessments.answers_of(demo_ws, OP, 1).items()
        if a.value is not None
    }
    copied = {
        c: (a.value, a.narrative)
        for c, a in assessments.answers_of(demo_ws, OP, target).items()
        if a.value is not None
    }
    assert copied == original and changed == len(original)


def _edit(src: Path, dst: Path, edit) -> None:
    wb = load_workbook(src)
    edit(wb["LKE"])
    wb.save(dst)


def _row_of(sheet, code: str) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == code)


def test_preview_names_changed_cells_and_bad_cells(demo_ws, tmp_path):
    src = tmp_path / "lke.xlsx"
    src.write_bytes(reports.excel_export(demo_ws, OP, 1))
    rows = {}

    def edit(sheet):
        rows["a"], rows["b"] = _row_of(sheet, "P.MP.i.b"), _row_of(sheet, "P.MP.iii.a")
        sheet.cell(rows["a"], 4, "C")
        sheet.cell(rows["b"], 4, "Z")

    bad = tmp_path / "ubah.xlsx"
    _edit(src, bad, edit)
    preview = reports.preview_workbook(demo_ws, OP, 1, bad)
    changes = [(c.code, c.where, c.old_value, c.new_value) for c in preview.changes]
    assert changes == [("P.MP.i.b", f"D{rows['a']}", "A", "C")]  # nothing else, notes neither
    assert [p.cell for p in preview.problems] == [f"D{rows['b']}"]
    assert "P.MP.iii.a" in preview.problems[0].message("en")
    with pytest.raises(WorkbookError):
        reports.import_workbook(demo_ws, OP, 1, bad)
    assert assessments.answers_of(demo_ws, OP, 1)["P.MP.i.b"].value == "A"  # nothing applied
    reports.import_workbook(demo_ws, OP, 1, bad, skip_invalid=True)
    after = assessments.answers_of(demo_ws, OP, 1)
    assert after["P.MP.i.b"].value == "C" and after["P.MP.iii.a"].value != "Z"


@pytest.mark.parametrize("case", ["sheet", "merged", "formula", "rows", "bomb", "pdf"])
def test_hostile_workbooks_are_refused_clearly(demo_ws, tmp_path, case):
    src = tmp_path / "lke.xlsx"
    src.write_bytes(reports.excel_export(demo_ws, OP, 1))
    path = tmp_path / "hostile.xlsx"
    if case == "sheet":
        wb = Workbook()
        wb.active.title = "Sheet1"
        wb.save(path)
    elif case == "merged":
        _edit(
            src,
            path,
            lambda s: s.merge_cells(f"D{_row_of(s, 'P.MP.i.a')}:E{_row_of(s, 'P.MP.i.a')}"),
        )
    elif case == "formula":
        _edit(src, path, lambda s: s.cell(_row_of(s, "P.MP.i.a"), 4, '=IF(1,"Ya","Tidak")'))
    elif case == "rows":
        wb = Workbook(write_only=True)
        sheet = wb.create_sheet("LKE")
        sheet.append(["Kode", "Uraian", "Bobot", "Jawaban"])
        for i in range(50_000):
            sheet.append([f"X{i}", "baris", 1, "A"])
        wb.save(path)
    elif case == "bomb":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("xl/workbook.xml", "<workbook/>")
            zf.writestr("xl/worksheets/sheet1.xml", b"0" * 200_000_000)
    else:
        path.write_bytes(b"%PDF-1.4 not a workbook")
    before = assessments.answers_of(demo_ws, OP, 1)
    if case in ("merged", "formula"):
        preview = reports.preview_workbook(demo_ws, OP, 1, path)
        assert preview.problems and preview.problems[0].message("en").startswith("D")
        expected = "merged" if case == "merged" else "formula"
        assert expected in preview.problems[0].message("en")
        with pytest.raises(WorkbookError):
            reports.import_workbook(demo_ws, OP, 1, path)
    else:
        with pytest.raises(WorkbookError) as info:
            reports.import_workbook(demo_ws, OP, 1, path)
        message = info.value.message("en")
        expected = {
            "sheet": "Sheet LKE is missing",
            "rows": "limit is 5000",
            "bomb": "abnormally compressed",
            "pdf": "not an Excel workbook",
        }[case]
        assert expected in message
    assert assessments.answers_of(demo_ws, OP, 1) == before


# --- binder ---------------------------------------------------------------------------------


def test_binder_holds_every_file_with_its_hash_and_the_report(demo_ws):
    data = reports.evidence_binder(demo_ws, OP, 1)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        manifest = list(csv.DictReader(io.StringIO(zf.read("manifest.csv").decode("utf-8-sig"))))
        for row in manifest:
            if row["sha256"]:
                assert hashlib.sha256(zf.read(row["filename"])).hexdigest() == row["sha256"]
        [report_name] = [n for n in names if n.endswith(".docx")]
        report = Document(io.BytesIO(zf.read(report_name)))
    # the report inside is the unit's self-assessment report, readable as such
    assert [p.text for p in report.paragraphs if p.style.name == "Title"] == [
        "Laporan Penilaian Mandiri Zona Integritas"
    ]
    assert ["Total", "74,00", "100,00", "74,00"] in rows_of(report)
    codes = [row["code"] for row in manifest]
    catalog = demo_ws.catalog("lke-zi-2021")
    order = list(catalog.items)
    assert codes == sorted(codes, key=order.index)  # LKE order
    assert manifest[0]["filename"].startswith("A1 Pemenuhan/01 MP Manajemen Perubahan/")
    assert {"P.MP.i.a", "P.PP.iv.b", "P.TT.iii.a"} <= set(codes)


def test_binder_refuses_an_altered_file(demo_ws):
    from wbk.errors import Conflict

    sha = next(iter(demo_ws.blobs.names()))
    path = demo_ws.blobs.path_of(sha)
    path.chmod(0o644)
    path.write_bytes(b"diubah")
    with pytest.raises(Conflict) as info:
        reports.evidence_binder(demo_ws, OP, 1)
    assert sha in info.value.message("en")


# The TPI's answers in the demo (wbk/services/demo.py.py), written out: the TPI scored these 15
# questions on its copy of the LKE and left every other question at the unit's answer.
TPI_ANSWERS = {
    "P.MP.i.a": "Ya",
    "P.MP.i.b": "C",
    "P.MP.iii.b": "C",
    "P.MP.iv.d": "C",
    "P.TT.i.b": "C",
    "P.TT.ii.c": "B",
    "P.SDM.iii.c": "C",
    "P.PW.ii.b": "C",
    "P.PW.v.c": "C",
    "P.PP.ii.d": "C",
    "P.PP.ii.f": "C",
    "R.MP.ii.a": "D",
    "R.PW.i.a": "D",
    "R.PP.i.a": "C",
    "H.I.b": "C",
}
# What the TPI takes off the unit's own score, question by question (value change x the
# points of one question = sub-area weight / its questions; A/B/C/D = 1/.67/.33/0,
# A..E = 1/.75/.5/.25/0, A/B/C = 1/.5/0):
#   P.MP.i.a    Ya -> Ya                      0
#   P.MP.i.b    A -> C   (abc)   0.50/2 x 1    = 0.25
#   P.MP.iii.b  B -> C   1.00/3 x 0.34         = 0.34/3
#   P.MP.iv.d   B -> C   1.50/4 x 0.34         = 0.1275
#   P.TT.i.b    A -> C   (abc)   1.00/3 x 0.5  = 1/6
#   P.TT.ii.c   A -> B   (abc)   2.00/4 x 0.5  = 0.25
#   P.SDM.iii.c B -> C   1.25/6 x 0.34         = 0.425/6
#   P.PW.ii.b   B -> C   (A..E)  1.50/4 x 0.25 = 0.09375
#   P.PW.v.c    B -> C   1.50/5 x 0.34         = 0.102
#   P.PP.ii.d   B -> C   1.00/6 x 0.34         = 0.34/6
#   P.PP.ii.f   B -> C   (A..E)  1.00/6 x 0.25 = 0.25/6
#   R.MP.ii.a   C -> D   (A..E)  1.00 x 0.25   = 0.25
#   R.PW.i.a    C -> D   (A..E)  2.50 x 0.25   = 0.625
#   R.PP.i.a    B -> C   1.25 x 0.34           = 0.425
#   H.I.b       B -> C   (A..E)  5 x 0.25      = 1.25
#   sum = 45869/12000 = 3.82241666...; 74.0011666... - 3.8224166... = 70.17875 -> "70,18"
TPI_TAKES_OFF = (
    Fraction(1, 4)
    + Fraction("0.34") / 3
    + Fraction("0.1275")
    + Fraction(1, 6)
    + Fraction(1, 4)
    + Fraction("0.425") / 6
    + Fraction("0.09375")
    + Fraction("0.102")
    + Fraction("0.34") / 6
    + Fraction("0.25") / 6
    + Fraction(1, 4)
    + Fraction("0.625")
    + Fraction("0.425")
    + Fraction("1.25")
)


def test_tpi_report_uses_the_unit_answer_where_the_tpi_has_not_scored(demo_ws):
    catalog = demo_ws.catalog("lke-zi-2021")
    tpi = {c: a.value for c, a in assessments.answers_of(demo_ws, OP, 1, "tpi").items()}
    assert tpi == TPI_ANSWERS  # the demo is as described above
    own = {
        c: a.value
        for c, a in assessments.answers_of(demo_ws, OP, 1, "self").items()
        if a.value is not None
    }
    # the expected TPI answers: the unit's own, overridden where the TPI scored
    own_total = score(catalog, values_from_mapping(catalog, own).values).total
    expected = score(catalog, values_from_mapping(catalog, own | TPI_ANSWERS).values).total
    assert own_total - expected == TPI_TAKES_OFF == Fraction(45869, 12000)
    assert expected == Fraction("70.17875")

    doc = Document(io.BytesIO(reports.word_report(demo_ws, OP, 1, tier="tpi")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Nilai TPI memakai jawaban unit" in text
    rows = rows_of(doc)
    assert ["Penilai", "TPI"] in rows
    assert ["Total", "70,18", "100,00", "70,18"] in rows  # component table
    assert ["Nilai total", "70,18", "75,00", "gagal"] in rows  # WBK gate table
    kertas = {r[0]: r for r in rows if r[0] in catalog.items and len(r) == 6}
    # code, question, answer, value, points, notes
    assert kertas["P.MP.i.b"][2:5] == ["C", "0,00", "0,000"]  # the TPI's answer
    # the TPI did not score P.MP.ii.b: the unit's answer B (0.50, 1.00/3 x 0.5) stands
    assert "P.MP.ii.b" not in TPI_ANSWERS
    assert kertas["P.MP.ii.b"][2:5] == ["B", "0,50", "0,167"]
    assert kertas["H.I.b"][2:5] == ["C", "0,50", "2,500"]  # 5 x 0.5


def test_a_cell_that_cannot_be_read_is_named_not_a_crash(demo_ws, tmp_path, monkeypatch, caplog):
    from wbk.reports import xlsx_import

    src = tmp_path / "lke.xlsx"
    src.write_bytes(reports.excel_export(demo_ws, OP, 1))
    real = xlsx_import._text
    seen = []

    def flaky(value):
        if value == "P.MP.i.b":  # reading this row blows up inside the reader
            seen.append(value)
            raise ValueError("odd cell")
        return real(value)

    monkeypatch.setattr(xlsx_import, "_text", flaky)
    preview = reports.preview_workbook(demo_ws, OP, 1, src)
    assert seen and len(preview.problems) == 1
    assert "cannot be read" in preview.problems[0].message("en")
    assert "odd cell" in caplog.text  # the cause is in the log
    assert preview.unchanged > 100  # every other row was read


def reports_toc(doc) -> list[str]:
    """The lines of the TOC field's placeholder text (between its separate and end marks)."""
    body = doc.element.body
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for p in body.iter(f"{ns}p"):
        if any("TOC" in (i.text or "") for i in p.iter(f"{ns}instrText")):
            text = "".join(
                x.text or "" if x.tag == f"{ns}t" else "\n" for x in p.iter(f"{ns}t", f"{ns}br")
            )
            return [line for line in text.split("\n") if line]
    return []
