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
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from wbk.i18n import fmt_number
from wbk.reports.xlsx_import import WorkbookError
from wbk.services import assessments, demo, people, reports
from wbk.services.actor import operator
from wbk.services.workspace import open_workspace
from wbk.settings import Settings

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
IN_CI = os.environ.get("CI") == "true"
OP = operator("test")


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory):
    ws = open_workspace(Settings(data_dir=tmp_path_factory.mktemp("reports") / "data"))
    demo.create_demo(ws)
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


def test_report_in_english(demo_ws):
    doc = Document(io.BytesIO(reports.word_report(demo_ws, OP, 1, lang="en")))
    assert doc.paragraphs[5].text == "Zona Integritas Self-Assessment Report"
    assert "74.00" in cell_texts(doc)


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
    assert ("P.MP.i.b", f"D{rows['a']}", "A", "C") in preview.changes
    assert [p.cell for p in preview.problems] == [f"D{rows['b']}"]
    assert "P.MP.iii.a" in preview.problems[0].message("en")
    with pytest.raises(WorkbookError):
        reports.import_workbook(demo_ws, OP, 1, bad)
    assert assessments.answers_of(demo_ws, OP, 1)["P.MP.i.b"].value == "A"  # nothing applied
    reports.import_workbook(demo_ws, OP, 1, bad, skip_invalid=True)
    after = assessments.answers_of(demo_ws, OP, 1)
    assert after["P.MP.i.b"].value == "C" and after["P.MP.iii.a"].value != "Z"
    assessments.set_answer(demo_ws, OP, 1, "P.MP.i.b", "A")  # restore for other tests


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
        assert any(n.endswith(".docx") for n in names)
    codes = [row["code"] for row in manifest]
    catalog = demo_ws.catalog("lke-zi-2021")
    order = list(catalog.items)
    assert codes == sorted(codes, key=order.index)  # LKE order
    assert manifest[0]["filename"].startswith("A1 Pemenuhan/01 MP Manajemen Perubahan/")
    assert {"P.MP.i.a", "P.PP.iv.b", "P.TT.iii.a"} <= set(codes)


def test_binder_refuses_an_altered_file(tmp_path):
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    demo.create_demo(ws)
    from wbk.errors import Conflict

    sha = next(iter(ws.blobs.names()))
    path = ws.blobs.path_of(sha)
    path.chmod(0o644)
    path.write_bytes(b"diubah")
    with pytest.raises(Conflict) as info:
        reports.evidence_binder(ws, OP, 1)
    assert sha in info.value.message("en")
    ws.db.dispose()


def test_tpi_report_uses_the_unit_answer_where_the_tpi_has_not_scored(demo_ws):
    doc = Document(io.BytesIO(reports.word_report(demo_ws, OP, 1, tier="tpi")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Nilai TPI memakai jawaban unit" in text
    from wbk.services.dashboard import tpi_effective_card

    card = tpi_effective_card(demo_ws, OP, 1, demo_ws.catalog("lke-zi-2021"))
    assert fmt_number(card.total, lang="id") in cell_texts(doc)
    assert card.total < assessments.score_assessment(demo_ws, OP, 1)[1].total  # TPI is stricter
