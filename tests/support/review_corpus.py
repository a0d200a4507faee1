"""Documents for the pre-review's tests and benchmark, made here: text PDFs of several
pages, an image-only scan (text drawn with PIL, to be read back by OCR), a DOCX."""

from __future__ import annotations

import io
from pathlib import Path


def _pdf_text(s: str) -> str:
    safe = s.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(pages: list[list[str]]) -> bytes:
    """An A4 PDF with one Helvetica line per entry, each inner list a page."""
    n = len(pages)
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font_obj = 3
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for lines in pages:
        body, y = [], 790
        for line in lines:
            body.append(f"BT /F1 11 Tf 60 {y} Td ({_pdf_text(line)}) Tj ET")
            y -= 16
        stream = "\n".join(body).encode("latin-1")
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
            + f"{content} 0 R /Resources << /Font << /F1 {font_obj} 0 R >> >> >>".encode()
        )
        kids.append(len(objects))
    objects[1] = (
        b"<< /Type /Pages /Kids ["
        + " ".join(f"{k} 0 R" for k in kids).encode()
        + f"] /Count {n} >>".encode()
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _font(size: int):
    from PIL import ImageFont

    path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)


def scan_image(lines: list[str], dpi: int = 200):
    """A white A4 page at ``dpi`` with ``lines`` drawn in black, as a scanner would give it."""
    from PIL import Image, ImageDraw

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = _font(int(dpi * 0.16))
    y = int(dpi * 0.8)
    for line in lines:
        draw.text((int(dpi * 0.8), y), line, fill=0, font=font)
        y += int(dpi * 0.28)
    return image


def scan_pdf(lines: list[str], dpi: int = 200) -> bytes:
    """An image-only PDF: no text layer, only the picture of a page."""
    buf = io.BytesIO()
    scan_image(lines, dpi).save(buf, "PDF", resolution=dpi)
    return buf.getvalue()


def scan_png(lines: list[str], dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    scan_image(lines, dpi).save(buf, "PNG")
    return buf.getvalue()


def docx_file(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


SK = [
    [
        "KEPUTUSAN KEPALA KANTOR KEMENTERIAN AGAMA KABUPATEN MAGELANG",
        "NOMOR 12 TAHUN 2026",
        "TENTANG",
        "PEMBENTUKAN TIM KERJA PEMBANGUNAN ZONA INTEGRITAS",
        "Menimbang : bahwa untuk membangun zona integritas perlu dibentuk tim kerja;",
        "MEMUTUSKAN",
        "Menetapkan : Tim Kerja Zona Integritas Kantor Kementerian Agama Kabupaten Magelang.",
    ],
    [
        "Ditetapkan di Magelang",
        "pada tanggal 2 Januari 2026",
        "KEPALA KANTOR,",
        "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat",
        "elektronik yang diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), BSSN.",
    ],
]
NOTULEN = [
    [
        "NOTULEN RAPAT PEMBENTUKAN TIM KERJA ZONA INTEGRITAS",
        "Hari/Tanggal : Senin, 5 Januari 2026",
        "Tempat : Aula Kantor Kementerian Agama Kabupaten Magelang",
        "Pimpinan rapat : Kepala Kantor",
        "Hasil rapat: tim kerja zona integritas dibentuk dan diusulkan dengan SK.",
        "Notulis, ttd",
    ],
    [
        "DAFTAR HADIR RAPAT PEMBENTUKAN TIM",
        "1. Ahmad Fauzi - Kepala Subbagian Tata Usaha - ttd",
        "2. Siti Rahma - Analis Kepegawaian - ttd",
        "Undangan rapat: Nomor B-1/Kk.11.08/1/KP.01/01/2026",
    ],
]
OLD_LETTER = [
    [
        "SURAT EDARAN",
        "Nomor: SE-07/Kk.11.08/2019",
        "Magelang, 15 Maret 2019",
        "Tentang penggunaan aplikasi layanan",
        "Kepala Kantor, ttd",
    ]
]
TEMPLATE = [
    [
        "KEPUTUSAN KEPALA [nama unit]",
        "NOMOR xxx TAHUN 2026",
        "TENTANG PEMBENTUKAN TIM KERJA ZONA INTEGRITAS",
        "Ditetapkan di ............ pada tanggal 3 Februari 2026",
        "Lorem ipsum dolor sit amet.",
    ]
]
SCANNED_SK = [
    "KEPUTUSAN KEPALA KANTOR KEMENTERIAN AGAMA",
    "NOMOR 15 TAHUN 2026",
    "TENTANG PEMBENTUKAN TIM KERJA ZONA INTEGRITAS",
    "Ditetapkan di Magelang",
    "pada tanggal 9 Februari 2026",
    "KEPALA KANTOR, ttd",
]
DOCX_REPORT = [
    "LAPORAN MONITORING DAN EVALUASI PEMBANGUNAN ZONA INTEGRITAS",
    "Laporan monev triwulan I tahun 2026 disampaikan kepada pimpinan.",
    "Magelang, 31-03-2026",
]
