"""Content-addressed evidence files: the interface, its stores, and the store a URL names."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from wbk.blobs.local import LocalBlobStore
from wbk.blobs.store import BlobMissing, BlobStore, StoredBlob
from wbk.errors import WbkError

__all__ = [
    "BlobMissing",
    "BlobStore",
    "BlobUrlError",
    "LocalBlobStore",
    "StoredBlob",
    "open_blob_store",
]

# S3's rule for new buckets; dots are allowed but not two in a row or an IP-like name.
_BUCKET = re.compile(r"^(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_S3_OPTIONS = ("multipart_mb", "addressing")
_ADDRESSING = ("auto", "path", "virtual")


class BlobUrlError(WbkError):
    """A WBK_BLOB_URL (or ``--to``) that names no store this program can open."""

    key = "blobs.bad_url"

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        params = dict(self.params)
        reason = t(params.pop("reason_key"), lang=lang, **params.pop("reason_params", {}))
        return t(self.key, lang=lang, reason=reason, **params)


def _shown(url: str) -> str:
    """The URL as it may be printed: a user:secret@ part is masked."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()
    return url


def _refuse(url: str, reason_key: str, **reason_params: object) -> BlobUrlError:
    return BlobUrlError(
        "blobs.bad_url", url=_shown(url), reason_key=reason_key, reason_params=reason_params
    )


def open_blob_store(blob_url: str | None, data_dir: Path) -> BlobStore:
    """The store ``blob_url`` names.

    - None, empty: the local directory ``data_dir/blobs`` (the embedded default);
    - ``file:///srv/wbk/blobs`` or a plain path: a local directory there;
    - ``s3://bucket/prefix[?multipart_mb=8&addressing=path]``: an S3-compatible bucket,
      uploads spooled in ``data_dir/staging``; connection from the AWS_* variables.
    """
    data_dir = Path(data_dir)
    if not blob_url or not blob_url.strip():
        return LocalBlobStore(data_dir / "blobs")
    url = blob_url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        return LocalBlobStore(Path(url).expanduser())
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise _refuse(url, "blobs.reason.file_host", host=parts.netloc)
        if not parts.path:
            raise _refuse(url, "blobs.reason.no_path")
        return LocalBlobStore(Path(unquote(parts.path)))
    if scheme == "s3":
        return _s3_store(url, parts, data_dir)
    raise _refuse(url, "blobs.reason.scheme", scheme=parts.scheme)


def _s3_store(url: str, parts: SplitResult, data_dir: Path) -> BlobStore:
    if "@" in parts.netloc:
        raise _refuse(url, "blobs.reason.credentials")
    bucket = parts.netloc
    if not bucket:
        raise _refuse(url, "blobs.reason.no_bucket")
    if not _BUCKET.match(bucket):
        raise _refuse(url, "blobs.reason.bucket_name", bucket=bucket)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise _refuse(url, "blobs.reason.prefix")
    options: dict[str, object] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name not in _S3_OPTIONS:
            raise _refuse(url, "blobs.reason.option", option=name, known=", ".join(_S3_OPTIONS))
        if name == "multipart_mb":
            try:
                mb = float(value)
            except ValueError:
                mb = 0.0
            if not 0 < mb <= 5 * 1024:  # S3's largest part is 5 GiB
                raise _refuse(url, "blobs.reason.option_value", option=name, value=value)
            options["multipart_threshold"] = int(mb * 1024 * 1024)
        else:
            if value not in _ADDRESSING:
                raise _refuse(url, "blobs.reason.option_value", option=name, value=value)
            options["addressing_style"] = value
    from wbk.blobs.s3 import S3BlobStore  # boto3 is imported only when S3 is used

    return S3BlobStore(bucket, "/".join(segments), data_dir / "staging", **options)
