"""The ``wbk`` workspace commands end to end, as an operator would type them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.integration.test_workspace import pdf_bytes


@pytest.fixture
def wbk(tmp_path):
    env = {**os.environ, "WBK_DATA_DIR": str(tmp_path / "data"), "WBK_LANG": "id"}
    env.pop("WBK_DATABASE_URL", None)

    def run(*args, stdin: str | None = None, check: bool = True):
        proc = subprocess.run(
            [sys.executable, "-m", "wbk", *map(str, args)],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"wbk {args} -> {proc.returncode}\n{proc.stdout}{proc.stderr}")
        return proc

    return run


def test_operator_flow(wbk, tmp_path):
    assert "Ruang kerja siap" in wbk("init").stdout
    wbk("init")  # idempotent
    wbk("unit", "add", "KW-JT", "Kanwil Kemenag Jawa Tengah", "--kind", "kanwil")
    wbk("unit", "add", "KK-SMG", "Kankemenag Kota Semarang", "--parent", "KW-JT")
    wbk(
        "user",
        "add",
        "budi",
        "--role",
        "agen",
        "--unit",
        "KK-SMG",
        "--areas",
        "MP",
        "--password-stdin",
        stdin="rahasia-panjang\n",
    )
    created = wbk("assessment", "create", "--unit", "KK-SMG", "--year", "2026").stdout
    assessment_id = created.strip().splitlines()[-1]
    assert assessment_id.isdigit()

    answers = tmp_path / "jawaban.csv"
    answers.write_text("code,answer,note\nP.MP.i.a,Ya,SK terbit\nH.I.a,3.6,\n", encoding="utf-8")
    assert (
        "2 jawaban berubah"
        in wbk("answers", "import", "--assessment", assessment_id, answers).stdout
    )
    pdf = tmp_path / "SK Tim ZI.pdf"
    pdf.write_bytes(pdf_bytes())
    out = wbk(
        "evidence",
        "add",
        "--assessment",
        assessment_id,
        "--question",
        "P.MP.i.a",
        "--date",
        "2026-01-05",
        pdf,
        "--as",
        "budi",
    ).stdout.split()
    assert out[0].isdigit() and len(out[1]) == 64

    scored = json.loads(wbk("score", "--assessment", assessment_id, "--json").stdout)
    assert scored["subareas"]["P.MP.i"] == 0.25
    assert scored["results"]["ipak"] == 15.75

    verified = wbk("verify")
    assert "0 masalah" in verified.stdout

    archive = tmp_path / "cadangan.zip"
    wbk("backup", archive)
    restored = wbk("restore", archive, "--to", tmp_path / "pulih")
    assert "1 berkas" in restored.stdout


def test_user_errors_exit_2_with_a_message(wbk, tmp_path):
    wbk("unit", "add", "A", "Unit A")
    wbk("user", "add", "budi", "--role", "agen", "--unit", "A", "--areas", "MP")
    aid = wbk("assessment", "create", "--unit", "A", "--year", "2026").stdout.split()[-1]
    denied = wbk("answers", "import", "--assessment", aid, tmp_path / "nope.csv", check=False)
    assert denied.returncode == 2 and "tidak ditemukan" in denied.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("code,answer\nP.SDM.i.a,Ya\n", encoding="utf-8")
    refused = wbk("answers", "import", "--assessment", aid, bad, "--as", "budi", check=False)
    assert refused.returncode == 2 and "budi tidak berhak" in refused.stderr
    dup = wbk("unit", "add", "A", "Unit A lagi", check=False)
    assert dup.returncode == 2 and "sudah ada" in dup.stderr
    exe = tmp_path / "laporan.pdf"
    exe.write_bytes(b"MZ" + b"\x00" * 100)
    up = wbk("evidence", "add", "--assessment", aid, "--question", "P.MP.i.a", exe, check=False)
    assert up.returncode == 2 and "laporan.pdf bukan PDF asli: isinya program Windows" in up.stderr
    assert "Traceback" not in up.stderr + refused.stderr + dup.stderr


def test_verify_exits_1_on_problems(wbk, tmp_path):
    wbk("unit", "add", "A", "Unit A")
    aid = wbk("assessment", "create", "--unit", "A", "--year", "2026").stdout.split()[-1]
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(pdf_bytes())
    sha = wbk("evidence", "add", "--assessment", aid, "--question", "P.MP.i.a", pdf).stdout.split()[
        1
    ]
    (tmp_path / "data" / "blobs" / sha[:2] / sha).unlink()
    result = wbk("verify", check=False)
    assert result.returncode == 1
    assert f"HILANG: berkas {sha}" in result.stdout


def test_document_commands(wbk, tmp_path):
    wbk("demo")
    out = tmp_path / "laporan.docx"
    assert "Ditulis" in wbk("report", "--assessment", "1", "--out", out).stdout
    assert out.stat().st_size > 20_000
    xlsx = tmp_path / "lke.xlsx"
    wbk("export-xlsx", "--assessment", "1", "--out", xlsx)
    dry = wbk("import-xlsx", xlsx, "--assessment", "1", "--dry-run").stdout
    assert "0 berubah" in dry
    binder = tmp_path / "berkas.zip"
    wbk("binder", "--assessment", "1", "--out", binder)
    import zipfile

    assert "manifest.csv" in zipfile.ZipFile(binder).namelist()
