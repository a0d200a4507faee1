"""The two letters of a ZI proposal (PermenPANRB 5/2024): the Surat Pengajuan Evaluasi from
the head of the agency to the Menteri PANRB, and the Surat Pernyataan Tanggung Jawab Mutlak
(SPTJM) that goes with it. Plain ``LetterData`` in, .docx bytes out."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from wbk.catalog.contract import PORTALRB_PREDICATES
from wbk.i18n import fmt_date, t
from wbk.reports.docx_tools import (
    add_field,
    add_letterhead,
    indent_table,
    keep_row_whole,
    paragraph_borders,
    repeat_header,
    set_widths,
    shade,
)

FONT = "Arial"
SIZE = Pt(11)
TEXT_CM = 16.0  # A4 less the margins (3 cm left, 2 cm right)
DOTS = "." * 40
INDENT = Cm(1.25)
HEADER_FILL = "E7E6E6"

# How the head of an agency is called, from the agency's name (Indonesian names only; any
# other name gives "Kepala <name>"). The jabatan can always be given instead.
HEAD_TITLES = (
    ("Kementerian ", "Menteri "),
    ("Pemerintah Provinsi ", "Gubernur "),
    ("Pemerintah Kabupaten ", "Bupati "),
    ("Pemerintah Kota ", "Wali Kota "),
)


@dataclass(frozen=True, slots=True)
class ProposedUnit:
    """A unit in the letter's table: its predicate (``WBK``/``WBBM``) and PortalRB's
    category (``WBK``, ``WBK-AFIRMASI`` or ``WBBM``)."""

    code: str
    name: str
    predicate: str
    kategori: str


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signs and the letter's number and place; an empty field is a dotted line for the
    head's office to fill in by hand."""

    title: str = ""  # jabatan
    name: str = ""
    nip: str = ""
    place: str = ""  # the city on the date line
    number: str = ""  # nomor surat


@dataclass(frozen=True, slots=True)
class LetterData:
    agency_code: str
    agency_name: str
    year: int
    units: tuple[ProposedUnit, ...]
    issued_on: date
    signer: Signer
    letterhead: tuple[bytes, str | None] | None = None  # logo bytes and lines (branding)


def head_title(agency_name: str, lang: str = "id") -> str:
    """The jabatan of the agency's head: ``Menteri Agama`` for ``Kementerian Agama``,
    ``Bupati Contoh`` for ``Pemerintah Kabupaten Contoh``, else ``Kepala <name>``."""
    name = " ".join(agency_name.split())
    if lang == "id":
        for prefix, title in HEAD_TITLES:
            if name.lower().startswith(prefix.lower()):
                return title + name[len(prefix) :]
    return t("letters.head_default", lang=lang, name=name)


def build_letter(data: LetterData, lang: str = "id") -> bytes:
    """The Surat Pengajuan Evaluasi: kop, Nomor/Sifat/Lampiran/Hal, the addressee, the body
    citing PermenPANRB 90/2021 as amended by 5/2024, the numbered table of proposed units,
    the SPTJM attached, and the head's signature block."""
    doc = _document(data)
    signer = data.signer
    predicates = (
        t("letters.menuju", lang=lang)
        + " "
        + t("letters.and", lang=lang).join(
            p for p in PORTALRB_PREDICATES if any(u.predicate == p for u in data.units)
        )
    )
    _para(doc, _place_date(data, lang)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    rows = [
        (t("letters.number", lang=lang), signer.number or DOTS),
        (t("letters.nature", lang=lang), t("letters.nature_value", lang=lang)),
        (t("letters.attachment", lang=lang), t("letters.attachment_value", lang=lang)),
        (
            t("letters.subject", lang=lang),
            t("letters.subject_value", lang=lang, predicates=predicates, year=data.year),
        ),
    ]
    _label_table(doc, rows, 2.4)
    _gap(doc)
    for key in ("to", "to_cq", "to_at", "to_city"):
        para = _para(doc, t(f"letters.{key}", lang=lang), space_after=0)
        if key == "to_city":
            para.paragraph_format.left_indent = Cm(0.6)
    _gap(doc)
    _para(doc, t("letters.salutation", lang=lang))
    _body(
        doc,
        t(
            "letters.body_intro",
            lang=lang,
            regulation=t("letters.regulation", lang=lang),
            count=len(data.units),
            agency=data.agency_name,
            year=data.year,
        ),
    )
    _units_table(doc, data.units, lang)
    _body(doc, t("letters.body_sptjm", lang=lang))
    _body(doc, t("letters.body_close", lang=lang))
    _signature(doc, [(signer.title or DOTS) + ","], signer, lang)
    return _bytes(doc)


def build_sptjm(data: LetterData, lang: str = "id") -> bytes:
    """The SPTJM: who signs (Nama, NIP, Jabatan, Instansi), the statement that every datum of
    the units listed is true, complete and accountable and that the signer bears full
    responsibility, the place and date, and the signature over a meterai."""
    doc = _document(data)
    signer = data.signer
    title = _para(doc, t("letters.sptjm_title", lang=lang), space_after=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].bold = title.runs[0].underline = True
    number = _para(doc, f"{t('letters.number', lang=lang)}: {signer.number or DOTS}")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _gap(doc)
    _para(doc, t("letters.sptjm_undersigned", lang=lang), space_after=2)
    identity = [
        (t("letters.name", lang=lang), signer.name or DOTS),
        (t("letters.nip", lang=lang), signer.nip or DOTS),
        (t("letters.position", lang=lang), signer.title or DOTS),
        (t("letters.agency", lang=lang), data.agency_name),
    ]
    _label_table(doc, identity, 3.0)
    _gap(doc)
    _para(doc, t("letters.sptjm_declare", lang=lang))
    _item(doc, 1, t("letters.sptjm_true", lang=lang, year=data.year, agency=data.agency_name))
    _units_table(doc, data.units, lang, indent_cm=0.75)
    _item(doc, 2, t("letters.sptjm_responsible", lang=lang))
    _body(doc, t("letters.sptjm_close", lang=lang))
    heading = [_place_date(data, lang), t("letters.sptjm_signs", lang=lang)]
    _signature(doc, heading, signer, lang, meterai=True)
    return _bytes(doc)


# --- parts ---------------------------------------------------------------------------------


def _document(data: LetterData):
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(1.75), Cm(2)
    section.header_distance = Cm(0.9)
    # from the second page on, the page number at the top ("- 2 -"); the first has the kop
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run("- ")
    add_field(number, "PAGE", "2")
    number.add_run(" -")
    image, text = data.letterhead or (None, None)
    # without a letterhead set for the unit (or above it), the agency's name stands as the kop
    add_letterhead(doc, image, text or data.agency_name.upper(), logo_cm=2.0, kop=True)
    _gap(doc)
    return doc


def _para(doc, text: str, space_after: float = 6):
    para = doc.add_paragraph()
    para.add_run(text)
    para.paragraph_format.space_after = Pt(space_after)
    return para


def _gap(doc) -> None:
    doc.add_paragraph()


def _body(doc, text: str) -> None:
    para = _para(doc, text)
    para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para.paragraph_format.first_line_indent = INDENT
    para.paragraph_format.space_before = Pt(6)


def _item(doc, number: int, text: str) -> None:
    """A numbered point with a hanging indent (no numbering definitions to go astray)."""
    para = _para(doc, f"{number}.\t{text}")
    para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para.paragraph_format.left_indent = Cm(0.75)
    para.paragraph_format.first_line_indent = Cm(-0.75)
    para.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))
    para.paragraph_format.space_before = Pt(6)


def _label_table(doc, rows: list[tuple[str, str]], label_cm: float) -> None:
    """``Label : value`` lines aligned on the colon (a table without borders)."""
    table = doc.add_table(rows=0, cols=3)
    for label, value in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, (label, ":", value), strict=True):
            _cell_text(cell, text)
    set_widths(table, [label_cm, 0.4, TEXT_CM - label_cm - 0.4])


def _cell_text(cell, text: str, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold


def _place_date(data: LetterData, lang: str) -> str:
    place = data.signer.place.strip() or "." * 20
    return f"{place}, {fmt_date(data.issued_on, lang)}"


def _units_table(doc, units: tuple[ProposedUnit, ...], lang: str, indent_cm: float = 0) -> None:
    headers = [
        t("letters.col_no", lang=lang),
        t("letters.col_unit", lang=lang),
        t("letters.col_predicate", lang=lang),
        t("letters.col_kategori", lang=lang),
    ]
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    indent_table(table, indent_cm)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, text, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shade(cell, HEADER_FILL)
    for n, unit in enumerate(units, start=1):
        cells = table.add_row().cells
        values = (
            f"{n}.",
            unit.name,
            t("letters.menuju", lang=lang) + " " + unit.predicate,
            unit.kategori,
        )
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell_text(cell, text)
            if i != 1:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows:
        keep_row_whole(row)  # a unit's name never runs over two pages
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(2)
            cell.paragraphs[0].paragraph_format.space_after = Pt(2)
    repeat_header(table)
    set_widths(table, [1.2, TEXT_CM - indent_cm - 8.2, 3.5, 3.5])


def _signature(doc, heading: list[str], signer: Signer, lang: str, meterai: bool = False) -> None:
    """The signature block on the right half: ``heading`` lines (the jabatan, or the place,
    date and "Yang membuat pernyataan"), room to sign (over a meterai for the SPTJM), the
    name and the NIP."""
    # the closing words stay on the page of the signature, and the block is never split
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _gap(doc)
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, [TEXT_CM - 8.0, 8.0])
    keep_row_whole(table.rows[0])
    cell = table.rows[0].cells[1]
    cell.paragraphs[0].add_run(heading[0])
    for line in heading[1:]:
        cell.add_paragraph(line)
    if meterai:  # the SPTJM is signed over a duty stamp
        box = cell.add_paragraph()
        box.paragraph_format.space_before = Pt(8)
        box.paragraph_format.space_after = Pt(8)
        box.paragraph_format.right_indent = Cm(4.4)
        box.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = box.add_run(t("letters.meterai", lang=lang))
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
        paragraph_borders(box, color="808080", space=8)
    else:
        for _ in range(4):
            cell.add_paragraph()
    name = cell.add_paragraph()
    run = name.add_run(signer.name or DOTS)
    run.bold = bool(signer.name)
    run.underline = bool(signer.name)
    cell.add_paragraph(f"{t('letters.nip', lang=lang)} {signer.nip or '.' * 30}")


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
