"""PDF names written to hide, PDF media, Word fields, embedded packages and Excel formulas:
refused with the reason in plain words; ordinary files still pass."""

from __future__ import annotations

import pytest

from tests.unit import hostile_files, hostile_office
from tests.unit import hostile_pdf_names as pdf_names
from wbk.uploads import UploadRefused, check_upload, fields, formulas, packages
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


# --- Office ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", hostile_office.OFFICE, ids=lambda c: c.id)
def test_office_fields_formulas_and_embedded_packages_are_refused(tmp_path, case):
    refused(tmp_path, case)


WORKBOOKS = [c for c in hostile_office.OFFICE if c.id.startswith("xlsx-")]


@pytest.mark.parametrize("case", WORKBOOKS, ids=lambda c: c.id)
def test_formulas_cut_by_any_chunk_boundary_are_refused(tmp_path, monkeypatch, case):
    monkeypatch.setattr(formulas, "CHUNK", 7)
    refused(tmp_path, case)


@pytest.mark.parametrize("case", hostile_office.OFFICE_BENIGN, ids=lambda c: c.id)
def test_ordinary_fields_formulas_and_embedded_packages_pass(tmp_path, case):
    info = check(tmp_path, case.make(), case.filename)
    assert info.extension == case.filename.rsplit(".", 1)[1]


def test_a_fetching_field_is_shown_with_its_code_and_the_way_out(tmp_path):
    error = refused(tmp_path, by_id(hostile_office.OFFICE, "docx-includetext-split"))
    assert error.params["field"] == "INCLUDETEXT http://evil.example/isi.docx"  # runs joined
    assert "fetches content from outside the file" in error.message("en")
    assert "Ctrl+Shift+F9" in error.message("id")


def test_a_refusal_inside_an_embedded_package_names_where_it_sits(tmp_path):
    error = refused(tmp_path, by_id(hostile_office.OFFICE, "docx-in-macro-xlsx"))
    assert (
        error.params["part"] == "word/embeddings/Microsoft_Excel_Worksheet.xlsx › xl/vbaProject.bin"
    )


def test_a_formula_refusal_names_the_cell_and_the_formula(tmp_path):
    error = refused(tmp_path, by_id(hostile_office.OFFICE, "xlsx-dde-shared"))
    text = error.message("en")
    assert text.startswith("This workbook has a formula that runs a command through DDE (C2 in")
    assert "MSEXCEL|" in text
    assert "menjalankan perintah lewat DDE (C2 di xl/worksheets/sheet1.xml" in error.message("id")


@pytest.mark.parametrize(("levels", "passes"), [(1, True), (3, True), (4, False), (5, False)])
def test_packages_nest_three_levels_at_most(tmp_path, levels, passes):
    data = hostile_office.nested(levels)()
    if passes:
        check(tmp_path, data, "sk.docx")
    else:
        with pytest.raises(UploadRefused) as info:
            check(tmp_path, data, "sk.docx")
        assert info.value.key == "upload.package_too_deep"
        assert info.value.params["limit"] == 3


def test_embedded_packages_share_the_uploads_unpacked_size_limit(tmp_path, monkeypatch):
    import io
    import zipfile

    inner = hostile_files.xlsx_plain()
    data = hostile_office._embed(hostile_files.docx_plain(), "docx", inner, "xlsx")
    sizes = [
        sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(blob)).infolist())
        for blob in (data, inner)
    ]
    monkeypatch.setattr(packages, "ZIP_MAX_UNCOMPRESSED", sum(sizes))
    check(tmp_path, data, "sk.docx")
    monkeypatch.setattr(packages, "ZIP_MAX_UNCOMPRESSED", sum(sizes) - 1)
    with pytest.raises(UploadRefused) as info:
        check(tmp_path, data, "sk.docx")
    assert info.value.key == "upload.zip_bomb"


@pytest.mark.parametrize(
    ("formula", "key"),
    [
        ("cmd|' /C calc'!A0", "upload.office_dde_formula"),
        ("='cmd'|'/c calc'!A0", "upload.office_dde_formula"),
        ("SUM(A1)+MSEXCEL|'x'!A1", "upload.office_dde_formula"),
        ('webservice ("https://x.example")', "upload.office_web_formula"),
        ('HYPERLINK("\\\\host\\share\\x.png")', "upload.link_scheme"),
        ('HYPERLINK(CONCATENATE("file:","///C:/x"),"x")', "upload.link_scheme"),
        ('HYPERLINK("ms-msdt:/id PCWDiagnostic")', "upload.link_scheme"),
        ('"a|b"&A1', None),
        ("SUM('Rekap|2026'!A1:A3)", None),
        ('HYPERLINK("https://drive.example/"&A2&"/view","buka")', None),
        ("HYPERLINK(\"#'Rekap|2026'!A1\")", None),
        ('IF(A1,"file:///x","")', None),  # a string that no HYPERLINK opens
        ("MYWEBSERVICE(A1)", None),
    ],
)
def test_which_formulas_are_refused(formula, key):
    if key is None:
        formulas.check_formula(formula, "xl/worksheets/sheet1.xml", "A1")
        return
    with pytest.raises(UploadRefused) as info:
        formulas.check_formula(formula, "xl/worksheets/sheet1.xml", "A1")
    assert info.value.key == key


@pytest.mark.parametrize(
    ("code", "key"),
    [
        (
            ' INCLUDEPICTURE "https://evil.example/x.png" \\* MERGEFORMATINET ',
            "upload.office_field_fetch",
        ),
        (" includetext C:\\\\secret.docx ", "upload.office_field_fetch"),
        (" IMPORT x.wmf ", "upload.office_field_fetch"),
        (" DDE excel x ", "upload.office_dde"),
        (' HYPERLINK "file:///C:/x.exe" ', "upload.link_scheme"),
        (' HYPERLINK \\l "_Toc1" ', None),
        (' HYPERLINK "https://jdih.kemenag.go.id/" \\o "JDIH" ', None),
        (" MERGEFIELD Nama ", None),
        (" PAGE ", None),
        ("", None),
    ],
)
def test_which_word_fields_are_refused(code, key):
    if key is None:
        fields.check_field(code, "word/document.xml")
        return
    with pytest.raises(UploadRefused) as info:
        fields.check_field(code, "word/document.xml")
    assert info.value.key == key


def test_a_plainly_harmless_sheet_is_not_parsed(tmp_path, monkeypatch):
    """Reading every cell of a large sheet costs seconds: a part is parsed only when its bytes
    leave a doubt (UTF-16 ones always)."""
    parsed: list[str] = []
    real = formulas.elements

    def recording(zf, name):
        parsed.append(name)
        return real(zf, name)

    monkeypatch.setattr(formulas, "elements", recording)
    check(tmp_path, hostile_office.xlsx_ordinary_formulas(), "rekap.xlsx")
    assert parsed == []
    with pytest.raises(UploadRefused):
        check(tmp_path, hostile_office.xlsx_dde_utf16(), "rekap.xlsx")
    assert "xl/worksheets/sheet1.xml" in parsed


SHEET = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="urn:s"><sheetData><row r="1">'


@pytest.mark.parametrize(
    ("cells", "harmless"),
    [
        (b'<c r="A1"><f>SUM(B1:B3)</f><v>3</v></c>', True),
        (
            b'<c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f></c><c><f si="0" t="shared"/></c>',
            True,
        ),
        (b'<c r="A1" t="str"><f>HYPERLINK("https://x.example/"&amp;B1)</f></c>', True),
        (b'<c r="A1"><x:f xmlns:x="urn:s">1+1</x:f></c>', True),
        (b"<c r=\"A1\"><f>cmd|' /C calc'!A0</f></c>", False),
        (b'<c r="A1"><x:f xmlns:x="urn:s">cmd|\'/c calc\'!A0</x:f></c>', False),
        (b'<c r="A1"><\xc3\xa4:f xmlns:\xc3\xa4="urn:s">cmd|\'x\'!A0</\xc3\xa4:f></c>', False),
        (b"<c r=\"A1\"><f>cmd&#124;'/c calc'!A0</f></c>", False),
        (b"<c r=\"A1\"><f>cmd<!-- -->|'/c calc'!A0</f></c>", False),
        (b"<c r=\"A1\"><f><![CDATA[cmd|'/c calc'!A0]]></f></c>", False),
        (b"<c r=\"A1\"><f a='\">\"'>cmd|'x'!A0</f></c>", False),  # a > inside an attribute
        (b"<c r=\"A1\"><f\n>cmd|'x'!A0</f\n></c>", False),
        (b'<c r="A1"><f>_xlfn.WEBSERVICE("https://x.example")</f></c>', False),
        (b'<c r="A1"><f>1+1</f></c><definedName name="x">cmd|\'a\'!A1</definedName>', False),
    ],
)
@pytest.mark.parametrize("chunk", [7, 1024 * 1024])
def test_the_byte_pre_read_leaves_no_formula_unread(monkeypatch, cells, harmless, chunk):
    """Every chunk boundary is tried with 7-byte chunks; a doubt means the part is parsed."""
    import io

    monkeypatch.setattr(formulas, "CHUNK", chunk)
    data = SHEET + cells + b"</row></sheetData></worksheet>"
    assert formulas._plainly_harmless(io.BytesIO(data)) is harmless
