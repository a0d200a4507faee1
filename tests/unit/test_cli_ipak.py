"""``wbk ipak`` / ``wbk ipkp``: the JSON contract, the readable output with its uncertainty
marks, options for columns and groups, and every bad-input path exits 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from wbk.cli import app
from wbk.surveys.instruments import instruments_dir

runner = CliRunner()

SPAK_CSV = "No;Layanan;A1;A2;A3;A4;A5\n1;Nikah;4;4;4;4;4\n2;Haji;3;;3;2;4\n3;Nikah;4;3;;4;4\n"
SPKP_HEADER = "Layanan,P1,P2,P3,P4,P5,P6,P7,P8\n"


def write(tmp_path, text: str, name: str = "jawaban.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    # a fixed width, so the table cells checked below are not wrapped
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "140"})


def run_json(*args) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ipak_json_keys_and_values(tmp_path):
    data = run_json("ipak", write(tmp_path, SPAK_CSV))
    assert set(data) == {"respondents", "items", "index", "conversion", "points", "uncertain"}
    assert data["respondents"] == 3
    # A1 (4+3+4)/3, A2 (4+3)/2, A3 (4+3)/2, A4 (4+2+4)/3, A5 4
    assert data["items"]["A1"] == {"mean": pytest.approx(11 / 3), "answers": 3}
    assert data["items"]["A2"] == {"mean": 3.5, "answers": 2}
    assert data["items"]["A5"] == {"mean": 4, "answers": 3}
    assert data["index"] == pytest.approx(3.6)  # (11/3 + 7/2 + 7/2 + 10/3 + 4) / 5 = 18/5
    assert data["conversion"] == pytest.approx(90)  # 3.6 x 25
    assert data["points"] == pytest.approx(15.75)  # 3.6 / 4 x 17.5
    # blanks: the pooled mean 47/13 = 3.615 differs, so the method is flagged
    assert len(data["uncertain"]) == 1 and "3,615" in data["uncertain"][0]


def test_ipkp_by_service_and_sample(tmp_path):
    rows = "Nikah,4,4,4,4,4,4,4,4\nHaji,3,3,3,3,3,3,3,3\nHaji,4,4,4,4,3,3,3,3\n"
    data = run_json(
        "ipkp", write(tmp_path, SPKP_HEADER + rows), "--by-service", "Layanan", "--population", 1000
    )
    assert set(data) == {
        "respondents",
        "items",
        "index",
        "conversion",
        "points",
        "uncertain",
        "by_service",
        "sample",
    }
    assert list(data["items"]) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]
    # P1..P4 (4+3+4)/3 = 11/3, P5..P8 (4+3+3)/3 = 10/3 -> index 7/2
    assert data["index"] == pytest.approx(3.5)
    assert data["points"] == pytest.approx(15.3125)  # 3.5 / 4 x 17.5
    haji = data["by_service"]["Haji"]
    # P1..P4 3.5, P5..P8 3 -> 3.25, conversion 81.25
    assert haji["respondents"] == 2 and haji["index"] == pytest.approx(3.25)
    assert haji["conversion"] == pytest.approx(81.25)
    assert set(haji) == {"respondents", "items", "index", "conversion", "points", "uncertain"}
    assert data["by_service"]["Nikah"]["index"] == 4
    assert data["sample"] == {"population": 1000, "minimum": 278, "met": False}


def test_readable_output_is_indonesian_by_default(tmp_path):
    result = run("ipak", write(tmp_path, SPAK_CSV), "--population", 3)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "IPAK · Survei Persepsi Anti Korupsi (spak versi 1.0) · 3 responden" in out
    assert "Tidak ada diskriminasi pelayanan" in out
    assert "3,67" in out  # A1 11/3
    assert "Indeks 3,600 * (0–4)" in out and "nilai konversi 90,00 *" in out
    assert "nilai H.I.a 15,75 * dari 17,50" in out
    assert "minimal 3 untuk 3 penerima layanan" in out and "cukup" in out
    assert "* ada jawaban kosong" in out


def test_english_output(tmp_path):
    rows = "Nikah,4,4,4,4,4,4,4,4\nHaji,3,3,3,3,3,3,3,3\n"
    result = run("--lang", "en", "ipkp", write(tmp_path, SPKP_HEADER + rows))
    assert result.exit_code == 0, result.output
    # every item 3.5 -> index 3.5, converted 87.5, points 15.3125
    assert "Index 3.500 (0–4) · converted value 87.50 · H.II.a points 15.31 of 17.50" in (
        result.stdout
    )
    assert "*" not in result.stdout


def test_six_point_instrument_marks_the_values_and_explains(tmp_path):
    words = "\n".join(f"    {v}: {{id: bintang {v}, en: {v} stars}}" for v in range(1, 7))
    instrument = write(
        tmp_path,
        'id: bintang\nversion: "1"\nname: SPKP bintang\ntarget: H.II.a\n'
        f"scale:\n  min: 1\n  max: 6\n  words:\n{words}\n"
        "items:\n  - {code: B1, text: Pelayanan cepat}\n  - {code: B2, text: Petugas ramah}\n",
        "bintang.yaml",
    )
    answers = write(tmp_path, "B1,B2\n6,5\n4,3\n")
    result = run("ipkp", answers, "--instrument", instrument)
    assert result.exit_code == 0, result.output
    # means 5 and 4 -> 4.5 on 1-6 -> 1 + 3.5 x 3 / 5 = 3.1; x 25 = 77.5; / 4 x 17.5 = 13.5625
    assert "Indeks 3,100 * (0–4) · nilai konversi 77,50 * · nilai H.II.a 13,56 *" in result.stdout
    assert "* skala 1–6 dipetakan linear ke 1–4" in result.stdout
    data = run_json("ipkp", answers, "--instrument", instrument)
    assert data["index"] == pytest.approx(3.1) and data["items"]["B1"]["mean"] == 5
    assert len(data["uncertain"]) == 1


def test_items_and_map_options(tmp_path):
    text = "Q1,Q2,Q3,Q4,Q5,Calo\n4,3,4,3,4,1\n"
    path = write(tmp_path, text)
    data = run_json("ipak", path, "--items", "Q1,Q2,Q3,Q4,Q5")
    assert data["index"] == pytest.approx(3.6)  # (4+3+4+3+4)/5
    data = run_json("ipak", path, "--items", "Q1,Q2,Q3,Q4,Q5", "--map", "A5=Calo")
    assert data["index"] == pytest.approx(3)  # (4+3+4+3+1)/5


def test_bad_rows_exit_2_and_are_listed_by_line(tmp_path):
    text = "ID,A1,A2,A3,A4,A5\nr1,4,4,4,4,4\nr2,4,9,4,4,4\nr3,,,,,\nr1,3,3,3,3,3\n"
    result = run("ipak", write(tmp_path, text), "--id-column", "ID")
    assert result.exit_code == 2
    assert "3 dari 4 baris tidak valid; tidak ada yang dihitung" in result.stderr
    assert "baris 3: A2: nilai '9' di luar skala 1–4" in result.stderr
    assert "baris 4: tidak ada jawaban satu pun" in result.stderr
    assert "baris 5: ID responden r1 sudah dipakai di baris 2" in result.stderr
    assert result.stdout == ""


def test_skip_invalid_reports_the_skipped_lines(tmp_path):
    text = "ID,A1,A2,A3,A4,A5\nr1,4,4,4,4,4\nr2,4,9,4,4,4\nr3,3,3,3,3,3\n"
    data = run_json("ipak", write(tmp_path, text), "--id-column", "ID", "--skip-invalid")
    assert data["skipped_rows"] == [3]
    assert data["respondents"] == 2 and data["index"] == pytest.approx(3.5)  # (4 + 3) / 2
    result = run("ipak", write(tmp_path, text), "--skip-invalid")
    assert "1 baris tidak valid dilewati: baris 3" in result.stdout


def test_many_bad_rows_list_fifty_then_the_rest(tmp_path):
    text = "A1,A2,A3,A4,A5\n" + "5,4,4,4,4\n" * 60
    result = run("ipak", write(tmp_path, text))
    assert result.exit_code == 2
    assert "baris 51:" in result.stderr and "baris 52:" not in result.stderr
    assert "dan 10 lainnya" in result.stderr


def test_instrument_for_the_other_item_is_refused(tmp_path):
    answers = write(tmp_path, SPAK_CSV)
    result = run("ipkp", answers)  # SPKP's P1..P8 are not in a SPAK file
    assert result.exit_code == 2 and "Butir P1, P2" in result.stderr
    result = run("ipkp", answers, "--instrument", instruments_dir() / "spak.yaml")
    assert result.exit_code == 2
    assert "Instrumen spak mengisi H.I.a, bukan H.II.a" in result.stderr
    skm = run("ipkp", answers, "--instrument", instruments_dir() / "skm.yaml")
    assert skm.exit_code == 2 and "Instrumen skm tidak mengisi butir LKE mana pun" in skm.stderr


def test_broken_instrument_and_missing_files_exit_2(tmp_path):
    answers = write(tmp_path, SPAK_CSV)
    broken = write(tmp_path, "id: x\nversion: '1'\nname: X\ntarget: H.I.a\nitems: []\n", "x.yaml")
    result = run("ipak", answers, "--instrument", broken)
    assert result.exit_code == 2
    assert "x.yaml" in result.stderr and "tidak memiliki butir satu pun" in result.stderr
    result = run("ipak", answers, "--instrument", tmp_path / "tidak-ada.yaml")
    assert result.exit_code == 2 and "Instrumen survei tidak ditemukan" in result.stderr
    result = run("ipak", tmp_path / "tidak-ada.csv")
    assert result.exit_code == 2 and "tidak-ada.csv" in result.stderr
    result = run("ipak", answers, "--map", "A1")
    assert result.exit_code == 2 and "KODE=NamaKolom" in result.stderr
    result = run("ipak", answers, "--by-service", "Jenis")
    assert result.exit_code == 2 and "Kolom Jenis tidak ada" in result.stderr
