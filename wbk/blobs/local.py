"""Blobs in a local directory: ``blobs/ab/abcdef...``; written temp -> fsync -> rename."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from wbk.blobs.store import BlobMissing, StoredBlob, clean_directory

SHA = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".staging").mkdir(exist_ok=True)
        self.location = self.root.resolve().as_uri()

    def _path(self, sha256: str) -> Path:
        if not SHA.match(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def staging_dir(self) -> Path:
        return self.root / ".staging"

    def put_file(self, path: Path, sha256: str) -> StoredBlob:
        """Move a staged file into place under its hash; identical content is kept once."""
        actual = sha256_file(path)
        if actual != sha256:
            raise ValueError("staged file changed before it was stored")
        size = path.stat().st_size
        target = self._path(sha256)
        if target.exists() and sha256_file(target) == sha256:
            path.unlink(missing_ok=True)
            return StoredBlob(sha256, size)
        target.parent.mkdir(exist_ok=True)
        with path.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(path, target)
        os.chmod(target, 0o444)
        _fsync_dir(target.parent)
        return StoredBlob(sha256, size)

    def open(self, sha256: str) -> BinaryIO:
        return self._path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def hash_of(self, sha256: str) -> str | None:
        path = self._path(sha256)
        return sha256_file(path) if path.is_file() else None

    def size_of(self, sha256: str) -> int | None:
        try:
            return self._path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def quarantine(self, sha256: str) -> str:
        """Move the file to ``.quarantine/<sha>`` (``<sha>.1``, ... when that name is taken)."""
        source = self._path(sha256)
        if not source.is_file():
            raise BlobMissing("blobs.missing", sha=sha256, store=self.location)
        folder = self.root / ".quarantine"
        folder.mkdir(exist_ok=True)
        target, n = folder / sha256, 0
        while target.exists():
            n += 1
            target = folder / f"{sha256}.{n}"
        os.replace(source, target)
        _fsync_dir(folder)
        _fsync_dir(source.parent)
        return str(target)

    def clean_staging(self, older_than_seconds: float) -> int:
        return clean_directory(self.staging_dir(), older_than_seconds)

    def _witness_path(self) -> Path:
        return self.root / "witness.log"

    def append_witness(self, record: str) -> None:
        """Append a line and flush it to disk (the log only ever grows)."""
        with self._witness_path().open("a", encoding="utf-8") as fh:
            fh.write(record.replace("\n", " ") + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def witness_records(self) -> list[str]:
        path = self._witness_path()
        if not path.exists():
            return []
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def path_of(self, sha256: str) -> Path:
        return self._path(sha256)

    def names(self) -> Iterator[str]:
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and len(sub.name) == 2 and not sub.name.startswith("."):
                for f in sorted(sub.iterdir()):
                    yield f.name
