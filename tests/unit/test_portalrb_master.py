"""``wbk catalog check-portalrb``: PortalRB's master list agrees with the catalog, and every
changed weight, text, multiplier or soal is named; a file that is not a master list exits 2."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import CATALOG_FILE
from wbk.cli import app
from wbk.i18n import set_language
from wbk.portalrb.master import MasterListError, compare_master, parse_master, read_master

# The copy inside the repository (CI checks out only the repository); the reference beside
# the workspace is ../shared/reference/portalrb/master-soal-lkezi-2026.json.
MASTER = Path(__file__).resolve().parents[1] / "data/portalrb/master-soal-lkezi-2026.json"
runner = CliRunner()


def run(*args):
    try:
        return runner.invoke(app, [str(a) for a in args])
    finally:
        set_language(None)  # a run's --lang must not reach the tests after it


@pytest.fixture
def master_copy(tmp_path) -> Path:
    path = tmp_path / "master.json"
    shutil.copyfile(MASTER, path)
    return path


def _raw(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _soal(raw: dict, soal_id: int) -> dict:
    def walk(nodes):
        for node in nodes:
            for s in node.get("soals", []):
                if s["id"] == soal_id:
                    return s
            found = walk(node.get("children", []))
            if found:
                return found
        return None

    return walk(raw["data"])


def _p_mp(raw: dict) -> dict:
    """A. PENGUNGKIT > I. PEMENUHAN > 1. MANAJEMEN PERUBAHAN."""
    node = raw["data"][0]["children"][0]["children"][0]
    assert node["nama"] == "1. MANAJEMEN PERUBAHAN"
    return node


def _write(path: Path, raw: dict) -> Path:
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_shipped_master_list_agrees_with_the_catalog(catalog, master_copy):
    master = read_master(master_copy)
    assert master.total_soal == 127 and len(master.soals) == 127
    assert compare_master(catalog, master) == []
    result = run("--lang", "en", "catalog", "check-portalrb", master_copy)
    assert result.exit_code == 0, result.output
    assert "agrees with catalog lke-zi-2021 (127 soal)" in result.stdout
    result = run("catalog", "check-portalrb", master_copy, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_one_weight_one_text_one_multiplier_changed_are_the_three_differences(master_copy):
    raw = _raw(master_copy)
    _p_mp(raw)["children"][0]["bobot_maksimal"] = 0.75  # i. Penyusunan Tim Kerja, ours 0.5
    _soal(raw, 15)["teks_pertanyaan"] = "Prosedur operasional tetap (SOP) telah diperbarui"
    abcd = _soal(raw, 6)["skema_penilaian"]  # P.MP.iii.a, A/B/C/D = 1/0.67/0.33/0
    assert abcd[1]["key"] == "B"
    abcd[1]["multiplier"] = 0.6
    _write(master_copy, raw)

    result = run("--lang", "en", "catalog", "check-portalrb", master_copy)
    assert result.exit_code == 1, result.output
    lines = [ln.strip() for ln in result.stdout.splitlines()]
    assert lines[0].endswith("differs from catalog lke-zi-2021 in 3 places:")
    assert lines[1:] == [
        "- soal 6 (P.MP.iii.a): multiplier B: PortalRB 0.6, catalog 0.67",
        "- soal 15 (P.TT.i.c): teks_pertanyaan: PortalRB 'Prosedur operasional tetap (SOP) "
        "telah diperbarui', catalog 'Prosedur operasional tetap (SOP) telah dievaluasi'",
        "- sub_area 'i. Penyusunan Tim Kerja' (P.MP.i): bobot_maksimal: PortalRB 0.75, catalog 0.5",
    ]

    result = run("catalog", "check-portalrb", master_copy, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "soal_id": 6,
            "code": "P.MP.iii.a",
            "level": None,
            "node": None,
            "field": "multiplier B",
            "portalrb": 0.6,
            "catalog": 0.67,
        },
        {
            "soal_id": 15,
            "code": "P.TT.i.c",
            "level": None,
            "node": None,
            "field": "teks_pertanyaan",
            "portalrb": "Prosedur operasional tetap (SOP) telah diperbarui",
            "catalog": "Prosedur operasional tetap (SOP) telah dievaluasi",
        },
        {
            "soal_id": None,
            "code": "P.MP.i",
            "level": "sub_area",
            "node": "i. Penyusunan Tim Kerja",
            "field": "bobot_maksimal",
            "portalrb": 0.75,
            "catalog": 0.5,
        },
    ]


def test_whitespace_is_not_a_difference_but_a_word_is(catalog, master_copy):
    raw = _raw(master_copy)
    _soal(raw, 1)["teks_pertanyaan"] = (
        "  Unit kerja telah membentuk   tim untuk\r\nmelakukan pembangunan Zona Integritas "
    )
    assert compare_master(catalog, parse_master(json.dumps(raw))) == []
    _soal(raw, 1)["teks_pertanyaan"] = "Unit kerja telah membentuk tim pembangunan Zona Integritas"
    (diff,) = compare_master(catalog, parse_master(json.dumps(raw)))
    assert (diff.soal_id, diff.code, diff.field) == (1, "P.MP.i.a", "teks_pertanyaan")


def test_answer_type_row_and_result_weight_are_compared(catalog, master_copy):
    raw = _raw(master_copy)
    _soal(raw, 7)["jenis_jawaban"] = "ABC"  # P.MP.iii.b is A-D
    _soal(raw, 88)["excel_baris"] = 125  # R.MP.i.a#agen sits on row 126
    _soal(raw, 125)["bobot_maksimal"] = 20  # IPAK weighs 17.5
    _soal(raw, 127)["jenis_jawaban"] = "0-5"  # IPKP is a 0-4 index
    got = [
        (d.soal_id, d.field, d.portalrb, d.catalog)
        for d in compare_master(catalog, parse_master(json.dumps(raw)))
    ]
    assert got == [
        (7, "jenis_jawaban", "ABC", "ABCD"),
        (88, "excel_baris", 125, 126),
        (125, "bobot_maksimal", Decimal(20), Decimal("17.5")),
        (127, "jenis_jawaban", "0-5", "0-4"),
    ]


def test_a_renumbered_soal_is_unknown_on_one_side_and_missing_on_the_other(catalog, master_copy):
    raw = _raw(master_copy)
    _soal(raw, 100)["id"] = 128
    raw["total_soal"] = 128
    lines = [d.line("en") for d in compare_master(catalog, parse_master(json.dumps(raw)))]
    assert lines == [
        "master list: total_soal: PortalRB 128, catalog 127",
        "soal 100 (R.SDM.i.a): soal_id: PortalRB (none), catalog 'R.SDM.i.a'",
        "soal 128: soal_id: PortalRB 'Ukuran kinerja individu telah berorientasi hasil "
        "(outcome) sesuai pada levelnya', catalog (none)",
    ]


def test_a_soal_moved_to_another_sub_area_is_named(catalog, master_copy):
    raw = _raw(master_copy)
    subareas = _p_mp(raw)["children"]
    subareas[0]["soals"].append(subareas[1]["soals"].pop(0))  # soal 3 (P.MP.ii.a) into P.MP.i
    lines = [d.line("en") for d in compare_master(catalog, parse_master(json.dumps(raw)))]
    assert lines == [
        "soal 3 (P.MP.ii.a): sub_area: PortalRB 'i. Penyusunan Tim Kerja', catalog 'P.MP.ii'"
    ]


def test_catalog_option_names_the_catalog_compared(tmp_path, master_copy):
    text = CATALOG_FILE.read_text(encoding="utf-8")
    changed = text.replace(
        "text: Sudah ditetapkan agen perubahan", "text: Telah ditetapkan agen perubahan", 1
    )
    assert changed != text
    path = tmp_path / "cat.yaml"
    path.write_text(changed, encoding="utf-8")
    result = run("catalog", "check-portalrb", master_copy, "--catalog", path, "--json")
    assert result.exit_code == 1, result.output
    (diff,) = json.loads(result.stdout)
    assert (diff["soal_id"], diff["code"], diff["catalog"]) == (
        10,
        "P.MP.iv.b",
        "Telah ditetapkan agen perubahan",
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("code,answer\nP.MP.i.a,Ya\n", "not JSON"),
        ('{"tahun": 2026, "total_soal": 127}', "data: expected list"),
        ('{"data": []}', "data: expected non-empty list"),
        ("[1, 2]", "/: expected object"),
        (
            '{"data": [{"level": "komponen", "nama": "A", "bobot_maksimal": 60, '
            '"soals": [{"id": "1", "teks_pertanyaan": "x", "jenis_jawaban": "ABC"}]}]}',
            "data[0].soals[0].id: expected integer",
        ),
        (
            '{"data": [{"level": "bab", "nama": "A", "bobot_maksimal": 60}]}',
            "data[0].level: expected komponen | sub_komponen | area_perubahan | sub_area",
        ),
    ],
)
def test_a_file_that_is_not_a_master_list_exits_2(tmp_path, content, expected):
    path = tmp_path / "not-master.json"
    path.write_text(content, encoding="utf-8")
    result = run("--lang", "en", "catalog", "check-portalrb", path)
    assert result.exit_code == 2
    assert f"{path} is not a PortalRB master question list" in result.stderr
    assert expected in result.stderr
    with pytest.raises(MasterListError):
        read_master(path)


def test_a_missing_file_exits_2(tmp_path):
    result = run("--lang", "en", "catalog", "check-portalrb", tmp_path / "nope.json")
    assert result.exit_code == 2 and "cannot be read" in result.stderr
