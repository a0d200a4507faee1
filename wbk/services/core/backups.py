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
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Date, DateTime, delete, insert, select

from wbk.errors import InvalidInput, WbkError
from wbk.services.core import audit, keys
from wbk.services.core.actor import Actor
from wbk.services.core.integrity import verify
from wbk.services.core.workspace import Workspace, open_workspace, require
from wbk.settings import get_settings
from wbk.store.tables import AuditHead, Base, is_cache

FORMAT = "wbk-backup/1"
CHUNK = 1024 * 1024
SIGNATURE = "manifest.sig"
# read before the signature is checked, so bounded: a hostile archive never makes a restore
# hold more than a few of these in memory (a 16 MB manifest lists about 150,000 files)
MAX_MANIFEST = 16 * 1024 * 1024
MAX_SIGNATURE = 64 * 1024
MAX_ROW = 4 * 1024 * 1024  # one line of a table member (a row, its texts included)


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
                head = s.get(AuditHead, 1)  # how far the trail in this backup goes
                manifest["head"] = {"seq": head.seq, "hash": head.hash} if head else None
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


def _read_bounded(zf: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """A member read whole, refused past ``limit`` bytes (whatever its header claims); None
    when the archive has no such member."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        raise BackupRefused("backup.member_too_large", member=name, limit_mb=limit // 2**20)
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise BackupRefused("backup.member_too_large", member=name, limit_mb=limit // 2**20)
    return data


def _check_signature(zf: zipfile.ZipFile, body: bytes, trusted: Ed25519PublicKey) -> None:
    raw = _read_bounded(zf, SIGNATURE, MAX_SIGNATURE)
    if raw is None:
        raise BackupRefused("backup.unsigned")
    try:
        sig = json.loads(raw)
        signature = base64.b64decode(sig["signature"], validate=True)
    except (ValueError, TypeError, KeyError):
        raise BackupRefused("backup.bad_signature") from None
    if not keys.verify_signature(trusted, signature, body):
        claimed = str(sig.get("public_key", "?"))[:60]
        raise BackupRefused(
            "backup.bad_signature_key", trusted=keys.fingerprint(trusted), claimed=claimed
        )


def _check_archive(zf: zipfile.ZipFile, trusted: Ed25519PublicKey) -> dict:
    """The signed manifest of a sound archive: no member twice, sizes checked before anything
    is parsed, the signature checked before the manifest is, every member's hash."""
    names = Counter(i.filename for i in zf.infolist())
    twice = sorted(n for n, count in names.items() if count > 1)
    if twice:
        raise BackupRefused("backup.duplicate", members=", ".join(twice[:3]))
    body = _read_bounded(zf, "manifest.json", MAX_MANIFEST)
    if body is None:
        raise BackupRefused("backup.no_manifest")
    _check_signature(zf, body, trusted)
    try:
        manifest = json.loads(body)
    except ValueError:
        raise BackupRefused("backup.no_manifest") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupRefused("backup.format", found=str(found))
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


def _check_not_older(manifest: dict, witnessed: list[str]) -> dict | None:
    """Refuse a backup whose audit trail ends before the newest head this workspace
    witnessed (or forks from it); returns that witnessed head when the backup is older."""
    latest = None
    for line in witnessed:
        try:
            record = json.loads(line)
            seq = int(record["seq"])
        except (ValueError, KeyError, TypeError):
            continue
        if latest is None or seq > latest["seq"]:
            latest = {"seq": seq, "hash": str(record.get("hash")), "at": record.get("at")}
    if latest is None:
        return None
    head = manifest.get("head") if isinstance(manifest.get("head"), dict) else None
    seq = int(head["seq"]) if head else 0
    if seq < latest["seq"] or (seq == latest["seq"] and head["hash"] != latest["hash"]):
        return latest
    return None


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
    held = 0  # characters in the batch: a batch is bounded by size as well as by rows
    with fh:
        text = io.TextIOWrapper(fh, encoding="utf-8")
        number = 0
        while raw := text.readline(MAX_ROW + 1):
            number += 1
            if len(raw) > MAX_ROW:
                raise BackupRefused(
                    "backup.bad_row", table=table.name, line=number, problem="> 4 MB"
                )
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
                batch.append({k: _decode(cols[k], v) for k, v in record.items()})
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BackupRefused(
                    "backup.bad_row", table=table.name, line=number, problem=str(exc)[:120]
                ) from None
            held += len(raw)
            if len(batch) >= 1000 or held > 2 * MAX_ROW:
                s.execute(insert(table), batch)
                batch, held = [], 0
    if batch:
        s.execute(insert(table), batch)


def restore(
    archive: Path,
    target_dir: Path,
    trusted: Ed25519PublicKey,
    witnessed: list[str] | None = None,
    allow_older: bool = False,
    audit_key: bytes | None = None,
):
    """Restore an archive into a new, empty data directory (SQLite). Refuses an archive that
    is tampered with or not signed by ``trusted`` (this workspace's public key, or one the
    operator passes explicitly for a backup from another workspace), and one whose audit
    trail ends before the newest head in ``witnessed`` (the witness log of the workspace it
    was taken from) unless ``allow_older``; restoring an older one is then recorded in the
    restored trail. ``audit_key`` is the key that authenticated the backed-up trail (it is
    never in an archive); the restored workspace keeps it. Returns the verify report of the
    restored workspace."""
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
            manifest = _check_archive(zf, trusted)
            newer = _check_not_older(manifest, witnessed or [])
            if newer is not None and not allow_older:
                head = manifest.get("head") or {}
                raise BackupRefused(
                    "backup.older", seq=head.get("seq", 0), witnessed=newer["seq"], at=newer["at"]
                )
            if audit_key is None:
                raise BackupRefused("backup.no_audit_key")
            keys.create_audit_key(target_dir, None, audit_key)
            # a restore always goes to a new local workspace, whatever the environment says
            local = {
                "data_dir": target_dir,
                "database_url": None,
                "blob_url": None,
                "audit_key": None,
                "audit_key_file": None,
            }
            ws = open_workspace(get_settings().model_copy(update=local))
            with ws.db.write() as s:
                s.info["skip_digests"] = True  # the rows' digests are in the restored trail
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
            if newer is not None:
                with ws.db.write() as s:
                    audit.record(
                        s,
                        Actor(name="restore", operator=True),
                        "restore.older_backup",
                        "backup",
                        Path(archive).name,
                        None,
                        {"backup_head": manifest.get("head"), "witnessed": newer},
                    )
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
