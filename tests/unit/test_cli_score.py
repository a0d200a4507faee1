"""``wbk score``: the readable table, the JSON contract, and every bad-input path exits 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.conftest import best_answers
from wbk.cli import app

runner = CliRunner()


def write_csv(tmp_path, text: str, name="answers.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_json_has_the_documented_keys_and_values(tmp_path, catalog):
    rows = "\n".join(f"{c},{a}" for c, a in best_answers(catalog).items())
    path = write_csv(tmp_path, "code,answer\n" + rows + "\n")
    result = run("score", path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "total",
        "pengungkit",
        "pemenuhan",
        "reform",
        "hasil",
        "areas",
        "subareas",
        "results",
        "verdict",
        "unanswered",
    ):
        assert key in data
    assert data["total"] == 100
    assert set(data["areas"]) == {
        f"{p}.{a}" for p in "PR" for a in ("MP", "TT", "SDM", "AK", "PW", "PP")
    } | {"MP", "TT", "SDM", "AK", "PW", "PP"}
    assert data["subareas"]["P.MP.i"] == 0.5
    assert set(data["results"]) == {
        "ipak",
        "capaian_kinerja",
        "ipkp",
        "bersih_akuntabel",
        "pelayanan_prima",
    }
    for pid in ("WBK", "WBBM"):
        verdict = data["verdict"][pid]
        assert verdict["passed"] is True
        assert {"id", "value", "minimum", "passed"} <= set(verdict["gates"][0])
    assert data["unanswered"] == []


def test_table_names_the_failing_gates(tmp_path):
    path = write_csv(tmp_path, "code,answer\nH.I.a,3.59\nH.II.a,3.2\n")
    result = run("score", path)
    assert result.exit_code == 0, result.output
    assert "Predikat WBK: BELUM MEMENUHI" in result.stdout
    assert "Syarat yang belum terpenuhi" in result.stdout
    assert "Nilai IPAK" in result.stdout
    assert "15,71" in result.stdout  # 3.59 / 4 x 17.5 = 15.70625, shown Indonesian style


def test_english_output(tmp_path):
    path = write_csv(tmp_path, "code,answer\nH.I.a,3.6\n")
    result = run("--lang", "en", "score", path)
    assert result.exit_code == 0
    assert "Predicate WBK: NOT MET" in result.stdout
    assert "15.75" in result.stdout


def test_semicolon_bom_note_and_counts(tmp_path):
    text = (
        "\ufeffcode;answer;note\n"
        "R.MP.i.a#perubahan;3;\nR.MP.i.a#agen;4;empat agen\nR.AK.i.a;0,8;x\n"
    )
    path = write_csv(tmp_path, text)
    result = run("score", path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["subareas"]["R.MP.i"] == 0.75
    assert data["subareas"]["R.AK.i"] == pytest.approx(1.6)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("code,answer\nP.MP.i.a,Ya\nP.MP.i.q,Ya\n", "baris 3: kode P.MP.i.q tidak ada di LKE"),
        ("code,answer\nP.MP.i.b,E\n", "baris 2: P.MP.i.b: jawaban 'E' tidak ada"),
        (
            "code,answer\nR.AK.i.a,-10%\n",
            "baris 2: R.AK.i.a: persentase '-10%' tidak boleh negatif",
        ),
        ("code,answer\nR.AK.i.a,sepuluh\n", "baris 2: R.AK.i.a: 'sepuluh' bukan angka"),
        ("code,answer\nH.II.a,4.5\n", "baris 2: H.II.a: nilai survei '4.5' harus antara 0 dan 4"),
        ("code,answer\nP.MP.i.a,Ya\nP.MP.i.a,Tidak\n", "baris 3: kode P.MP.i.a muncul dua kali"),
        ("kode,jawaban\nP.MP.i.a,Ya\n", "baris judul harus memuat kolom code dan answer"),
        ("code,answer\nR.AK.i.a,0,8\n", "baris 2: 3 kolom"),
        ("", "kosong"),
    ],
)
def test_bad_input_exits_2_naming_line_and_problem(tmp_path, body, expected):
    path = write_csv(tmp_path, body)
    result = run("score", path, "--json")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stdout == ""  # nothing half-scored


def test_binary_file_is_not_csv(tmp_path):
    path = tmp_path / "scan.csv"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    result = run("score", path)
    assert result.exit_code == 2
    assert "bukan berkas CSV" in result.stderr


def test_latin1_file_is_refused(tmp_path):
    path = write_csv(tmp_path, "code,answer\nP.MP.i.a,Ya\nP.MP.i.b,é\n", encoding="latin-1")
    result = run("score", path)
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr


def test_missing_file_and_bad_catalog(tmp_path):
    result = run("score", tmp_path / "nope.csv")
    assert result.exit_code == 2 and "tidak ditemukan" in result.stderr
    path = write_csv(tmp_path, "code,answer\nP.MP.i.a,Ya\n")
    bad = tmp_path / "cat.yaml"
    bad.write_text("id: [broken", encoding="utf-8")
    result = run("score", path, "--catalog", bad)
    assert result.exit_code == 2 and "cat.yaml" in result.stderr


def test_a_file_over_the_size_limit_says_so(tmp_path):
    path = tmp_path / "besar.csv"
    row = b"P.MP.i.a,Ya\n"  # 12 bytes
    path.write_bytes(b"code,answer\n" + row * (1024 * 1024 - 1))  # 1,048,576 x 12 B = 12 MiB
    result = run("score", path)
    assert result.exit_code == 2
    assert "besar.csv berukuran 12,00 MB; batas berkas jawaban 10 MB" in result.stderr
    assert "UTF-8" not in result.stderr  # the file is valid text: size is the reason
    result = run("--lang", "en", "score", path)
    assert "is 12.00 MB; the limit for an answers file is 10 MB" in result.stderr


def test_many_problems_list_the_first_fifty_and_count_the_rest(tmp_path):
    # 786,432 copies of one row (9.4 MB, under the 10 MiB limit): every copy after the
    # first is a duplicate, 786,431 problems; 50 are listed, 786,431 - 50 = 786,381 remain
    path = tmp_path / "ganda.csv"
    path.write_bytes(b"code,answer\n" + b"P.MP.i.a,Ya\n" * 786_432)
    result = run("score", path)
    assert result.exit_code == 2
    lines = result.stderr.rstrip("\n").split("\n")
    assert "(786.431 masalah)" in lines[0]
    listed = [line for line in lines if line.startswith("  - ")]
    assert len(listed) == 50
    assert listed[0] == "  - baris 3: kode P.MP.i.a muncul dua kali (pertama di baris 2)"
    assert listed[-1].startswith("  - baris 52: ")  # problems on lines 3..52
    assert lines[-1] == "  ... dan 786.381 masalah lainnya"
    assert len(lines) == 52


def test_the_error_keeps_every_problem_for_callers(tmp_path, catalog):
    from wbk.errors import AnswersError
    from wbk.formats.answers_csv import read_answer_rows
    from wbk.scoring import parse_answers

    path = write_csv(tmp_path, "code,answer\n" + "P.MP.i.a,Ya\n" * 120)
    with pytest.raises(AnswersError) as info:
        parse_answers(catalog, read_answer_rows(path))
    assert len(info.value.problems) == 119  # 120 rows, the first is not a duplicate
    text = info.value.message("en")
    assert text.count("\n  - ") == 50
    assert text.endswith("\n  ... and 69 more problems")  # 119 - 50


STRICTER_CASE = {  # P.TT 1,50 < 2,10 and P.PW 4,125 < 4,50; TT 5,00 and PW 11,625 pass
    "P.TT.ii.a": "C",
    "P.TT.ii.b": "C",
    "P.TT.ii.c": "C",
    "P.TT.ii.d": "C",
    "P.PW.iii.a": "C",
    "P.PW.iii.b": "Tidak",
    "P.PW.iii.c": "C",
    "P.PW.iii.d": "C",
    "P.PW.iv.a": "C",
    "P.PW.iv.b": "C",
    "P.PW.iv.c": "C",
    "P.PW.i.a": "B",
}


@pytest.mark.parametrize("reading", ["regulation", "strict"])
def test_the_area_reading_in_force_is_said_and_marked(tmp_path, catalog, monkeypatch, reading):
    from wbk.settings import get_settings

    monkeypatch.setenv("WBK_AREA_READING", reading)
    monkeypatch.setenv("WBK_LANG", "id")
    get_settings.cache_clear()
    try:
        answers = best_answers(catalog) | STRICTER_CASE
        rows = "\n".join(f"{c},{a}" for c, a in answers.items())
        path = write_csv(tmp_path, "code,answer\n" + rows + "\n")
        data = json.loads(run("score", path, "--json").stdout)
        text = run("score", path).stdout
    finally:
        get_settings.cache_clear()
    assert data["area_reading"] == reading
    gates = {g["id"]: g for g in data["verdict"]["WBK"]["gates"]}
    assert gates["area:P.TT"]["stricter"] is True and gates["area:TT"]["stricter"] is False
    if reading == "regulation":
        assert data["verdict"]["WBK"]["passed"] is True
        assert "†" not in text
    else:
        assert data["verdict"]["WBK"]["failing"] == ["area:P.TT", "area:P.PW"]
        assert "Area P.TT †" in text and "lebih ketat dari peraturan" in text
