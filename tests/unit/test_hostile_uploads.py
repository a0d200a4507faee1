"""Uploads with active content are refused with a reason; ordinary documents still pass."""

from __future__ import annotations

import logging

import pytest

from tests.unit import hostile_files as hostile
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
        check(tmp_path, b"MZ\x90\x00\x03" + b"\x00" * 300, "laporan.pdf")
    assert info.value.message("en").endswith("allowed: " + ALLOWED_LABEL)


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
