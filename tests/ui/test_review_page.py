"""The pre-review on the LKE page (AppTest): the TPI turns a finding into a note, the
koordinator dismisses one with a reason and it stays away, an agen only reads."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ui.test_pages import open_page
from wbk.services.assessment import assessments, notes
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import open_workspace
from wbk.services.review import reviews
from wbk.settings import get_settings

OP = Actor("cli:test", operator=True)


@pytest.fixture
def reviewed(data_dir):
    """The demo's files read beforehand (the page never waits for the reading); the keys of
    the findings on P.MP.i.a and P.MP.ii.a by finding code."""
    ws = open_workspace(get_settings())
    try:
        (aid,) = [a.id for a in assessments.list_assessments(ws, OP)]
        review = reviews.review_assessment(ws, OP, aid)
        keys = {
            code: {f["code"]: f["key"] for f in review.question(code)["findings"]}
            for code in ("P.MP.i.a", "P.MP.ii.a")
        }
    finally:
        ws.db.dispose()
    return aid, keys


def open_review(at, *codes: str):
    """Switch on the pre-review of these questions (drawn only when asked)."""
    for code in codes:
        at.toggle(key="rev-" + code.replace(".", "-")).set_value(True)
    return at.run()


def buttons(at, prefix: str) -> list[str]:
    return [b.key for b in at.button if (b.key or "").startswith(prefix)]


def test_the_tpi_accepts_a_finding_and_a_note_appears(app_as, reviewed):
    aid, keys = reviewed
    at = open_page(app_as("tpi"), "assessment")
    chips = " ".join(m.value for m in at.markdown)
    assert "Pra-reviu: kuning" in chips and "Pra-reviu: merah" in chips
    key = keys["P.MP.i.a"]["unsigned"]
    assert not buttons(at, "acc-")  # the details are drawn only when asked
    open_review(at, "P.MP.i.a")
    at.button(key=f"acc-P.MP.i.a-{key}").click().run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("Catatan TPI" in w and "SK tanpa bukti tanda tangan" in w for w in warnings)
    assert not buttons(at, f"acc-P.MP.i.a-{key}")  # decided: no second click
    ws = open_workspace(get_settings())
    try:
        (note,) = [n for n in notes.list_notes(ws, OP, aid) if n.text.startswith("[Pra-reviu]")]
    finally:
        ws.db.dispose()
    assert note.code == "P.MP.i.a" and note.created_by == "tpi"
    assert any(f"#{note.id}" in c.value for c in at.caption)


def test_the_koordinator_dismisses_a_finding_with_a_reason(app_as, reviewed):
    _, keys = reviewed
    key = keys["P.MP.ii.a"]["no_date"]
    at = open_review(open_page(app_as("koordinator"), "assessment"), "P.MP.ii.a")
    at.button(key=f"dis-P.MP.ii.a-{key}").click().run()  # without a reason: refused
    assert any("Alasan menolak temuan wajib diisi" in e.value for e in at.error)
    assert buttons(at, f"dis-P.MP.ii.a-{key}")
    at.text_input(key=f"why-P.MP.ii.a-{key}").input("Tanggal ada di lampiran")
    at.button(key=f"dis-P.MP.ii.a-{key}").click().run()
    assert not at.exception, at.exception
    assert not buttons(at, f"dis-P.MP.ii.a-{key}")
    assert any("Tanggal ada di lampiran" in c.value for c in at.caption)
    # a new visit: the dismissed finding does not come back
    again = open_review(open_page(app_as("koordinator"), "assessment"), "P.MP.ii.a", "P.MP.i.a")
    assert not buttons(again, f"dis-P.MP.ii.a-{key}")
    assert buttons(again, "dis-P.MP.i.a-")  # the others still wait for a decision


def test_an_agen_sees_the_review_but_no_buttons(app_as, reviewed):
    at = open_review(open_page(app_as("agen"), "assessment"), "P.MP.i.a", "P.MP.ii.a")
    assert "Pra-reviu: kuning" in " ".join(m.value for m in at.markdown)
    assert any("Dokumen yang diharapkan" in m.value for m in at.markdown)  # the details are shown
    assert not buttons(at, "acc-") and not buttons(at, "dis-")
    assert not [t for t in at.text_input if (t.key or "").startswith("why-")]


def test_an_agen_may_not_set_the_review_period_and_a_koordinator_may(app_as, reviewed):
    at = open_page(app_as("agen"), "evidence")
    assert not [d for d in at.date_input if d.key == "rp_start"]
    at = open_page(app_as("koordinator"), "evidence")
    at.date_input(key="rp_start").set_value(date(2019, 1, 1))
    next(b for b in at.button if b.label == "Simpan periode").click().run()
    assert not at.exception, at.exception
    assert any("Periode reviu: 2019-01-01" in c.value for c in at.caption)


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch):
    """The page's background reader has nothing to read here; keep it from starting."""
    from wbk.services.review import background

    monkeypatch.setattr(background, "ensure_worker", lambda ws: None)
