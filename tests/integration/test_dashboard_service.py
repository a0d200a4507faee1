"""The leadership dashboard and score snapshots on both engines, on a small hand-built
assessment whose every number is worked out below."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from tests.integration.test_workspace import pdf_bytes
from wbk.errors import PermissionDenied
from wbk.services.assessment import assessments, dashboard, evidence, notes
from wbk.store.tables import ScoreSnapshot

# --- snapshots ------------------------------------------------------------------------------


def test_snapshot_keeps_the_score_of_its_moment(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    koord = act["koordinator"]
    assessments.set_answer(ws, koord, a, "P.MP.i.a", "Ya")  # 0.50 / 2 x 1 = 0.25
    assessments.set_answer(ws, koord, a, "H.I.a", "3.6")  # 3.6 / 4 x 17.5 = 15.75
    first = dashboard.take_snapshot(ws, koord, a)
    assert first.total == 16.0  # 0.25 + 15.75
    assert first.pengungkit == 0.25 and first.hasil == 15.75
    assert first.wbk_passed is False

    assessments.set_answer(ws, koord, a, "P.MP.i.b", "A")  # + 0.50 / 2 x 1 = 0.25
    assessments.set_answer(ws, koord, a, "P.MP.i.a", "Tidak")  # - 0.25
    assessments.set_answer(ws, koord, a, "H.I.b", "B")  # + 0.75 x 5 = 3.75
    second = dashboard.take_snapshot(ws, koord, a)
    assert second.total == 19.75  # 0.25 + 15.75 + 3.75
    # an imported figure dated a month before both
    earlier = dashboard.take_snapshot(ws, koord, a, taken_at=datetime.now(UTC) - timedelta(days=30))
    assert earlier.total == 19.75  # the score now, only dated back

    assessments.set_answer(ws, koord, a, "H.I.a", "0")  # later changes touch no snapshot
    trend = dashboard.snapshots(ws, act["pimpinan"], a)
    assert [s.total for s in trend] == [19.75, 16.0, 19.75]  # oldest first
    assert [s.hasil for s in trend] == [19.5, 15.75, 19.5]
    assert [s.total for s in dashboard.dashboard(ws, act["pimpinan"], a).trend] == [
        19.75,
        16.0,
        19.75,
    ]


def test_only_coordinators_take_snapshots(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    for name in ("pimpinan", "agen", "tpi", "agen_b"):
        with pytest.raises(PermissionDenied):
            dashboard.take_snapshot(ws, act[name], a)
    with ws.db.read() as s:
        assert s.execute(select(func.count()).select_from(ScoreSnapshot)).scalar() == 0
    assert dashboard.snapshots(ws, act["pimpinan"], a) == []
    with pytest.raises(PermissionDenied):  # nor read another unit's trend
        dashboard.snapshots(ws, act["agen_b"], a)


# --- the dashboard of a small assessment ----------------------------------------------------

TODAY = date(2026, 4, 15)


@pytest.fixture
def small(world):
    """Assessment A (2026, deadline 31 May 2026) with four answers, four documents and three
    notes:

    answers (self): P.MP.i.a Ya, P.MP.i.b A, R.MP.i.a from counts 9 / 12, P.TT.i.a B
    documents:
      1 "SK Tim"        -> P.MP.i.a   dated 2026-01-08                      (fine)
      2 "Peta proses"   -> P.TT.i.a   dated 2025-11-04                      (wrong year)
      3 "Pakta"         -> P.MP.ii.a  dated 2026-01-10, valid to 2026-03-31 (expired on 15 Apr)
      4 "Notulen lama"  -> P.MP.i.b   retired                               (not in use)
    notes: one open, one answered by the unit, one closed by the TPI
    """
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    agen, koord, tpi = act["agen"], act["koordinator"], act["tpi"]
    assessments.set_answer(ws, agen, a, "P.MP.i.a", "Ya")
    assessments.set_answer(ws, agen, a, "P.MP.i.b", "A")
    assessments.save_question(ws, agen, a, "R.MP.i.a", None, None, {"perubahan": "9", "agen": "12"})
    assessments.set_answer(ws, koord, a, "P.TT.i.a", "B")

    def add(codes, n, **dates):
        return evidence.add_file(ws, op, a, codes, io.BytesIO(pdf_bytes(n)), f"d{n}.pdf", **dates)

    docs = {
        "sk": add(["P.MP.i.a"], 1, document_date=date(2026, 1, 8)),
        "peta": add(["P.TT.i.a"], 2, document_date=date(2025, 11, 4)),
        "pakta": add(
            ["P.MP.ii.a"], 3, document_date=date(2026, 1, 10), valid_until=date(2026, 3, 31)
        ),
        "lama": add(["P.MP.i.b"], 4, document_date=date(2026, 1, 9)),
    }
    evidence.retire(ws, agen, docs["lama"].id)
    open_note = notes.add_note(ws, tpi, a, "P.MP.i.b", "Lampirkan notulen baru")
    answered = notes.add_note(ws, tpi, a, "P.MP.i.a", "SK belum ditandatangani")
    notes.respond(ws, agen, answered.id, "Sudah ditandatangani", docs["sk"].id)
    closed = notes.add_note(ws, tpi, a, "P.TT.i.a", "Perbarui peta proses")
    notes.set_note_status(ws, tpi, closed.id, "closed")
    return {**world, "docs": docs, "open_note": open_note}


def test_dashboard_numbers_of_a_small_assessment(small):
    ws, a, act = small["ws"], small["a"], small["actors"]
    board = dashboard.dashboard(ws, act["pimpinan"], a, today=TODAY)

    # P.MP.i: 0.50 / 2 x (1 + 1) = 0.50; R.MP.i: 2.00 / 2 x 9/12 = 0.75;
    # P.TT.i: 1.00 / 3 x 0.67 = 0.67/3; total 1.25 + 0.67/3
    assert board.card.total == Fraction(5, 4) + Fraction("0.67") / 3

    by_area = {c.area: (c.questions, c.answered, c.with_evidence) for c in board.completeness}
    # questions per area in LKE ZI 2021 (Pemenuhan + Reform): MP 12 + 4, TT 9 + 6,
    # SDM 18 + 3, AK 11 + 3, PW 18 + 4, PP 19 + 3
    assert by_area == {
        # answered: P.MP.i.a, P.MP.i.b, R.MP.i.a (its counts);
        # with evidence in use: P.MP.i.a, P.MP.ii.a (P.MP.i.b's only document is retired)
        "MP": (16, 3, 2),
        "TT": (15, 1, 1),  # P.TT.i.a, answered and with (wrong-year) evidence
        "SDM": (21, 0, 0),
        "AK": (14, 0, 0),
        "PW": (22, 0, 0),
        "PP": (22, 0, 0),
    }
    assert board.days_left == 46  # 15 Apr -> 31 May: 15 days of April + 31 of May
    assert board.open_notes == 2  # the open one and the answered one; closed is done

    warnings = sorted((w.kind, w.code, w.evidence_id, w.detail) for w in board.warnings)
    docs = small["docs"]
    assert warnings == [
        ("expired", "P.MP.ii.a", docs["pakta"].id, "2026-03-31"),
        ("no_evidence", "P.MP.i.b", None, ""),  # answered, its document retired
        ("no_evidence", "R.MP.i.a", None, ""),  # answered by counts, no document
        ("wrong_year", "P.TT.i.a", docs["peta"].id, "2025-11-04"),
    ]


def test_days_left_counts_down_and_goes_negative(small):
    ws, a, act = small["ws"], small["a"], small["actors"]

    def days(today: date) -> int | None:
        return dashboard.dashboard(ws, act["pimpinan"], a, today=today).days_left

    assert days(date(2026, 5, 31)) == 0
    assert days(date(2026, 5, 30)) == 1
    assert days(date(2026, 6, 10)) == -10  # ten days past the deadline


def test_expiry_is_judged_on_the_day_asked(small):
    ws, a, act = small["ws"], small["a"], small["actors"]
    # on 31 March the Pakta is still valid (valid_until is the last valid day)
    board = dashboard.dashboard(ws, act["pimpinan"], a, today=date(2026, 3, 31))
    assert [w for w in board.warnings if w.kind == "expired"] == []
    board = dashboard.dashboard(ws, act["pimpinan"], a, today=date(2026, 4, 1))
    assert [w.code for w in board.warnings if w.kind == "expired"] == ["P.MP.ii.a"]


def test_closing_and_answering_notes_moves_the_open_count(small):
    ws, a, act = small["ws"], small["a"], small["actors"]
    notes.set_note_status(ws, act["tpi"], small["open_note"].id, "closed")
    assert dashboard.dashboard(ws, act["pimpinan"], a, today=TODAY).open_notes == 1


def test_dashboard_of_another_unit_is_refused(small):
    ws, a, act = small["ws"], small["a"], small["actors"]
    with pytest.raises(PermissionDenied):
        dashboard.dashboard(ws, act["agen_b"], a, today=TODAY)
