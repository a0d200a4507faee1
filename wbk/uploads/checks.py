"""Sniff the real type of an upload, match it to its extension, and refuse anything unsafe.

Allowed: PDF, DOCX, XLSX, PPTX, ODT, ODS, JPEG, PNG (``ALLOWED``; ``ALLOWED_EXTENSIONS`` and
``ALLOWED_LABEL`` for pages and messages). The type comes from the content (magic bytes; the
inner layout of zip-based office files), never from the name alone. Evidence is read, never
run: PDFs are refused when broken, encrypted or carrying scripts, programs, embedded files,
form submission, other documents, media or automatic links (``wbk.uploads.pdf``); office
files when they carry macros, ActiveX, OLE objects, external links, DDE, fields or formulas
that reach outside, or such a file embedded in them (``wbk.uploads.packages``); any file
that is also a second format (a zip inside a PDF or an image, a PDF header inside another
type).

Clickable hyperlinks to web pages and e-mail addresses stay allowed in every format: real SKs
carry them and nothing happens until the reader clicks and confirms. Links that fire by
themselves, and links to local or network files or protocol handlers, are refused.

A check that fails in an unforeseen way refuses the file (``upload.unreadable``) and logs
the cause on the ``wbk.uploads`` logger: no file passes unchecked, no traceback reaches the
user.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

import filetype

from wbk.uploads.packages import check_package, sniff_package
from wbk.uploads.pdf import check_pdf
from wbk.uploads.polyglot import pdf_header_inside, zip_inside
from wbk.uploads.refusal import UploadRefused

ALLOWED: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
}
ALLOWED_EXTENSIONS: tuple[str, ...] = tuple(ext for exts in ALLOWED.values() for ext in exts)
ALLOWED_LABEL = ", ".join(exts[0].upper() for exts in ALLOWED.values())
IMAGES = ("image/jpeg", "image/png")
ZIP_KINDS = ("docx", "xlsx", "pptx", "odt", "ods", "zip")

log = logging.getLogger("wbk.uploads")

__all__ = [
    "ALLOWED",
    "ALLOWED_EXTENSIONS",
    "ALLOWED_LABEL",
    "UploadInfo",
    "UploadRefused",
    "check_upload",
    "safe_filename",
]


@dataclass(frozen=True, slots=True)
class UploadInfo:
    media_type: str
    extension: str
    filename: str
    size: int


def safe_filename(name: str, limit: int = 120) -> str:
    """The last path component, NFC-normalised, without control or reserved characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"/\\|?*]+', "_", base).strip(" .")
    if not base:
        base = "dokumen"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:10].lower()
    stem = stem[: max(1, limit - len(ext) - 1)]
    return f"{stem}.{ext}" if ext else stem


def check_upload(path: Path, original_name: str, max_bytes: int) -> UploadInfo:
    """Check a spooled upload; raise UploadRefused (nothing stored) or describe the file."""
    size = path.stat().st_size
    if size > max_bytes:
        raise UploadRefused(
            "upload.too_large", size_mb=f"{size / 1e6:.1f}", limit_mb=max_bytes // 10**6
        )
    if size == 0:
        raise UploadRefused("upload.empty")
    name = safe_filename(original_name)
    try:
        media, ext = _checked_type(path, name)
        _check_content(path, media)
    except UploadRefused:
        raise
    except Exception:
        log.exception("upload %r could not be checked; refused", name)
        raise UploadRefused("upload.unreadable", name=name) from None
    return UploadInfo(media, ext, name, size)


KIND_WORDS = {  # what a refused file really is, in plain words (never a MIME type)
    "application/x-msdownload": "windows_program",
    "application/x-dosexec": "windows_program",
    "application/x-executable": "program",
    "application/x-elf": "program",
    "application/x-mach-binary": "program",
    "application/x-sh": "script",
    "text/html": "web_page",
    "application/zip": "zip",
    "application/x-rar-compressed": "archive",
    "application/x-7z-compressed": "archive",
    "application/gzip": "archive",
    "application/x-tar": "archive",
    "audio/mpeg": "audio",
    "video/mp4": "video",
    "image/gif": "other_image",
    "image/webp": "other_image",
    "image/tiff": "other_image",
    "image/bmp": "other_image",
    "application/msword": "old_office",
    "application/vnd.ms-excel": "old_office",
    "application/vnd.ms-powerpoint": "old_office",
    "application/x-ole-storage": "old_office",
}


def _checked_type(path: Path, name: str) -> tuple[str, str]:
    """The sniffed media type, which must be allowed and match the extension."""
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    kind = filetype.guess(str(path))
    media = kind.mime if kind is not None else None
    if media == "application/zip" or (kind is not None and kind.extension in ZIP_KINDS):
        media = sniff_package(path)
    if media not in ALLOWED:
        what = f"upload.kind.{KIND_WORDS.get(media or '', 'unknown')}"  # said in plain words
        claimed = {e for exts in ALLOWED.values() for e in exts}
        if ext in claimed:  # "Berkas ini bukan PDF asli: isinya program Windows"
            raise UploadRefused("upload.not_real", name=name, ext=ext.upper(), what_key=what)
        raise UploadRefused(
            "upload.type_not_allowed", name=name, detected_key=what, allowed=ALLOWED_LABEL
        )
    if ext not in ALLOWED[media]:
        raise UploadRefused(
            "upload.type_mismatch", name=name, ext=ext or "-", detected=ALLOWED[media][0].upper()
        )
    return media, ext


def _check_content(path: Path, media: str) -> None:
    if media == "application/pdf":
        check_pdf(path)
        return
    with path.open("rb") as fh:
        head = fh.read(1024)
    if pdf_header_inside(head):
        raise UploadRefused("upload.polyglot", inner="PDF")
    if media in IMAGES:
        if zip_inside(path.read_bytes()):
            raise UploadRefused("upload.polyglot", inner="ZIP")
        return
    check_package(path, media)
