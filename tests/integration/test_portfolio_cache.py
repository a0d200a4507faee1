"""The portfolio keeps each assessment's figures and never shows them stale: a changed answer
(through wbk or typed into the database by hand), another catalog or newer scoring code each
make the figures computed again. Both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from tests.integration.portfolio_world import YEAR, make_kanwil
from wbk.services.assessment import assessments, evidence
from wbk.services.core import backups
from wbk.services.portfolio import portfolio, scores
from wbk.store.tables import AnswerRev, ScoreCache


@pytest.fixture
def kanwil(world):
    return make_kanwil(world)


def figures(ws, actor):
    return {r.unit: r for r in portfolio.build_portfolio(ws, actor, "KW", YEAR).rows}


def computed(monkeypatch) -> list[list[int]]:
    """Records the assessments each bulk scoring computes."""
    calls: list[list[int]] = []
    real = scores._compute

    def spy(s, catalog, scorer, reader, ids, among=None):
        calls.append(sorted(ids))
        return real(s, catalog, scorer, reader, ids, among)

    monkeypatch.setattr(scores, "_compute", spy)
    return calls


def test_a_second_read_uses_the_kept_figures_and_equals_the_first(kanwil, monkeypatch):
    ws, koor = kanwil["ws"], kanwil["koor_kw"]
    first = figures(ws, koor)
    with ws.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ScoreCache)) == 4  # A, B, C, C1
    calls = computed(monkeypatch)
    assert figures(ws, koor) == first
    assert calls == []


def test_a_changed_answer_is_scored_again_and_only_that_assessment(kanwil, monkeypatch):
    ws, koor, op = kanwil["ws"], kanwil["koor_kw"], kanwil["op"]
    before = figures(ws, koor)
    calls = computed(monkeypatch)
    catalog = ws.catalog("lke-zi-2021")
    best = catalog.items["P.MP.i.a"].scale.options[0].key  # B answered the second option
    assessments.set_answer(ws, op, kanwil["b"], "P.MP.i.a", best)
    after = figures(ws, koor)
    assert calls == [[kanwil["b"]]]
    assert after["B"].total > before["B"].total
    assert after["A"] == before["A"]


def test_an_answer_changed_by_hand_in_the_database_is_not_read_stale(kanwil, monkeypatch):
    ws, koor = kanwil["ws"], kanwil["koor_kw"]
    before = figures(ws, koor)
    with ws.db.engine.begin() as conn:  # no wbk code involved: the triggers see it
        conn.execute(
            text("DELETE FROM answer WHERE assessment_id = :a AND tier = 'self'"),
            {"a": kanwil["c"]},
        )
    calls = computed(monkeypatch)
    after = figures(ws, koor)
    assert calls == [[kanwil["c"]]]
    assert before["C"].total > 0
    assert after["C"].total == 0 and after["C"].answered == 0


def test_evidence_coverage_is_counted_on_every_read(kanwil, monkeypatch):
    ws, koor, op = kanwil["ws"], kanwil["koor_kw"], kanwil["op"]
    before = figures(ws, koor)
    calls = computed(monkeypatch)
    evidence.add_link(ws, op, kanwil["b"], ["P.MP.i.a"], "https://contoh.go.id/b", "SK B")
    after = figures(ws, koor)
    assert calls == []  # the answers did not change: the figures are kept
    assert after["B"].evidence_coverage > (before["B"].evidence_coverage or 0)


def test_another_stamp_scores_everything_again(kanwil, monkeypatch):
    ws, koor = kanwil["ws"], kanwil["koor_kw"]
    first = figures(ws, koor)
    with ws.db.engine.begin() as conn:  # as a new catalog file or wbk version would
        conn.execute(text("UPDATE score_cache SET stamp = 'older'"))
    calls = computed(monkeypatch)
    assert figures(ws, koor) == first
    assert calls == [sorted([kanwil["a"], kanwil["b"], kanwil["c"], kanwil["c1"]])]


def test_every_write_to_answers_moves_the_count(kanwil):
    ws = kanwil["ws"]
    a = kanwil["a"]

    def rev():
        with ws.db.read() as s:
            return s.scalar(select(AnswerRev.rev).where(AnswerRev.assessment_id == a)) or 0

    steps = [
        "INSERT INTO answer (assessment_id, tier, code, value, version, updated_by, updated_at)"
        " VALUES (:a, 'tpi', 'P.MP.i.b', 'a', 1, 'x', CURRENT_TIMESTAMP)",
        "UPDATE answer SET value = 'b' WHERE assessment_id = :a AND code = 'P.MP.i.b'"
        " AND tier = 'tpi'",
        "DELETE FROM answer WHERE assessment_id = :a AND code = 'P.MP.i.b' AND tier = 'tpi'",
    ]
    seen = [rev()]
    for sql in steps:
        with ws.db.engine.begin() as conn:
            conn.execute(text(sql), {"a": a})
        seen.append(rev())
    assert seen == sorted(set(seen)) and len(seen) == 4  # each write moved it


def test_backups_leave_the_caches_out():
    names = {t.name for t in backups.backed_up_tables()}
    assert "answer" in names
    assert not {"answer_rev", "score_cache"} & names


def test_a_damaged_kept_row_is_not_shown(kanwil):
    ws, koor = kanwil["ws"], kanwil["koor_kw"]
    first = figures(ws, koor)
    for broken in ("{not json", '{"total": 1}', "[]"):
        with ws.db.engine.begin() as conn:
            conn.execute(text("UPDATE score_cache SET payload = :p"), {"p": broken})
        assert figures(ws, koor) == first
