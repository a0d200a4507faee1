"""python-docx helpers for what it has no API for: fields, cell shading, repeating headers; and
the letterhead (a unit's logo and lines) every document that carries one draws the same way."""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC ...) that Word and LibreOffice compute."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def update_fields_on_open(document) -> None:
    """Ask Word to refresh the table of contents and page numbers when the file opens."""
    settings = document.settings.element
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    settings.append(flag)


def shade(cell: _Cell, hex_fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    props.append(shd)


def repeat_header(table: Table, rows: int = 1) -> None:
    """Mark the first rows as a header that repeats on every page."""
    for row in table.rows[:rows]:
        props = row._tr.get_or_add_trPr()
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        props.append(flag)


def indent_table(table: Table, cm: float) -> None:
    """The table's left edge ``cm`` from the margin (under a numbered point's text)."""
    ind = OxmlElement("w:tblInd")
    ind.set(qn("w:w"), str(int(cm * 567)))
    ind.set(qn("w:type"), "dxa")
    # in the schema's order: before borders, shading, layout, cell margins and tblLook
    table._tbl.tblPr.insert_element_before(
        ind, "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def keep_row_whole(row) -> None:
    """A table row that never breaks across pages (a signature block, a listed unit)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def set_widths(table: Table, widths_cm: list[float]) -> None:
    """Fixed column widths that both Word and LibreOffice honour (grid, cells, fixed layout)."""
    table.autofit = False
    tbl = table._tbl
    # in its place in the schema's order (Word refuses a tblLayout after the tblLook)
    tbl.tblPr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(width * 567)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def add_letterhead(
    doc, image: bytes | None, text: str | None, logo_cm: float = 2.6, kop: bool = False
) -> None:
    """A unit's letterhead: its logo centred, then its lines centred in bold (from the
    branding service). ``kop``: as an official letter's kop surat, the names (lines in
    capitals) bold, the address and contact lines under them smaller, and the double rule
    under it all."""
    last = None
    if image:
        last = doc.add_paragraph()
        last.alignment = WD_ALIGN_PARAGRAPH.CENTER
        last.add_run().add_picture(io.BytesIO(image), height=Cm(logo_cm))
    for line in (text or "").splitlines():
        if line.strip():
            last = doc.add_paragraph()
            last.alignment = WD_ALIGN_PARAGRAPH.CENTER
            last.paragraph_format.space_after = Pt(0)
            run = last.add_run(line.strip())
            detail = kop and line.strip() != line.strip().upper()
            run.bold = not detail
            run.font.size = Pt(9 if detail else 12)
    if kop and last is not None:
        border_below(last)


def border_below(paragraph: Paragraph, style: str = "thickThinSmallGap", size: int = 24) -> None:
    """A line under the paragraph, across the text width (the kop surat's double rule)."""
    paragraph_borders(paragraph, ("bottom",), style, size, "auto")


def paragraph_borders(
    paragraph: Paragraph,
    sides: tuple[str, ...] = ("top", "left", "bottom", "right"),
    style: str = "single",
    size: int = 4,
    color: str = "auto",
    space: int = 4,
) -> None:
    """Borders around a paragraph (``size`` in eighths of a point), placed where the schema
    wants them among the paragraph's properties so Word opens the file without repair."""
    props = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), style)
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), color)
        borders.append(edge)
    props.insert_element_before(borders, *PBDR_SUCCESSORS)


# what follows w:pBdr inside w:pPr (ECMA-376 CT_PPrBase order)
PBDR_SUCCESSORS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
