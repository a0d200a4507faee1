"""Sniff the real type of an upload, match it to its extension, and refuse anything unsafe.

Allowed: PDF, DOCX, XLSX, PPTX, ODT, ODS, JPEG, PNG. The type comes from the content (magic
bytes; the inner layout of zip-based office files), never from the name alone. PDFs are
parsed with pypdf and refused when broken or carrying JavaScript.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

import filetype

from wbk.errors import WbkError

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
OOXML_MARKERS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200
PDF_MAX_OBJECTS = 500_000


class UploadRefused(WbkError):
    """An upload that is not stored; ``key`` says why (type, mismatch, size, PDF problems)."""

    key = "upload.refused"


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


def _sniff_zip(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_ENTRIES:
                raise UploadRefused("upload.zip_bomb")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > ZIP_MAX_UNCOMPRESSED or total / packed > ZIP_MAX_RATIO:
                raise UploadRefused("upload.zip_bomb")
            names = {i.filename for i in infos}
            if "[Content_Types].xml" in names:
                for marker, media in OOXML_MARKERS.items():
                    if marker in names:
                        return media
            if "mimetype" in names:
                declared = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in ALLOWED:
                    return declared
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return "application/zip"


def _pdf_check(path: Path) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    raw = path.read_bytes()
    if b"/JavaScript" in raw or re.search(rb"/JS[\s(<\[/]", raw):
        raise UploadRefused("upload.pdf_javascript")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise UploadRefused("upload.pdf_encrypted")
        if len(reader.pages) < 1:
            raise UploadRefused("upload.pdf_broken")
        seen: set[tuple[int, int]] = set()
        stack: list[object] = [reader.trailer]
        steps = 0
        while stack:
            steps += 1
            if steps > PDF_MAX_OBJECTS:
                raise UploadRefused("upload.pdf_broken")
            node = stack.pop()
            if isinstance(node, IndirectObject):
                ref = (node.idnum, node.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                if "/JS" in node or "/JavaScript" in node or node.get("/S") == "/JavaScript":
                    raise UploadRefused("upload.pdf_javascript")
                stack.extend(node.values())
            elif isinstance(node, ArrayObject):
                stack.extend(node)
    except UploadRefused:
        raise
    except Exception:
        raise UploadRefused("upload.pdf_broken") from None


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
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    kind = filetype.guess(str(path))
    media = kind.mime if kind is not None else None
    if media in ("application/zip",) or (
        kind is not None
        and kind.extension
        in (
            "docx",
            "xlsx",
            "pptx",
            "odt",
            "ods",
            "zip",
        )
    ):
        media = _sniff_zip(path)
    if media not in ALLOWED:
        raise UploadRefused(
            "upload.type_not_allowed",
            name=name,
            detected=media or "?",
            allowed="PDF, DOCX, XLSX, PPTX, ODT, ODS, JPG, PNG",
        )
    if ext not in ALLOWED[media]:
        raise UploadRefused(
            "upload.type_mismatch", name=name, ext=ext or "-", detected=ALLOWED[media][0].upper()
        )
    if media == "application/pdf":
        _pdf_check(path)
    return UploadInfo(media, ext, name, size)
