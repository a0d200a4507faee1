"""Back up the whole workspace into one signed zip, and restore it into a new data directory.

A backup holds every table (one consistent read, streamed row by row), every evidence file
and a manifest of SHA-256 sums. The manifest is signed with the workspace's Ed25519 key
(``<data dir>/keys/``, never in the archive): restore refuses an archive whose signature does
not verify against the trusted public key, so a recomputed manifest (an edited role table
with its new hash) is refused. Ed25519 rather than an HMAC: restoring elsewhere needs only
the public key, which can be handed over openly without handing over the power to sign.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Date, DateTime, delete, insert, select

from wbk.errors import InvalidInput, WbkError
from wbk.services.core import keys
from wbk.services.core.actor import Actor
from wbk.services.core.integrity import verify
from wbk.services.core.workspace import Workspace, open_workspace, require
from wbk.settings import get_settings
from wbk.store.tables import Base, is_cache

FORMAT = "wbk-backup/1"
CHUNK = 1024 * 1024
SIGNATURE = "manifest.sig"


class BackupRefused(WbkError):
    """A backup archive that is damaged, altered, unsigned or not a wbk backup."""

    key = "backup.refused"


def signing_key(ws: Workspace):
    return keys.signing_key(Path(ws.settings.data_dir), ws.settings.backup_key)


def public_key(ws: Workspace) -> Ed25519PublicKey:
    """The public half of this workspace's backup key (what a restore trusts)."""
    return signing_key(ws).public_key()


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def backup(ws: Workspace, actor: Actor, target: Path) -> dict:
    """Write a zip with every table (one consistent snapshot), every evidence file and a
    manifest of SHA-256 sums. Returns the manifest."""
    require(actor, "system", [])
    target = Path(target)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "created_by": actor.name,
        "tables": {},
        "files": {},
    }
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent if target.parent.exists() else None, suffix=".zip.part"
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            with ws.db.read() as s:
                shas: set[str] = set()
                for table in backed_up_tables():
                    member = f"db/{table.name}.jsonl"
                    digest, count = hashlib.sha256(), 0
                    query = select(table).order_by(*table.primary_key.columns)
                    # streamed row by row: a table never sits in memory whole
                    with zf.open(member, "w") as out:
                        for row in s.execute(query.execution_options(yield_per=1000)):
                            record = {k: _encode(v) for k, v in row._mapping.items()}
                            line = json.dumps(record, ensure_ascii=False, sort_keys=True)
                            data = (("\n" if count else "") + line).encode("utf-8")
                            digest.update(data)
                            out.write(data)
                            count += 1
                            if table.name == "evidence_revision":
                                shas.add(record["sha256"])
                    manifest["tables"][table.name] = count
                    manifest["files"][member] = digest.hexdigest()
            for sha in sorted(shas):
                member = f"blobs/{sha[:2]}/{sha}"
                with ws.blobs.open(sha) as src, zf.open(member, "w") as dst:
                    digest = hashlib.sha256()
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        dst.write(chunk)
                if digest.hexdigest() != sha:
                    raise BackupRefused("backup.source_altered", sha=sha)
                manifest["files"][member] = sha
            body = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            key = signing_key(ws)
            zf.writestr("manifest.json", body)
            zf.writestr(
                SIGNATURE,
                json.dumps(
                    {
                        "algorithm": "ed25519",
                        "public_key": keys.public_text(key.public_key()),
                        "signature": base64.b64encode(key.sign(body)).decode("ascii"),
                    }
                ),
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)

    ws.witness("backup")
    return manifest


def exports_dir(ws: Workspace) -> Path:
    """Where the app writes backups and binders (inside the data directory)."""
    path = Path(ws.settings.data_dir) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_to_exports(ws: Workspace, actor: Actor) -> Path:
    """A backup written to the exports folder (streamed to disk, never built in memory)."""
    target = exports_dir(ws) / f"wbk-backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.zip"
    backup(ws, actor, target)
    return target


def _check_signature(zf: zipfile.ZipFile, body: bytes, trusted: Ed25519PublicKey) -> None:
    try:
        sig = json.loads(zf.read(SIGNATURE))
        signature = base64.b64decode(sig["signature"], validate=True)
    except KeyError:
        raise BackupRefused("backup.unsigned") from None
    except (ValueError, TypeError):
        raise BackupRefused("backup.bad_signature") from None
    if not keys.verify_signature(trusted, signature, body):
        claimed = str(sig.get("public_key", "?"))[:60]
        raise BackupRefused(
            "backup.bad_signature_key", trusted=keys.fingerprint(trusted), claimed=claimed
        )


def _check_archive(zf: zipfile.ZipFile, trusted: Ed25519PublicKey) -> dict:
    try:
        body = zf.read("manifest.json")
        manifest = json.loads(body)
    except (KeyError, ValueError):
        raise BackupRefused("backup.no_manifest") from None
    _check_signature(zf, body, trusted)
    if manifest.get("format") != FORMAT:
        raise BackupRefused("backup.format", found=str(manifest.get("format")))
    listed = dict(manifest.get("files", {}))
    members = {i.filename for i in zf.infolist() if not i.is_dir()} - {"manifest.json", SIGNATURE}
    if members != set(listed):
        extra = sorted(members - set(listed))[:3] + sorted(set(listed) - members)[:3]
        raise BackupRefused("backup.members", members=", ".join(extra))
    for name, sha in listed.items():
        digest = hashlib.sha256()
        with zf.open(name) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            raise BackupRefused("backup.altered", member=name)
        if name.startswith("blobs/") and name.rsplit("/", 1)[-1] != sha:
            raise BackupRefused("backup.altered", member=name)
    return manifest


def backed_up_tables() -> list:
    """Every table but the caches (recomputed after a restore; the answers' change counts are
    rebuilt by the database's triggers as the answers go back in)."""
    return [t for t in Base.metadata.sorted_tables if not is_cache(t)]


def _restore_table(s, zf: zipfile.ZipFile, table) -> None:
    """Insert one table's rows from the archive in batches; a missing member or an unknown
    column is a refused archive, not a crash."""
    member = f"db/{table.name}.jsonl"
    try:
        fh = zf.open(member)
    except KeyError:
        raise BackupRefused("backup.missing_table", table=table.name) from None
    cols = table.columns
    batch: list[dict] = []
    with fh:
        for number, raw in enumerate(io.TextIOWrapper(fh, encoding="utf-8"), start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
                batch.append({k: _decode(cols[k], v) for k, v in record.items()})
            except (ValueError, KeyError, TypeError) as exc:
                raise BackupRefused(
                    "backup.bad_row", table=table.name, line=number, problem=str(exc)[:120]
                ) from None
            if len(batch) >= 1000:
                s.execute(insert(table), batch)
                batch = []
    if batch:
        s.execute(insert(table), batch)


def restore(archive: Path, target_dir: Path, trusted: Ed25519PublicKey):
    """Restore an archive into a new, empty data directory (SQLite). Refuses an archive that
    is tampered with or not signed by ``trusted`` (this workspace's public key, or one the
    operator passes explicitly for a backup from another workspace). Returns the verify
    report of the restored workspace."""
    target_dir = Path(target_dir)
    if target_dir.exists() and not target_dir.is_dir():
        raise InvalidInput("invalid.restore_target_file", dir=str(target_dir))
    if target_dir.exists() and any(target_dir.iterdir()):
        raise InvalidInput("invalid.restore_target", dir=str(target_dir))
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile):
        raise BackupRefused("backup.not_zip", file=str(archive)) from None
    created = not target_dir.exists()
    try:
        with zf:
            _check_archive(zf, trusted)
            # a restore always goes to a new local workspace, whatever the environment says
            local = {"data_dir": target_dir, "database_url": None, "blob_url": None}
            ws = open_workspace(get_settings().model_copy(update=local))
            with ws.db.write() as s:
                s.execute(delete(Base.metadata.tables["audit_head"]))
                for table in backed_up_tables():
                    _restore_table(s, zf, table)
            for info in zf.infolist():
                if info.filename.startswith("blobs/") and not info.is_dir():
                    sha = info.filename.rsplit("/", 1)[-1]
                    staged = ws.blobs.staging_dir() / f"restore-{sha}"
                    with zf.open(info) as src, staged.open("wb") as dst:
                        shutil.copyfileobj(src, dst)
                    ws.blobs.put_file(staged, sha)
            report = verify(ws, Actor(name="restore", operator=True))
            ws.db.dispose()
        if not report.ok:
            raise BackupRefused("backup.verify_failed", problems=len(report.problems))
        return report
    except BaseException:
        if created:
            shutil.rmtree(target_dir, ignore_errors=True)
        else:
            for child in target_dir.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
