"""The proposal letters from plain data (no database): the head's jabatan read from the
agency's name, the kop without a letterhead, dotted lines where nothing is given, and the
numbered table in the order given."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from wbk.reports.docx_letters import (
    LetterData,
    ProposedUnit,
    Signer,
    build_letter,
    build_sptjm,
    head_title,
)


@pytest.mark.parametrize(
    ("agency", "title"),
    [
        ("Kementerian Agama", "Menteri Agama"),
        ("Pemerintah Provinsi Jawa Tengah", "Gubernur Jawa Tengah"),
        ("Pemerintah Kabupaten  Demak", "Bupati Demak"),
        ("Pemerintah Kota Semarang", "Wali Kota Semarang"),
        ("Badan Pusat Statistik", "Kepala Badan Pusat Statistik"),
        (
            "Kanwil Kementerian Agama Provinsi Contoh",
            "Kepala Kanwil Kementerian Agama Provinsi Contoh",
        ),
    ],
)
def test_the_heads_title_comes_from_the_agencys_name(agency, title):
    assert head_title(agency) == title


def data(**signer: str) -> LetterData:
    return LetterData(
        agency_code="PEMKAB",
        agency_name="Pemerintah Kabupaten Contoh",
        year=2027,
        units=(
            ProposedUnit("RSUD", "RSUD Contoh", "WBBM", "WBBM"),
            ProposedUnit("DKP", "Dinas Kependudukan dan Pencatatan Sipil", "WBK", "WBK-AFIRMASI"),
        ),
        issued_on=date(2027, 3, 1),
        signer=Signer(**signer),
    )


def texts(docx: bytes) -> tuple[list[str], list[list[list[str]]]]:
    doc = Document(io.BytesIO(docx))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return [p.text for p in doc.paragraphs], tables


def test_a_letter_without_letterhead_or_signer_leaves_lines_to_fill():
    paragraphs, tables = texts(build_letter(data()))
    assert paragraphs[0] == "PEMERINTAH KABUPATEN CONTOH"  # the agency's name as the kop
    assert paragraphs[2] == "." * 20 + ", 1 Maret 2027"
    header, units, signature = tables
    assert header[0] == ["Nomor", ":", "." * 40]
    assert header[3] == [
        "Hal",
        ":",
        "Pengajuan Evaluasi Pembangunan Zona Integritas Menuju WBK dan WBBM Tahun 2027",
    ]
    assert units[1:] == [
        ["1.", "RSUD Contoh", "Menuju WBBM", "WBBM"],
        ["2.", "Dinas Kependudukan dan Pencatatan Sipil", "Menuju WBK", "WBK-AFIRMASI"],
    ]
    assert signature[0][1].split("\n")[0] == "." * 40 + ","
    assert signature[0][1].split("\n")[-2:] == ["." * 40, "NIP " + "." * 30]


def test_what_is_given_is_written_in():
    signer = {"title": "Bupati Contoh", "name": "Ir. Budi", "nip": "", "place": "Demak"}
    paragraphs, tables = texts(build_letter(data(**signer, number="100/12/2027")))
    assert paragraphs[2] == "Demak, 1 Maret 2027"
    assert tables[0][0] == ["Nomor", ":", "100/12/2027"]
    lines = tables[-1][0][1].split("\n")
    assert lines[0] == "Bupati Contoh," and lines[-2] == "Ir. Budi"
    paragraphs, tables = texts(build_sptjm(data(**signer)))
    assert tables[0] == [
        ["Nama", ":", "Ir. Budi"],
        ["NIP", ":", "." * 40],
        ["Jabatan", ":", "Bupati Contoh"],
        ["Instansi", ":", "Pemerintah Kabupaten Contoh"],
    ]
    assert tables[-1][0][1].split("\n")[:2] == ["Demak, 1 Maret 2027", "Yang membuat pernyataan,"]


# The order ECMA-376 gives the children of the property elements the letters write (Word
# refuses, or "repairs", a file whose properties are out of this order; LibreOffice does not).
SCHEMA_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
    "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi "
    "rtlGutter docGrid printerSettings",
}


@pytest.mark.parametrize("build", [build_letter, build_sptjm])
def test_the_word_xml_keeps_the_schemas_order(build):
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    signer = {"name": "Ir. Budi", "place": "Demak"}
    with zipfile.ZipFile(io.BytesIO(build(data(**signer)))) as docx:
        parts = [n for n in docx.namelist() if n.startswith(("word/document", "word/header"))]
        roots = [etree.fromstring(docx.read(n)) for n in parts]
    for tag, order in SCHEMA_ORDER.items():
        names = order.split()
        for root in roots:
            for element in root.iter(w + tag):
                kids = [etree.QName(k).localname for k in element]
                assert set(kids) <= set(names), (tag, kids)
                assert kids == sorted(kids, key=names.index), (tag, kids)
