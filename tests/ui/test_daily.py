"""A team's working day: deep links, the TPI marking its review from its own page, the LKE
filters and a question's own evidence."""

from __future__ import annotations

from tests.ui.test_pages import open_page
from wbk.services.assessment import assessments
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.settings import Settings


def _status(data_dir, status: str | None = None) -> str:
    ws = open_workspace(Settings(data_dir=data_dir))
    aid = assessments.list_assessments(ws, operator("t"))[0].id
    if status:
        assessments.set_status(ws, operator("t"), aid, status)
    current = assessments.get_assessment_view(ws, operator("t"), aid).status
    ws.db.dispose()
    return current


def test_a_deep_link_opens_the_questions_area(app_as):
    at = app_as("agen")
    at.query_params["q"] = "P.TT.ii.a"
    open_page(at, "assessment")
    assert at.selectbox(key="lke_part").value == "P"
    assert at.selectbox(key="lke_area_P").value == "TT"
    assert any("P.TT.ii.a" in c.value for c in at.caption)
    assert "q" not in at.query_params  # consumed: switching area works afterwards
    at.selectbox(key="lke_area_P").set_value("MP").run()
    assert at.selectbox(key="lke_area_P").value == "MP"


def test_an_unknown_deep_link_says_so(app_as):
    at = app_as("agen")
    at.query_params["q"] = "P.XX.i.a"
    open_page(at, "assessment")
    assert any("P.XX.i.a" in w.value for w in at.warning)


def test_tpi_marks_the_review_done_on_its_own_page(app_as, data_dir):
    _status(data_dir, "submitted")
    at = open_page(app_as("tpi"), "assessment")
    labels = [b.label for b in at.button]
    assert "Tandai sudah direviu" in labels
    at.button(key="to-reviewed").click().run()
    assert not at.exception
    assert _status(data_dir) == "reviewed"


def test_after_locking_no_move_is_offered_and_the_reason_is_given(app_as, data_dir):
    _status(data_dir, "submitted")
    _status(data_dir, "reviewed")
    _status(data_dir, "locked")
    at = open_page(app_as("tpi"), "assessment")
    assert not any(b.key and b.key.startswith("to-") for b in at.button)


def test_filters_show_only_unanswered_questions(app_as):
    at = open_page(app_as("agen"), "assessment")
    at.selectbox(key="lke_area_P").set_value("SDM").run()
    before = [c for c in at.container if (c.key or "").startswith("q-")]
    at.pills(key="lke_filters").set_value(["unanswered"]).run()
    after = [c.key for c in at.container if (c.key or "").startswith("q-")]
    assert 0 < len(after) < len(before)  # the demo leaves some SDM questions unanswered
    at.pills(key="lke_filters").set_value(["unanswered", "open_note"]).run()
    shown = [c.key for c in at.container if (c.key or "").startswith("q-")]
    assert len(shown) <= len(after)


def test_evidence_deep_link_opens_the_document(app_as):
    at = app_as("koordinator")
    at.query_params["doc"] = "2"
    open_page(at, "evidence")
    assert at.selectbox(key="ev_pick").value == 2


def test_the_dashboard_says_what_is_missing_in_words(app_as):
    at = app_as("pimpinan")
    headline = at.error[0].value
    # the demo scores 74,00: one point short of 75; TT and SDM fall short as whole areas
    # (Pemenuhan + Reform), the regulation's reading: no part's area alone is a gate
    assert "gagal WBK" in headline and "Kurang 1,00 poin dari 75" in headline
    assert "Penataan Tatalaksana," in headline and "(Reform)" not in headline
    assert "\\*" not in headline and "†" not in headline  # settled, and not the stricter one
    links = at.get("page_link")
    lke = [p for p in links if p.proto.page == "lke"]  # the next steps (test_next_steps.py)
    assert 1 <= len(lke) <= 3 and all(p.proto.query_string.startswith("q=") for p in lke)


def test_everyone_sets_their_own_reminder_address(app_as, data_dir):
    at = app_as("agen")
    at.switch_page("wbk/ui/pages/account.py").run()
    assert not at.exception
    at.text_input(key="own_email_value").input("budi@kemenag.go.id")
    at.button(key="own_email_submit").click().run()
    ws = open_workspace(Settings(data_dir=data_dir))
    from wbk.services.people import accounts, people

    assert accounts.own_email(ws, people.actor_for(ws, "agen")) == "budi@kemenag.go.id"
    ws.db.dispose()


def test_the_stricter_reading_is_labelled_where_it_decides(app_as, monkeypatch):
    from wbk.settings import get_settings

    monkeypatch.setenv("WBK_AREA_READING", "strict")
    get_settings.cache_clear()
    try:
        at = app_as("pimpinan")
        headline = at.error[0].value
        captions = [c.value for c in at.caption]
    finally:
        get_settings.cache_clear()
    # the demo's Reform TT area alone falls short: only the stricter reading counts it
    assert "Penataan Tatalaksana (Reform) †" in headline
    assert sum("Lebih ketat dari peraturan" in c for c in captions) == 1
    assert any("Bab III A (hlm. 52-53)" in c for c in captions)
