"""The blob store interface that evidence storage codes against (local directory or S3)."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from wbk.errors import WbkError


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int


class BlobMissing(WbkError):
    """An operation named a blob that is not in the store."""

    key = "blobs.missing"


class BlobStore(Protocol):
    """Immutable files named by their SHA-256; identical content is stored once."""

    def put_file(self, path: Path, sha256: str) -> StoredBlob:
        """Store a prepared local file whose hash the caller computed while spooling it.

        The staged file is consumed (moved or removed). A local store checks the hash again
        (it is a cheap local read); a remote store trusts it and leaves checking the stored
        object to ``hash_of`` (``wbk verify``).
        """
        ...

    def open(self, sha256: str) -> BinaryIO:
        """A readable binary stream of the stored content (FileNotFoundError when missing)."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def size_of(self, sha256: str) -> int | None:
        """The stored size in bytes (None when missing)."""
        ...

    def hash_of(self, sha256: str) -> str | None:
        """The SHA-256 of what is stored under this name now, streamed (None when missing)."""
        ...

    def names(self) -> Iterator[str]:
        """Every stored blob's name (quarantined and staged files are not blobs)."""
        ...

    def quarantine(self, sha256: str) -> str:
        """Move a blob out of the store without deleting it; returns where it went."""
        ...

    def staging_dir(self) -> Path:
        """Where uploads are spooled before they are checked and stored."""
        ...

    def clean_staging(self, older_than_seconds: float) -> int:
        """Remove spool files (and unfinished uploads) a crash left behind; how many."""
        ...

    def append_witness(self, record: str) -> None:
        """Keep one witness record (a line of JSON) beside the blobs, outside the database."""
        ...

    def witness_records(self) -> list[str]:
        """Every witness record kept so far, oldest first."""
        ...


def clean_directory(directory: Path, older_than_seconds: float) -> int:
    """Delete the regular files in ``directory`` not modified for ``older_than_seconds``.

    A spool file is written continuously while an upload runs, so its age is the time since
    its last chunk arrived; only a file nobody has touched for that long is abandoned.
    """
    cutoff = time.time() - older_than_seconds
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime <= cutoff:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:  # finished (or cleaned) by its own process meanwhile
            continue
    return removed


# --- spool files and the uploads that hold them ------------------------------------------------
# An upload holds an exclusive lock on its spool file until the file is stored or refused. A
# spool file nobody holds, and older than a minute (a new upload locks its file within
# microseconds of creating it), was left by a process that died.

LEFTOVER_AGE_SECONDS = 60


def hold(path: Path) -> int:
    """Lock ``path`` for this upload; close the returned descriptor to let it go."""
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _unheld(path: str, then) -> bool:
    """Run ``then(path)`` while holding the file's lock, if no live upload holds it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    try:
        then(path)
    finally:
        os.close(fd)
    return True


def leftovers(directory: Path, min_age: float = LEFTOVER_AGE_SECONDS) -> list[tuple[str, int]]:
    """(name, size) of the spool files no live upload holds."""
    cutoff = time.time() - min_age
    found: list[tuple[str, int]] = []
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except FileNotFoundError:
        return found
    for entry in entries:
        try:
            st = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        old = entry.is_file(follow_symlinks=False) and st.st_mtime <= cutoff
        if old and _unheld(entry.path, lambda _p: None):
            found.append((entry.name, st.st_size))
    return found


def remove_leftover(directory: Path, name: str) -> bool:
    """Remove one spool file if, at this moment, no live upload holds it."""
    if "/" in name or name.startswith("."):
        return False
    return _unheld(str(directory / name), os.unlink)
