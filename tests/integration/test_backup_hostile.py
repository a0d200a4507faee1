"""Backups an attacker or an accident shapes: an older signed backup, members named twice,
members far larger than their archive; each refused with a message, in bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile

import pytest

from tests.integration.test_backup import _fill
from wbk.services.assessment import assessments
from wbk.services.core import backups, integrity
from wbk.services.core.actor import operator
from wbk.services.core.backups import BackupRefused
from wbk.services.core.workspace import open_workspace
from wbk.settings import Settings
from wbk.store.tables import AuditEvent


def test_an_older_backup_is_refused_unless_allowed_and_then_recorded(world, tmp_path):
    _fill(world)
    ws, a, op = world["ws"], world["a"], world["op"]
    old = tmp_path / "lama.zip"
    backups.backup(ws, op, old)
    assessments.set_answer(ws, op, a, "P.MP.i.b", "A")  # work done after the backup
    ws.witness("test")
    witnessed = ws.blobs.witness_records()
    trusted = backups.public_key(ws)

    with pytest.raises(BackupRefused) as refused:
        backups.restore(old, tmp_path / "pulih", trusted, witnessed)
    assert refused.value.key == "backup.older"
    assert not (tmp_path / "pulih").exists()

    report = backups.restore(
        old, tmp_path / "pulih", trusted, witnessed, allow_older=True, audit_key=ws.db.audit_key
    )
    assert report.ok
    restored = open_workspace(Settings(data_dir=tmp_path / "pulih"))
    try:
        with restored.db.read() as s:
            last = s.query(AuditEvent).order_by(AuditEvent.seq.desc()).first()
        assert last.action == "restore.older_backup"
        assert (
            json.loads(last.after)["witnessed"]["seq"]
            > json.loads(last.after)["backup_head"]["seq"]
        )
    finally:
        restored.db.dispose()

    # the newest backup is not older than anything witnessed
    new = tmp_path / "baru.zip"
    backups.backup(ws, op, new)
    witnessed = ws.blobs.witness_records()
    assert backups.restore(
        new, tmp_path / "pulih2", trusted, witnessed, audit_key=ws.db.audit_key
    ).ok


def _with_extra_member(archive, out, name: str, data: bytes) -> None:
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        with pytest.warns(UserWarning):  # zipfile warns about the duplicate name
            dst.writestr(name, data)


@pytest.mark.parametrize("kind", ["blob", "table"])
def test_an_archive_with_a_name_twice_is_refused(world, tmp_path, kind):
    ev = _fill(world)
    ws, op = world["ws"], world["op"]
    archive = tmp_path / "cadangan.zip"
    manifest = backups.backup(ws, op, archive)
    name = (
        f"blobs/{ev.latest.sha256[:2]}/{ev.latest.sha256}" if kind == "blob" else "db/answer.jsonl"
    )
    assert name in manifest["files"]
    crafted = tmp_path / "dua-kali.zip"
    _with_extra_member(archive, crafted, name, b"{}")
    with pytest.raises(BackupRefused) as refused:
        backups.restore(crafted, tmp_path / "pulih", backups.public_key(ws))
    assert refused.value.key == "backup.duplicate"


HOSTILE = textwrap.dedent(
    """
    import resource, sys, zipfile
    from wbk.services.core import backups
    from wbk.services.core.backups import BackupRefused
    from wbk.services.core.workspace import open_workspace
    from wbk.settings import Settings

    ws = open_workspace(Settings(data_dir=sys.argv[2]))
    try:
        backups.restore(sys.argv[1], sys.argv[3], backups.public_key(ws))
    except BackupRefused as exc:
        print(exc.key)
    before = int(sys.argv[4])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(peak - before)
    """
)


def _baseline_mb(data_dir) -> int:
    probe = (
        "import resource, sys\n"
        "from wbk.services.core import backups\n"
        "from wbk.services.core.workspace import open_workspace\n"
        "from wbk.settings import Settings\n"
        "ws = open_workspace(Settings(data_dir=sys.argv[1]))\n"
        "backups.public_key(ws)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(data_dir)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1])


@pytest.mark.parametrize("member", ["manifest.json", "manifest.sig", "db/answer.jsonl"])
def test_a_huge_member_is_refused_in_bounded_memory(tmp_path, member):
    """A 400 MB member that compresses to a few hundred KB: refused before it is parsed,
    the process growing by less than 100 MB over an idle one (peak resident memory)."""
    data_dir = tmp_path / "ws"
    ws = open_workspace(Settings(data_dir=data_dir))
    archive = tmp_path / "cadangan.zip"
    backups.backup(ws, operator("test"), archive)
    ws.db.dispose()
    crafted = tmp_path / "besar.zip"
    with (
        zipfile.ZipFile(archive) as src,
        zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open(member, "w") as out:  # no newline anywhere: one 400 MB line
            block = b"7" * (1 << 20)
            for _ in range(400):
                out.write(block)
    assert crafted.stat().st_size < 2_000_000
    base = _baseline_mb(data_dir)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            HOSTILE,
            str(crafted),
            str(data_dir),
            str(tmp_path / "t"),
            str(base),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    key, grown = proc.stdout.split()
    assert key.startswith("backup."), proc.stdout
    assert int(grown) < 100, f"restore grew by {grown} MB on a hostile {member}"


def test_verify_still_passes_after_the_refusals(world, tmp_path):
    _fill(world)
    assert integrity.verify(world["ws"], world["op"]).ok
