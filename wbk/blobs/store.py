"""The blob store interface that evidence storage codes against (local dir now, S3 later)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int


class BlobStore(Protocol):
    """Immutable files named by their SHA-256; identical content is stored once."""

    def put_file(self, path: Path, sha256: str) -> StoredBlob:
        """Store a prepared local file whose hash is already known (it is checked again)."""
        ...

    def open(self, sha256: str) -> BinaryIO: ...

    def exists(self, sha256: str) -> bool: ...

    def hash_of(self, sha256: str) -> str | None:
        """The SHA-256 of what is stored under this name now (None when missing)."""
        ...

    def names(self) -> Iterator[str]: ...

    def staging_dir(self) -> Path:
        """Where uploads are spooled before they are checked and stored."""
        ...
