"""``wbk assessment create --from`` and ``wbk assessment confirm`` as an operator types them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.integration.test_carry_migration import criteria_dir
from tests.integration.test_workspace import pdf_bytes
from tests.unit.test_catalog_migration import NEW_ID


@pytest.fixture
def wbk(tmp_path):
    env = {
        **os.environ,
        "WBK_DATA_DIR": str(tmp_path / "data"),
        "WBK_LANG": "id",
        "WBK_CRITERIA_DIR": str(criteria_dir(tmp_path)),
    }
    env.pop("WBK_DATABASE_URL", None)

    def run(*args, code: int = 0):
        proc = subprocess.run(
            [sys.executable, "-m", "wbk", *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == code, (
            f"wbk {args} -> {proc.returncode}\n{proc.stdout}{proc.stderr}"
        )
        return proc

    return run


def test_carry_forward_from_the_command_line(wbk, tmp_path):
    wbk("unit", "add", "KK-SMG", "Kankemenag Kota Semarang")
    wbk("unit", "add", "KK-DMK", "Kankemenag Kabupaten Demak")
    first = wbk("assessment", "create", "--unit", "KK-SMG", "--year", "2026").stdout
    source = first.strip().splitlines()[-1]
    answers = tmp_path / "jawaban.csv"
    answers.write_text("code,answer,note\nP.MP.i.a,Ya,SK terbit\nP.MP.iv.a,Ya,\n", encoding="utf-8")
    wbk("answers", "import", "--assessment", source, answers)
    sk = tmp_path / "SK Tim ZI.pdf"
    sk.write_bytes(pdf_bytes(1))
    wbk(
        "evidence",
        "add",
        "--assessment",
        source,
        "--question",
        "P.MP.i.a",
        "--date",
        "2026-01-05",
        sk,
    )

    out = wbk("assessment", "create", "--unit", "KK-SMG", "--year", "2027", "--from", source)
    lines = out.stdout.strip().splitlines()
    assert lines[0] == (
        f"Dibawa dari penilaian 2026 (#{source}): 2 jawaban, 1 penjelasan, 1 dokumen (1 revisi, "
        "berkas tidak disalin); jawaban ditandai belum dikonfirmasi."
    )
    new = lines[-1]
    assert new.isdigit() and new != source

    confirmed = wbk("assessment", "confirm", "--assessment", new, "--question", "P.MP.i.a")
    assert confirmed.stdout.strip() == "1 jawaban dikonfirmasi."

    # another unit's assessment cannot be the start, and the message says why (exit 2)
    refused = wbk(
        "assessment", "create", "--unit", "KK-DMK", "--year", "2027", "--from", source, code=2
    )
    assert "hanya penilaian unit yang sama yang dapat dibawa" in refused.stderr
    assert "Traceback" not in refused.stderr

    # to the new LKE version: the map is applied, what cannot come along is listed
    out = wbk(
        "assessment",
        "create",
        "--unit",
        "KK-SMG",
        "--year",
        "2028",
        "--from",
        source,
        "--catalog",
        NEW_ID,
    ).stdout
    assert "2 jawaban tidak dibawa (dibiarkan kosong):" in out
    assert "  P.MP.iv.a: skala jawaban berubah (dari P.MP.iv.a)" in out
    assert "  P.TT.i.d: pertanyaan baru" in out
    assert f"Penilaian KK-SMG tahun 2028 ({NEW_ID}) dibuat; id:" in out
