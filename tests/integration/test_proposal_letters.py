"""The letters that send a year's proposals (PermenPANRB 5/2024) on SQLite and PostgreSQL: the
Surat Pengajuan Evaluasi lists exactly the units proposed at or below the agency, with their
predicates; the SPTJM names them and its signer; who may write them; ``wbk proposal letter``
and ``wbk proposal sptjm``; both open in LibreOffice."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from typer.testing import CliRunner

from tests.integration.test_letterhead_pdf import image_bytes
from tests.integration.test_reports import convert
from wbk.errors import NotFound, PermissionDenied
from wbk.services.assessment import assessments, branding
from wbk.services.people import people
from wbk.services.portalrb import letters, proposals
from wbk.services.portalrb.letters import NothingProposed, Signer
from wbk.settings import get_settings

DAY = date(2026, 12, 7)
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TABLE_HEAD = ["No.", "Unit Kerja/Satuan Kerja", "Usulan Predikat", "Kategori"]


@pytest.fixture
def proposed(world):
    """The world's Kanwil (KW: A, B) with KW itself proposed for WBBM and A for WBK under
    afirmasi; B proposed and withdrawn; C, under another Kanwil, proposed too."""
    ws, op, act = world["ws"], world["op"], world["actors"]
    people.add_user(ws, op, "koord_kw", password="rahasia-123", role="koordinator", unit_code="KW")
    act["koord_kw"] = people.actor_for(ws, "koord_kw")
    people.add_unit(ws, op, "KW2", "Kanwil Lain", kind="kanwil")
    people.add_unit(ws, op, "C", "Kankemenag Kota C", parent_code="KW2")
    for code in ("KW", "C"):
        assessments.create_assessment(ws, op, code, 2026)
    assessments.create_assessment(ws, op, "A", 2027)
    proposals.set_proposal(ws, op, "KW", 2026, "WBBM", reason="uji")
    proposals.set_proposal(ws, act["koord_kw"], "A", 2026, "WBK", afirmasi=True, reason="uji")
    proposals.set_proposal(ws, act["koord_kw"], "B", 2026, "WBK", reason="uji")
    proposals.remove_proposal(ws, act["koord_kw"], "B", 2026)
    proposals.set_proposal(ws, op, "C", 2026, "WBK", reason="uji")
    proposals.set_proposal(ws, act["koord_kw"], "A", 2027, "WBBM", reason="uji")
    return world


def units_table(docx: bytes) -> list[list[str]]:
    doc = Document(io.BytesIO(docx))
    [table] = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == TABLE_HEAD]
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def all_text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def images(doc) -> list[bytes]:
    blips = doc.element.body.iter(f"{{{DRAWING}}}blip")
    return [doc.part.related_parts[b.get(f"{{{RELS}}}embed")].blob for b in blips]


def test_the_letter_lists_exactly_the_units_proposed_below_the_agency(proposed):
    ws, act = proposed["ws"], proposed["actors"]
    made = letters.build(ws, act["koord_kw"], "letter", "KW", 2026, today=DAY, lang="id")
    assert units_table(made.content) == [
        ["1.", "Kanwil Contoh", "Menuju WBBM", "WBBM"],
        ["2.", "Kankemenag Kota A", "Menuju WBK", "WBK-AFIRMASI"],
    ]
    text = all_text(made.content)
    # not the withdrawn proposal, not another Kanwil's unit
    assert "Kankemenag Kota B" not in text and "Kankemenag Kota C" not in text
    doc = Document(io.BytesIO(made.content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "KANWIL CONTOH"  # no letterhead set: the agency's name is the kop
    assert paragraphs[2].endswith("...., 7 Desember 2026")  # no place given: dots to fill
    for line in (
        "Yth. Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        "c.q. Deputi Bidang Reformasi Birokrasi, Akuntabilitas Aparatur dan Pengawasan",
    ):
        assert line in paragraphs
    assert "Pengajuan Evaluasi Pembangunan Zona Integritas Menuju WBK dan WBBM Tahun 2026" in text
    for cited in (
        "Nomor 90 Tahun 2021",
        "sebagaimana telah diubah dengan Peraturan Menteri Pendayagunaan Aparatur Negara dan "
        "Reformasi Birokrasi Nomor 5 Tahun 2024",
        "mengajukan 2 unit kerja/satuan kerja di lingkungan Kanwil Contoh",
        "Surat Pernyataan Tanggung Jawab Mutlak (SPTJM)",
    ):
        assert cited in text
    assert "Lampiran\n:\n1 (satu) berkas" in text
    assert "Kepala Kanwil Contoh," in text and "NIP ......" in text  # left for the head to fill
    assert made.file_name == "Surat Pengajuan Evaluasi ZI KW 2026.docx"

    # a unit's own letter holds itself only; another year its proposals of that year
    only_a = letters.build(ws, act["koord_kw"], "letter", "A", 2026, today=DAY).content
    assert units_table(only_a) == [["1.", "Kankemenag Kota A", "Menuju WBK", "WBK-AFIRMASI"]]
    assert "Zona Integritas Menuju WBK Tahun 2026" in all_text(only_a)
    later = letters.build(ws, act["admin"], "letter", "KW", 2027, today=DAY).content
    assert units_table(later) == [["1.", "Kankemenag Kota A", "Menuju WBBM", "WBBM"]]


def test_the_sptjm_names_its_signer_and_the_units_on_the_letterhead(proposed):
    ws, act, op = proposed["ws"], proposed["actors"], proposed["op"]
    logo = image_bytes()
    branding.set_logo(ws, op, "KW", logo, "logo.png", "KEMENTERIAN AGAMA\nKANWIL CONTOH")
    signer = Signer(
        name="Dr. H. Ahmad Contoh, M.Ag.",
        nip="197001011995031001",
        place="Semarang",
        number="B-12/Kw.11/OT.01/05/2026",
    )
    made = letters.build(ws, act["admin"], "sptjm", "KW", 2026, signer, "id", DAY)
    doc = Document(io.BytesIO(made.content))
    assert images(doc) == [logo]
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[1:3] == ["KEMENTERIAN AGAMA", "KANWIL CONTOH"]
    assert "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK" in paragraphs
    assert "Nomor: B-12/Kw.11/OT.01/05/2026" in paragraphs
    assert "Yang bertanda tangan di bawah ini:" in paragraphs
    identity = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert identity == [
        ["Nama", ":", "Dr. H. Ahmad Contoh, M.Ag."],
        ["NIP", ":", "197001011995031001"],
        ["Jabatan", ":", "Kepala Kanwil Contoh"],
        ["Instansi", ":", "Kanwil Contoh"],
    ]
    assert units_table(made.content) == [
        ["1.", "Kanwil Contoh", "Menuju WBBM", "WBBM"],
        ["2.", "Kankemenag Kota A", "Menuju WBK", "WBK-AFIRMASI"],
    ]
    text = all_text(made.content)
    assert "Evaluasi Pembangunan Zona Integritas Tahun 2026" in text
    assert "adalah benar, lengkap, sesuai dengan fakta, dan dapat dipertanggungjawabkan" in text
    assert "saya bertanggung jawab penuh (mutlak)" in text
    assert "Semarang, 7 Desember 2026\nYang membuat pernyataan," in text
    assert "Meterai\nRp10.000" in text
    assert "NIP 197001011995031001" in text
    assert made.file_name == "SPTJM ZI KW 2026.docx"


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("koordinator", "KW"),  # coordinates A, not the Kanwil above it
        ("koordinator", "B"),  # nor its sibling
        ("pimpinan", "A"),  # reads A, but the letters are sent by its koordinator
        ("tpi", "KW"),
        ("agen", "A"),
        ("agen_b", "KW"),
    ],
)
def test_only_a_koordinator_of_the_agency_or_above_or_an_admin_writes_them(proposed, who, unit):
    ws, act = proposed["ws"], proposed["actors"]
    for kind in letters.KINDS:
        with pytest.raises(PermissionDenied) as err:
            letters.build(ws, act[who], kind, unit, 2026)
        assert err.value.message("id") == (
            f"{who} tidak berhak membuat surat pengajuan {unit}: hanya koordinator unit itu "
            "(atau unit di atasnya) atau admin"
        )


def test_who_writes_them_and_what_the_page_offers(proposed):
    ws, act, op = proposed["ws"], proposed["actors"], proposed["op"]
    # the koordinator of A writes its own unit's letters (A is proposed by the Kanwil)
    made = letters.build(ws, act["koordinator"], "letter", "A", 2026)
    assert [row[1] for row in units_table(made.content)] == ["Kankemenag Kota A"]
    assert [c for c, _ in letters.letter_senders(ws, act["koord_kw"], 2026)] == ["A", "KW"]
    assert [c for c, _ in letters.letter_senders(ws, act["admin"], 2026)] == [
        "A",
        "C",
        "KW",
        "KW2",
    ]
    assert [c for c, _ in letters.letter_senders(ws, act["koordinator"], 2026)] == ["A"]
    assert letters.letter_senders(ws, act["pimpinan"], 2026) == []
    assert letters.letter_senders(ws, op, 2030) == []


def test_nothing_proposed_is_refused_plainly(proposed):
    ws, act = proposed["ws"], proposed["actors"]
    with pytest.raises(NothingProposed) as err:  # B's proposal was withdrawn
        letters.build(ws, act["koord_kw"], "letter", "B", 2026)
    assert err.value.message("id") == (
        "Tidak ada unit di B atau di bawahnya yang diusulkan untuk evaluasi tahun 2026; "
        "usulkan unitnya dulu (wbk proposal set)"
    )
    with pytest.raises(NothingProposed):
        letters.build(ws, act["koord_kw"], "sptjm", "KW", 2025)
    with pytest.raises(NotFound):
        letters.build(ws, act["admin"], "letter", "NOPE", 2026)


# --- the commands ----------------------------------------------------------------------------


@pytest.fixture
def cli(ws, monkeypatch):
    """``wbk ...`` in this process, on the test's workspace (either engine)."""
    from wbk.cli import app

    monkeypatch.setenv("WBK_DATA_DIR", str(ws.settings.data_dir))
    monkeypatch.setenv("WBK_LANG", "id")
    if ws.db.dialect == "postgresql":
        monkeypatch.setenv("WBK_DATABASE_URL", ws.db.url)
    else:
        monkeypatch.delenv("WBK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str, code: int = 0):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
        return result

    yield run
    get_settings.cache_clear()


def test_the_commands_write_both_letters_and_warn_after_the_deadline(proposed, cli, tmp_path):
    ws, op = proposed["ws"], proposed["op"]
    # years clear of the fixture's 2026 and 2027, before and after this year
    past, future = min(date.today().year - 1, 2025), max(date.today().year + 1, 2028)
    for year in (past, future):
        assessments.create_assessment(ws, op, "A", year)
        proposals.set_proposal(ws, op, "A", year, "WBK", reason="uji")

    out = tmp_path / "surat.docx"
    done = cli("proposal", "letter", "--unit", "KW", "--year", past, "--out", out,
               "--place", "Semarang", "--as", "koord_kw")  # fmt: skip
    assert f"Surat Pengajuan Evaluasi untuk KW tahun {past} (1 unit) ditulis ke {out}" in (
        done.stdout
    )
    assert "  1. A · Kankemenag Kota A · WBK" in done.stdout
    assert done.stderr.strip() == (
        f"Peringatan: batas pengajuan tahun {past} adalah 31 Mei {past} (kecuali TPN "
        f"mengumumkan tanggal lain); hari ini {letters_today()}."
    )
    assert units_table(out.read_bytes()) == [["1.", "Kankemenag Kota A", "Menuju WBK", "WBK"]]
    assert "Semarang, " in all_text(out.read_bytes())

    out = tmp_path / "sptjm.docx"
    done = cli("proposal", "sptjm", "--unit", "KW", "--year", future, "--out", out,
               "--name", "Budi", "--nip", "1970", "--as", "koord_kw")  # fmt: skip
    assert f"SPTJM untuk KW tahun {future} (1 unit) ditulis ke {out}" in done.stdout
    assert done.stderr == ""  # before 31 May of that year: no warning
    assert ["Nama", ":", "Budi"] in [
        [c.text for c in row.cells] for row in Document(str(out)).tables[0].rows
    ]

    refused = cli("proposal", "letter", "--unit", "KW", "--year", 2026, "--out", out,
                  "--as", "pimpinan", code=2)  # fmt: skip
    assert "tidak berhak membuat surat pengajuan KW" in refused.stderr
    refused = cli("proposal", "sptjm", "--unit", "KW", "--year", 2031, "--out", out, code=2)
    assert "Tidak ada unit di KW atau di bawahnya" in refused.stderr
    assert ["Nama", ":", "Budi"] in [  # a refused command leaves the earlier file alone
        [c.text for c in row.cells] for row in Document(str(out)).tables[0].rows
    ]


def letters_today() -> str:
    from wbk.i18n import fmt_date

    return fmt_date(date.today(), "id")


# --- LibreOffice -----------------------------------------------------------------------------


@pytest.mark.parametrize("ws", ["sqlite"], indirect=True)  # the conversion is engine-free
def test_both_letters_open_in_libreoffice_on_one_page_each(proposed, tmp_path):
    ws, op = proposed["ws"], proposed["op"]
    branding.set_logo(ws, op, "KW", image_bytes(), "logo.png", "KEMENTERIAN AGAMA\nKANWIL CONTOH")
    from pypdf import PdfReader

    for kind in letters.KINDS:
        made = letters.build(ws, op, kind, "KW", 2026, lang="id")
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(made.content)
        reader = PdfReader(convert(path, "pdf", tmp_path))
        assert len(reader.pages) == 1, kind
        text = " ".join(reader.pages[0].extract_text().split())
        assert "KANWIL CONTOH" in text and "Kankemenag Kota A" in text
        assert "Menuju WBBM" in text and "WBK-AFIRMASI" in text
        if kind == "sptjm":
            assert "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK" in text and "Meterai" in text
        else:
            assert "c.q. Deputi Bidang Reformasi Birokrasi" in text and "Kepala Kanwil" in text
