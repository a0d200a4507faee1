"""The Portofolio page (AppTest) on the demo with a second satker: a koordinator of the
Kanwil ranks the satker, filters the table, opens a unit's dashboard and records the
proposal with a reason; the TPI reads the same page without proposing; an agen has no page."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ui.conftest import PASSWORD
from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.portalrb import proposals
from wbk.settings import Settings

PAGE = "wbk/ui/pages/portfolio.py"


@pytest.fixture
def kanwil(data_dir):
    """A koordinator on the demo's Kanwil and a second satker with a few answers."""
    ws = open_workspace(Settings(data_dir=data_dir))
    op = operator("test")
    people.add_user(ws, op, "koor_kw", "Koordinator Kanwil", PASSWORD, "koordinator", "KW-CONTOH")
    people.add_unit(ws, op, "KK-DUA", "Kantor Kementerian Agama Kabupaten Dua", "KW-CONTOH")
    a = assessments.create_assessment(ws, op, "KK-DUA", date.today().year).id
    answer_import.import_answers(ws, op, a, [AnswerRow("P.MP.i.a", "Ya")])
    ws.db.dispose()
    return data_dir


def open_page(at):
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def table(at):
    return next(d.value for d in at.dataframe if "Syarat WBK belum terpenuhi" in d.value.columns)


def test_a_kanwil_koordinator_ranks_filters_and_proposes(app_as, kanwil):
    at = open_page(app_as("koor_kw"))
    assert [x.value for x in at.title] == ["Portofolio unit"]
    assert at.selectbox(key="pf_parent").value == "KW-CONTOH"
    units = table(at)
    assert units["Kode"].tolist() == ["KK-CONTOH", "KK-DUA"]  # total descending
    assert units.loc[0, "Nilai mandiri"] == pytest.approx(74.0012, abs=1e-3)
    assert units.loc[1, "Nilai TPI"] != units.loc[1, "Nilai TPI"]  # NaN: the TPI has not scored
    summary = next(d.value for d in at.dataframe if "Memenuhi WBK" in d.value.columns)
    assert summary.iloc[-1]["Unit"] == 2
    charts = [m.value for m in at.markdown if 'class="wbk-chart"' in m.value]
    assert len(charts) == 3
    assert 'data-minimum="75"' in charts[0]  # the distribution marks the WBK minimum
    assert "KK-CONTOH" in charts[-1]  # the heat map names its units
    ranking = next(d.value for d in at.dataframe if "Peringkat" in d.value.columns)
    assert ranking["Kode"].tolist() == ["KK-CONTOH", "KK-DUA"]
    assert ranking["Dasar"].tolist() == ["TPI", "Mandiri (TPI belum menilai)"]

    at.text_input(key="pf_text").input("dua").run()
    assert table(at)["Kode"].tolist() == ["KK-DUA"]
    at.text_input(key="pf_text").input("").run()

    at.selectbox(key="pf_pre_unit").set_value("KK-CONTOH")
    at.button(key="FormSubmitter:pf_propose-Catat usulan").click().run()
    assert "Tuliskan alasan usulan" in " ".join(e.value for e in at.error)
    at.text_area(key="pf_pre_reason").input("Nilai TPI tertinggi, tinggal area R.MP")
    at.button(key="FormSubmitter:pf_propose-Catat usulan").click().run()
    assert not at.exception
    ws = open_workspace(Settings(data_dir=kanwil))
    listed = proposals.list_proposals(ws, operator("t"), with_readiness=False)
    assert [(p.unit_code, p.reason) for p in listed] == [
        ("KK-CONTOH", "Nilai TPI tertinggi, tinggal area R.MP")
    ]
    assert table(at).loc[0, "Usulan"] == "WBK"


def test_a_row_opens_the_units_dashboard(app_as, kanwil):
    at = open_page(app_as("koor_kw"))
    at.selectbox(key="pf_open_unit").set_value("KK-DUA")
    at.button(key="pf_open").click().run()
    assert not at.exception
    ws = open_workspace(Settings(data_dir=kanwil))
    aid = next(
        a.id for a in assessments.list_assessments(ws, operator("t")) if a.unit_code == "KK-DUA"
    )
    assert at.session_state["assessment_id"] == aid


def test_the_tpi_reads_the_portfolio_without_proposing(app_as, kanwil):
    at = open_page(app_as("tpi"))
    assert table(at)["Kode"].tolist() == ["KK-CONTOH", "KK-DUA"]
    assert not [f for f in at.get("form")]
    assert "koordinator unit di atasnya" in " ".join(c.value for c in at.caption)


def test_an_agen_has_no_portfolio_page(app_as):
    at = app_as("agen")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


@pytest.mark.parametrize("role", ["pimpinan", "koordinator"])
def test_a_satkers_leaders_see_no_portfolio_item(app_as, role):
    """The demo's pimpinan and koordinator hold their roles on KK-CONTOH, which has no units
    below it: the menu offers no Portofolio (it could only say there is nothing to show)."""
    at = app_as(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_a_satker_koordinator_who_gains_a_child_unit_gets_the_item(app_as, data_dir):
    ws = open_workspace(Settings(data_dir=data_dir))
    people.add_unit(ws, operator("test"), "KK-SUB", "Seksi di bawah satker", "KK-CONTOH")
    ws.db.dispose()
    at = open_page(app_as("koordinator"))
    assert "tidak memegang peran" not in " ".join(e.value for e in at.error)
