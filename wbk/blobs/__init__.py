"""Content-addressed evidence files: a small interface and the local-directory store."""

from wbk.blobs.local import LocalBlobStore
from wbk.blobs.store import BlobStore, StoredBlob

__all__ = ["BlobStore", "LocalBlobStore", "StoredBlob"]
