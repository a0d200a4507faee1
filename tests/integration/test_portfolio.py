"""The Kanwil's portfolio on both engines: every satker below it scored in bulk, equal to the
single assessment's score; TPI totals null until the TPI scores; who may read it; the
penilaian pendahuluan's proposal recorded with its reason and audited; ``wbk portfolio``."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from tests.integration.portfolio_world import YEAR, make_kanwil
from wbk.cli import app
from wbk.errors import InvalidInput, PermissionDenied
from wbk.services.assessment import assessments
from wbk.services.people import people
from wbk.services.portfolio import portfolio
from wbk.services.portfolio import rank as portfolio_rank
from wbk.store.tables import AuditEvent

TODAY = date(2026, 3, 1)


@pytest.fixture
def kanwil(world):
    return make_kanwil(world)


def test_every_unit_below_scored_as_its_own_assessment(kanwil):
    ws, op = kanwil["ws"], kanwil["op"]
    p = portfolio.build_portfolio(ws, kanwil["koor_kw"], "KW", YEAR, today=TODAY)
    by = {r.unit: r for r in p.rows}
    assert set(by) == {"A", "B", "C", "C1", "D"}  # recursive, not the other Kanwil
    assert by["D"].assessment_id is None and by["D"].total is None
    for unit, aid in (("A", kanwil["a"]), ("B", kanwil["b"]), ("C", kanwil["c"])):
        _, card, _ = assessments.score_assessment(ws, op, aid)
        row = by[unit]
        assert row.total == pytest.approx(float(card.total), abs=1e-6)
        assert row.pengungkit == pytest.approx(float(card.components["pengungkit"].score), abs=1e-6)
        assert row.wbk_passed == card.verdicts["WBK"].passed
        assert row.wbbm_passed == card.verdicts["WBBM"].passed
        assert list(row.failing_gates) == [g.id for g in card.verdicts["WBK"].failing]
    # sorted by total, best first; units without an assessment last
    totals = [r.total for r in p.rows if r.total is not None]
    assert totals == sorted(totals, reverse=True)
    assert p.rows[-1].total is None
    assert by["C"].days_left == (date(2026, 5, 31) - TODAY).days
    assert by["C"].status == "draft"
    # groups: C has a unit below it, so C and C1 form their own group; the rest is the Kanwil's
    assert by["C1"].group == "C" and by["A"].group == "KW"
    summary = p.summary
    assert (summary.units, summary.assessed) == (5, 4)
    assert summary.wbk_ready == sum(1 for r in p.rows if r.wbk_passed)


def test_tpi_total_null_until_the_tpi_scores_and_overclaim(kanwil):
    ws, op = kanwil["ws"], kanwil["op"]
    p = portfolio.build_portfolio(ws, kanwil["actors"]["tpi"], "KW", YEAR)
    by = {r.unit: r for r in p.rows}
    assert by["B"].tpi_total is None and by["B"].overclaim is None
    _, own, _ = assessments.score_assessment(ws, op, kanwil["a"], "self")
    _, tpi, _ = assessments.score_assessment(ws, op, kanwil["a"], "tpi")
    assert by["A"].tpi_total == pytest.approx(float(tpi.total), abs=1e-6)
    assert by["A"].overclaim == pytest.approx(float(own.total - tpi.total), abs=1e-6)
    assert by["A"].overclaim > 0  # the TPI scored lower than the unit
    assert by["A"].open_notes == 1
    # 2 of A's answered questions have a document
    assert by["A"].evidence_coverage == pytest.approx(2 / by["A"].answered, abs=1e-4)
    ranked = portfolio_rank.candidates(p)
    first_self_only = {c.row.unit: c.self_only for c in ranked}
    assert first_self_only["A"] is False and first_self_only["B"] is True
    a = next(c for c in ranked if c.row.unit == "A")
    assert a.score == by["A"].tpi_total
    assert list(a.failing) == [g.id for g in tpi.verdicts["WBK"].failing]


def test_portfolio_refused_to_an_agen_and_a_sibling_koordinator(kanwil):
    ws = kanwil["ws"]
    with pytest.raises(PermissionDenied):
        portfolio.build_portfolio(ws, kanwil["actors"]["agen"], "KW", YEAR)
    with pytest.raises(PermissionDenied):
        portfolio.build_portfolio(ws, kanwil["koor_x"], "KW", YEAR)
    # the koordinator of A reads A's portfolio (nothing below it) but not the Kanwil's
    with pytest.raises(PermissionDenied):
        portfolio.build_portfolio(ws, kanwil["actors"]["koordinator"], "KW", YEAR)
    assert portfolio.build_portfolio(ws, kanwil["koor_x"], "X", YEAR).rows[0].unit == "X1"
    assert ("KW", "Kanwil Contoh") in portfolio.parent_units(ws, kanwil["koor_kw"])
    assert all(code != "KW" for code, _ in portfolio.parent_units(ws, kanwil["koor_x"]))


def test_proposal_recorded_with_reason_and_audited(kanwil):
    ws = kanwil["ws"]
    koor = kanwil["koor_kw"]
    with pytest.raises(InvalidInput):
        portfolio_rank.propose(ws, koor, "A", YEAR, "  ")
    with pytest.raises(PermissionDenied):
        portfolio_rank.propose(ws, kanwil["koor_x"], "A", YEAR, "terbaik")
    view = portfolio_rank.propose(ws, koor, "A", YEAR, "Nilai TPI tertinggi di Kanwil")
    assert view.reason == "Nilai TPI tertinggi di Kanwil"
    p = portfolio.build_portfolio(ws, koor, "KW", YEAR)
    row = next(r for r in p.rows if r.unit == "A")
    assert row.proposal == "WBK" and row.proposal_reason == "Nilai TPI tertinggi di Kanwil"
    with ws.db.read() as s:
        events = (
            s.execute(select(AuditEvent).where(AuditEvent.action == "proposal.set")).scalars().all()
        )
    assert events[-1].actor == "koor_kw"
    assert "Nilai TPI tertinggi di Kanwil" in events[-1].after


def test_effort_on_request_and_limit(kanwil):
    ws = kanwil["ws"]
    p = portfolio.build_portfolio(ws, kanwil["koor_kw"], "KW", YEAR)
    found = portfolio_rank.efforts(ws, kanwil["koor_kw"], p.rows)
    assert set(found) == {"A", "B", "C", "C1"}
    assert all(v is None or v >= 0 for v in found.values())


def test_cli_json_and_xlsx(kanwil, tmp_path, monkeypatch):
    ws = kanwil["ws"]
    monkeypatch.setenv("WBK_DATA_DIR", str(ws.settings.data_dir))
    if ws.settings.database_url:
        monkeypatch.setenv("WBK_DATABASE_URL", ws.settings.database_url)
    from wbk.settings import get_settings

    get_settings.cache_clear()
    try:
        out = tmp_path / "p.xlsx"
        result = CliRunner().invoke(
            app, ["portfolio", "--unit", "KW", "--year", str(YEAR), "--json", "--xlsx", str(out)]
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert set(data) >= {"units", "summary"}
        keys = {
            "unit", "name", "parent", "year", "status", "total", "pengungkit", "tpi_total",
            "overclaim", "wbk_passed", "wbbm_passed", "failing_gates", "evidence_coverage",
            "open_notes",
        }  # fmt: skip
        for unit in data["units"]:
            assert keys <= set(unit)
        totals = [u["total"] for u in data["units"] if u["total"] is not None]
        assert totals == sorted(totals, reverse=True)
        b = next(u for u in data["units"] if u["unit"] == "B")
        assert b["tpi_total"] is None and b["overclaim"] is None
        assert data["summary"]["units"] == 5 and data["summary"]["assessed"] == 4
        assert set(data["summary"]) == {"units", "assessed", "wbk_ready", "mean_total"}
        sheet = load_workbook(out).active
        assert sheet.max_row == 6
        denied = CliRunner().invoke(app, ["portfolio", "--unit", "KW", "--as", "agen"])
        assert denied.exit_code == 2
    finally:
        get_settings.cache_clear()


def test_user_text_stays_text_in_xlsx(kanwil):
    ws, op = kanwil["ws"], kanwil["op"]
    people.add_unit(ws, op, "EVIL", '=HYPERLINK("http://x")', parent_code="KW")
    p = portfolio.build_portfolio(ws, op, "KW", YEAR)
    import io

    sheet = load_workbook(io.BytesIO(portfolio_rank.to_xlsx(p))).active
    names = [sheet.cell(row=r, column=2) for r in range(2, sheet.max_row + 1)]
    evil = next(c for c in names if str(c.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s"
