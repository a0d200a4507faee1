"""The public survey form at the counter in AppTest: a link with a valid key shows the form
and thanks the person, then resets; a bad or revoked key shows one clear message and nothing
else; the 31st submission in a minute is refused politely; a filled honeypot is not stored and
does not use up the allowance; what a koordinator typed is shown as text, never as a link or
an image."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt
from sqlalchemy import func, select

from tests.ui.conftest import new_app
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.surveys import kiosk
from wbk.settings import Settings, get_settings
from wbk.store.tables.kiosk import KioskResponse
from wbk.ui.surveys import kiosk_form

UNIT = "KK-CONTOH"


@pytest.fixture
def ws(data_dir):
    workspace = open_workspace(Settings(data_dir=data_dir))
    yield workspace
    workspace.db.dispose()


@pytest.fixture
def secret(ws):
    return kiosk.create_key(
        ws, operator("test"), UNIT, "2026-T1", services=["Legalisir", "Rekomendasi haji"]
    ).secret


def stored(ws) -> int:
    with ws.db.read() as s:
        return s.execute(select(func.count()).select_from(KioskResponse)).scalar_one()


def open_form(unit: str, key: str):
    at = new_app()
    at.query_params["u"] = unit
    at.query_params["k"] = key
    at.run()
    assert not at.exception, at.exception
    return at


def fill(at, n: int = 0, value: int = 4):
    at.radio(key=f"kiosk_service_{n}").set_value("Legalisir")
    for code in [f"U{i}" for i in range(1, 10)] + [f"P{i}" for i in range(1, 9)]:
        at.radio(key=f"kiosk_{code}_{n}").set_value(value)
    at.radio(key=f"kiosk_A1_{n}").set_value(3)
    at.radio(key=f"kiosk_sex_{n}").set_value("P")
    return at


def test_a_person_fills_in_the_form_is_thanked_and_the_form_resets(ws, secret):
    at = open_form(UNIT, secret)
    assert at.title[0].value == "Survei Kepuasan dan Persepsi Layanan"
    labels = [r.label for r in at.radio]
    assert "1. Persyaratan" in labels and at.radio(key="kiosk_U1_0").options[3] == "Sangat sesuai"
    fill(at).button(key="kiosk_submit_0").click().run()
    assert not at.exception, at.exception
    assert "Terima kasih" in at.success[0].value
    assert not at.radio  # the thank-you screen shows no answers
    assert stored(ws) == 1
    at.button(key="kiosk_next").click().run()
    assert at.radio(key="kiosk_U1_1").value is None  # empty for the next person
    with ws.db.read() as s:
        row = s.execute(select(KioskResponse)).scalar_one()
        assert row.service == "Legalisir" and row.sex == "P" and row.answers["A1"] == 3
        assert "A2" not in row.answers and row.age_group is None


def test_missing_answers_are_named_and_nothing_is_stored(ws, secret):
    at = open_form(UNIT, secret)
    fill(at)
    at.radio(key="kiosk_U4_0").set_value(None)
    at.radio(key="kiosk_service_0").set_value(None)
    at.button(key="kiosk_submit_0").click().run()
    assert not at.exception, at.exception
    # said once, above the form, in the form's own words (no internal codes) ...
    (summary,) = at.error
    assert summary.value == (
        'Ada 2 pertanyaan yang belum dijawab, ditandai merah "Belum dijawab": '
        "Layanan yang Anda terima; Kepuasan terhadap layanan no. 4."
    )
    assert "U4" not in summary.value
    elements = list(at.main)
    assert elements.index(summary) < elements.index(at.radio(key="kiosk_service_0"))
    # ... and marked on each question left empty, and only those
    marked = [r.key for r in at.radio if r.label.startswith(":red[**Belum dijawab**]")]
    assert marked == ["kiosk_service_0", "kiosk_U4_0"]
    assert stored(ws) == 0
    # answered: the marks and the summary go, the answers are stored
    at.radio(key="kiosk_U4_0").set_value(2)
    at.radio(key="kiosk_service_0").set_value("Legalisir")
    at.button(key="kiosk_submit_0").click().run()
    assert not at.error and "Terima kasih" in at.success[0].value
    assert stored(ws) == 1


def test_the_form_switches_to_english(secret):
    at = open_form(UNIT, secret)
    at.button(key="kiosk_lang").click().run()
    assert at.title[0].value == "Service Satisfaction and Perception Survey"
    assert "1. Requirements" in [r.label for r in at.radio]


@pytest.mark.parametrize("unit,key", [(UNIT, "not-a-key"), ("KW-CONTOH", None), (UNIT, "")])
def test_a_bad_link_shows_one_clear_message_and_nothing_else(ws, secret, unit, key):
    at = open_form(unit, key if key is not None else secret)
    if key == "":  # no key at all: the app's sign-in, not the form
        assert not at.radio or "login_user" in [w.key for w in at.text_input]
        return
    assert "tidak berlaku" in at.error[0].value
    assert not at.radio and not at.button and not at.title


def test_a_revoked_key_stops_the_form(ws, secret):
    [view] = kiosk.list_keys(ws, operator("test"), UNIT)
    kiosk.revoke_key(ws, operator("test"), view.id)
    at = open_form(UNIT, secret)
    assert "tidak berlaku" in at.error[0].value and not at.radio


def test_the_31st_submission_in_a_minute_is_refused_politely(ws, secret):
    for i in range(30):
        kiosk.submit(
            ws,
            UNIT,
            secret,
            {"service": "Legalisir", "answers": {**{f"U{j}": 4 for j in range(1, 10)}}},
            f"tablet-{i}",
        )
    at = open_form(UNIT, secret)
    fill(at).button(key="kiosk_submit_0").click().run()
    assert "Mohon tunggu sebentar" in at.warning[0].value
    assert stored(ws) == 30


def test_a_filled_honeypot_is_thanked_but_not_stored(ws, secret):
    at = open_form(UNIT, secret)
    fill(at).text_input(key="kiosk_website_0").input("http://spam.example")
    at.button(key="kiosk_submit_0").click().run()
    assert "Terima kasih" in at.success[0].value
    assert stored(ws) == 0


def test_bot_hits_do_not_use_up_the_allowance_of_the_people_at_the_counter(ws, secret):
    for i in range(kiosk.RATE_PER_MINUTE):
        bot = {"service": "Legalisir", "answers": {"U1": 4}, kiosk.HONEYPOT: f"http://spam/{i}"}
        assert not kiosk.submit(ws, UNIT, secret, bot, "bot").stored
    at = open_form(UNIT, secret)
    fill(at).button(key="kiosk_submit_0").click().run()
    assert not at.warning and "Terima kasih" in at.success[0].value
    assert stored(ws) == 1


# --- what a koordinator or an admin typed is text on the public form -------------------------

HOSTILE_SERVICES = [
    "[klik](https://evil.example)",
    "![i](http://host/x.png)",
    "Tanya admin@evil.example atau www.evil.example",
    "<img src=http://host/y.png> **tebal** & _miring_",
]
HOSTILE_UNIT = "Kantor [resmi](https://evil.example) ![logo](http://host/logo.png)"
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# GitHub Markdown (Streamlit's) also links a bare URL, www. and an e-mail address
BARE_LINK = re.compile(r"(?i)(?<!\\)://|\bwww\.|(?<!\\)@")


def markup(text: str) -> set[str]:
    """The kinds of link, image or HTML the Markdown ``text`` would render."""
    kinds = set()
    for tok in MD.parse(text):
        for t in [tok, *(tok.children or [])]:
            if t.type in ("link_open", "image", "html_inline", "html_block"):
                kinds.add(t.type)
    if BARE_LINK.search(text):
        kinds.add("bare link")
    return kinds


def shown(text: str) -> str:
    """What a reader sees of the Markdown ``text``: its rendered text."""
    return html.unescape(re.sub(r"<[^>]+>", "", MD.renderInline(text)))


def markdown_on(at) -> list[str]:
    """Every text of the page that Streamlit renders as Markdown (but the page's own style
    sheet, the one text shown with HTML allowed)."""
    styles = [e.value for e in at.markdown if e.allow_html]
    assert styles == [kiosk_form.STYLE.strip()]
    texts = [e.value for kind in ("title", "subheader", "caption") for e in at.get(kind)]
    texts += [e.value for e in at.markdown if not e.allow_html]
    texts += [e.value for kind in ("error", "warning", "success", "info") for e in at.get(kind)]
    for radio in at.radio:
        texts += [radio.label, *radio.options]
    texts += [w.label for w in at.text_input] + [b.label for b in at.button]
    return texts


def test_what_a_koordinator_typed_is_shown_as_text_never_as_a_link_or_image(ws):
    op = operator("test")
    people.add_unit(ws, op, "KK-X", HOSTILE_UNIT, "KK-CONTOH")
    secret = kiosk.create_key(ws, op, "KK-X", "2026-T1", services=HOSTILE_SERVICES).secret
    at = open_form("KK-X", secret)
    texts = markdown_on(at)
    assert all(service in "\n".join(texts) for service in ("klik", "admin", "tebal"))
    for text in texts:
        assert not markup(text), (text, markup(text))
    # read exactly as typed
    assert [shown(o) for o in at.radio(key="kiosk_service_0").options] == HOSTILE_SERVICES
    assert any(HOSTILE_UNIT in shown(c.value) for c in at.caption)
    # the chosen name is stored as typed
    fill(at).radio(key="kiosk_service_0").set_value(HOSTILE_SERVICES[0])
    at.button(key="kiosk_submit_0").click().run()
    assert not at.exception, at.exception
    with ws.db.read() as s:
        assert s.execute(select(KioskResponse.service)).scalar_one() == HOSTILE_SERVICES[0]


def test_the_markup_check_sees_what_unescaped_text_would_render():
    # the check above can fail: the same texts given raw are links, images and HTML
    assert markup(HOSTILE_SERVICES[0]) == {"link_open", "bare link"}
    assert "image" in markup(HOSTILE_SERVICES[1])
    assert markup(HOSTILE_SERVICES[2]) == {"bare link"}
    assert "html_inline" in markup(HOSTILE_SERVICES[3])


# --- the Survei page: keys, poster, live results, use for H.II.a ------------------------------

SURVEYS = "wbk/ui/pages/surveys.py"


def full(value: int = 4, service: str = "Legalisir") -> dict:
    answers = {f"U{i}": value for i in range(1, 10)} | {f"P{i}": value for i in range(1, 9)}
    return {"service": service, "answers": answers | {f"A{i}": value for i in range(1, 6)}}


def test_without_a_public_address_no_key_or_poster_is_made_and_the_page_says_how(
    app_as, monkeypatch
):
    monkeypatch.delenv("WBK_APP_URL", raising=False)
    get_settings.cache_clear()
    at = app_as("koordinator")
    at.switch_page(SURVEYS).run()
    assert not at.exception, at.exception
    assert "kiosk_create" not in {b.key for b in at.button}
    assert any("WBK_APP_URL" in w.value and "localhost" in w.value for w in at.warning)


def test_a_koordinator_makes_a_key_with_its_poster_then_uses_the_live_ipkp(
    app_as, data_dir, monkeypatch
):
    monkeypatch.setenv("WBK_APP_URL", "https://zi.example.go.id")
    get_settings.cache_clear()
    at = app_as("koordinator")
    at.switch_page(SURVEYS).run()
    assert not at.exception, at.exception
    at.text_input(key="kiosk_period").input("2026-T1")
    at.text_input(key="kiosk_label").input("Loket PTSP")
    at.text_area(key="kiosk_services").input("Legalisir\nRekomendasi haji")
    at.button(key="kiosk_create").click().run()
    assert not at.exception, at.exception
    link = at.text_input(key="kiosk_link").value
    assert link.startswith("https://zi.example.go.id/survei?u=KK-CONTOH&k=")
    assert {"kiosk_png", "kiosk_pdf"} <= {b.key for b in at.get("download_button")}
    # a second live key for the same period is refused, saying which one exists
    at.text_input(key="kiosk_period").input("2026-T1")
    at.text_input(key="kiosk_label").input("Loket kedua")
    at.button(key="kiosk_create").click().run()
    assert any("sudah punya kunci aktif (Loket PTSP)" in e.value for e in at.error)
    secret = link.rsplit("k=", 1)[1]
    ws = open_workspace(Settings(data_dir=data_dir))
    kiosk.submit(ws, UNIT, secret, full(4), "a")
    kiosk.submit(ws, UNIT, secret, full(3, "Rekomendasi haji"), "b")
    at.switch_page(SURVEYS).run()
    assert [m.value for m in at.metric if m.label == "IPKP"] == ["3,500"]
    assert [m.value for m in at.metric if m.label == "IKM"][-1] == "87,50"  # (4 + 3) / 2 x 25
    at.selectbox(key="kiosk_live_period").set_value("2026-T1").run()
    at.button(key="kiosk_use_ipkp").click().run()
    assert not at.exception, at.exception
    assert any("H.II.a" in s.value and "2026-T1" in s.value for s in at.success)
    assert any("2 responden" in c.value and "jawaban kiosk" in c.value for c in at.caption)
    ws.db.dispose()


def test_a_pimpinan_reads_the_keys_but_makes_none(app_as, secret):
    at = app_as("pimpinan")
    at.switch_page(SURVEYS).run()
    assert not at.exception, at.exception
    assert "kiosk_create" not in {b.key for b in at.button}
    assert "kiosk_revoke" not in {b.key for b in at.button}
