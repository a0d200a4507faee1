"""``wbk notes`` and ``wbk kiosk``: what the LKE and Survei pages do, on the command line, with
the same permissions (a refused role exits 2 with the reason) and the audit trail."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from wbk.cli import app
from wbk.services.assessment import notes
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.demo import create_demo
from wbk.services.surveys import kiosk
from wbk.settings import Settings, get_settings


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setenv("WBK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WBK_LANG", "id")
    monkeypatch.setenv("WBK_APP_URL", "https://zi.example.go.id")
    monkeypatch.delenv("WBK_DATABASE_URL", raising=False)
    monkeypatch.delenv("WBK_BLOB_URL", raising=False)
    get_settings.cache_clear()
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    aid = create_demo(ws)
    runner = CliRunner()

    def run(*args: str, code: int = 0):
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output
        return result

    yield ws, aid, run
    ws.db.dispose()
    get_settings.cache_clear()


def test_a_note_is_written_answered_discussed_and_closed(demo):
    ws, aid, run = demo
    out = run(
        "notes",
        "add",
        "--assessment",
        str(aid),
        "--code",
        "P.MP.i.a",
        "--text",
        "SK tim belum ditandatangani",
        "--severity",
        "tinggi",
        "--owner",
        "agen",
        "--due",
        "2026-06-30",
        "--as",
        "tpi",
    ).stdout
    note_id = int(out.split()[0])
    # the unit may not write the TPI's notes
    refused = run(
        "notes",
        "add",
        "--assessment",
        str(aid),
        "--code",
        "P.MP.i.a",
        "--text",
        "x",
        "--as",
        "agen",
        code=2,
    )
    assert "agen" in refused.stderr
    run("notes", "respond", str(note_id), "--text", "Sudah ditandatangani", "--as", "agen")
    run("notes", "reply", str(note_id), "--text", "Unggah SK-nya", "--as", "tpi")
    assert "agen" in run("notes", "close", str(note_id), "--as", "agen", code=2).stderr
    run("notes", "close", str(note_id), "--as", "tpi")
    (note,) = [n for n in notes.list_notes(ws, operator("t"), aid) if n.id == note_id]
    assert (note.status, note.severity, note.owner) == ("closed", "tinggi", "agen")
    assert note.response == "Sudah ditandatangani"
    run("notes", "close", str(note_id), "--reopen", "--as", "tpi")
    (note,) = [n for n in notes.list_notes(ws, operator("t"), aid) if n.id == note_id]
    assert note.status == "open"


def test_a_counter_key_with_its_poster_then_revoked(demo, tmp_path):
    ws, _aid, run = demo
    poster = tmp_path / "poster.pdf"
    out = run(
        "kiosk",
        "key",
        "create",
        "--unit",
        "KK-CONTOH",
        "--period",
        "2026-S1",
        "--label",
        "Loket PTSP",
        "--poster",
        str(poster),
        "--as",
        "koordinator",
    ).stdout
    key_id, link = out.split()
    assert link.startswith("https://zi.example.go.id/survei?u=KK-CONTOH&k=")  # the app's
    assert poster.read_bytes().startswith(b"%PDF")
    secret = link.rsplit("k=", 1)[1]
    assert kiosk.form_for(ws, "KK-CONTOH", secret)  # the link opens the form
    run(
        "kiosk",
        "key",
        "create",
        "--unit",
        "KK-CONTOH",
        "--period",
        "2026-S1",
        "--as",
        "agen",
        code=2,
    )
    listed = json.loads(run("kiosk", "key", "list", "--unit", "KK-CONTOH", "--json").stdout)
    assert [(k["id"], k["label"], k["active"]) for k in listed] == [
        (int(key_id), "Loket PTSP", True)
    ]
    run("kiosk", "key", "revoke", key_id, "--as", "koordinator")
    listed = json.loads(run("kiosk", "key", "list", "--unit", "KK-CONTOH", "--json").stdout)
    assert listed[0]["active"] is False
    with pytest.raises(kiosk.KeyRefused):
        kiosk.form_for(ws, "KK-CONTOH", secret)


def test_a_survey_file_used_for_h_ii_a(demo, tmp_path):
    ws, aid, run = demo
    data = tmp_path / "spkp.csv"
    # P1..P8 answered 4 by one respondent and 3 by another: every item mean, and the index, 3.5
    data.write_text(
        "\n".join(
            [",".join(f"P{i}" for i in range(1, 9)), ",".join(["4"] * 8), ",".join(["3"] * 8)]
        )
        + "\n"
    )
    out = run(
        "survey",
        "use",
        "--assessment",
        str(aid),
        "--kind",
        "ipkp",
        "--period",
        "2026-S1",
        "--file",
        str(data),
        "--as",
        "koordinator",
    ).stdout
    assert out.startswith("H.II.a = 3.5000 (2 responden")
    from wbk.services.assessment import assessments
    from wbk.services.surveys import provenance

    answer = assessments.answers_of(ws, operator("t"), aid)["H.II.a"]
    assert Fraction(answer.value) == Fraction("3.5") and answer.updated_by == "koordinator"
    shown = provenance.provenance_for(ws, operator("t"), aid)["H.II.a"]
    assert shown.source_name == "spkp.csv" and shown.current
    # a pimpinan reads but does not answer; an unknown kind names the choices
    run(
        "survey",
        "use",
        "--assessment",
        str(aid),
        "--kind",
        "ipkp",
        "--period",
        "2026-S1",
        "--file",
        str(data),
        "--as",
        "pimpinan",
        code=2,
    )
    run(
        "survey",
        "use",
        "--assessment",
        str(aid),
        "--kind",
        "ikm",
        "--period",
        "2026-S1",
        "--file",
        str(data),
        code=2,
    )
    # from the counter: no responses in that period is refused with the period named
    empty = run(
        "survey", "use", "--assessment", str(aid), "--kind", "ipak", "--period", "2030-S9", code=2
    )
    assert "2030-S9" in empty.stderr


def test_a_plan_step_becomes_a_task_and_the_team_sets_its_effort(demo):
    _ws, aid, run = demo
    # the team finds R.TT.i.a twice as hard as the default: the plan weighs it so
    run(
        "tasks",
        "effort",
        "set",
        "--assessment",
        str(aid),
        "--code",
        "R.TT.i.a",
        "--effort",
        "2",
        "--note",
        "peta proses bisnis ulang",
        "--as",
        "koordinator",
    )
    efforts = json.loads(run("tasks", "effort", "list", "--assessment", str(aid), "--json").stdout)
    assert [(e["code"], e["effort"], e["set_by"]) for e in efforts] == [
        ("R.TT.i.a", "2", "koordinator")
    ]
    run(
        "tasks",
        "effort",
        "set",
        "--assessment",
        str(aid),
        "--code",
        "R.TT.i.a",
        "--effort",
        "-1",
        "--as",
        "koordinator",
        code=2,
    )  # a negative effort is refused

    out = run(
        "tasks",
        "add",
        "--assessment",
        str(aid),
        "--code",
        "R.TT.i.a",
        "--target",
        "B",
        "--owner",
        "agen",
        "--due",
        "2099-01-31",
        "--as",
        "koordinator",
    ).stdout
    task_id = int(out.split()[0])
    listed = json.loads(run("tasks", "list", "--assessment", str(aid), "--json").stdout)
    (task,) = [t for t in listed if t["id"] == task_id]
    assert (task["code"], task["target"], task["owner"], task["status"]) == (
        "R.TT.i.a",
        "B",
        "agen",
        "open",
    )
    assert task["effort"] == "2"  # the team's effort, as the plan gave it on acceptance
    run("tasks", "close", str(task_id), "--reason", "", "--as", "koordinator", code=2)
    run("tasks", "close", str(task_id), "--reason", "diganti rencana lain", "--as", "koordinator")
    listed = json.loads(run("tasks", "list", "--assessment", str(aid), "--json").stdout)
    (task,) = [t for t in listed if t["id"] == task_id]
    assert task["status"] != "open" and task["reason"] == "diganti rencana lain"


def test_the_letterhead_of_a_kanwil_serves_its_units_until_one_sets_its_own(demo, tmp_path):
    from wbk.formats.simple_docs import simple_png

    _ws, _aid, run = demo
    logo = tmp_path / "kemenag.png"
    logo.write_bytes(simple_png(120, 80))
    out = run(
        "branding",
        "set",
        "--unit",
        "KW-CONTOH",
        "--logo",
        str(logo),
        "--letterhead",
        "KANTOR WILAYAH CONTOH\\nJl. Contoh No. 1",
        "--as",
        "admin",
    ).stdout
    assert out.strip() == "KW-CONTOH kemenag.png 120x80"
    shown = json.loads(run("branding", "show", "--unit", "KK-CONTOH", "--json").stdout)
    assert shown["inherited"] and shown["letterhead"] == "KANTOR WILAYAH CONTOH\nJl. Contoh No. 1"
    # an agen may not change the letterhead; a file that is not an image is refused
    run("branding", "set", "--unit", "KK-CONTOH", "--logo", str(logo), "--as", "agen", code=2)
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"<svg onload=alert(1)>")
    run(
        "branding", "set", "--unit", "KK-CONTOH", "--logo", str(fake), "--as", "koordinator", code=2
    )
    run("branding", "set", "--unit", "KK-CONTOH", "--logo", str(logo), "--as", "koordinator")
    assert (
        json.loads(run("branding", "show", "--unit", "KK-CONTOH", "--json").stdout)["inherited"]
        is False
    )
    assert run("branding", "clear", "--unit", "KK-CONTOH", "--as", "koordinator").stdout == "1\n"
    assert json.loads(run("branding", "show", "--unit", "KK-CONTOH", "--json").stdout)["inherited"]


def test_a_reminder_links_to_the_app_not_the_api(demo):
    from datetime import date

    from wbk.services import reminders

    ws, aid, run = demo
    run(
        "notes",
        "add",
        "--assessment",
        str(aid),
        "--code",
        "P.MP.i.b",
        "--text",
        "Notulen",
        "--owner",
        "agen",
        "--due",
        "2026-06-30",
        "--as",
        "tpi",
    )
    reminders.set_email(ws, operator("t"), "agen", "agen@contoh.go.id")
    mails = reminders.compose(ws, operator("t"), date(2026, 7, 10)).mails
    (mail,) = [m for m in mails if m.username == "agen"]
    assert "Buka wbk: https://zi.example.go.id\n" in mail.body  # WBK_APP_URL of the fixture
    assert "/api" not in mail.body
