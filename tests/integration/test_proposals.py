"""Proposals to PortalRB and API tokens on SQLite and PostgreSQL: who may propose (a
koordinator above the unit, or an admin), the readiness checks PortalRB cares about, tokens
kept only as a hash, and the ``wbk proposal`` / ``wbk token`` commands."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from typer.testing import CliRunner

from tests.conftest import best_answers
from wbk.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments, evidence
from wbk.services.people import people
from wbk.services.portalrb import proposals, tokens
from wbk.services.portalrb.proposals import ProposalError
from wbk.settings import get_settings
from wbk.store.tables import AuditEvent, Base

TODAY = date.today()


def audit(ws, action: str) -> list[tuple[str, str | None, dict | None, dict | None]]:
    with ws.db.read() as s:
        rows = s.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        ).scalars()
        return [
            (e.actor, e.entity_id, json.loads(e.before or "null"), json.loads(e.after or "null"))
            for e in rows
        ]


@pytest.fixture
def kanwil(world):
    """The world plus a koordinator of the Kanwil above units A and B."""
    ws, op = world["ws"], world["op"]
    people.add_user(ws, op, "koord_kw", password="rahasia-123", role="koordinator", unit_code="KW")
    world["actors"]["koord_kw"] = people.actor_for(ws, "koord_kw")
    return world


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


# --- schema ----------------------------------------------------------------------------------


def test_the_migration_builds_the_tables_the_code_uses(ws):
    with ws.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diff if "proposal" in repr(d) or "api_token" in repr(d)]
    assert mine == []


# --- who may propose -------------------------------------------------------------------------


def test_a_koordinator_above_the_unit_proposes_it_and_the_write_is_audited(kanwil):
    ws, act = kanwil["ws"], kanwil["actors"]
    view = proposals.set_proposal(
        ws, act["koord_kw"], "A", 2026, "wbk", afirmasi=True, reason="uji"
    )
    assert (view.unit_code, view.year, view.predicate, view.kategori) == (
        "A",
        2026,
        "WBK",
        "WBK-AFIRMASI",
    )
    assert view.assessment_id == kanwil["a"]
    # changing it is one more event with the state before and after
    proposals.set_proposal(ws, act["admin"], "A", 2026, "WBBM", reason="sudah WBK 2024")
    events = audit(ws, "proposal.set")
    assert [(e[0], e[3]["predicate"], e[3]["afirmasi"]) for e in events] == [
        ("koord_kw", "WBK", True),
        ("admin", "WBBM", False),
    ]
    assert events[1][2]["predicate"] == "WBK" and events[1][3]["reason"] == "sudah WBK 2024"
    # the same state again writes nothing
    proposals.set_proposal(ws, act["admin"], "A", 2026, "WBBM", reason="sudah WBK 2024")
    assert len(audit(ws, "proposal.set")) == 2


@pytest.mark.parametrize("who", ["koordinator", "agen", "pimpinan", "tpi", "agen_b"])
def test_nobody_else_proposes(kanwil, who):
    # the koordinator of A coordinates A itself, not a unit above it; the TPI sits on the
    # Kanwil but proposing is not a TPI's action
    ws, act = kanwil["ws"], kanwil["actors"]
    with pytest.raises(PermissionDenied):
        proposals.set_proposal(ws, act[who], "A", 2026, "WBK", reason="uji")
    assert audit(ws, "proposal.set") == []


def test_a_proposal_needs_the_units_assessment_of_that_year(kanwil):
    ws, act = kanwil["ws"], kanwil["actors"]
    with pytest.raises(ProposalError) as err:
        proposals.set_proposal(ws, act["koord_kw"], "A", 2027, "WBK", reason="uji")
    assert "A" in err.value.message() and "2027" in err.value.message()
    with pytest.raises(ProposalError):
        proposals.set_proposal(ws, act["koord_kw"], "A", 2026, "WBBM", afirmasi=True, reason="uji")
    with pytest.raises(InvalidInput):
        proposals.set_proposal(ws, act["koord_kw"], "A", 2026, "WBKK", reason="uji")


def test_removing_a_proposal_is_audited_and_refused_when_there_is_none(kanwil):
    ws, act = kanwil["ws"], kanwil["actors"]
    proposals.set_proposal(ws, act["koord_kw"], "A", 2026, "WBK", reason="uji")
    with pytest.raises(PermissionDenied):
        proposals.remove_proposal(ws, act["koordinator"], "A", 2026)
    proposals.remove_proposal(ws, act["koord_kw"], "A", 2026)
    [(who, _, before, after)] = audit(ws, "proposal.remove")
    assert who == "koord_kw" and before["predicate"] == "WBK" and after["proposed"] is False
    assert proposals.list_proposals(ws, act["admin"]) == []
    with pytest.raises(NotFound):
        proposals.remove_proposal(ws, act["koord_kw"], "A", 2026)


def test_the_list_shows_what_the_reader_may_read_newest_year_first(kanwil):
    ws, act, op = kanwil["ws"], kanwil["actors"], kanwil["op"]
    assessments.create_assessment(ws, op, "A", 2027)
    proposals.set_proposal(ws, act["koord_kw"], "A", 2026, "WBK", reason="uji")
    proposals.set_proposal(ws, act["koord_kw"], "B", 2026, "WBBM", reason="uji")
    proposals.set_proposal(ws, act["koord_kw"], "A", 2027, "WBBM", reason="uji")
    seen = [(p.year, p.unit_code, p.predicate) for p in proposals.list_proposals(ws, act["tpi"])]
    assert seen == [(2027, "A", "WBBM"), (2026, "B", "WBBM"), (2026, "A", "WBK")]
    # an agen of B reads only B's; the year filter narrows
    assert [p.unit_code for p in proposals.list_proposals(ws, act["agen_b"])] == ["B"]
    assert [p.year for p in proposals.list_proposals(ws, act["tpi"], 2027)] == [2027]


# --- readiness ---------------------------------------------------------------------------------


def test_readiness_names_what_portalrb_would_find_missing(kanwil, catalog):
    ws, act, a = kanwil["ws"], kanwil["actors"], kanwil["a"]
    op = kanwil["op"]
    answers = {c: v for c, v in best_answers(catalog).items() if c != "P.MP.i.b"}
    answers["R.MP.i.a"] = "80%"  # a ratio: PortalRB wants soal 88 and 89, the counts
    for code, q in catalog.questions.items():
        if q.formula is not None and code != "R.MP.i.a":
            answers.pop(code)
            answers.update({f"{code}#{i.name}": "1" for i in q.formula.inputs})
    answer_import.import_answers(ws, op, a, [AnswerRow(c, v) for c, v in answers.items()])
    covered = [c for c in catalog.items if c != "P.MP.ii.a"]
    evidence.add_link(ws, op, a, covered, "https://arsip.example.go.id/zi", "Arsip ZI")

    ready = proposals.set_proposal(ws, act["koord_kw"], "A", 2026, "WBK", reason="uji").readiness
    # soal 2 is P.MP.i.b (unanswered); 88/89 are R.MP.i.a's counts, reported once, as a ratio
    assert [(c.key, c.ok, c.items) for c in ready.checks] == [
        ("answered", False, ("2",)),
        ("counts", False, ("R.MP.i.a",)),
        ("evidence", False, ("P.MP.ii.a",)),
        ("locked", False, ("draft",)),
    ]
    assert not ready.ready
    assert "1 soal PortalRB belum terjawab: 2" in ready.checks[0].message("id")

    assessments.set_answer(ws, op, a, "P.MP.i.b", "A")
    assessments.save_question(ws, op, a, "R.MP.i.a", None, counts={"perubahan": "8", "agen": "10"})
    evidence.add_link(ws, op, a, ["P.MP.ii.a"], "https://arsip.example.go.id/zi/2", "SK")
    assessments.set_status(ws, op, a, "locked")
    after = proposals.check_readiness(ws, act["koord_kw"], "A", 2026)
    assert after.ready and [c.ok for c in after.checks] == [True] * 4
    listed = proposals.list_proposals(ws, act["koord_kw"])[0]
    assert listed.readiness.ready and listed.status == "locked"


# --- tokens ----------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_stored_only_as_its_hash(kanwil):
    ws, act = kanwil["ws"], kanwil["actors"]
    made = tokens.create_token(ws, act["koord_kw"], "portalrb-2026", "KW")
    assert made.secret.startswith("wbkrb_") and len(made.secret) > 40
    with ws.db.read() as s:
        dump = " ".join(
            str(row) for row in s.execute(text("select * from api_token")).all()
        ) + " ".join(str(row) for row in s.execute(text("select * from audit_event")).all())
    assert made.secret not in dump and tokens.token_hash(made.secret) in dump
    principal = tokens.resolve_token(ws, made.secret)
    assert (principal.name, principal.unit_code) == ("portalrb-2026", "KW")
    [(who, _, _, after)] = audit(ws, "token.create")
    assert who == "koord_kw" and after["unit"] == "KW" and after["expires_on"] is None


def test_token_rights_names_expiry_and_revocation(kanwil):
    ws, act = kanwil["ws"], kanwil["actors"]
    with pytest.raises(PermissionDenied):  # a koordinator of A cannot reach the Kanwil
        tokens.create_token(ws, act["koordinator"], "t", "KW")
    with pytest.raises(PermissionDenied):
        tokens.create_token(ws, act["agen"], "t", "A")
    tokens.create_token(ws, act["koordinator"], "unit-a", "A")  # its own unit: allowed
    with pytest.raises(InvalidInput):
        tokens.create_token(ws, act["admin"], "bad name", "A")
    with pytest.raises(InvalidInput):
        tokens.create_token(ws, act["admin"], "old", "A", TODAY - timedelta(days=1))
    with pytest.raises(Conflict):
        tokens.create_token(ws, act["admin"], "unit-a", "KW")
    # the koordinator of A sees A's token, not the Kanwil's
    tokens.create_token(ws, act["admin"], "kanwil", "KW", TODAY + timedelta(days=30))
    assert [v.name for v in tokens.list_tokens(ws, act["koordinator"])] == ["unit-a"]
    assert [v.name for v in tokens.list_tokens(ws, act["admin"])] == ["kanwil", "unit-a"]
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(ws, act["koordinator"], "kanwil")
    revoked = tokens.revoke_token(ws, act["koordinator"], "unit-a")
    assert revoked.status == "revoked"
    with pytest.raises(NotFound):
        tokens.revoke_token(ws, act["admin"], "unit-a")
    # a revoked name may be taken again (a rotated token)
    again = tokens.create_token(ws, act["admin"], "unit-a", "A")
    assert tokens.resolve_token(ws, again.secret).name == "unit-a"
    statuses = {(v.name, v.status) for v in tokens.list_tokens(ws, act["admin"])}
    assert statuses == {("kanwil", "active"), ("unit-a", "revoked"), ("unit-a", "active")}
    [(who, _, before, after)] = audit(ws, "token.revoke")
    assert who == "koordinator" and before["revoked"] is False and after["revoked"] is True


# --- the commands ----------------------------------------------------------------------------


def test_proposal_and_token_commands(kanwil, cli):
    created = cli("token", "create", "portalrb", "--unit", "KW", "--expires", "2099-12-31")
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("wbkrb_") and " " not in secret
    assert "portalrb" in cli("token", "list").stdout
    listed = json.loads(cli("token", "list", "--json").stdout)
    assert listed[0]["expires_on"] == "2099-12-31" and listed[0]["status"] == "active"

    # a unit that is not ready is proposed only with a reason (a script gives --reason)
    refused = cli("proposal", "set", "--unit", "A", "--year", "2026", "--predicate", "WBK", code=2)
    assert "belum dapat diusulkan" in refused.stderr and "tuliskan alasan" in refused.stderr
    assert "Belum ada usulan" in cli("proposal", "list").stdout
    out = cli(
        "proposal", "set", "--unit", "A", "--year", "2026", "--predicate", "WBK", "--reason", "uji"
    ).stdout
    assert "Diusulkan: 2026 A" in out and "Belum dapat diusulkan" in out
    assert "Penilaian belum dikunci (status draft)" in out
    check = cli("proposal", "check", "--unit", "B", "--year", "2026", code=1).stdout
    assert "127 soal PortalRB belum terjawab" in check
    [item] = json.loads(cli("proposal", "list", "--json").stdout)
    assert (item["unit"], item["tahun"], item["kategori"]) == ("A", 2026, "WBK")
    assert [c["check"] for c in item["readiness"]["checks"]] == [
        "answered",
        "counts",
        "evidence",
        "locked",
    ]
    bad = cli("proposal", "set", "--unit", "A", "--year", "2026", "--predicate", "X", code=2)
    assert "Predikat 'X' tidak dikenal" in bad.stderr and "Traceback" not in bad.stderr
    denied = cli(
        "proposal",
        "set",
        "--unit",
        "A",
        "--year",
        "2026",
        "--predicate",
        "WBK",
        "--as",
        "koordinator",
        code=2,
    )
    assert "tidak berhak" in denied.stderr
    assert "ditarik" in cli("proposal", "remove", "--unit", "A", "--year", "2026").stdout
    assert "Belum ada usulan" in cli("proposal", "list").stdout
    assert "dicabut" in cli("token", "revoke", "portalrb").stdout
    assert "Tidak ada token aktif" in cli("token", "revoke", "portalrb", code=2).stderr
