"""``wbk evidence list``, ``wbk answers export`` and ``wbk notes list`` on the demo workspace:
what the pages show, for scripts; the export reads back through ``wbk answers import``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from tests.integration.test_workspace import pdf_bytes


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    """One demo workspace for the module (``wbk demo`` takes a while)."""
    data = tmp_path_factory.mktemp("listings") / "data"
    env = {**os.environ, "WBK_DATA_DIR": str(data), "WBK_LANG": "id"}
    env.pop("WBK_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "wbk", "demo"], env=env, check=True, capture_output=True)
    return data


@pytest.fixture
def wbk(demo_dir):
    env = {**os.environ, "WBK_DATA_DIR": str(demo_dir), "WBK_LANG": "id"}
    env.pop("WBK_DATABASE_URL", None)

    def run(*args, check: bool = True):
        proc = subprocess.run(
            [sys.executable, "-m", "wbk", *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"wbk {args} -> {proc.returncode}\n{proc.stdout}{proc.stderr}")
        return proc

    return run


def test_evidence_list_filters_by_question_and_shows_retired(wbk, tmp_path):
    pdf = tmp_path / "Notulen rapat.pdf"
    pdf.write_bytes(pdf_bytes())
    added = wbk(
        "evidence",
        "add",
        "--assessment",
        "1",
        "--question",
        "R.PW.i.a",
        "--question",
        "P.MP.i.b",
        "--date",
        "2026-03-02",
        "--valid-until",
        "2026-12-31",
        "--title",
        "Notulen rapat tim",
        pdf,
    ).stdout.split()
    doc_id, sha = int(added[0]), added[1]
    docs = json.loads(wbk("evidence", "list", "--assessment", "1", "--json").stdout)
    assert len(docs) >= 2 and len({d["id"] for d in docs}) == len(docs)
    mine = next(d for d in docs if d["id"] == doc_id)
    assert mine == {
        "id": doc_id,
        "title": "Notulen rapat tim",
        "sha256": sha,
        "date": "2026-03-02",
        "valid_until": "2026-12-31",
        "questions": ["P.MP.i.b", "R.PW.i.a"],
        "retired": False,
    }
    only = json.loads(
        wbk("evidence", "list", "--assessment", "1", "--question", "R.PW.i.a", "--json").stdout
    )
    assert doc_id in [d["id"] for d in only]
    assert all("R.PW.i.a" in d["questions"] for d in only)
    assert len(only) < len(docs)
    table = wbk("evidence", "list", "--assessment", "1", "--question", "R.PW.i.a").stdout
    lines = table.splitlines()
    assert lines[0].split("\t") == [
        "id",
        "title",
        "sha256",
        "date",
        "valid_until",
        "questions",
        "retired",
    ]
    assert f"{doc_id}\tNotulen rapat tim\t{sha}\t2026-03-02\t2026-12-31\tP.MP.i.b,R.PW.i.a" in table


def test_answers_export_then_import_changes_nothing(wbk, tmp_path):
    # a note with a comma, quotes and a line break must survive the CSV
    tricky = tmp_path / "tricky.csv"
    tricky.write_text(
        'code,answer,note\nP.MP.i.a,Ya,"SK nomor 12, ""final"";\nbaris kedua"\n', encoding="utf-8"
    )
    wbk("answers", "import", "--assessment", "1", tricky)
    for tier in ("self", "tpi"):
        exported = wbk("answers", "export", "--assessment", "1", "--tier", tier).stdout
        rows = list(csv.DictReader(io.StringIO(exported)))
        assert rows and list(rows[0]) == ["code", "answer", "note"]
        if tier == "self":
            row = next(r for r in rows if r["code"] == "P.MP.i.a")
            assert row["answer"] == "Ya" and row["note"] == 'SK nomor 12, "final";\nbaris kedua'
        path = tmp_path / f"{tier}.csv"
        path.write_text(exported, encoding="utf-8")
        again = wbk("answers", "import", "--assessment", "1", "--tier", tier, path).stdout
        assert f"0 jawaban berubah dari {len(rows)} baris" in again
        assert wbk("answers", "export", "--assessment", "1", "--tier", tier).stdout == exported
    as_json = json.loads(wbk("answers", "export", "--assessment", "1", "--format", "json").stdout)
    assert {r["code"] for r in as_json} == {
        r["code"]
        for r in csv.DictReader(io.StringIO(wbk("answers", "export", "--assessment", "1").stdout))
    }
    bad = wbk("answers", "export", "--assessment", "1", "--format", "xml", check=False)
    assert bad.returncode == 2 and "xml" in bad.stderr


def test_notes_list_open_only(wbk, demo_dir):
    from wbk.services.assessment import notes as notes_service
    from wbk.services.core.actor import operator
    from wbk.services.core.workspace import open_workspace
    from wbk.settings import Settings

    ws = open_workspace(Settings(data_dir=demo_dir, database_url=None))
    first_id = notes_service.list_notes(ws, operator("test"), 1)[0].id
    notes_service.set_note_status(ws, operator("test"), first_id, "closed")
    ws.db.engine.dispose()
    notes = json.loads(wbk("notes", "list", "--assessment", "1", "--json").stdout)
    open_ = json.loads(wbk("notes", "list", "--assessment", "1", "--open", "--json").stdout)
    assert {n["status"] for n in notes} > {"open"}  # one closed above
    assert open_ == [n for n in notes if n["status"] == "open"]
    first = open_[0]
    assert {"id", "code", "status", "owner", "due_date", "text", "response"} <= set(first)
    table = wbk("notes", "list", "--assessment", "1", "--open").stdout
    assert len(table.splitlines()) == len(open_) + 1 and first["code"] in table
