"""Where the pre-review shows beyond its own pages: the portfolio's share of hijau questions,
the pre-review column of the Word report's kertas kerja, the assessment's own review period
(``wbk review period``) and ``wbk review --json``. SQLite only: the engines' differences are
covered by tests/integration/test_review.py."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from tests.integration.portfolio_world import YEAR
from tests.support.review_corpus import NOTULEN, OLD_LETTER, SK, text_pdf
from wbk.services.assessment import evidence
from wbk.services.portfolio import portfolio
from wbk.services.review import reviews
from wbk.store.tables import AuditEvent

pytestmark = pytest.mark.parametrize("ws", ["sqlite"], indirect=True)


def upload(ws, actor, assessment, codes, data, name, title):
    return evidence.add_file(ws, actor, assessment, codes, io.BytesIO(data), name, title)


def test_portfolio_shows_the_share_of_hijau_questions_of_reviewed_units(world):
    ws, op, a, b = world["ws"], world["op"], world["a"], world["b"]
    upload(ws, op, a, ["P.MP.i.a"], text_pdf(SK), "sk_tim_zi.pdf", "SK Tim Kerja ZI")
    upload(ws, op, a, ["P.MP.i.a"], text_pdf(NOTULEN), "notulen.pdf", "Notulen pembentukan")
    review = reviews.review_assessment(ws, op, a)
    questions = review.to_json()["questions"]
    green = [q["code"] for q in questions if q["verdict"] == "hijau"]
    assert green == ["P.MP.i.a"]

    p = portfolio.build_portfolio(ws, op, "KW", YEAR, today=date(2026, 3, 1))
    by = {r.unit: r for r in p.rows}
    assert by["A"].hijau_share == pytest.approx(1 / len(questions))
    assert by["B"].hijau_share is None  # never reviewed: nothing, not 0 %
    units = {u["unit"]: u for u in p.to_dict()["units"]}
    assert units["A"]["hijau_share"] == pytest.approx(1 / len(questions))
    assert units["B"]["hijau_share"] is None

    # a review of B with nothing linked: every question kosong, a share of 0
    reviews.review_assessment(ws, op, b)
    p = portfolio.build_portfolio(ws, op, "KW", YEAR, today=date(2026, 3, 1))
    assert {r.unit: r.hijau_share for r in p.rows}["B"] == 0.0


@pytest.fixture
def cli(world, monkeypatch):
    """``wbk`` on the world's workspace; returns (exit code, output)."""
    from typer.testing import CliRunner

    from wbk.cli import app
    from wbk.settings import get_settings

    monkeypatch.setenv("WBK_DATA_DIR", str(world["ws"].settings.data_dir))
    get_settings.cache_clear()

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args))
        return result.exit_code, result.output

    yield run
    get_settings.cache_clear()


def test_review_json_has_the_keys_the_issue_names(world, cli):
    ws, op, a = world["ws"], world["op"], world["a"]
    sk = upload(ws, op, a, ["P.MP.i.a"], text_pdf(SK), "sk_tim_zi.pdf", "SK Tim Kerja ZI")
    code, out = cli("review", "--assessment", str(a), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert set(data) == {"assessment", "period", "summary", "questions", "documents"}
    assert data["assessment"] == a
    assert set(data["period"]) == {"start", "end"}
    assert set(data["summary"]) == {"hijau", "kuning", "merah", "kosong"}
    assert sum(data["summary"].values()) == len(data["questions"])
    questions = {q["code"]: q for q in data["questions"]}
    keys = {"code", "answer", "verdict", "unsupported_claim", "expected", "findings"}
    assert all(set(q) == keys for q in data["questions"])
    q = questions["P.MP.i.a"]
    assert q["expected"] and all(set(e) == {"item", "found", "documents"} for e in q["expected"])
    hits = [d for e in q["expected"] for d in e["documents"]]
    assert hits and all(set(d) == {"id", "page", "snippet"} for d in hits)
    assert q["findings"] and all(
        set(f) == {"code", "document", "page", "message", "source"} for f in q["findings"]
    )
    (doc,) = data["documents"]
    assert set(doc) == {
        "id", "title", "sha256", "text_source", "pages", "number", "date", "signed", "in_period",
    }  # fmt: skip
    assert (doc["id"], doc["text_source"], doc["signed"]) == (sk.id, "text", ["bsre"])


def finding_codes(data: dict, code: str) -> set[str]:
    q = next(q for q in data["questions"] if q["code"] == code)
    return {f["code"] for f in q["findings"]}


def test_the_review_period_set_on_the_command_line_changes_outside_period(world, cli):
    ws, op, a = world["ws"], world["op"], world["a"]
    upload(ws, op, a, ["P.MP.ii.a"], text_pdf(OLD_LETTER), "se.pdf", "Surat edaran")
    code, out = cli("review", "--assessment", str(a), "--question", "P.MP.ii.a", "--json")
    assert code == 0, out
    before = json.loads(out)
    assert before["period"] == {"start": "2025-01-01", "end": "2026-05-31"}
    assert "outside_period" in finding_codes(before, "P.MP.ii.a")

    # an agen may not set it; a date that is not one is refused
    code, out = cli(
        "review", "--assessment", str(a), "--period-start", "2019-01-01",
        "--period-end", "2026-12-31", "--as", "agen",
    )  # fmt: skip
    assert code == 2
    code, out = cli("review", "--assessment", str(a), "--period-start", "2019-01-01")
    assert code == 2 and "--period-end" in out

    code, out = cli(
        "review", "--assessment", str(a), "--question", "P.MP.ii.a", "--json",
        "--period-start", "2019-01-01", "--period-end", "2026-12-31", "--as", "koordinator",
    )  # fmt: skip
    assert code == 0, out
    after = json.loads(out)
    assert after["period"] == {"start": "2019-01-01", "end": "2026-12-31"}
    assert "outside_period" not in finding_codes(after, "P.MP.ii.a")
    assert after["documents"][0]["in_period"] is True
    with ws.db.read() as s:
        event = s.execute(
            select(AuditEvent).where(AuditEvent.action == "finding.period")
        ).scalar_one()
    assert event.actor == "koordinator" and "2019-01-01" in event.after

    # narrowed again past the letter's date: the finding comes back
    code, out = cli(
        "review", "--assessment", str(a), "--question", "P.MP.ii.a", "--json",
        "--period-start", "2020-01-01", "--period-end", "2026-12-31",
    )  # fmt: skip
    assert "outside_period" in finding_codes(json.loads(out), "P.MP.ii.a")


def worksheet_rows(docx: bytes) -> dict[str, list[str]]:
    """The kertas kerja's rows by question code: the cells of each (header rows left out)."""
    from docx import Document

    rows = {}
    for table in Document(io.BytesIO(docx)).tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:3] != ["Kode", "Pertanyaan", "Jawaban"]:
            continue
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            rows[cells[0]] = cells
    return rows


def test_the_report_has_a_pre_review_column_only_on_request(world):
    from wbk.services.assessment import assessments, reports

    ws, op, a = world["ws"], world["op"], world["a"]
    upload(ws, op, a, ["P.MP.i.a"], text_pdf(SK), "sk_tim_zi.pdf", "SK Tim Kerja ZI")
    upload(ws, op, a, ["P.MP.i.a"], text_pdf(NOTULEN), "notulen.pdf", "Notulen pembentukan")
    upload(ws, op, a, ["P.MP.ii.a"], text_pdf(OLD_LETTER), "se.pdf", "Surat edaran")
    assessments.set_answer(ws, op, a, "P.MP.ii.a", "Ya")

    plain = worksheet_rows(reports.word_report(ws, op, a))
    assert len(plain["P.MP.i.a"]) == 6 and "Pra-reviu" not in " ".join(plain["P.MP.i.a"])

    rows = worksheet_rows(reports.word_report(ws, op, a, pre_review=True))
    assert set(rows) == set(plain)  # every question, one column more
    assert all(len(cells) == 7 for cells in rows.values())
    assert rows["P.MP.i.a"][6] == "HIJAU"
    merah = rows["P.MP.ii.a"][6].splitlines()
    assert merah[:2] == ["MERAH", "Klaim tanpa dukungan"]
    assert any("2019-03-15" in line for line in merah[2:])  # the reason: outside the period
    assert rows["P.MP.iv.a"][6] == "KOSONG"
