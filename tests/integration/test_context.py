"""Each screen and document is read in one transaction, and draws what its catalog says."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import event

from wbk.services import demo
from wbk.services.assessment import answer_import, assessments, reports
from wbk.services.assessment.context import load_context
from wbk.services.assessment.dashboard import dashboard
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
OP = operator("test")


class Counter:
    def __init__(self, engine) -> None:
        self.transactions = self.statements = 0
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "before_cursor_execute", self._statement)

    def _begin(self, *_):
        self.transactions += 1

    def _statement(self, *_):
        self.statements += 1


@pytest.fixture
def demo_ws(ws):
    demo.create_demo(ws)
    return ws


def test_the_dashboard_is_one_transaction(demo_ws):
    pimpinan = people.actor_for(demo_ws, "pimpinan")
    counter = Counter(demo_ws.db.engine)
    d = dashboard(demo_ws, pimpinan, 1)
    assert counter.transactions == 1
    # assessment, unit chain (2), answers, documents, links, revisions, notes, snapshots,
    # signers: a fixed number of statements whatever the number of questions or documents
    assert counter.statements <= 14
    assert d.card.total == d.context.card("self").total
    assert d.open_notes == 2 and len(d.trend) == 4


def test_the_report_data_is_one_transaction(demo_ws):
    koordinator = people.actor_for(demo_ws, "koordinator")
    counter = Counter(demo_ws.db.engine)
    data = reports.report_data(demo_ws, koordinator, 1, "tpi")
    # the context, and the letterhead over the unit chain it read
    assert counter.transactions == 1 and counter.statements <= 16
    assert data.extra["tpi_fallback"] is True
    # the TPI scored P.MP.i.b (C) but not P.MP.ii.a: the kertas kerja shows both tiers' answers
    assert data.answers["P.MP.i.b"][0] == "C"
    own = assessments.answers_of(demo_ws, OP, 1)["P.MP.ii.a"].value
    assert data.answers["P.MP.ii.a"][0] == own
    assert "P.MP.ii.a" in data.extra["tpi_fallback_codes"]
    assert "P.MP.i.b" not in data.extra["tpi_fallback_codes"]


def test_the_context_is_read_in_the_readers_rights(demo_ws):
    people.add_unit(demo_ws, OP, "KK-LAIN", "Kankemenag Lain", "KW-CONTOH", "kankemenag")
    people.add_user(demo_ws, OP, "orang", password="rahasia-123", role="agen", unit_code="KK-LAIN")
    from wbk.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        load_context(demo_ws, people.actor_for(demo_ws, "orang"), 1)


# --- the catalog decides what the screen shows --------------------------------------------


def modified_catalog(directory: Path) -> str:
    """A copy of the LKE 2021 catalog with other minimums and other result weights."""
    text = (ROOT / "criteria" / "lke-zi-2021.yaml").read_text(encoding="utf-8")
    text = text.replace("id: lke-zi-2021", "id: lke-uji-2099", 1)
    text = text.replace(
        "      - {id: total, target: total, minimum: 75,",
        "      - {id: total, target: total, minimum: 70,",
        1,
    )
    text = text.replace(
        "reading: separate, minimum_ratio: 0.60", "reading: separate, minimum_ratio: 0.50", 1
    )
    text = text.replace(
        "reading: combined, minimum_ratio: 0.60", "reading: combined, minimum_ratio: 0.50", 1
    )
    text = text.replace(
        '{id: ipak, target: "item:H.I.a", minimum: 15.75,',
        '{id: ipak, target: "item:H.I.a", minimum: 13.50,',
        1,
    )
    # IPAK worth 15 instead of 17.5, capaian kinerja 7.5 instead of 5 (the group stays 22.5)
    text, n1 = re.subn(r"(code: H\.I\.a\n(?:\s+\w+: .*\n)*?\s+weight: )17\.5\n", r"\g<1>15\n", text)
    text, n2 = re.subn(r"(code: H\.I\.b\n(?:\s+\w+: .*\n)*?\s+weight: )5\n", r"\g<1>7.5\n", text)
    assert (n1, n2) == (1, 1) and "minimum: 70" in text
    (directory / "lke-uji-2099.yaml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "criteria" / "lke-zi-2021.yaml", directory)
    return "lke-uji-2099"


@pytest.fixture
def uji_ws(tmp_path):
    criteria = tmp_path / "criteria"
    criteria.mkdir()
    catalog_id = modified_catalog(criteria)
    ws = open_workspace(Settings(data_dir=tmp_path / "data", criteria_dir=criteria))
    people.add_unit(ws, OP, "U", "Unit Uji")
    a = assessments.create_assessment(ws, OP, "U", 2026, catalog_id).id
    # IPAK 3.2: 3.2 / 4 x 15 = 12.00 points (not 14.00 as with 17.5)
    answer_import.import_answers(
        ws, OP, a, [assessments.AnswerRow("H.I.a", "3.2"), assessments.AnswerRow("H.I.b", "A")]
    )
    yield ws, a
    ws.db.dispose()


def test_the_dashboard_follows_the_catalog(uji_ws):
    ws, a = uji_ws
    d = dashboard(ws, OP, a)
    lines = d.context.lines
    assert (lines["WBK"].total, lines["WBK"].area_ratio) == (70, 0.5)
    assert lines["WBK"].items["ipak"] == 13.5
    assert d.card.results["ipak"].weight == 15 and d.card.results["ipak"].score == 12
    assert d.card.results["capaian_kinerja"].score == 7.5  # A x 7.5
    # the survey index the IPAK gate needs: 13.5 / 15 x 4 = 3.60
    assert d.context.index_minimum("H.I.a", "WBK") == pytest.approx(3.6)


def test_the_charts_follow_the_catalog(uji_ws):
    from wbk.ui import svg_charts

    ws, a = uji_ws
    lines = dashboard(ws, OP, a).context.lines
    gauge = svg_charts.gauge(10, [(p, float(x.total)) for p, x in lines.items()])
    assert re.findall(r'data-minimum="([0-9.]+)"', gauge) == ["70"]
    bars = svg_charts.area_bars(
        ["MP"], [50], [40], [("WBK", float(lines["WBK"].area_ratio) * 100), ("WBBM", 75)]
    )
    assert re.findall(r'data-minimum="([0-9.]+)"', bars) == ["50", "75"]


def test_the_report_follows_the_catalog(uji_ws):
    ws, a = uji_ws
    doc = Document(io.BytesIO(reports.word_report(ws, OP, a)))
    rows = [
        [c.text for c in row.cells]
        for table in doc.tables
        for row in table.rows
        if row.cells[0].text.startswith(("Nilai total", "Nilai IPAK"))
    ]
    wbk_rows = {r[0]: r[2] for r in rows[:2]}
    assert wbk_rows == {"Nilai total": "70,00", "Nilai IPAK": "13,50"}
