"""The workspace's keys, kept on the server's disk and never in the database or a backup:
the Ed25519 key that signs backups, and the secret that signs links."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from wbk.errors import WbkError


class KeyFileError(WbkError):
    """A key file that cannot be read or written."""

    key = "keys.unreadable"


def keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "keys"


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def signing_key(data_dir: Path, path: Path | None = None) -> Ed25519PrivateKey:
    """The backup signing key: ``path`` (``WBK_BACKUP_KEY``) or ``<data dir>/keys/``, created
    on first use (mode 0600)."""
    path = Path(path) if path else keys_dir(data_dir) / "backup-signing.pem"
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with contextlib.suppress(FileExistsError):  # another process made it first: use it
            _write_private(path, pem)
        public_path = path.with_suffix(".pub")
        if not public_path.exists():
            public_path.write_text(public_text(key.public_key()) + "\n", encoding="ascii")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise KeyFileError("keys.unreadable", file=str(path), problem=str(exc)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError("keys.unreadable", file=str(path), problem="not an Ed25519 key")
    return key


def public_text(key: Ed25519PublicKey) -> str:
    """A public key as one line of text (``ed25519:<base64>``), safe to share."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + base64.b64encode(raw).decode("ascii")


def parse_public(text: str) -> Ed25519PublicKey:
    """A public key from ``ed25519:<base64>`` (or the .pub file's content)."""
    value = text.strip()
    if value.startswith("ed25519:"):
        value = value[len("ed25519:") :]
    try:
        raw = base64.b64decode(value, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError):
        raise KeyFileError("keys.bad_public", text=text[:60]) from None


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def verify_signature(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def link_secret(data_dir: Path, configured: str | None = None) -> bytes:
    """The secret that signs links (``WBK_LINK_SECRET``, or ``<data dir>/keys/link-secret``
    created on first use)."""
    if configured:
        return configured.encode("utf-8")
    path = keys_dir(data_dir) / "link-secret"
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            _write_private(path, secrets.token_bytes(32))
    return path.read_bytes()


AUDIT_KEY_FILE = "audit-hmac.key"


def audit_key_path(data_dir: Path, path: Path | None = None) -> Path:
    return Path(path) if path else keys_dir(data_dir) / AUDIT_KEY_FILE


def audit_key(data_dir: Path, configured: str | None = None, path: Path | None = None):
    """The key that authenticates each audit event (HMAC-SHA-256): ``WBK_AUDIT_KEY`` (base64
    of 32 bytes, for processes that share no disk), else the file ``WBK_AUDIT_KEY_FILE`` or
    ``<data dir>/keys/audit-hmac.key``; None when there is none (then nothing is
    authenticated, and ``wbk verify`` says it cannot authenticate)."""
    if configured:
        try:
            key = base64.b64decode(configured, validate=True)
        except ValueError:
            key = b""
        if len(key) < 32:
            raise KeyFileError("keys.unreadable", file="WBK_AUDIT_KEY", problem="not 32 bytes")
        return key
    file = audit_key_path(data_dir, path)
    try:
        key = file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise KeyFileError("keys.unreadable", file=str(file), problem=str(exc)) from None
    if len(key) < 32:
        raise KeyFileError("keys.unreadable", file=str(file), problem="not 32 bytes")
    return key


def create_audit_key(data_dir: Path, path: Path | None = None, key: bytes | None = None) -> bool:
    """Write an audit key file (a new random key, or ``key``) unless one exists; True when it
    was written."""
    file = audit_key_path(data_dir, path)
    try:
        _write_private(file, key or secrets.token_bytes(32))
    except FileExistsError:
        return False
    return True
