"""Blobs in S3-compatible object storage (AWS S3, MinIO, Ceph RGW) through boto3, streamed."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError
from urllib3.exceptions import HTTPError as Urllib3Error

from wbk.blobs.local import CHUNK, SHA
from wbk.blobs.store import BlobMissing, StoredBlob, clean_directory
from wbk.errors import WbkError

MiB = 1024 * 1024
DEFAULT_MULTIPART_THRESHOLD = 8 * MiB
MIN_PART_SIZE = 5 * MiB  # S3 refuses smaller parts (except the last)
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
# A failed transfer surfaces as any of these; each becomes one BlobStoreUnavailable.
_TRANSFER_ERRORS = (ClientError, BotoCoreError, S3UploadFailedError, Urllib3Error)


class BlobStoreUnavailable(WbkError):
    """The object store refused or could not be reached (credentials, bucket, network)."""

    key = "blobs.s3_failed"


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', '?')} {error.get('Message', '')}".strip()
    return str(exc) or type(exc).__name__


def _is_missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code", "")) in _MISSING_CODES


class _BodyReader(io.RawIOBase):
    """A raw stream over a botocore StreamingBody, so callers get a real BinaryIO."""

    def __init__(self, body: Any, unavailable: Any) -> None:
        self._body = body
        self._unavailable = unavailable

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._body.read(len(buffer))
        except (BotoCoreError, Urllib3Error) as exc:
            raise self._unavailable("get_object", exc) from exc
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class S3BlobStore:
    """Blobs under ``<prefix>/<sha[:2]>/<sha>`` in one bucket; uploads spool on local disk.

    Connection settings come from the standard variables: ``AWS_ENDPOINT_URL`` (or
    ``AWS_ENDPOINT_URL_S3``) for a store that is not AWS, ``AWS_ACCESS_KEY_ID``,
    ``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``. A custom endpoint is addressed path-style
    (``http://host/bucket/key``), which MinIO and Ceph RGW accept without wildcard DNS.
    """

    def __init__(
        self,
        bucket: str,
        prefix: str,
        staging: Path,
        *,
        multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD,
        max_concurrency: int = 4,
        endpoint_url: str | None = None,
        region: str | None = None,
        addressing_style: str | None = None,
        client: Any | None = None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self._root = f"{self.prefix}/" if self.prefix else ""
        self._staging = Path(staging)
        self._staging.mkdir(parents=True, exist_ok=True)
        self.location = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.endpoint_url = (
            endpoint_url
            or os.environ.get("AWS_ENDPOINT_URL_S3")
            or os.environ.get("AWS_ENDPOINT_URL")
            or None
        )
        self.region = region or os.environ.get("AWS_REGION") or None
        self.addressing_style = addressing_style or ("path" if self.endpoint_url else "auto")
        self.multipart_threshold = multipart_threshold
        self.transfer = TransferConfig(
            multipart_threshold=multipart_threshold,
            multipart_chunksize=max(multipart_threshold, MIN_PART_SIZE),
            max_concurrency=max_concurrency,
            use_threads=max_concurrency > 1,
        )
        self._max_concurrency = max_concurrency
        self._client = client
        self._lock = threading.Lock()

    # -- connection -------------------------------------------------------------------

    @property
    def client(self) -> Any:
        """The boto3 client, made on first use (a CLI command that never touches evidence
        does not pay for it)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make_client()
        return self._client

    def _make_client(self) -> Any:
        import boto3
        from botocore.config import Config

        config = Config(
            s3={"addressing_style": self.addressing_style},
            retries={"mode": "standard", "max_attempts": 4},
            connect_timeout=10,
            read_timeout=120,
            max_pool_connections=max(10, self._max_concurrency * 2),
            # Checksums only where S3 demands them: several S3-compatible stores reject
            # the newer default CRC trailers; integrity is the SHA-256 key, checked by verify.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        # A session of our own: boto3's default session is not safe to share across threads.
        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint_url, region_name=self.region, config=config
        )

    def _unavailable(self, operation: str, exc: BaseException) -> BlobStoreUnavailable:
        return BlobStoreUnavailable(
            "blobs.s3_failed", store=self.location, operation=operation, error=_error_text(exc)
        )

    def _call(self, operation: str, *, missing_ok: bool = False, **params: Any) -> Any:
        """One request; a missing key gives None when ``missing_ok``, any other failure a
        BlobStoreUnavailable naming the store."""
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **params)
        except ClientError as exc:
            if missing_ok and _is_missing(exc):
                return None
            raise self._unavailable(operation, exc) from exc
        except (BotoCoreError, Urllib3Error) as exc:
            raise self._unavailable(operation, exc) from exc

    # -- keys -------------------------------------------------------------------------

    def key_of(self, sha256: str) -> str:
        if not SHA.match(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return f"{self._root}{sha256[:2]}/{sha256}"

    def _quarantine_key(self, name: str) -> str:
        return f"{self._root}quarantine/{name}"

    # -- the BlobStore protocol -------------------------------------------------------

    def staging_dir(self) -> Path:
        return self._staging

    def put_file(self, path: Path, sha256: str) -> StoredBlob:
        """Upload a staged file under its hash (multipart above the threshold), or skip the
        upload when an object of the same size is already there; the staged file is removed.

        The hash is the one the caller computed while spooling: reading the file again here
        would double the disk reads of every upload, and a stored object is checked by
        ``hash_of`` (``wbk verify``) rather than on the way in.
        """
        key = self.key_of(sha256)
        path = Path(path)
        size = path.stat().st_size
        head = self._call("head_object", missing_ok=True, Key=key)
        if head is None or head.get("ContentLength") != size:
            try:
                self.client.upload_file(
                    str(path),
                    self.bucket,
                    key,
                    ExtraArgs={"ContentType": "application/octet-stream"},
                    Config=self.transfer,
                )
            except _TRANSFER_ERRORS as exc:
                raise self._unavailable("put_object", exc) from exc
        path.unlink(missing_ok=True)
        return StoredBlob(sha256, size)

    def open(self, sha256: str) -> BinaryIO:
        """The object as a buffered stream read from the network as it is consumed."""
        response = self._call("get_object", missing_ok=True, Key=self.key_of(sha256))
        if response is None:
            raise FileNotFoundError(errno.ENOENT, "no such blob", f"{self.location}/{sha256}")
        return io.BufferedReader(_BodyReader(response["Body"], self._unavailable), CHUNK)

    def exists(self, sha256: str) -> bool:
        return self.size_of(sha256) is not None

    def size_of(self, sha256: str) -> int | None:
        head = self._call("head_object", missing_ok=True, Key=self.key_of(sha256))
        return None if head is None else int(head["ContentLength"])

    def hash_of(self, sha256: str) -> str | None:
        try:
            stream = self.open(sha256)
        except FileNotFoundError:
            return None
        digest = hashlib.sha256()
        with stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def names(self) -> Iterator[str]:
        """Every blob's name, page by page (1,000 keys a request), in key order."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._root
        )
        try:
            for page in pages:
                for item in page.get("Contents", ()):
                    sub, _, name = item["Key"][len(self._root) :].partition("/")
                    if SHA.match(name) and sub == name[:2]:
                        yield name
        except (ClientError, BotoCoreError, Urllib3Error) as exc:
            raise self._unavailable("list_objects_v2", exc) from exc

    def quarantine(self, sha256: str) -> str:
        """Copy the object to ``<prefix>/quarantine/<sha>`` (``<sha>.1``, ... when taken),
        check the copy's size, then delete the original; returns the copy's address."""
        key = self.key_of(sha256)
        head = self._call("head_object", missing_ok=True, Key=key)
        if head is None:
            raise BlobMissing("blobs.missing", sha=sha256, store=self.location)
        target, n = self._quarantine_key(sha256), 0
        while self._call("head_object", missing_ok=True, Key=target) is not None:
            n += 1
            target = self._quarantine_key(f"{sha256}.{n}")
        try:
            self.client.copy(
                {"Bucket": self.bucket, "Key": key}, self.bucket, target, Config=self.transfer
            )
        except _TRANSFER_ERRORS as exc:
            raise self._unavailable("copy_object", exc) from exc
        copied = self._call("head_object", missing_ok=True, Key=target)
        if copied is None or copied.get("ContentLength") != head.get("ContentLength"):
            raise self._unavailable("copy_object", RuntimeError(f"copy {target} incomplete"))
        self._call("delete_object", Key=key)
        return f"s3://{self.bucket}/{target}"

    def clean_staging(self, older_than_seconds: float) -> int:
        """Remove stale spool files, and abort multipart uploads under the prefix that were
        started that long ago and never finished (a process killed mid-upload leaves its
        parts on the server, billed and invisible)."""
        removed = clean_directory(self._staging, older_than_seconds)
        cutoff = self._now() - timedelta(seconds=older_than_seconds)
        pages = self.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.bucket, Prefix=self._root
        )
        try:
            stale = [
                (upload["Key"], upload["UploadId"])
                for page in pages
                for upload in page.get("Uploads", ())
                if upload["Initiated"] <= cutoff
            ]
        except (ClientError, BotoCoreError, Urllib3Error) as exc:
            raise self._unavailable("list_multipart_uploads", exc) from exc
        for key, upload_id in stale:
            self._call("abort_multipart_upload", missing_ok=True, Key=key, UploadId=upload_id)
            removed += 1
        return removed

    def append_witness(self, record: str) -> None:
        """S3 has no append: one small object per record, named so they list in order."""
        stamp = self._now().strftime("%Y%m%dT%H%M%S%f")
        key = f"{self._root}witness/{stamp}.json"
        self._call("put_object", Key=key, Body=record.encode("utf-8"))

    def witness_records(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self._root}witness/"
        )
        try:
            keys = sorted(item["Key"] for page in pages for item in page.get("Contents", ()))
        except (ClientError, BotoCoreError, Urllib3Error) as exc:
            raise self._unavailable("list_objects_v2", exc) from exc
        out = []
        for key in keys:
            body = self._call("get_object", Key=key)["Body"]
            out.append(body.read().decode("utf-8"))
        return out

    @staticmethod
    def _now() -> datetime:
        return datetime.now(UTC)
