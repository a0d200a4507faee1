"""Backup and restore round trip; a tampered archive is refused."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.integration.test_workspace import pdf_bytes
from wbk.services.assessment import assessments, evidence, notes
from wbk.services.core import backups, integrity
from wbk.services.core.actor import operator
from wbk.services.core.backups import BackupRefused
from wbk.services.core.workspace import open_workspace
from wbk.settings import Settings


def _fill(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya", narrative="SK terbit Jan")
    assessments.set_answer(ws, act["tpi"], a, "P.MP.i.a", "Tidak", tier="tpi")
    ev = evidence.add_file(ws, act["agen"], a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk.pdf")
    notes.add_note(ws, act["tpi"], a, "P.MP.i.a", "SK belum ditandatangani")
    return ev


def test_round_trip_restores_everything(world, tmp_path):
    ev = _fill(world)
    ws, a, op = world["ws"], world["a"], world["op"]
    archive = tmp_path / "cadangan.zip"
    manifest = backups.backup(ws, op, archive)
    assert manifest["tables"]["answer"] == 2
    assert f"blobs/{ev.latest.sha256[:2]}/{ev.latest.sha256}" in manifest["files"]

    target = tmp_path / "pulih"
    report = backups.restore(
        archive, target, backups.public_key(world["ws"]), audit_key=world["ws"].db.audit_key
    )
    assert report.ok and report.files_checked == 1
    restored = open_workspace(Settings(data_dir=target))
    try:
        answers = assessments.answers_of(restored, op, a)
        assert answers["P.MP.i.a"].value == "Ya"
        assert answers["P.MP.i.a"].narrative == "SK terbit Jan"
        assert assessments.answers_of(restored, op, a, "tpi")["P.MP.i.a"].value == "Tidak"
        _, fh = evidence.open_revision(restored, op, ev.id)
        with fh:
            assert fh.read() == pdf_bytes()
        assert notes.list_notes(restored, op, a)[0].text == "SK belum ditandatangani"
        # the restored workspace keeps working and keeps the chain
        assessments.set_answer(restored, op, a, "P.MP.i.b", "A")
        assert integrity.verify(restored, op).ok
    finally:
        restored.db.dispose()


def _rewrite(archive, out, change):
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            data = change(info.filename, data)
            if data is not None:
                dst.writestr(info.filename, data)


@pytest.mark.parametrize("how", ["row", "blob", "extra", "missing", "manifest"])
def test_tampered_archive_is_refused(world, tmp_path, how):
    _fill(world)
    archive = tmp_path / "asli.zip"
    backups.backup(world["ws"], world["op"], archive)

    def change(name, data):
        if how == "row" and name == "db/answer.jsonl":
            return data.replace(b'"Tidak"', b'"Ya"')
        if how == "blob" and name.startswith("blobs/"):
            return data + b"%"
        if how == "missing" and name.startswith("blobs/"):
            return None
        if how == "manifest" and name == "manifest.json":
            manifest = json.loads(data)
            manifest["format"] = "other/9"
            return json.dumps(manifest).encode()
        return data

    bad = tmp_path / "ubah.zip"
    _rewrite(archive, bad, change)
    if how == "extra":
        with zipfile.ZipFile(bad, "a") as zf:
            zf.writestr("blobs/ff/" + "f" * 64, b"sisipan")
    target = tmp_path / "pulih"
    with pytest.raises(BackupRefused):
        backups.restore(bad, target, backups.public_key(world["ws"]))
    assert not target.exists()  # nothing half-restored


def test_restore_refuses_a_non_empty_target(world, tmp_path):
    archive = tmp_path / "a.zip"
    backups.backup(world["ws"], world["op"], archive)
    target = tmp_path / "isi"
    target.mkdir()
    (target / "penting.txt").write_text("jangan ditimpa")
    from wbk.errors import InvalidInput

    with pytest.raises(InvalidInput):
        backups.restore(archive, target, backups.public_key(world["ws"]))
    assert (target / "penting.txt").read_text() == "jangan ditimpa"


def test_backup_requires_system_role(world, tmp_path):
    from wbk.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        backups.backup(world["ws"], world["actors"]["koordinator"], tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
    assert backups.backup(world["ws"], operator("root"), tmp_path / "y.zip")


def _recomputed_manifest(archive, out, drop: str | None = None, edit=None, sign_with=None):
    """A crafted archive whose manifest matches its (changed) members, as an attacker or a
    broken tool would write it; ``sign_with`` a key re-signs it (a holder of the key)."""
    import base64
    import hashlib

    with zipfile.ZipFile(archive) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    manifest = json.loads(members.pop("manifest.json"))
    signature = members.pop("manifest.sig")
    if drop:
        members.pop(drop)
        manifest["files"].pop(drop)
    if edit:
        name, data = edit(members)
        members[name] = data
        manifest["files"][name] = hashlib.sha256(data).hexdigest()
    body = json.dumps(manifest).encode()
    if sign_with is not None:
        sig = json.loads(signature)
        sig["signature"] = base64.b64encode(sign_with.sign(body)).decode()
        signature = json.dumps(sig).encode()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
        dst.writestr("manifest.json", body)
        dst.writestr("manifest.sig", signature)


@pytest.mark.parametrize("case", ["missing_table", "unknown_column"])
def test_crafted_archive_is_refused_with_a_message(world, tmp_path, case):
    _fill(world)
    archive = tmp_path / "asli.zip"
    backups.backup(world["ws"], world["op"], archive)
    bad = tmp_path / "rakitan.zip"
    key = backups.signing_key(world["ws"])  # even a holder of the key gets no traceback
    if case == "missing_table":
        _recomputed_manifest(archive, bad, drop="db/review_note.jsonl", sign_with=key)
    else:

        def edit(members):
            rows = [json.loads(x) for x in members["db/unit.jsonl"].splitlines()]
            rows[0]["kolom_asing"] = 1
            return "db/unit.jsonl", "\n".join(json.dumps(r) for r in rows).encode()

        _recomputed_manifest(archive, bad, edit=edit, sign_with=key)
    target = tmp_path / "pulih"
    with pytest.raises(BackupRefused) as info:
        backups.restore(
            bad, target, backups.public_key(world["ws"]), audit_key=world["ws"].db.audit_key
        )
    text = info.value.message("en")
    assert ("review_note" if case == "missing_table" else "unit") in text
    assert not target.exists()


def test_restore_refuses_a_file_as_target(world, tmp_path):
    archive = tmp_path / "a.zip"
    backups.backup(world["ws"], world["op"], archive)
    target = tmp_path / "berkas.txt"
    target.write_text("bukan folder")
    from wbk.errors import InvalidInput

    with pytest.raises(InvalidInput) as info:
        backups.restore(archive, target, backups.public_key(world["ws"]))
    assert "not a folder" in info.value.message("en")
    assert target.read_text() == "bukan folder"


def test_a_forged_role_table_with_its_hash_recomputed_is_refused(world, tmp_path):
    """The attack: make the agen an admin in role_grant.jsonl and fix its hash in the
    manifest. Without the workspace's private key the signature no longer verifies."""
    _fill(world)
    archive = tmp_path / "asli.zip"
    backups.backup(world["ws"], world["op"], archive)
    agen_id = world["actors"]["agen"].user_id

    def edit(members):
        rows = [json.loads(x) for x in members["db/role_grant.jsonl"].splitlines()]
        for row in rows:
            if row["user_id"] == agen_id:
                row.update(role="admin", unit_id=None, areas=None)
        return "db/role_grant.jsonl", "\n".join(json.dumps(r) for r in rows).encode()

    bad = tmp_path / "palsu.zip"
    _recomputed_manifest(archive, bad, edit=edit)
    target = tmp_path / "pulih"
    with pytest.raises(BackupRefused) as info:
        backups.restore(bad, target, backups.public_key(world["ws"]))
    assert "signature does not match" in info.value.message("en")
    assert not target.exists()


def test_unsigned_archive_is_refused(world, tmp_path):
    archive = tmp_path / "asli.zip"
    backups.backup(world["ws"], world["op"], archive)
    bad = tmp_path / "tanpa-tanda.zip"
    _rewrite(archive, bad, lambda name, data: None if name == "manifest.sig" else data)
    with pytest.raises(BackupRefused) as info:
        backups.restore(bad, tmp_path / "pulih", backups.public_key(world["ws"]))
    assert "not signed" in info.value.message("en")


def test_a_backup_from_another_workspace_needs_its_public_key(world, tmp_path):
    from wbk.services.core import keys

    archive = tmp_path / "asli.zip"
    backups.backup(world["ws"], world["op"], archive)
    other = open_workspace(Settings(data_dir=tmp_path / "lain"))
    try:
        with pytest.raises(BackupRefused):
            backups.restore(archive, tmp_path / "pulih1", backups.public_key(other))
    finally:
        other.db.dispose()
    shared = keys.public_text(backups.public_key(world["ws"]))  # handed over as text
    with pytest.raises(BackupRefused) as no_key:  # the audit key is never in the archive
        backups.restore(archive, tmp_path / "pulih2", keys.parse_public(shared))
    assert no_key.value.key == "backup.no_audit_key"
    report = backups.restore(
        archive, tmp_path / "pulih3", keys.parse_public(shared), audit_key=world["ws"].db.audit_key
    )
    assert report.ok


def test_the_signing_key_stays_out_of_the_archive(world, tmp_path):
    archive = tmp_path / "asli.zip"
    backups.backup(world["ws"], world["op"], archive)
    key_file = Path(world["ws"].settings.data_dir) / "keys" / "backup-signing.pem"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    secret = key_file.read_bytes()
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert not [n for n in names if "keys/" in n or n.endswith(".pem")]
        assert all(secret not in zf.read(n) for n in names if not n.startswith("blobs/"))
