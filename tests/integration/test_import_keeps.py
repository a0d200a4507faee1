"""Nothing is lost by an import, on SQLite and PostgreSQL: a file that says nothing of the
penjelasan (no note column, no Penjelasan column, no catatan_unit key) leaves it as stored; an
empty note clears it and the preview says so; the count is what really changed, so the same
file twice changes nothing the second time. For `wbk answers import` (CSV and PortalRB JSON)
and the LKE workbook."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.integration import test_proposals
from wbk.reports.xlsx_export import COL, HEADER_ROW
from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments, reports
from wbk.services.portalrb import answers as portalrb
from wbk.store.tables import AuditEvent

cli = test_proposals.cli  # the `wbk ...` fixture, on the test's workspace
NOTE = "SK Tim ZI nomor 12 tahun 2026"


@pytest.fixture
def noted(world):
    """Assessment A with P.MP.i.a = Ya and its penjelasan, P.MP.i.b = B without one."""
    ws, op, a = world["ws"], world["op"], world["a"]
    assessments.set_answer(ws, op, a, "P.MP.i.a", "Ya", narrative=NOTE)
    assessments.set_answer(ws, op, a, "P.MP.i.b", "B")
    return world


def stored(world, code: str):
    return assessments.answers_of(world["ws"], world["op"], world["a"]).get(code)


def events(ws) -> int:
    with ws.db.read() as s:
        return s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def write(tmp_path, text: str, name: str = "jawaban.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- wbk answers import, CSV -------------------------------------------------------------------


def test_a_csv_without_a_note_column_keeps_the_penjelasan(noted, cli, tmp_path):
    a = noted["a"]
    same = write(tmp_path, "code,answer\nP.MP.i.a,Ya\n")
    out = cli("answers", "import", "--assessment", a, same).stdout
    assert "0 jawaban berubah" in out and "penjelasan" not in out
    answer = stored(noted, "P.MP.i.a")
    assert (answer.value, answer.narrative, answer.version) == ("Ya", NOTE, 1)
    other = write(tmp_path, "code,answer\nP.MP.i.a,Tidak\n")
    out = cli("answers", "import", "--assessment", a, other).stdout
    assert "Ya -> Tidak" in out and "1 jawaban berubah" in out
    answer = stored(noted, "P.MP.i.a")
    assert (answer.value, answer.narrative) == ("Tidak", NOTE)  # the value only


def test_the_same_file_twice_changes_nothing_the_second_time(noted, cli, tmp_path):
    ws, a = noted["ws"], noted["a"]
    path = write(tmp_path, "code,answer,note\nP.MP.i.a,Ya,Diperbarui\nP.MP.ii.a,Ya,\n")
    first = cli("answers", "import", "--assessment", a, path).stdout
    assert "2 jawaban berubah" in first
    assert "penjelasan diubah" in first and "– -> Ya" in first
    before = events(ws)
    second = cli("answers", "import", "--assessment", a, path).stdout
    assert "Pratinjau: 0 berubah, 2 tetap" in second and "0 jawaban berubah" in second
    assert events(ws) == before  # nothing written, nothing audited
    assert stored(noted, "P.MP.i.a").version == 2


def test_an_empty_note_cell_clears_the_note_and_the_preview_names_it(noted, cli, tmp_path):
    ws, op, a = noted["ws"], noted["op"], noted["a"]
    path = write(tmp_path, "code,answer,note\nP.MP.i.a,Ya,\nP.MP.i.b,B,\n")
    # the service's preview: the one change is P.MP.i.a's penjelasan, cleared
    plan = answer_import.preview_import(ws, op, a, [AnswerRow("P.MP.i.a", "Ya", 2, "")])
    [change] = plan.changes
    assert (change.code, change.note_cleared, change.value_changed) == ("P.MP.i.a", True, False)
    preview = cli("answers", "import", "--assessment", a, path, "--dry-run").stdout
    [line] = [ln for ln in preview.splitlines() if "P.MP.i.a" in ln]
    assert "penjelasan dihapus" in line and line.split()[0] == "2"  # its line in the file
    assert "P.MP.i.b" not in preview and "1 berubah, 1 tetap" in preview
    assert "jawaban berubah" not in preview and stored(noted, "P.MP.i.a").narrative == NOTE
    out = cli("answers", "import", "--assessment", a, path).stdout
    assert "penjelasan dihapus" in out and "1 jawaban berubah" in out
    answer = stored(noted, "P.MP.i.a")
    assert (answer.value, answer.narrative) == ("Ya", None)


def test_a_note_without_an_answer_is_kept_too(noted, cli, tmp_path):
    path = write(tmp_path, "code,answer,note\nP.MP.i.b,,Dipilih lewat rapat\nP.MP.ii.a,,Belum\n")
    out = cli("answers", "import", "--assessment", noted["a"], path).stdout
    assert "2 jawaban berubah" in out and out.count("penjelasan ditambahkan") == 2
    assert (stored(noted, "P.MP.i.b").value, stored(noted, "P.MP.i.b").narrative) == (
        "B",
        "Dipilih lewat rapat",
    )
    assert (stored(noted, "P.MP.ii.a").value, stored(noted, "P.MP.ii.a").narrative) == (
        None,
        "Belum",
    )


def test_a_carried_answer_is_confirmed_only_by_a_row_that_gives_its_value(noted):
    from wbk.services.yearly import carry

    ws, op = noted["ws"], noted["op"]
    new = carry.create_from(ws, op, "A", 2027, noted["a"]).assessment.id

    def carried(code):
        return assessments.answers_of(ws, op, new)[code].carried_from

    silent = [AnswerRow("P.MP.i.b", "", 2, "")]  # no answer, an empty note it already has
    assert answer_import.import_answers(ws, op, new, silent) == 0 and carried("P.MP.i.b") == 2026
    given = [AnswerRow("P.MP.i.b", "B", 2)]
    assert answer_import.import_answers(ws, op, new, given) == 0 and carried("P.MP.i.b") is None
    assert carried("P.MP.i.a") == 2026


# --- the LKE workbook ------------------------------------------------------------------------


def _workbook(world, tmp_path, edit=None):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(reports.excel_export(world["ws"], world["op"], world["a"]))
    if edit is not None:
        wb = load_workbook(path)
        sheet = wb["LKE"]
        rows = {sheet[f"A{r}"].value: r for r in range(1, sheet.max_row + 1)}
        edit(sheet, rows)
        wb.save(path)
    return path


def test_the_workbook_keeps_clears_and_counts_the_penjelasan_alike(noted, tmp_path):
    ws, op, a = noted["ws"], noted["op"], noted["a"]
    # its own export back: nothing changes
    changed, preview = reports.import_workbook(ws, op, a, _workbook(noted, tmp_path))
    assert (changed, preview.changes, preview.problems) == (0, [], [])

    def no_narrative_column(sheet, rows):
        sheet[f"{COL['narrative']}{HEADER_ROW}"] = None
        sheet[f"{COL['answer']}{rows['P.MP.i.a']}"] = "Tidak"
        sheet[f"{COL['narrative']}{rows['P.MP.i.a']}"] = None

    changed, _ = reports.import_workbook(ws, op, a, _workbook(noted, tmp_path, no_narrative_column))
    answer = stored(noted, "P.MP.i.a")
    assert changed == 1 and (answer.value, answer.narrative) == ("Tidak", NOTE)

    def empty_cell(sheet, rows):
        sheet[f"{COL['narrative']}{rows['P.MP.i.a']}"] = None

    path = _workbook(noted, tmp_path, empty_cell)
    preview = reports.preview_workbook(ws, op, a, path)
    [change] = preview.changes
    assert change.code == "P.MP.i.a" and change.note_cleared and not change.value_changed
    assert change.where.startswith(COL["answer"]) and "penjelasan dihapus" in change.describe("id")
    changed, _ = reports.import_workbook(ws, op, a, path)
    assert changed == 1 and stored(noted, "P.MP.i.a").narrative is None
    assert reports.import_workbook(ws, op, a, path)[0] == 0  # the same workbook again


# --- wbk answers import, PortalRB JSON ---------------------------------------------------------


def _body(*entries: dict) -> str:
    return json.dumps({"unit_id": "A", "nama_unit": "Kota A", "tahun": 2026, "answers": entries})


def test_portalrb_json_keeps_clears_and_counts_the_penjelasan_alike(noted, cli, tmp_path):
    ws, op, a = noted["ws"], noted["op"], noted["a"]
    # soal 1 is P.MP.i.a: no catatan_unit key, the penjelasan stays
    path = write(tmp_path, _body({"soal_id": 1, "jawaban_unit": "Tidak"}), "jawaban.json")
    out = cli("answers", "import", "--assessment", a, path).stdout
    assert "1 jawaban berubah" in out
    answer = stored(noted, "P.MP.i.a")
    assert (answer.value, answer.narrative) == ("Tidak", NOTE)
    assert "0 jawaban berubah" in cli("answers", "import", "--assessment", a, path).stdout
    # catatan_unit given empty: cleared, and the preview says so
    body = json.loads(_body({"soal_id": 1, "jawaban_unit": "Tidak", "catatan_unit": ""}))
    [change] = portalrb.preview_portalrb_answers(ws, op, a, body).changes
    assert change.code == "P.MP.i.a" and change.note_cleared and not change.value_changed
    path = write(tmp_path, json.dumps(body), "kosong.json")
    out = cli("answers", "import", "--assessment", a, path).stdout
    assert "penjelasan dihapus" in out and "1 jawaban berubah" in out
    assert stored(noted, "P.MP.i.a").narrative is None
    assert "0 jawaban berubah" in cli("answers", "import", "--assessment", a, path).stdout
