"""Server-side upload checks: real types pass, disguised or dangerous files are refused."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from docx import Document
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from wbk.uploads import UploadRefused, check_upload, safe_filename

MB = 1_000_000


def png_bytes() -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\x00" * 64
        + b"\xff\xd9"
    )


def pdf_bytes(javascript: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('x')"),
            }
        )
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_bytes() -> bytes:
    doc = Document()
    doc.add_paragraph("SK Tim Kerja Zona Integritas")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


XLSX = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
ODT = {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}


def check(tmp_path, data: bytes, name: str, limit: int = 5 * MB):
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    return check_upload(path, name, limit)


@pytest.mark.parametrize(
    ("factory", "name", "media"),
    [
        (pdf_bytes, "SK Tim.pdf", "application/pdf"),
        (png_bytes, "foto.PNG", "image/png"),
        (jpeg_bytes, "foto.jpeg", "image/jpeg"),
        (
            docx_bytes,
            "notulen.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            lambda: zip_bytes(XLSX),
            "rekap.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (lambda: zip_bytes(ODT), "laporan.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_types_pass(tmp_path, factory, name, media):
    info = check(tmp_path, factory(), name)
    assert info.media_type == media


@pytest.mark.parametrize(
    ("data", "name", "key"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 300, "laporan.pdf", "upload.not_real"),  # .exe
        (b"<html><script>alert(1)</script></html>", "foto.png", "upload.not_real"),
        (zip_bytes({"a.txt": b"hello"}), "notulen.docx", "upload.not_real"),  # plain zip
        (b"MZ\x90\x00\x03" + b"\x00" * 300, "setup.exe", "upload.type_not_allowed"),
        (pdf_bytes(javascript=True), "sk.pdf", "upload.pdf_javascript"),
        (b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "rusak.pdf", "upload.pdf_broken"),
        (b"", "kosong.pdf", "upload.empty"),
        (png_bytes(), "foto.pdf", "upload.type_mismatch"),
        (docx_bytes(), "notulen.xlsx", "upload.type_mismatch"),
        (
            zip_bytes({"[Content_Types].xml": b"<T/>", "word/document.xml": b"0" * 30_000_000}),
            "bom.docx",
            "upload.zip_bomb",
        ),
    ],
)
def test_dangerous_or_disguised_files_are_refused(tmp_path, data, name, key):
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, data, name, limit=50 * MB)
    assert info.value.key == key
    assert info.value.message("en")  # a readable reason, never a traceback


def test_size_limit(tmp_path):
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, pdf_bytes() + b"\x00" * 2 * MB, "besar.pdf", limit=1 * MB)
    assert info.value.key == "upload.too_large"
    assert "limit is 1 MB" in info.value.message("en")


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\budi\\SK Tim.PDF", "SK Tim.pdf"),
        ("lap\x00oran<1>.pdf", "laporan_1_.pdf"),
        ("", "dokumen"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("Laporan Triwulan I – 2026.docx", "Laporan Triwulan I – 2026.docx"),
    ],
)
def test_filenames_are_sanitised(raw, safe):
    assert safe_filename(raw) == safe


def test_a_disguised_file_is_refused_in_plain_words(tmp_path):
    from wbk.i18n import set_language

    set_language("id")
    path = tmp_path / "laporan.pdf"
    path.write_bytes(b"MZ\x90\x00\x03" + b"\x00" * 300)
    with pytest.raises(UploadRefused) as err:
        check_upload(path, "laporan.pdf", 10_000_000)
    text = err.value.message()
    assert text.startswith("Berkas laporan.pdf bukan PDF asli: isinya program Windows")
    assert "application/" not in text  # never a MIME type
