"""Spool files of a crashed upload: ``wbk verify`` names them, ``--repair`` removes the ones
no live upload holds (audited), and an upload in progress is never touched."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

from typer.testing import CliRunner

from tests.integration.test_workspace import pdf_bytes
from wbk.cli import app
from wbk.services.assessment import evidence
from wbk.services.core import integrity
from wbk.store.tables import AuditEvent

HOUR_AGO = time.time() - 3600


def crashed_upload(staging, name="up-crashed", size=1_000_000):
    """A spool file as a process killed mid-upload leaves it (nobody holds it)."""
    path = staging / name
    path.write_bytes(b"%PDF-1.7\n" + b"0" * size)
    os.utime(path, (HOUR_AGO, HOUR_AGO))
    return path


def test_verify_names_the_leftover_and_repair_removes_it_audited(world):
    ws, op = world["ws"], world["op"]
    staging = ws.blobs.staging_dir()
    dead = crashed_upload(staging)
    report = integrity.verify(ws, op)
    assert report.leftovers == [("up-crashed", dead.stat().st_size)]
    assert report.ok  # a leftover is not corruption

    removed = integrity.remove_leftovers(ws, op)
    assert removed == [("up-crashed", 1_000_009)]
    assert not dead.exists()
    with ws.db.read() as s:
        last = s.query(AuditEvent).order_by(AuditEvent.seq.desc()).first()
    assert last.action == "staging.remove" and "up-crashed" in last.after
    assert integrity.verify(ws, op).leftovers == []


def test_a_file_a_live_upload_holds_is_never_removed(world, tmp_path):
    ws, op = world["ws"], world["op"]
    staging = ws.blobs.staging_dir()
    live = crashed_upload(staging, "up-live")
    # another process holds it, as a slow upload in another app process would
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from wbk.blobs.store import hold;"
            "hold(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)",
            str(live),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert integrity.verify(ws, op).leftovers == []
        assert integrity.remove_leftovers(ws, op) == []
        assert live.exists()
    finally:
        holder.kill()
        holder.wait()
    assert [n for n, _ in integrity.verify(ws, op).leftovers] == ["up-live"]


def test_an_upload_holds_its_spool_file_until_it_is_stored(world, monkeypatch):
    ws, a, op = world["ws"], world["a"], world["op"]
    seen = []
    real = ws.blobs.put_file

    def put_file(path, sha):
        os.utime(path, (HOUR_AGO, HOUR_AGO))  # as old as a crashed one: only the lock differs
        seen.append(integrity.remove_leftovers(ws, op))
        return real(path, sha)

    monkeypatch.setattr(ws.blobs, "put_file", put_file)
    evidence.add_file(ws, op, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk.pdf")
    assert seen == [[]]
    assert list(ws.blobs.staging_dir().iterdir()) == []


def test_the_command_reports_then_repairs(world, monkeypatch):
    ws = world["ws"]
    monkeypatch.setenv("WBK_DATA_DIR", str(ws.settings.data_dir))
    if ws.settings.database_url:
        monkeypatch.setenv("WBK_DATABASE_URL", ws.settings.database_url)
    from wbk.settings import get_settings

    get_settings.cache_clear()
    crashed_upload(ws.blobs.staging_dir())
    runner = CliRunner()
    try:
        shown = runner.invoke(app, ["verify"])
        assert "up-crashed" in shown.output and "--repair" in shown.output
        repaired = runner.invoke(app, ["verify", "--repair"])
        assert "1 berkas sisa unggahan" in repaired.output, repaired.output
        assert list(ws.blobs.staging_dir().iterdir()) == []
    finally:
        get_settings.cache_clear()
