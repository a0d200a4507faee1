"""Find a second file format hidden in an upload: a zip archive inside, or a PDF header."""

from __future__ import annotations

import io
import re
import struct
import zipfile

LOCAL_HEADER = re.compile(rb"PK\x03\x04")
LOCAL_FIELDS = struct.Struct("<4sHHHHHIIIHH")
ZIP_METHODS = frozenset({0, 8, 9, 12, 14, 93, 95, 98})
PDF_HEADER_WINDOW = 1024  # readers accept %PDF- anywhere in the first kilobyte


def pdf_header_inside(raw: bytes) -> bool:
    """True when a reader would also open these bytes as a PDF."""
    return b"%PDF-" in raw[:PDF_HEADER_WINDOW]


def zip_inside(raw: bytes) -> bool:
    """True when an archive tool would find a zip in these bytes: an end-of-central-directory
    record that opens with at least one entry, or a well-formed local file header anywhere.

    The header test asks for a known compression method, a plausible version and a printable
    name, so the chance of compressed image or font data matching it is negligible.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            if zf.infolist():
                return True
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error):
        pass
    for match in LOCAL_HEADER.finditer(raw):
        start = match.start()
        if _plausible_local_header(raw, start):
            return True
    return False


def _plausible_local_header(raw: bytes, start: int) -> bool:
    end = start + LOCAL_FIELDS.size
    if end > len(raw):
        return False
    _, version, _, method, _, _, _, _, _, name_len, _ = LOCAL_FIELDS.unpack_from(raw, start)
    if method not in ZIP_METHODS or (version & 0xFF) > 63 or not 1 <= name_len <= 512:
        return False
    name = raw[end : end + name_len]
    return len(name) == name_len and all(0x20 <= b < 0x7F or b >= 0x80 for b in name)
