"""Active content that hides from a plain comparison is refused with its reason, never stored."""

from __future__ import annotations

import pytest

from tests.unit import hostile_pdf_names as pdf_names
from wbk.uploads import UploadRefused, check_upload
from wbk.uploads.pdf import check_raw, check_structure, normal_name

LIMIT = 50_000_000


def check(tmp_path, data: bytes, name: str):
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    return check_upload(path, name, LIMIT)


def by_id(cases, wanted: str):
    return next(c for c in cases if c.id == wanted)


def refused(tmp_path, case) -> UploadRefused:
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, case.make(), case.filename)
    assert info.value.key == case.key
    for lang in ("id", "en"):
        text = info.value.message(lang)
        assert text != case.key and "{" not in text  # a filled sentence, not a key
    return info.value


# --- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", pdf_names.PDF_NAMES, ids=lambda c: c.id)
def test_hidden_and_media_pdf_actions_are_refused(tmp_path, case):
    refused(tmp_path, case)


@pytest.mark.parametrize("case", pdf_names.PDF_NAMES, ids=lambda c: c.id)
def test_the_object_walk_alone_finds_them(tmp_path, case):
    """Names packed in a compressed object stream never reach the byte scan."""
    path = tmp_path / "sk.pdf"
    path.write_bytes(case.make())
    with pytest.raises(UploadRefused) as info:
        check_structure(path)
    assert info.value.key == case.key


HIDDEN_NAMES = [
    by_id(pdf_names.PDF_NAMES, wanted)
    for wanted in (
        "pdf-launch-nul",
        "pdf-launch-hex-l",
        "pdf-launch-escaped-nul",
        "pdf-launch-indirect",
        "pdf-js-nul-key",
        "pdf-gotor-nul",
        "pdf-importdata-escaped",
    )
]


@pytest.mark.parametrize("case", HIDDEN_NAMES, ids=lambda c: c.id)
def test_the_byte_scan_alone_decodes_hidden_names(case):
    """An object pypdf cannot reach (a damaged cross-reference) is still read by a viewer."""
    with pytest.raises(UploadRefused) as info:
        check_raw(case.make())
    assert info.value.key == case.key


@pytest.mark.parametrize("case", pdf_names.PDF_NAMES_BENIGN, ids=lambda c: c.id)
def test_harmless_pdf_look_alikes_pass(tmp_path, case):
    assert check(tmp_path, case.make(), case.filename).extension == "pdf"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("/Launch", "/Launch"),
        ("/#4Caunch", "/Launch"),
        ("/L#61unch#00", "/Launch"),
        ("/Launch\x00", "/Launch"),
        ("/Launch\x00 \r\n", "/Launch"),
        ("/A#20B", "/A B"),
        ("/Laun\x00ch", "/Laun\x00ch"),  # a NUL inside ends the name for a reader: not /Launch
        ("/#zz", "/#zz"),
    ],
)
def test_names_are_compared_as_a_reader_reads_them(written, read):
    assert normal_name(written) == read


def test_media_message_names_the_action(tmp_path):
    error = refused(tmp_path, by_id(pdf_names.PDF_NAMES, "pdf-rendition-openaction"))
    assert error.params == {"action": "/Rendition"}
    assert "plays sound or video, or fetches media" in error.message("en")
    assert "memutar suara atau video" in error.message("id")
