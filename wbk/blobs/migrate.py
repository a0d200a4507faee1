"""Copy every blob of one store into another, each checked by its SHA-256; safe to re-run."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from wbk.blobs.local import CHUNK
from wbk.blobs.store import BlobStore
from wbk.errors import WbkError

Status = Literal["copied", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class CopyOutcome:
    sha256: str
    status: Status
    size: int = 0
    reason_key: str = ""
    reason_params: dict[str, str] = field(default_factory=dict)

    def reason(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        return t(self.reason_key, lang=lang, **self.reason_params) if self.reason_key else ""


@dataclass
class MigrationReport:
    total: int = 0
    copied: int = 0
    skipped: int = 0
    failed: list[CopyOutcome] = field(default_factory=list)
    bytes_copied: int = 0
    witnesses: int = 0  # witness records carried over (those the target lacked)

    @property
    def ok(self) -> bool:
        return not self.failed


def _failure(sha: str, exc: BaseException) -> CopyOutcome:
    if isinstance(exc, FileNotFoundError):
        return CopyOutcome(sha, "failed", reason_key="blobs.migrate.reason.source_missing")
    detail = exc.message() if isinstance(exc, WbkError) else f"{type(exc).__name__}: {exc}"
    return CopyOutcome(
        sha, "failed", reason_key="blobs.migrate.reason.error", reason_params={"error": detail}
    )


def copy_blob(source: BlobStore, target: BlobStore, sha: str) -> CopyOutcome:
    """Copy one blob unless the target already holds it intact.

    The source is hashed while it is spooled, so an altered source is never propagated; a
    damaged copy already in the target is quarantined (kept aside), not overwritten; the new
    copy is read back and hashed before it counts as copied.
    """
    try:
        present = target.hash_of(sha)
        if present == sha:
            return CopyOutcome(sha, "skipped")
        fd, name = tempfile.mkstemp(dir=target.staging_dir(), prefix="migrate-")
        staged = Path(name)
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(fd, "wb") as out, source.open(sha) as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha:
                return CopyOutcome(sha, "failed", reason_key="blobs.migrate.reason.source_altered")
            if present is not None:
                target.quarantine(sha)
            target.put_file(staged, sha)
        finally:
            staged.unlink(missing_ok=True)
        if target.hash_of(sha) != sha:
            return CopyOutcome(sha, "failed", reason_key="blobs.migrate.reason.copy_unverified")
        return CopyOutcome(sha, "copied", size=size)
    except Exception as exc:  # one object's failure must not stop the others
        return _failure(sha, exc)


def migrate_blobs(
    source: BlobStore,
    target: BlobStore,
    progress: Callable[[int, int, CopyOutcome], None] | None = None,
    workers: int = 4,
) -> MigrationReport:
    """Copy every blob of ``source`` into ``target`` with ``workers`` copies in flight.

    Interrupted, it is simply run again: whatever reached the target intact is skipped.
    ``progress(done, total, outcome)`` is called once per blob, from this thread.
    """
    names = list(source.names())
    report = MigrationReport(total=len(names))
    done = 0

    def settle(future: Future[CopyOutcome]) -> None:
        nonlocal done
        outcome = future.result()
        done += 1
        if outcome.status == "copied":
            report.copied += 1
            report.bytes_copied += outcome.size
        elif outcome.status == "skipped":
            report.skipped += 1
        else:
            report.failed.append(outcome)
        if progress is not None:
            progress(done, report.total, outcome)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending: set[Future[CopyOutcome]] = set()
        for sha in names:
            if len(pending) >= max(1, workers) * 2:  # bounded: never a future per blob at once
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    settle(future)
            pending.add(pool.submit(copy_blob, source, target, sha))
        for future in wait(pending).done:
            settle(future)
    report.witnesses = carry_witness(source, target)
    return report


def carry_witness(source: BlobStore, target: BlobStore) -> int:
    """Append to ``target``'s witness log every record of ``source`` it lacks, in order, so
    ``wbk verify`` on the new store still checks the chain heads witnessed before the move.
    Run again, it adds nothing. Returns how many records were added."""
    have = set(target.witness_records())
    added = 0
    for record in source.witness_records():
        if record not in have:
            target.append_witness(record)
            have.add(record)
            added += 1
    return added
