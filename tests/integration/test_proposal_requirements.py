"""PermenPANRB 5/2024's proposal requirements recorded per unit and year on SQLite and
PostgreSQL: agency-level values inherited down the tree (nearest wins, its unit named),
unit-level values the unit's own, who may record them, the audit, the exemption, the check
beside the LKE, a proposal of a unit that is not ready only with a reason, and the portfolio."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import best_answers
from wbk.errors import InvalidInput, NotFound, PermissionDenied
from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments, evidence
from wbk.services.core import integrity
from wbk.services.people import people
from wbk.services.portalrb import proposals, requirements
from wbk.services.portalrb.proposals import ReasonNeeded
from wbk.services.portfolio import portfolio
from wbk.store.tables import AuditEvent

AGENCY_OK = {"jenis_instansi": "kl", "opini_bpk": "WTP", "sakip": "BB", "indeks_rb": "BB"}
UNIT_OK = {
    "core_service": "ya",
    "significant_impact": "ya",
    "tindak_lanjut": "100",
    "lhkpn_lhkasn": "100",
    "zi_since": "2024",
    "sakip_internal": "BB",
}


@pytest.fixture
def tree(world):
    """KW (the agency) -> A, B; A2 below A; a koordinator of KW."""
    ws, op = world["ws"], world["op"]
    people.add_unit(ws, op, "A2", "Seksi di bawah A", parent_code="A")
    people.add_user(ws, op, "koord_kw", password="rahasia-123", role="koordinator", unit_code="KW")
    world["actors"]["koord_kw"] = people.actor_for(ws, "koord_kw")
    return world


def record(ws, who, unit, values, year=2026):
    for key, value in values.items():
        requirements.set_requirement(ws, who, unit, year, key, value)


def by_key(check):
    return {r.key: r for r in check.requirements}


def test_agency_values_hold_down_the_tree_and_the_nearest_wins(tree):
    ws, act = tree["ws"], tree["actors"]
    record(ws, act["koord_kw"], "KW", {**AGENCY_OK, "spip_level": "3"})
    record(ws, act["koord_kw"], "A", {"spip_level": "2"})  # A's own figure overrides KW's
    record(ws, act["koord_kw"], "A2", UNIT_OK)
    deep = by_key(requirements.check(ws, act["admin"], "A2", 2026))
    assert (deep["opini_bpk"].value, deep["opini_bpk"].set_on) == ("WTP", "KW")
    assert (deep["spip_level"].value, deep["spip_level"].set_on, deep["spip_level"].met) == (
        "2",
        "A",
        False,
    )
    b = by_key(requirements.check(ws, act["admin"], "B", 2026))
    assert (b["spip_level"].value, b["spip_level"].set_on, b["spip_level"].met) == ("3", "KW", True)
    # unit-level values are a unit's own: A2's are not B's, and not A's
    assert b["tindak_lanjut"].value is None and b["tindak_lanjut"].met is None
    a = by_key(requirements.check(ws, act["admin"], "A", 2026))
    assert a["core_service"].value is None
    # another year is another record
    other = by_key(requirements.check(ws, act["admin"], "B", 2027))
    assert other["opini_bpk"].value is None


def test_the_check_in_json_form(tree):
    ws, act = tree["ws"], tree["actors"]
    record(ws, act["koord_kw"], "KW", {**AGENCY_OK, "opini_bpk": "WDP"})
    data = requirements.check(ws, act["admin"], "B", 2026, "wbbm").to_dict()
    assert (data["unit"], data["year"], data["predicate"]) == ("B", 2026, "WBBM")
    assert data["ready"] is False and data["exempt"] is False
    rows = {r["key"]: r for r in data["requirements"]}
    assert set(rows) == set(AGENCY_OK) | {"spip_level"} | set(UNIT_OK)
    assert (rows["opini_bpk"]["met"], rows["opini_bpk"]["set_on"]) == (False, "KW")
    assert rows["indeks_rb"]["met"] is True and rows["sakip"]["met"] is True
    assert rows["spip_level"]["met"] is None and rows["spip_level"]["value"] is None
    assert {"key", "level", "label", "required", "value", "set_on", "met"} <= set(rows["sakip"])
    assert [c["key"] for c in data["lke"]] == ["answered", "counts", "evidence", "locked"]
    # nothing answered yet: every soal is missing, nothing lacks evidence, it is a draft
    assert [c["met"] for c in data["lke"]] == [False, True, True, False]
    assert "draft" in data["lke"][3]["message"]


def test_who_may_record_and_what_is_refused(tree):
    ws, act = tree["ws"], tree["actors"]
    # A's koordinator records A's own facts, not the agency's (KW is above A)
    requirements.set_requirement(ws, act["koordinator"], "A", 2026, "tindak_lanjut", "100")
    with pytest.raises(PermissionDenied):
        requirements.set_requirement(ws, act["koordinator"], "KW", 2026, "opini_bpk", "WTP")
    for who in ("agen", "pimpinan", "tpi", "agen_b"):
        with pytest.raises(PermissionDenied):
            requirements.set_requirement(ws, act[who], "A", 2026, "sakip", "A")
    with pytest.raises(InvalidInput) as err:
        requirements.set_requirement(ws, act["admin"], "KW", 2026, "sakip", "sangat baik")
    assert "AA, A, BB, B, CC, C, D" in err.value.message("id")
    with pytest.raises(InvalidInput) as err:
        requirements.set_requirement(ws, act["admin"], "KW", 2026, "opini", "WTP")
    assert "opini_bpk" in err.value.message("id")
    with pytest.raises(NotFound):
        requirements.set_requirement(ws, act["admin"], "KW", 2026, "sakip", "A", evidence_id=999)


def test_every_value_is_audited_with_who_and_when_and_verify_passes(tree):
    ws, act, op = tree["ws"], tree["actors"], tree["op"]
    doc = evidence.add_link(ws, op, tree["a"], ["P.MP.i.a"], "https://lhp.example.go.id", "LHP BPK")
    requirements.set_requirement(
        ws, act["koord_kw"], "KW", 2026, "opini_bpk", "wtp", evidence_id=doc.id, note="LHP 2025"
    )
    requirements.set_requirement(ws, act["admin"], "KW", 2026, "opini_bpk", "WDP")
    with ws.db.read() as s:
        events = (
            s.execute(select(AuditEvent).where(AuditEvent.action == "proposal.requirement"))
            .scalars()
            .all()
        )
        trail = [(e.actor, json.loads(e.before or "null"), json.loads(e.after)) for e in events]
    assert [(who, after["value"]) for who, _, after in trail] == [
        ("koord_kw", "WTP"),
        ("admin", "WDP"),
    ]
    assert trail[0][2]["evidence"] == doc.id and trail[0][2]["note"] == "LHP 2025"
    assert trail[1][1]["value"] == "WTP"  # what it was before
    row = by_key(requirements.check(ws, act["admin"], "A", 2026))["opini_bpk"]
    assert (row.set_by, row.value, row.set_at is not None) == ("admin", "WDP", True)
    assert integrity.verify(ws, op).ok


def make_lke_ready(world, catalog):
    ws, op, a = world["ws"], world["op"], world["b"]
    answers = best_answers(catalog)
    for code, q in catalog.questions.items():
        if q.formula is not None:
            answers.pop(code, None)
            answers.update({f"{code}#{i.name}": "1" for i in q.formula.inputs})
    answer_import.import_answers(ws, op, a, [AnswerRow(c, v) for c, v in answers.items()])
    evidence.add_link(ws, op, a, list(catalog.items), "https://arsip.example.go.id/zi", "Arsip")
    assessments.set_status(ws, op, a, "locked")


def test_ready_needs_the_lke_and_every_requirement_unless_exempt(tree, catalog):
    ws, act = tree["ws"], tree["actors"]
    make_lke_ready(tree, catalog)
    record(ws, act["koord_kw"], "KW", {**AGENCY_OK, "spip_level": "3"})
    record(ws, act["koord_kw"], "B", {k: v for k, v in UNIT_OK.items() if k != "lhkpn_lhkasn"})
    check = requirements.check(ws, act["admin"], "B", 2026, "WBBM")
    assert all(c.met for c in check.lke) and not check.ready
    assert (
        check.blocking() == ["Kepatuhan penyampaian LHKPN dan LHKASN (%): belum diisi"]
        or "LHKPN" in check.blocking()[0]
    )
    requirements.set_requirement(ws, act["koord_kw"], "B", 2026, "lhkpn_lhkasn", "100")
    assert requirements.check(ws, act["admin"], "B", 2026, "WBBM").ready
    # the same figures fall short of nothing for WBK, but an agency SAKIP of B does for WBBM
    requirements.set_requirement(ws, act["koord_kw"], "KW", 2026, "sakip", "B")
    assert requirements.check(ws, act["admin"], "B", 2026, "WBK").ready
    assert not requirements.check(ws, act["admin"], "B", 2026, "WBBM").ready

    # a regional Stranas PK unit: listed, not blocking
    requirements.set_requirement(ws, act["koord_kw"], "KW", 2026, "jenis_instansi", "pemda")
    requirements.set_requirement(ws, act["koord_kw"], "B", 2026, "stranas_pk", "ya")
    exempt = requirements.check(ws, act["admin"], "B", 2026, "WBBM")
    assert exempt.exempt and exempt.ready
    assert by_key(exempt)["sakip"].met is False  # still listed as open
    assert "stranas_pk" not in by_key(exempt)


def test_a_unit_that_is_not_ready_is_proposed_only_with_a_reason(tree):
    ws, act = tree["ws"], tree["actors"]
    with pytest.raises(ReasonNeeded) as err:
        proposals.set_proposal(ws, act["koord_kw"], "A", 2026, "WBK")
    assert "tuliskan alasan" in err.value.message("id")
    assert not err.value.check.ready and err.value.check.blocking()
    assert proposals.list_proposals(ws, act["admin"]) == []  # nothing was proposed
    view = proposals.set_proposal(ws, act["koord_kw"], "A", 2026, "WBK", reason="afirmasi Kanwil")
    assert view.reason == "afirmasi Kanwil" and not view.check.ready
    with ws.db.read() as s:
        [event] = (
            s.execute(select(AuditEvent).where(AuditEvent.action == "proposal.set")).scalars().all()
        )
    assert json.loads(event.after)["reason"] == "afirmasi Kanwil"


def test_the_portfolio_shows_each_units_requirements(tree):
    ws, act = tree["ws"], tree["actors"]
    record(ws, act["koord_kw"], "KW", AGENCY_OK)
    record(ws, act["koord_kw"], "A", UNIT_OK)
    rows = {r.unit: r for r in portfolio.build_portfolio(ws, act["koord_kw"], "KW", 2026).rows}
    assert (rows["A"].requirements.met, rows["A"].requirements.total) == (10, 11)  # no SPIP
    assert rows["B"].requirements.met == 4  # the agency's four
    assert rows["A"].requirements.label("id") == "Syarat 10/11"
    assert rows["A"].to_dict()["requirements"] == {"met": 10, "total": 11, "exempt": False}


def test_a_percentage_reads_with_a_decimal_comma_where_it_is_shown(tree):
    ws, act = tree["ws"], tree["actors"]
    requirements.set_requirement(ws, act["admin"], "A", 2026, "tindak_lanjut", "92,5%")
    row = by_key(requirements.check(ws, act["admin"], "A", 2026))["tindak_lanjut"]
    assert (row.value, row.shown, row.met) == ("92.5", "92,5 %", False)  # stored / shown
    assert "Tindak lanjut temuan APIP/BPK (%): 92,5 %, dibutuhkan 100 %" in (
        requirements.check(ws, act["admin"], "A", 2026).blocking()
    )
