"""Surveys in the workspace: IKM results stored per period, attached as P.PP.iv evidence;
IPAK / IPKP values entered for the result component; the ``wbk ikm`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction as F

import pytest

from wbk.errors import PermissionDenied
from wbk.services.assessment import assessments, evidence
from wbk.services.surveys import surveys

CSV = b"U1;U2;U3;U4;U5;U6;U7;U8;U9;Layanan\n4;4;4;4;4;4;4;4;4;Nikah\n3;4;3;3;4;4;3;3;4;Haji\n"


def test_ikm_saved_per_period_and_attached_as_evidence(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    computation = surveys.compute_ikm(CSV, "skm.csv", service_column="Layanan")
    stored = surveys.save_ikm(ws, act["koordinator"], a, computation, "2026-T1")
    assert stored.result.ikm == F(67, 18) * 25 and stored.result.category == "A"
    history = surveys.ikm_history(ws, act["pimpinan"], a)
    assert [(r.period, r.service) for r in history] == [
        ("2026-T1", ""),
        ("2026-T1", "Haji"),
        ("2026-T1", "Nikah"),
    ]
    assert history[1].result.ikm == F(31, 9) * 25  # recomputed exactly from stored sums
    docs = evidence.list_evidence(ws, act["pimpinan"], a)
    assert docs[0].codes == ["P.PP.iv.a", "P.PP.iv.b", "P.PP.iv.c"]
    assert docs[0].latest.media_type == "application/pdf"


def test_only_editors_of_area_pp_may_save(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    computation = surveys.compute_ikm(CSV, "skm.csv")
    for who in ("pimpinan", "agen"):  # the demo agen is limited to area MP
        with pytest.raises(PermissionDenied):
            surveys.save_ikm(ws, act[who], a, computation, "2026-T2")
    assert surveys.ikm_history(ws, act["pimpinan"], a) == []


def test_ipak_and_ipkp_values_feed_the_result_component(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    surveys.set_survey_value(ws, act["koordinator"], a, "ipak", "3.60")
    index, n = surveys.survey_index(b"q1,q2\n4,3\n4,4\n3,3\n", "ipkp.csv", ["q1", "q2"])
    assert (index, n) == (F(7, 2), 3)  # mean of item means (11/3 and 10/3)
    surveys.set_survey_value(ws, act["koordinator"], a, "ipkp", index)
    _, card, _ = assessments.score_assessment(ws, act["pimpinan"], a)
    assert card.results["ipak"].score == F("15.75")
    assert card.results["ipkp"].score == F("15.3125")


def test_ikm_command(tmp_path):
    path = tmp_path / "skm.csv"
    path.write_bytes(CSV)
    env = {**os.environ, "WBK_DATA_DIR": str(tmp_path / "data")}
    run = [sys.executable, "-m", "wbk", "ikm", str(path), "--json", "--service-column", "Layanan"]
    data = json.loads(
        subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    )
    assert data["respondents"] == 2
    assert data["elements"]["U1"] == {"nrr": 3.5, "weighted": pytest.approx(3.5 / 9)}
    assert data["ikm"] == pytest.approx(93.0555555) and data["category"] == "A"
    assert data["by_service"]["Haji"]["category"] == "B"
    legacy = json.loads(
        subprocess.run(
            [*run, "--weights", "legacy"], env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    assert legacy["ikm"] == pytest.approx(93.0555555 * 0.999)
    bad = tmp_path / "bad.csv"
    bad.write_text("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,9\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "wbk", "ikm", str(bad)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "baris 2: nilai di luar skala 1–4" in proc.stderr
