"""A unit's choice whether its IKM may stand in for IPKP, on both engines: off by default and
then refused; on, the stored IKM index becomes H.II.a labelled as a stand-in and uncertain."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from wbk.errors import InvalidInput, PermissionDenied
from wbk.services.assessment import assessments
from wbk.services.assessment.evidence_views import open_revision
from wbk.services.surveys import preferences as survey_prefs
from wbk.services.surveys import provenance as prov
from wbk.services.surveys import surveys
from wbk.store.tables import AuditEvent, Base

# Two questionnaires: all 4, and 3,4,3,3,4,4,3,3,4. Element sums 7,8,7,7,8,8,7,7,8 = 67, so
# the IKM index (1-4, before x25) = 67 / 2 / 9 = 67/18 = 3.7222..., IKM = 93.06.
CSV = b"U1;U2;U3;U4;U5;U6;U7;U8;U9\n4;4;4;4;4;4;4;4;4\n3;4;3;3;4;4;3;3;4\n"


def audit(ws, action: str) -> list[tuple[str, dict | None, dict | None]]:
    with ws.db.read() as s:
        rows = s.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        ).scalars()
        return [
            (e.actor, json.loads(e.before or "null"), json.loads(e.after or "null")) for e in rows
        ]


@pytest.fixture
def saved(world):
    ws, koord = world["ws"], world["actors"]["koordinator"]
    surveys.save_ikm(ws, koord, world["a"], surveys.compute_ikm(CSV, "skm.csv"), "2026-T1")
    return world


def test_the_migration_builds_the_table_the_code_uses(ws):
    with ws.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert not [d for d in diff if "unit_survey_pref" in repr(d)]


def test_off_by_default_and_using_ikm_for_ipkp_is_refused(saved):
    ws, act = saved["ws"], saved["actors"]
    assert survey_prefs.ikm_as_ipkp(ws, act["pimpinan"], "A") is False
    with pytest.raises(InvalidInput) as refused:
        survey_prefs.use_ikm_for_ipkp(ws, act["koordinator"], saved["a"], "2026-T1")
    assert "pengganti IPKP" in refused.value.message("id")
    assert "H.II.a" not in assessments.answers_of(ws, act["koordinator"], saved["a"])
    assert prov.provenance_for(ws, act["koordinator"], saved["a"]) == {}


def test_on_the_ikm_index_becomes_h_ii_a_labelled_as_a_stand_in(saved):
    ws, act = saved["ws"], saved["actors"]
    koord = act["koordinator"]
    assert survey_prefs.set_ikm_as_ipkp(ws, koord, "A", True) is True
    assert survey_prefs.ikm_as_ipkp(ws, act["pimpinan"], "A") is True
    [(who, before, after)] = audit(ws, "survey.ikm_as_ipkp")
    assert who == "koordinator" and before["ikm_as_ipkp"] is False and after["ikm_as_ipkp"]
    view = survey_prefs.use_ikm_for_ipkp(ws, koord, saved["a"], "2026-T1", expected_version=0)
    answer = assessments.answers_of(ws, koord, saved["a"])["H.II.a"]
    assert Fraction(answer.value) == Fraction("3.7222")  # 67/18 to four places
    assert (view.code, view.period, view.respondents, view.source) == (
        "H.II.a",
        "2026-T1",
        2,
        "ikm",
    )
    assert prov.STAND_IN in view.uncertain
    shown = prov.provenance_for(ws, act["pimpinan"], saved["a"])["H.II.a"]
    assert "IKM sebagai pengganti IPKP *" in shown.describe("id")
    assert "IKM standing in for IPKP *" in shown.describe("en")
    [(who, _, after)] = audit(ws, "survey.provenance")
    assert who == "koordinator" and after["source"] == "ikm" and after["uncertain"]
    _rev, blob = open_revision(ws, koord, view.evidence_id)
    assert blob.read().startswith(b"%PDF")
    # an unknown period is a clear message, nothing written
    with pytest.raises(InvalidInput) as missing:
        survey_prefs.use_ikm_for_ipkp(ws, koord, saved["a"], "2025-T4")
    assert "2025-T4" in missing.value.message("id")
    # turned off again, the use is refused once more (audited before/after)
    survey_prefs.set_ikm_as_ipkp(ws, act["admin"], "A", False)
    assert audit(ws, "survey.ikm_as_ipkp")[-1][1:] == (
        {"unit": "A", "ikm_as_ipkp": True},
        {"unit": "A", "ikm_as_ipkp": False},
    )
    with pytest.raises(InvalidInput):
        survey_prefs.use_ikm_for_ipkp(ws, koord, saved["a"], "2026-T1")


def test_an_agen_or_pimpinan_cannot_switch_it_and_nothing_changes(saved):
    ws, act = saved["ws"], saved["actors"]
    for who in ("agen", "pimpinan", "agen_b"):
        with pytest.raises(PermissionDenied):
            survey_prefs.set_ikm_as_ipkp(ws, act[who], "A", True)
    assert not survey_prefs.may_set(ws, act["agen"], "A")
    assert survey_prefs.may_set(ws, act["koordinator"], "A")
    assert survey_prefs.ikm_as_ipkp(ws, act["koordinator"], "A") is False
    assert audit(ws, "survey.ikm_as_ipkp") == []
