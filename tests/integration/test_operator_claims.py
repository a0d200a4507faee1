"""What an operator trying the docs ran into (issue 25's smaller items): a refused upload on
the command line says one plain line, ``--map`` adds to columns already named U1..U9, the
API's answer for a withdrawn proposal names no year "-", and the docs name the real
quarantine folder and the page where people change their own password."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wbk.cli import app
from wbk.errors import NotFound
from wbk.services.assessment import assessments
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.demo import create_demo
from wbk.services.portalrb import answers, proposals
from wbk.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_a_refused_pdf_prints_one_plain_line(tmp_path):
    env = {**os.environ, "WBK_DATA_DIR": str(tmp_path / "data"), "WBK_LANG": "id"}
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    aid = create_demo(ws)
    ws.db.dispose()
    broken = tmp_path / "notulen.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <</Type/Catalog>> endobj\ntrailer <</Root 1 0 R>>\n")
    where = ["--assessment", str(aid), "--question", "P.MP.i.b"]
    done = subprocess.run(
        [sys.executable, "-m", "wbk", "evidence", "add", str(broken), *where],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "pypdf" not in done.stderr
    assert done.stderr.strip() == "Galat: PDF rusak atau tidak dapat dibaca"


def test_map_adds_to_the_columns_already_named(tmp_path, monkeypatch):
    monkeypatch.setenv("WBK_LANG", "id")
    rows = ["Q1,U2,U3,U4,U5,U6,U7,U8,Q9", "4,4,4,4,4,4,4,4,4", "3,3,3,3,3,3,3,3,3"]
    data = tmp_path / "skm.csv"
    data.write_text("\n".join(rows) + "\n")
    result = CliRunner().invoke(
        app, ["ikm", str(data), "--map", "U1=Q1", "--map", "U9=Q9", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["respondents"] == 2 and out["ikm"] == pytest.approx(87.5)  # (4 + 3) / 2 x 25


def test_a_withdrawn_proposal_is_not_proposed_in_year_dash(tmp_path):
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    aid = create_demo(ws)
    op = operator("test")
    year = assessments.get_assessment_view(ws, op, aid).year
    proposals.set_proposal(ws, op, "KK-CONTOH", year, "WBK", reason="uji")
    proposals.remove_proposal(ws, op, "KK-CONTOH", year)
    cfg = ws.settings.model_copy(update={"api_url": "https://zi.example.go.id/api"})
    with pytest.raises(NotFound) as refused:
        answers.unit_answers(ws, op, "KK-CONTOH", None, cfg)
    message = refused.value.message("id")
    assert (
        "tahun -" not in message and "KK-CONTOH" in message and "tidak sedang diusulkan" in message
    )
    with pytest.raises(NotFound) as asked:
        answers.unit_answers(ws, op, "KK-CONTOH", year, cfg)
    assert f"tahun {year}" in asked.value.message("id")
    ws.db.dispose()


def test_the_docs_name_the_real_quarantine_folder(tmp_path):
    from wbk.blobs import LocalBlobStore

    store = LocalBlobStore(tmp_path / "blobs")
    orphan = tmp_path / "yatim"
    orphan.write_bytes(b"yatim")
    sha = hashlib.sha256(b"yatim").hexdigest()
    store.put_file(orphan, sha)
    moved = Path(store.quarantine(sha))
    folder = moved.parent.name  # as verify --repair leaves it
    integrity = (ROOT / "docs" / "integrity.md").read_text(encoding="utf-8")
    named = set(re.findall(r"blobs/(\.?quarantine)/", integrity))
    assert named == {folder}, named


def test_the_docs_send_people_to_akun_saya_for_their_password():
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    own = [s for s in re.split(r"(?<=[.;])\s", guide) if "own password" in s]
    assert own and all("Akun saya" in s for s in own), own
