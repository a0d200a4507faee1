"""Is the workspace what its audit trail says? Every evidence file against its hash, the hash
chain, the state each audited write recorded against the tables, and the chain heads
witnessed outside the database; orphan files moved aside on request, never deleted."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from wbk.blobs.store import leftovers, remove_leftover
from wbk.errors import InvalidInput
from wbk.services.core import audit, digests, keys
from wbk.services.core.actor import Actor
from wbk.services.core.audit import check_chain
from wbk.services.core.replay import differences
from wbk.services.core.workspace import Workspace, require
from wbk.store.tables import AuditEvent, EvidenceRevision

STALE_STAGING_SECONDS = 3600  # a spool file older than this belongs to a crashed upload


@dataclass
class VerifyReport:
    files_checked: int = 0
    events_checked: int = 0
    witnesses_checked: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail): corruption
    orphans: list[str] = field(default_factory=list)  # files no revision uses (crash leftovers)
    leftovers: list[tuple[str, int]] = field(default_factory=list)  # spool files nobody holds

    @property
    def ok(self) -> bool:
        """No corruption. Orphans are reported apart: ``wbk verify --repair`` moves them."""
        return not self.problems


def _check_witnesses(ws: Workspace, s) -> tuple[int, list[str]]:
    records = ws.blobs.witness_records()
    problems = []
    hashes = dict(s.execute(select(AuditEvent.seq, AuditEvent.hash)).all())
    for line in records:
        try:
            w = json.loads(line)
            seq, digest = int(w["seq"]), str(w["hash"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"witness record unreadable: {line[:80]}")
            continue
        if seq not in hashes:
            problems.append(
                f"witnessed event {seq} ({w.get('at')}) is missing: the audit trail was cut"
            )
        elif hashes[seq] != digest:
            problems.append(f"witnessed event {seq} ({w.get('at')}) was rewritten")
    return len(records), problems


def verify(ws: Workspace, actor: Actor) -> VerifyReport:
    """Missing or altered evidence files, any break in the hash chain, rows that differ from
    the state the audit trail recorded, and witnessed chain heads that are gone; orphan files
    separately."""
    require(actor, "system", [])
    report = VerifyReport()
    with ws.db.read() as s:
        shas = set(s.execute(select(EvidenceRevision.sha256).distinct()).scalars())
        chain_problems = check_chain(s, ws.db.audit_key)
        state_problems = differences(s)
        row_problems = digests.differences(s)
        report.events_checked = s.execute(select(func.count(AuditEvent.id))).scalar_one()
        report.witnesses_checked, witness_problems = _check_witnesses(ws, s)
    for sha in sorted(shas):
        report.files_checked += 1
        actual = ws.blobs.hash_of(sha)
        if actual is None:
            report.problems.append(("missing", sha))
        elif actual != sha:
            report.problems.append(("altered", sha))
    report.orphans = sorted(name for name in ws.blobs.names() if name not in shas)
    report.leftovers = leftovers(ws.blobs.staging_dir())
    report.problems += [("audit", p) for p in chain_problems]
    report.problems += [("state", p) for p in state_problems]
    report.problems += [("rows", p) for p in row_problems]
    report.problems += [("witness", p) for p in witness_problems]
    return report


def adopt(ws: Workspace, actor: Actor) -> int | None:
    """Give a workspace without an audit key its key (``wbk init``), and authenticate the
    events written before it, once: returns how many, None when a key was already there (then
    nothing is adopted, ever again: an event without a valid code stays a problem)."""
    require(actor, "system", [])
    s = ws.settings
    if ws.db.audit_key is not None or s.audit_key:
        return None
    if not keys.create_audit_key(Path(s.data_dir), s.audit_key_file):
        return None  # another process made it meanwhile
    key = keys.audit_key(Path(s.data_dir), None, s.audit_key_file)
    ws.db.audit_key = key
    with ws.db.write() as session:
        unauthenticated = session.execute(
            select(AuditEvent).where(AuditEvent.mac.is_(None)).order_by(AuditEvent.seq)
        ).scalars()
        count = 0
        for ev in unauthenticated:
            ev.mac = audit.mac(key, ev.hash)
            count += 1
        session.flush()
        audit.record(session, actor, "audit.adopt", "audit", None, None, {"events": count})
        audit.finish(session)  # the baseline below is the event with the rows
        digests.baseline(session, actor)  # the rows as they are, from now on checked
    return count


def rotate_audit_key(ws: Workspace, actor: Actor) -> tuple[int, Path]:
    """A new audit key file: every event must verify under the current key first (else
    nothing changes), then all are authenticated again with the new key in one transaction
    and the old file is kept beside it (``.<time>.old``) for the backups made under it.
    Returns (events, the old key's path). Only for a key in a file: a key in WBK_AUDIT_KEY is
    rotated by whoever set it."""
    require(actor, "system", [])
    s = ws.settings
    if s.audit_key:
        raise InvalidInput("invalid.audit_key_env")
    old = ws.db.audit_key
    with ws.db.read() as session:
        broken = [p for p in check_chain(session, old) if p.startswith("audit:")]
    if old is None or broken:
        raise InvalidInput("invalid.audit_key_unverified", problems=len(broken) or 1)
    path = keys.audit_key_path(Path(s.data_dir), s.audit_key_file)
    kept = path.with_name(f"{path.name}.{datetime.now(UTC):%Y%m%d%H%M%S}.old")
    new = secrets.token_bytes(32)
    with ws.db.write() as session:
        events = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
        count = 0
        for ev in events:
            ev.mac = audit.mac(new, ev.hash)
            count += 1
        session.flush()
        os.link(path, kept)  # the old key stays, for the backups it authenticated
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(new)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)  # the database commits right after: the two move together
        ws.db.audit_key = session.info["audit_key"] = new
        audit.record(session, actor, "audit.rotate", "audit", None, None, {"events": count})
    return count, kept


def remove_leftovers(ws: Workspace, actor: Actor) -> list[tuple[str, int]]:
    """Remove the spool files of crashed uploads (no live upload holds them), audited."""
    require(actor, "system", [])
    staging = ws.blobs.staging_dir()
    removed = [(n, size) for n, size in leftovers(staging) if remove_leftover(staging, n)]
    if removed:
        with ws.db.write() as s:
            audit.record(
                s,
                actor,
                "staging.remove",
                "staging",
                None,
                None,
                {"files": [n for n, _ in removed], "bytes": sum(size for _, size in removed)},
            )
    return removed


def repair(ws: Workspace, actor: Actor) -> list[str]:
    """Move orphan files (no revision uses them) to the quarantine, audited; never delete."""
    require(actor, "system", [])
    with ws.db.read() as s:
        shas = set(s.execute(select(EvidenceRevision.sha256).distinct()).scalars())
    moved = []
    for name in sorted(n for n in ws.blobs.names() if n not in shas):
        where = ws.blobs.quarantine(name)
        moved.append(name)
        with ws.db.write() as s:
            audit.record(s, actor, "blob.quarantine", "blob", name, None, {"to": where})
    return moved


def clean_staging(ws: Workspace) -> int:
    """Remove spool files a crashed upload left behind (run by ``wbk init`` and app start)."""
    return ws.blobs.clean_staging(STALE_STAGING_SECONDS)
