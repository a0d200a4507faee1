"""Text per page from a document's bytes: PDF (pypdf), DOCX, XLSX, and scans or images
through Tesseract's Indonesian model; ``needs_ocr`` when Tesseract is not installed."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

OCR_DPI = 200  # pages are rendered at this resolution before Tesseract reads them
OCR_LANG = "ind"
# a PDF page with fewer characters of text than this is taken for a scan
MIN_TEXT_CHARS = 25
MAX_OCR_PAGES = 30  # a scan longer than this is read in its first pages only

TextSource = Literal["text", "ocr", "none"]


@dataclass(frozen=True)
class Extracted:
    """What could be read from one file: the text of each page (page 1 first)."""

    pages: tuple[str, ...]
    source: TextSource
    needs_ocr: bool = False  # a scan or image, and no Tesseract to read it
    signature_field: bool = False  # a PDF signature field (/FT /Sig) with a value
    error: str | None = None  # why nothing could be read (a damaged file)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@cache
def ocr_available() -> bool:
    """Tesseract and its Indonesian model are installed (nothing is ever downloaded)."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return OCR_LANG in pytesseract.get_languages(config="")
    except Exception:  # a broken install reads as none
        return False


def ocr_image(image) -> str:
    """The text Tesseract reads on one PIL image (Indonesian model)."""
    import pytesseract

    return pytesseract.image_to_string(image.convert("L"), lang=OCR_LANG)


def kind_of(media_type: str, filename: str) -> str:
    name = filename.lower()
    if media_type == "application/pdf" or name.endswith(".pdf"):
        return "pdf"
    if media_type.startswith("image/") or name.endswith((".png", ".jpg", ".jpeg", ".tif")):
        return "image"
    if name.endswith(".docx") or "wordprocessingml" in media_type:
        return "docx"
    if name.endswith(".xlsx") or "spreadsheetml" in media_type:
        return "xlsx"
    if media_type.startswith("text/") or name.endswith((".txt", ".csv")):
        return "text"
    return "other"


def extract(data: bytes, media_type: str, filename: str, ocr: bool | None = None) -> Extracted:
    """Read ``data``; ``ocr`` None: use Tesseract when it is installed."""
    use_ocr = ocr_available() if ocr is None else ocr
    kind = kind_of(media_type, filename)
    try:
        if kind == "pdf":
            return _pdf(data, use_ocr)
        if kind == "image":
            return _image(data, use_ocr)
        if kind == "docx":
            return _docx(data)
        if kind == "xlsx":
            return _xlsx(data)
        if kind == "text":
            return Extracted((data.decode("utf-8", "replace"),), "text")
    except Exception as exc:  # a damaged file is a finding, not a crash
        return Extracted((), "none", error=f"{type(exc).__name__}: {exc}"[:300])
    return Extracted((), "none", error="unsupported")


def _pdf(data: bytes, use_ocr: bool) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = tuple((p.extract_text() or "").strip() for p in reader.pages)
    signed = _has_signature(reader)
    if sum(len(p) for p in pages) >= MIN_TEXT_CHARS * max(1, len(pages)) / 2:
        return Extracted(pages, "text", signature_field=signed)
    if not use_ocr:
        return Extracted(pages, "none", needs_ocr=True, signature_field=signed)
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        read = []
        for i in range(min(len(pdf), MAX_OCR_PAGES)):
            image = pdf[i].render(scale=OCR_DPI / 72).to_pil()
            read.append(ocr_image(image).strip())
    finally:
        pdf.close()
    return Extracted(tuple(read), "ocr" if any(read) else "none", signature_field=signed)


def _has_signature(reader) -> bool:
    try:
        fields = reader.get_fields() or {}
    except Exception:
        return False
    return any(f.get("/FT") == "/Sig" and f.get("/V") is not None for f in fields.values())


def _image(data: bytes, use_ocr: bool) -> Extracted:
    if not use_ocr:
        return Extracted((), "none", needs_ocr=True)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        text = ocr_image(image).strip()
    return Extracted((text,), "ocr" if text else "none")


def _docx(data: bytes) -> Extracted:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    for section in document.sections:
        lines.extend(p.text for p in section.footer.paragraphs)
    text = "\n".join(line for line in lines if line.strip())
    return Extracted((text,), "text" if text.strip() else "none")


def _xlsx(data: bytes) -> Extracted:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        pages = []
        for sheet in book.worksheets:  # one sheet, one "page"
            rows = []
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v) for v in row if v is not None and str(v).strip()]
                if cells:
                    rows.append(" | ".join(cells))
            pages.append("\n".join(rows))
    finally:
        book.close()
    return Extracted(tuple(pages), "text" if any(pages) else "none")
