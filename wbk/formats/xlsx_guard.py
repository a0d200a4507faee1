"""Refuse an .xlsx that would be costly to open (a zip bomb), judged from its zip directory alone.

Every reader of a workbook (the LKE import, the survey reader) calls ``guard_xlsx`` before
openpyxl or pandas sees the file. Only the central directory is read; the sizes it declares
bound the real work, because Python's zipfile stops at the declared size of an entry and
fails on a CRC mismatch, so a directory that understates its content cannot smuggle more.
"""

from __future__ import annotations

import io
import re
import zipfile
from fractions import Fraction
from pathlib import Path

from wbk.errors import WbkError

MIB = 1024 * 1024
MAX_UNCOMPRESSED = 100 * MIB
MAX_RATIO = 100
MAX_ENTRIES = 2_000
MAX_PART = 50 * MIB
PART_RATIO_FLOOR = MIB  # smaller parts may compress well (styles, empty sheets)
SHEET_PARTS = re.compile(r"xl/(worksheets/[^/]+\.xml|sharedStrings\.xml)", re.IGNORECASE)


class XlsxRefused(WbkError):
    """A workbook refused before it is parsed: not an xlsx, or too large once unpacked."""

    key = "xlsx.not_xlsx"


def guard_xlsx(
    source: bytes | Path,
    *,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    max_ratio: int = MAX_RATIO,
    max_entries: int = MAX_ENTRIES,
    max_part: int = MAX_PART,
    name: str | None = None,
) -> None:
    """Raise XlsxRefused unless ``source`` is a zip with ``xl/workbook.xml`` whose entries,
    total unpacked size, compression ratio (overall, and per part above 1 MiB) and largest
    sheet or shared-strings part stay within the limits."""
    if name is None:
        name = source.name if isinstance(source, Path) else "xlsx"
    packed_size = len(source) if isinstance(source, bytes | bytearray) else None
    try:
        opened = zipfile.ZipFile(io.BytesIO(source) if packed_size is not None else source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise XlsxRefused("xlsx.not_xlsx", file=name) from None
    with opened as zf:
        infos = zf.infolist()
    if len(infos) > max_entries:
        raise XlsxRefused(
            "security.xlsx.too_many_entries", file=name, count=len(infos), limit=max_entries
        )
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise XlsxRefused("xlsx.not_xlsx", file=name)
    if any(i.flag_bits & 0x1 for i in infos):
        raise XlsxRefused("security.xlsx.encrypted", file=name)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    _ratio(total, packed, max_ratio, name)
    for info in infos:
        if info.file_size > PART_RATIO_FLOOR:
            _ratio(info.file_size, info.compress_size, max_ratio, name)
    if total > max_uncompressed:
        raise XlsxRefused(
            "security.xlsx.too_large",
            file=name,
            size_mb=Fraction(total, MIB),
            limit_mb=max_uncompressed // MIB,
        )
    for info in infos:
        if SHEET_PARTS.fullmatch(info.filename) and info.file_size > max_part:
            raise XlsxRefused(
                "security.xlsx.part_too_large",
                file=name,
                part=info.filename,
                size_mb=Fraction(info.file_size, MIB),
                limit_mb=max_part // MIB,
            )


def _ratio(unpacked: int, packed: int, limit: int, name: str) -> None:
    if unpacked > limit * max(packed, 1):
        raise XlsxRefused(
            "security.xlsx.ratio", file=name, ratio=unpacked // max(packed, 1), limit=limit
        )
