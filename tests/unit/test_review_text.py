"""The pre-review's pure parts, checked by hand: stemming, dates, numbers, signatures,
template text, and text from each kind of file."""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest

from tests.support.review_corpus import DOCX_REPORT, SCANNED_SK, SK, docx_file, scan_pdf, text_pdf
from wbk.review.dates import issue_date, parse_date
from wbk.review.extract import extract, ocr_available
from wbk.review.facts import number_of, placeholders, signature_evidence
from wbk.review.match import split_item, stem, vocabulary
from wbk.review.terms import load_terms

IN_CI = os.environ.get("CI") == "true"


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("pembentukan", "bentuk"),
        ("penyusunan", "susun"),
        ("keputusan", "putus"),
        ("ditetapkan", "tetap"),
        ("pemantauan", "pantau"),
        ("pelaksanaan", "laksana"),
        ("kepegawaian", "pegawai"),
        ("notulen", "notulen"),
        ("2026", "2026"),
    ],
)
def test_stemming(word, root):
    assert stem(word) == root


@pytest.mark.parametrize(
    ("text", "expected", "how"),
    [
        ("Ditetapkan di Magelang pada tanggal 2 Januari 2026", date(2026, 1, 2), "issued"),
        ("Ditetapkan di Magelang\npada tanggal 2 Januari 2026", date(2026, 1, 2), "issued"),
        ("Magelang, 15 Des 2025", date(2025, 12, 15), "place"),
        ("31-05-2026", date(2026, 5, 31), "first"),
        ("Hari/Tanggal : Senin, 12 Februari 2026", date(2026, 2, 12), "issued"),
        ("Jakarta, 3 Agt 2025\nPerihal: undangan", date(2025, 8, 3), "place"),
        ("tanggal 7 Nopember 2025", date(2025, 11, 7), "first"),
    ],
)
def test_issue_dates(text, expected, how):
    found = issue_date([text])
    assert (found.value, found.how) == (expected, how)


def test_the_date_of_issue_wins_over_earlier_dates():
    pages = [
        "Menimbang surat tanggal 1 Maret 2024",
        "Ditetapkan di Muntilan pada tanggal 4 Mei 2026",
    ]
    found = issue_date(pages)
    assert (found.value, found.page) == (date(2026, 5, 4), 2)


@pytest.mark.parametrize("text", ["31 Februari 2026", "Undang-Undang Nomor 5 Tahun 2014", "xxx"])
def test_no_date(text):
    assert parse_date(text) is None
    assert issue_date([text]) is None


def test_numbers():
    assert number_of(("KEPUTUSAN\nNOMOR 12 TAHUN 2026\nTENTANG",)) == "12 TAHUN 2026"
    assert number_of(("Nomor : B-123/Kk.11/2026     Magelang, 2 Jan 2026",)) == "B-123/Kk.11/2026"
    assert number_of(("Mengingat Undang-Undang Nomor 5 Tahun 2014",)) is None


def test_signature_evidence():
    bsre = "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat BSrE"
    assert signature_evidence((bsre,), False) == ("bsre",)
    assert signature_evidence(("Kepala Kantor,\nttd\nAhmad",), True) == ("pdf_signature", "ttd")
    assert signature_evidence(("Kepala Kantor\n\nAhmad Fauzi\nNIP 1975",), False) == ()


def test_placeholders():
    pages = (
        "Kepala [nama unit]",
        "Nomor: XXX/2026",
        "Tanggal ..........",
        "Daftar isi ....... 3\nBab II ........ 12",
        "Lorem ipsum dolor",
    )
    assert placeholders(pages) == (
        (1, "[nama unit]"),
        (2, "XXX"),
        (3, ".........."),
        (5, "Lorem ipsum"),
    )
    assert placeholders(("Ditetapkan di Magelang pada tanggal 2 Januari 2026 [Lampiran I]",)) == (
        (1, "[Lampiran I]"),
    )


def test_synonyms_and_alternatives():
    vocab = vocabulary(load_terms())
    assert vocab.concepts("Surat Keputusan Tim Kerja ZI") == ["@sk", "@tim", "@zi"]
    assert vocab.concepts("Risalah rapat") == vocab.concepts("notulen") == ["@notulen"]
    assert vocab.concepts("daftar hadir") == vocab.concepts("Presensi") == ["@presensi"]
    assert split_item("undangan/daftar hadir/notulen rapat monev") == [
        "undangan",
        "daftar hadir",
        "notulen rapat monev",
    ]
    assert split_item("Laporan monev (berkala, melibatkan pimpinan)") == ["Laporan monev"]


def test_text_pdf_pages_and_docx():
    pdf = extract(text_pdf(SK), "application/pdf", "sk.pdf")
    assert pdf.source == "text" and len(pdf.pages) == 2
    assert "pada tanggal 2 Januari 2026" in pdf.pages[1]
    doc = extract(docx_file(DOCX_REPORT), "application/octet-stream", "laporan.docx")
    assert doc.source == "text" and "LAPORAN MONITORING" in doc.pages[0]
    broken = extract(b"%PDF-1.4 not really", "application/pdf", "x.pdf")
    assert broken.source == "none" and broken.error


def test_a_scan_without_tesseract_needs_ocr():
    scan = extract(scan_pdf(SCANNED_SK), "application/pdf", "scan.pdf", ocr=False)
    assert (scan.source, scan.needs_ocr) == ("none", True)


def test_a_scan_is_read_by_tesseract():
    if not ocr_available():
        if IN_CI:
            pytest.fail("tesseract-ocr with tesseract-ocr-ind is required under CI=true")
        pytest.skip("tesseract-ocr-ind not installed" if shutil.which("tesseract") else "no OCR")
    scan = extract(scan_pdf(SCANNED_SK), "application/pdf", "scan.pdf")
    assert scan.source == "ocr"
    assert "PEMBENTUKAN TIM KERJA" in scan.pages[0]
    assert issue_date(scan.pages).value == date(2026, 2, 9)
