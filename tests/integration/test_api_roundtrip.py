"""Answers both ways on SQLite and PostgreSQL: PortalRB's JSON in scores as the same answers
from CSV; what the API serves, imported into a fresh workspace, gives identical answers and
total; bad bodies stop with exit 2 naming the soal and nothing imported; the workbook's
Jawaban sheet goes out and comes back."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.integration import test_proposals
from tests.integration.pg import create_database
from tests.integration.test_api import build_api_world
from tests.unit.test_portalrb_answers import EXPECTED_TOTAL, unit_answers
from wbk.errors import AnswersError
from wbk.formats.answers_csv import parse_answer_csv
from wbk.services.assessment import answer_import, assessments, reports
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.portalrb import answers as portalrb
from wbk.settings import Settings
from wbk.store.tables import AuditEvent

cli = test_proposals.cli  # the `wbk ...` fixture, on the test's workspace


@pytest.fixture
def fresh(request, ws, tmp_path):
    """Another empty workspace on the same engine as ``ws``."""
    url = None
    if ws.db.dialect == "postgresql":
        url = create_database(request.getfixturevalue("pg_url"))
    other = open_workspace(Settings(data_dir=tmp_path / "fresh", database_url=url))
    yield other
    other.db.dispose()


def self_rows(ws, assessment_id):
    rows = assessments.answers_of(ws, operator("t"), assessment_id)
    values = {c: a.value for c, a in rows.items() if a.value is not None}
    notes = {c: a.narrative for c, a in rows.items() if a.narrative}
    return values, notes


def body_of(catalog, notes: dict[str, str]) -> dict:
    """A PortalRB body of ``unit_answers``: every count soal carries its question's note."""
    stored = {c: (a, notes.get(c)) for c, a in unit_answers(catalog).items()}
    for code, note in notes.items():
        stored.setdefault(code, (None, note))
    export = portalrb.to_portalrb_answers(catalog, stored, {}, {}, {})
    return {
        "unit_id": "A",
        "nama_unit": "Kankemenag Kota A",
        "tahun": 2026,
        "answers": export.answers,
    }


def test_portalrb_json_in_scores_as_the_same_answers_from_csv(world, catalog, tmp_path):
    ws, op, a, b = world["ws"], world["op"], world["a"], world["b"]
    notes = {"P.MP.i.a": "SK Tim ZI nomor 12", "R.MP.i.a": "Daftar perubahan terlampir"}
    changed = portalrb.import_portalrb_answers(ws, op, a, body_of(catalog, notes))
    csv = "code,answer\n" + "\n".join(f"{c},{v}" for c, v in unit_answers(catalog).items())
    answer_import.import_answers(ws, op, b, parse_answer_csv(csv.encode()))
    _, from_json, _ = assessments.score_assessment(ws, op, a)
    _, from_csv, _ = assessments.score_assessment(ws, op, b)
    # the hand-computed total of these answers (see tests/unit/test_portalrb_answers.py)
    assert from_json.total == from_csv.total == EXPECTED_TOTAL == Fraction(7777, 80)
    assert {c: q.value for c, q in from_json.questions.items()} == {
        c: q.value for c, q in from_csv.questions.items()
    }
    values, stored_notes = self_rows(ws, a)
    assert values == self_rows(ws, b)[0] == unit_answers(catalog)
    # the penjelasan of a percentage question sits on the question, its value is its counts
    assert stored_notes == notes
    # one answer per soal (127, the 8 percentage questions as their 22 counts) and
    # R.MP.i.a's penjelasan on its own row: 128 rows written
    assert changed == len(unit_answers(catalog)) + 1 == 128
    # the same body again changes nothing
    assert portalrb.import_portalrb_answers(ws, op, a, body_of(catalog, notes)) == 0


def test_counts_replace_a_stored_ratio(world, catalog):
    ws, op, a = world["ws"], world["op"], world["a"]
    assessments.set_answer(ws, op, a, "R.MP.i.a", "50%")
    portalrb.import_portalrb_answers(ws, op, a, body_of(catalog, {}))
    values, _ = self_rows(ws, a)
    assert "R.MP.i.a" not in values and values["R.MP.i.a#agen"] == "15"
    _, card, _ = assessments.score_assessment(ws, op, a)  # no ratio beside counts
    assert card.total == EXPECTED_TOTAL


def test_api_out_then_json_in_on_a_fresh_workspace_is_identical(
    world, catalog, fresh, cli, tmp_path, monkeypatch
):
    api = build_api_world(world, catalog)
    served = api["client"].get("/lke/jawaban-unit/A", headers=api["auth"]).json()
    path = tmp_path / "jawaban-A.json"
    path.write_text(json.dumps(served), encoding="utf-8")

    op = operator("t")
    people.add_unit(fresh, op, "A", "Kankemenag Kota A")
    target = assessments.create_assessment(fresh, op, "A", 2026).id
    # `wbk answers import` on the fresh workspace
    monkeypatch.setenv("WBK_DATA_DIR", str(fresh.settings.data_dir))
    if fresh.db.dialect == "postgresql":
        monkeypatch.setenv("WBK_DATABASE_URL", fresh.db.url)
    from wbk.settings import get_settings

    get_settings.cache_clear()
    out = cli("answers", "import", "--assessment", target, path).stdout
    assert "format PortalRB" in out

    assert self_rows(fresh, target) == self_rows(api["ws"], api["a"])
    _, source_card, _ = assessments.score_assessment(api["ws"], op, api["a"])
    _, copy_card, _ = assessments.score_assessment(fresh, op, target)
    assert copy_card.total == source_card.total == EXPECTED_TOTAL


def test_a_file_as_portalrb_or_a_person_writes_it_is_imported(world, catalog, cli, tmp_path):
    """Numbers as text or as JSON numbers, spaces, a decimal comma, options in any case."""
    ws, a = world["ws"], world["a"]
    body = body_of(catalog, {})
    sent = {
        1: "ya",  # P.MP.i.a
        2: " b ",  # P.MP.i.b
        88: "0",  # R.MP.i.a#agen
        89: " 12 ",  # R.MP.i.a#perubahan
        90: 5,  # R.MP.i.b#terintegrasi
        91: 5.0,  # R.MP.i.b#perubahan
        125: "3,71",  # IPAK
        126: "e",  # capaian kinerja
        127: 3.5,  # IPKP
    }
    for entry in body["answers"]:
        entry["jawaban_unit"] = sent.get(entry["soal_id"], entry["jawaban_unit"])
    path = tmp_path / "jawaban.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    out = cli("answers", "import", "--assessment", a, path).stdout
    assert "127 jawaban berubah" in out  # one per soal: nothing refused, nothing left out
    values, _ = self_rows(ws, a)
    assert {c: values[c] for c in ("P.MP.i.a", "P.MP.i.b", "H.I.a", "H.I.b", "H.II.a")} == {
        "P.MP.i.a": "Ya",
        "P.MP.i.b": "B",
        "H.I.a": "3.71",
        "H.I.b": "E",
        "H.II.a": "3.5",
    }
    assert (values["R.MP.i.a#agen"], values["R.MP.i.a#perubahan"]) == ("0", "12")
    assert (values["R.MP.i.b#terintegrasi"], values["R.MP.i.b#perubahan"]) == ("5", "5")


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ({"soal_id": 128, "jawaban_unit": "Ya"}, "soal 128"),
        ({"soal_id": 2, "jawaban_unit": "F"}, "soal 2 (P.MP.i.b): jawaban 'F'"),
        ({"soal_id": 88, "jawaban_unit": "lima belas"}, "soal 88 (R.MP.i.a#agen)"),
        ({"soal_id": 88, "jawaban_unit": 2.5}, "soal 88 (R.MP.i.a#agen)"),
        ({"soal_id": 88, "jawaban_unit": "1.000"}, "soal 88 (R.MP.i.a#agen): jumlah ditulis"),
        ({"soal_id": 125, "jawaban_unit": "4,5"}, "soal 125 (H.I.a): nilai survei harus"),
        ({"soal_id": 125, "jawaban_unit": 4.5}, "soal 125 (H.I.a)"),
        ({"soal_id": 126, "jawaban_unit": 1}, "soal 126 (H.I.b)"),
        (None, "soal 1: diberikan dua kali"),
    ],
)
def test_bad_input_exits_2_naming_the_soal_and_imports_nothing(
    world, catalog, cli, tmp_path, entry, named
):
    ws, a = world["ws"], world["a"]
    body = body_of(catalog, {})
    if entry is None:  # a soal given twice
        body["answers"].append(dict(body["answers"][0]))
    else:  # one entry replaced by a bad one
        body["answers"] = [e for e in body["answers"] if e["soal_id"] != entry["soal_id"]]
        body["answers"].append(entry)
    path = tmp_path / "jawaban.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    with ws.db.read() as s:
        events = s.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).scalar()
    refused = cli("answers", "import", "--assessment", a, path, code=2)
    assert named in refused.stderr and "Traceback" not in refused.stderr
    assert self_rows(ws, a) == ({}, {})
    with ws.db.read() as s:
        assert s.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).scalar() == events


def test_a_file_that_is_not_json_or_not_a_body_is_refused(world, cli, tmp_path):
    a = world["a"]
    broken = tmp_path / "rusak.json"
    broken.write_text('{"unit_id": "A", "answers": [', encoding="utf-8")
    assert "bukan JSON" in cli("answers", "import", "--assessment", a, broken, code=2).stderr
    wrong = tmp_path / "lain.json"
    wrong.write_text('{"data": []}', encoding="utf-8")
    assert "unit_id" in cli("answers", "import", "--assessment", a, wrong, code=2).stderr
    # a CSV still goes the CSV way, also when its name ends otherwise
    csv = tmp_path / "jawaban.txt"
    csv.write_text("code,answer\nP.MP.i.a,Ya\n", encoding="utf-8")
    assert "1 jawaban berubah" in cli("answers", "import", "--assessment", a, csv).stdout
    with pytest.raises(AnswersError):
        portalrb.import_portalrb_answers(world["ws"], world["op"], a, [])


def test_the_workbook_carries_the_jawaban_sheet_out_and_back(world, catalog, tmp_path, monkeypatch):
    api = build_api_world(world, catalog)
    ws, op = api["ws"], api["op"]
    # the process's settings (WBK_PUBLIC_URL), read once when it started
    monkeypatch.setattr(ws.settings, "public_url", "https://zi.example.go.id/api")
    path = tmp_path / "lke.xlsx"
    path.write_bytes(reports.excel_export(ws, op, api["a"]))
    sheet = load_workbook(path)["Jawaban"]
    # soal 1 (row 6): the unit's Ya, its penjelasan, the signed link; soal 2 (row 7): the
    # TPI's C and both notes; soal 89 (row 127): the unit's 12 changes and the TPI's 10
    assert (sheet["K6"].value, sheet["L6"].value) == ("Ya", "SK Tim ZI nomor 12 tahun 2026")
    assert sheet["M6"].value.startswith("https://zi.example.go.id/api/bukti-dukung/A/2026/")
    assert sheet["N7"].value == "C" and sheet["Q7"].value.startswith("Lampirkan notulen")
    assert (sheet["K127"].value, sheet["N127"].value) == (12, 10)

    assessments.create_assessment(ws, op, "A", 2027)
    target = assessments.list_assessments(ws, op)[0].id
    changed, preview = reports.import_workbook(ws, op, target, path, sheet="Jawaban")
    assert preview.problems == [] and changed > 0
    assert self_rows(ws, target)[0] == self_rows(ws, api["a"])[0]
    _, card, _ = assessments.score_assessment(ws, op, target)
    assert card.total == EXPECTED_TOTAL
