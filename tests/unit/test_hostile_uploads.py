"""Uploads with active content are refused with a reason; ordinary documents still pass."""

from __future__ import annotations

import logging

import pytest

from tests.unit import hostile_files as hostile
from wbk.formats.xlsx_guard import XlsxRefused, guard_xlsx
from wbk.reports.xlsx_import import WorkbookError, read_workbook
from wbk.uploads import ALLOWED_EXTENSIONS, ALLOWED_LABEL, UploadRefused, check_upload
from wbk.uploads.refusal import unsafe_link

LIMIT = 50_000_000


def check(tmp_path, data: bytes, name: str):
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    return check_upload(path, name, LIMIT)


@pytest.mark.parametrize("case", hostile.HOSTILE, ids=lambda c: c.id)
def test_active_content_is_refused_with_its_reason(tmp_path, case):
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, case.make(), case.filename)
    assert info.value.key == case.key
    for lang in ("id", "en"):
        text = info.value.message(lang)
        assert text != case.key and "{" not in text  # a filled sentence, not a key


@pytest.mark.parametrize("case", hostile.BENIGN, ids=lambda c: c.id)
def test_ordinary_documents_still_pass(tmp_path, case):
    info = check(tmp_path, case.make(), case.filename)
    assert info.extension == case.filename.rsplit(".", 1)[1]


def test_launch_message_says_what_and_why_in_plain_words(tmp_path):
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, hostile.pdf_launch(), "sk.pdf")
    assert info.value.message("id").startswith(
        "Berkas PDF ini berisi perintah menjalankan program (/Launch); "
        "data dukung tidak memerlukannya."
    )
    assert "runs a program (/Launch)" in info.value.message("en")


def test_automatic_link_message_names_the_trigger_and_address(tmp_path):
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, hostile.pdf_uri_on_page_open(), "sk.pdf")
    text = info.value.message("en")
    assert "(/AA: https://evil.example/track?id=1)" in text
    assert "ordinary links the reader clicks are fine" in text


def test_external_part_is_named_in_the_readers_language(tmp_path):
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, hostile.docx_remote_template(), "sk.docx")
    assert "memuat templat dokumen dari luar berkas" in info.value.message("id")
    assert "loads a document template from outside" in info.value.message("en")


@pytest.mark.parametrize(
    ("target", "name"),
    [
        (hostile.docx_plain, "check_package"),
        (hostile.pdf_plain, "check_pdf"),
    ],
)
def test_a_check_that_breaks_refuses_the_file_and_logs_why(
    tmp_path, monkeypatch, caplog, target, name
):
    def broken(*_args):
        raise KeyError("unforeseen")

    monkeypatch.setattr(f"wbk.uploads.checks.{name}", broken)
    filename = "SK Tim.docx" if name == "check_package" else "SK Tim.pdf"
    with caplog.at_level(logging.ERROR, logger="wbk.uploads"), pytest.raises(UploadRefused) as info:
        check(tmp_path, target(), filename)
    assert info.value.key == "upload.unreadable"
    assert info.value.message("id").startswith(f"{filename} tidak dapat diperiksa")
    records = [r for r in caplog.records if r.name == "wbk.uploads"]
    assert records and records[0].exc_info is not None
    assert "unforeseen" in caplog.text


def test_allow_list_is_exported_once():
    assert ALLOWED_EXTENSIONS == ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "jpg", "jpeg", "png")
    assert ALLOWED_LABEL == "PDF, DOCX, XLSX, PPTX, ODT, ODS, JPG, PNG"


def test_refused_type_lists_the_allowed_label(tmp_path):
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, b"MZ\x90\x00\x03" + b"\x00" * 300, "setup.exe")
    assert info.value.message("en").endswith("allowed: " + ALLOWED_LABEL)
    assert "a Windows program" in info.value.message("en")


@pytest.mark.parametrize(
    ("target", "unsafe"),
    [
        ("https://jdih.kemenag.go.id/sk", False),
        ("http://kemenag.go.id", False),
        ("mailto:zi@kemenag.go.id", False),
        ("www.kemenag.go.id", False),  # common in PDFs written without a scheme
        ("#lampiran", False),
        ("file:///C:/Windows/System32/calc.exe", True),
        ("\\\\evil.example\\share\\x.docx", True),  # UNC: leaks the Windows login hash
        ("C:\\Windows\\calc.exe", True),
        ("../../AppData/evil.exe", True),
        ("javascript:alert(1)", True),
        ("ms-msdt:/id PCWDiagnostic", True),
        ("  JavaScript:alert(1)", True),
    ],
)
def test_which_clickable_links_may_stay(target, unsafe):
    assert unsafe_link(target) is unsafe


# --- workbooks: one guard before openpyxl or pandas reads anything ---------------------------


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return hostile.xlsx_bomb(64)


@pytest.mark.parametrize("as_path", [False, True], ids=["bytes", "path"])
def test_workbook_bomb_is_refused_from_its_directory(tmp_path, bomb, as_path):
    # 64 MiB of sheet XML packed into ~0.14 MB: about 460x, over the 100x limit
    source = bomb
    if as_path:
        source = tmp_path / "skm.xlsx"
        source.write_bytes(bomb)
    with pytest.raises(XlsxRefused) as info:
        guard_xlsx(source, name="skm.xlsx")
    assert info.value.key == "security.xlsx.ratio"
    text = info.value.message("en")
    assert text.startswith("skm.xlsx is abnormally compressed (")
    assert "the limit is 100x" in text
    assert "dikompresi tidak wajar" in info.value.message("id")


def test_lke_reader_refuses_the_bomb_before_opening_it(tmp_path, bomb, catalog, monkeypatch):
    import openpyxl

    def never(*_args, **_kwargs):
        raise AssertionError("openpyxl was asked to open a refused workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    path = tmp_path / "lke.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path, catalog)
    assert "abnormally compressed" in info.value.message("en")


def test_an_ordinary_workbook_passes_the_guard(tmp_path):
    data = hostile.xlsx_plain()
    guard_xlsx(data)
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(data)
    guard_xlsx(path)


@pytest.mark.parametrize(
    ("data", "limits", "key", "expected"),
    [
        (b"%PDF-1.4 not a workbook", {}, "xlsx.not_xlsx", "x.xlsx is not an Excel workbook"),
        (
            hostile._zip({"word/document.xml": b"<w/>"}),
            {},
            "xlsx.not_xlsx",
            "x.xlsx is not an Excel workbook",
        ),
        (None, {"max_entries": 3}, "security.xlsx.too_many_entries", "the limit is 3"),
        (
            None,
            {"max_uncompressed": 1024 * 1024, "max_ratio": 10_000},
            "security.xlsx.too_large",
            "the limit is 1 MB",
        ),
        (
            None,
            {"max_part": 1024 * 1024, "max_ratio": 10_000},
            "security.xlsx.part_too_large",
            "part xl/worksheets/sheet1.xml holds 1.98 MB of data; the limit is 1 MB",
        ),
    ],
)
def test_guard_names_the_limit_it_applies(data, limits, key, expected):
    # None: a workbook whose sheet is two chunks of 69 rows of 15,011 bytes plus its head and
    # tail: 2 x 69 x 15,011 = 2,071,518 bytes + 150 = 1.98 MiB, packed far below 1 MiB
    with pytest.raises(XlsxRefused) as info:
        guard_xlsx(hostile.xlsx_bomb(2) if data is None else data, name="x.xlsx", **limits)
    assert info.value.key == key
    assert expected in info.value.message("en")
