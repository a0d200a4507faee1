"""``wbk plan``: the JSON contract, readable output in both languages, and bad input (exit 2,
line named)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.conftest import best_answers
from wbk.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def stricter_reading(monkeypatch):
    """These plans fix one Pemenuhan area on its own: the stricter reading a workspace may
    choose (WBK_AREA_READING=strict); the regulation's reading is tested in test_scoring."""
    from wbk.settings import get_settings

    monkeypatch.setenv("WBK_AREA_READING", "strict")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def answers_csv(tmp_path, catalog, **changes):
    answers = best_answers(catalog)
    answers.update(changes)
    path = tmp_path / "jawaban.csv"
    rows = "".join(f"{c},{a}\n" for c, a in answers.items())
    path.write_text("code,answer\n" + rows, encoding="utf-8")
    return path


@pytest.fixture
def one_area(tmp_path, catalog):
    # P.MP = 4 - 4 x 0.375 - 1/3 = 13/6 < 2.4 (only gate failing); the cheapest fix is
    # P.MP.iv.a Tidak -> Ya, +1.5/4 = 0.375 for one level (see test_planner.py).
    return answers_csv(
        tmp_path,
        catalog,
        **{
            "P.MP.iv.a": "Tidak",
            "P.MP.iv.b": "C",
            "P.MP.iv.c": "C",
            "P.MP.iv.d": "D",
            "P.MP.iii.a": "D",
        },
    )


def test_json_has_the_documented_shape(one_area):
    result = run("plan", one_area, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"target", "feasible", "effort", "steps", "before", "after", "blocking"}
    assert data["target"] == "WBK" and data["feasible"] is True
    assert data["effort"] == 1.0
    assert data["steps"] == [
        {"code": "P.MP.iv.a", "from": "Tidak", "to": "Ya", "gain": 0.375, "effort": 1.0}
    ]
    # Total before: 100 - 1.5 - 1/3 = 98.1667; after + 0.375 = 98.5417.
    assert data["before"] == {
        "total": pytest.approx(98 + 1 / 6, abs=1e-12),
        "pengungkit": pytest.approx(58 + 1 / 6, abs=1e-12),
        "passed": False,
    }
    assert data["after"]["total"] == pytest.approx(98 + 1 / 6 + 0.375, abs=1e-12)
    assert data["after"]["passed"] is True
    assert data["blocking"] == []


def test_json_with_a_budget_lists_the_gates_passed(one_area):
    result = run("plan", one_area, "--budget", "0", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["budget"] == 0.0 and data["steps"] == [] and data["feasible"] is False
    assert "total" in data["gates_passed"] and "area:P.MP" not in data["gates_passed"]
    assert data["gates_failing"] == ["area:P.MP"]


def test_json_names_a_blocking_result_gate(tmp_path, catalog):
    path = answers_csv(tmp_path, catalog, **{"H.I.a": "3.5"})  # IPAK 15.3125 < 15.75
    data = json.loads(run("plan", path, "--json").stdout)
    assert data["feasible"] is False and data["blocking"] == ["ipak"] and data["steps"] == []


def test_readable_output_in_indonesian(one_area):
    result = run("plan", one_area)
    assert result.exit_code == 0, result.output
    assert "Rencana termurah menuju WBK" in result.stdout
    assert "P.MP.iv.a" in result.stdout and "+0,38" in result.stdout  # 0.375, half up
    assert "Dengan langkah-langkah ini semua syarat WBK terpenuhi." in result.stdout


def test_english_output_and_the_blocking_message(tmp_path, catalog):
    path = answers_csv(tmp_path, catalog, **{"H.I.a": "3.5"})
    result = run("--lang", "en", "plan", path)
    assert result.exit_code == 0, result.output
    assert "Cheapest plan to WBK" in result.stdout
    assert "No plan passes every WBK gate; blocked by:" in result.stdout
    assert "IPAK score 15.31 < 15.75: the survey result, not the worksheet, must improve" in (
        result.stdout
    )


def test_effort_file_changes_the_plan(one_area, tmp_path):
    # iv.a at 2.5 per level, iv.c at 3: iv.b C -> A (two levels, effort 2) is now cheapest.
    effort = tmp_path / "upaya.csv"
    effort.write_text("code;effort\nP.MP.iv.a;2,5\nP.MP.iv.c;3\n", encoding="utf-8")
    data = json.loads(run("plan", one_area, "--effort", effort, "--json").stdout)
    assert data["steps"] == [
        {"code": "P.MP.iv.b", "from": "C", "to": "A", "gain": 0.375, "effort": 2.0}
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("code,effort\nP.MP.i.a,1\nP.MP.i.z,2\n", "baris 3: kode P.MP.i.z tidak ada di LKE"),
        ("code,effort\nR.MP.ii.a,-2\n", "baris 2: R.MP.ii.a: upaya '-2' tidak boleh negatif"),
        ("code,effort\nH.I.a,1\n", "baris 2: H.I.a adalah butir hasil"),
        ("code,effort\nP.MP.i.a,1\nP.MP.i.a,2\n", "baris 3: kode P.MP.i.a muncul dua kali"),
        ("code,effort\nP.MP.i.a,mudah\n", "baris 2: P.MP.i.a: upaya 'mudah' bukan angka"),
        ("kode,upaya\nP.MP.i.a,1\n", "baris judul harus memuat kolom code dan effort"),
    ],
)
def test_bad_effort_file_exits_2_naming_the_line(one_area, tmp_path, body, expected):
    effort = tmp_path / "upaya.csv"
    effort.write_text(body, encoding="utf-8")
    result = run("plan", one_area, "--effort", effort, "--json")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stdout == ""


def test_bad_target_budget_and_source_exit_2(one_area, tmp_path):
    result = run("plan", one_area, "--target", "WBX")
    assert result.exit_code == 2 and "WBX" in result.stderr
    result = run("--lang", "en", "plan", one_area, "--budget", "-3")
    assert result.exit_code == 2 and "Effort budget '-3'" in result.stderr
    result = run("plan")
    assert result.exit_code == 2 and "--assessment" in result.stderr
    result = run("plan", tmp_path / "tidak-ada.csv")
    assert result.exit_code == 2 and "tidak ditemukan" in result.stderr
    result = run("plan", one_area, "--effort", tmp_path / "tidak-ada.csv")
    assert result.exit_code == 2 and "Berkas upaya tidak ditemukan" in result.stderr
