"""The public survey form at the counter: one short form, large touch targets, readable on a
phone, a thank-you screen that resets for the next person. Only ``kiosk.form_for`` and
``kiosk.submit`` are reached from here: the key in the link is not a login.

The page is public: every text that is not the app's own (the service names a koordinator
typed, the unit's name, the questions and scale words, messages that quote them) is shown
through ``session.esc``, as typed, never as a link, an image or other Markdown."""

from __future__ import annotations

import math
import time
import uuid

import streamlit as st

from wbk.errors import WbkError
from wbk.i18n import t
from wbk.services.surveys import kiosk
from wbk.ui import session

STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"] {display: none;}
.block-container {max-width: 720px; padding: 1rem 1rem 4rem 1rem;}
.st-key-kiosk_hp {position: absolute; left: -10000px; height: 1px; overflow: hidden;}
div[role="radiogroup"] {gap: .5rem .5rem; flex-wrap: wrap;}
div[role="radiogroup"] label {
  min-height: 48px; padding: .55rem .9rem; border: 1px solid rgba(128,128,128,.45);
  border-radius: .6rem; margin: 0 !important; align-items: center;
}
div[role="radiogroup"] label p {font-size: 1.05rem;}
.stFormSubmitButton button, .stButton button {min-height: 56px; font-size: 1.15rem;}
</style>
"""
ROUND = "kiosk_round"
DONE = "kiosk_done"
SESSION = "kiosk_session"
DONE_AT = "kiosk_done_at"
MISSING = "kiosk_missing"  # (round, widget keys still unanswered, their names) after a send
RESET_AFTER = 15  # seconds the thank-you screen stays on a tablet at the counter


def _switch_language(lang: str) -> None:
    other = "en" if lang == "id" else "id"
    if st.button(t("kiosk.form.language"), key="kiosk_lang", type="tertiary"):
        st.session_state["lang"] = other
        st.rerun()


def _thanks() -> None:
    st.success(t("kiosk.form.thanks"), icon=":material/favorite:")
    st.caption(t("kiosk.form.thanks_next"))
    if st.button(t("kiosk.form.next"), key="kiosk_next", type="primary", width="stretch"):
        st.session_state[DONE] = False
        st.rerun()
    _countdown()


@st.fragment(run_every=1)
def _countdown() -> None:
    """On a tablet at the counter the form comes back by itself for the next person."""
    done_at = st.session_state.setdefault(DONE_AT, time.monotonic())
    left = RESET_AFTER - (time.monotonic() - done_at)
    if left <= 0 and st.session_state.get(DONE):
        st.session_state[DONE] = False
        st.rerun(scope="app")
    st.caption(t("kiosk.form.reset_in", seconds=max(1, math.ceil(left))))


def _choice(field: str, values: tuple[str, ...], n: int) -> str | None:
    return st.radio(
        t(f"kiosk.form.{field}"),
        values,
        index=None,
        horizontal=True,
        format_func=lambda v: t(f"kiosk.choice.{field}.{v}"),
        key=f"kiosk_{field}_{n}",
    )


def _marked(key: str, label: str) -> str:
    """The label, with a red "belum dijawab" before it when the last send left it empty."""
    missing = st.session_state.get(MISSING)
    if missing and key in missing[1]:
        return f":red[**{t('dayfix.kiosk.unanswered')}**] · {label}"
    return label


def _form(form: kiosk.KioskForm, lang: str, n: int) -> dict | None:
    """Draw the form; the answers when it was sent, else None."""
    with st.form(f"kiosk_form_{n}", border=False):
        service = None
        if form.services:
            service = st.radio(
                _marked(f"kiosk_service_{n}", f"**{t('kiosk.form.service')}**"),
                form.services,
                index=None,
                format_func=session.esc,
                key=f"kiosk_service_{n}",
            )
        answers: dict[str, int | None] = {}
        for inst in form.instruments:
            st.subheader(t(f"kiosk.form.{inst.id}"), divider="gray")
            lo, hi = inst.scale_range
            for number, item in enumerate(inst.items, start=1):
                answers[item.code] = st.radio(
                    _marked(
                        f"kiosk_{item.code}_{n}",
                        f"{number}. {session.esc(inst.item_text(item.code, lang))}",
                    ),
                    list(range(lo, hi + 1)),
                    index=None,
                    horizontal=True,
                    format_func=lambda v, i=inst: session.esc(i.word(v, lang)),
                    key=f"kiosk_{item.code}_{n}",
                )
        st.subheader(t("kiosk.form.optional"), divider="gray")
        demographics = {f: _choice(f, values, n) for f, values in kiosk.DEMOGRAPHICS.items()}
        with st.container(key="kiosk_hp"):
            trap = st.text_input(t("kiosk.form.honeypot"), key=f"kiosk_{kiosk.HONEYPOT}_{n}")
        sent = st.form_submit_button(
            t("kiosk.form.submit"),
            type="primary",
            width="stretch",
            icon=":material/send:",
            key=f"kiosk_submit_{n}",
        )
    if not sent:
        return None
    return {"service": service, "answers": answers, kiosk.HONEYPOT: trap, **demographics}


def _missing(form: kiosk.KioskForm, sent: dict, n: int) -> tuple[list[str], list[str]]:
    """Questions the person must still answer (the service, every SKM element): their widget
    keys and their names as the form shows them ("Kepuasan terhadap layanan no. 4")."""
    keys: list[str] = []
    names: list[str] = []
    if form.services and not sent["service"]:
        keys.append(f"kiosk_service_{n}")
        names.append(t("kiosk.form.service"))
    for inst in form.instruments:
        if inst.id != "skm":
            continue
        numbers = []
        for number, code in enumerate(inst.codes, start=1):
            if sent["answers"].get(code) is None:
                keys.append(f"kiosk_{code}_{n}")
                numbers.append(str(number))
        if numbers:
            names.append(
                t("dayfix.kiosk.numbers", part=t("kiosk.form.skm"), numbers=", ".join(numbers))
            )
    if not any(v is not None for v in sent["answers"].values()) and not names:
        names.append(t("kiosk.no_answers"))
    return keys, names


def _summary(n: int) -> None:
    """At the top of the form: what the last send left unanswered, and a jump to it."""
    missing = st.session_state.get(MISSING)
    if not missing or missing[0] != n:
        return
    _, keys, names = missing
    text = t("dayfix.kiosk.summary", count=len(keys), items="; ".join(names))
    with st.container(key="kiosk_summary"):
        st.error(text if keys else "; ".join(names), icon=":material/error:")
    if st.session_state.pop("kiosk_scroll", False):  # once, right after the send
        session.run_script(
            "const d = window.parent.document;"
            "const el = d.querySelector('.st-key-kiosk_summary');"
            "if (el) el.scrollIntoView({block: 'start'});"
        )


def render(unit_code: str, key: str) -> None:
    st.markdown(STYLE, unsafe_allow_html=True)
    lang = st.session_state.get("lang") or "id"
    ws = session.workspace()
    try:
        form = kiosk.form_for(ws, unit_code, key)
    except WbkError as exc:
        st.error(session.esc(exc.message(lang)), icon=":material/link_off:")
        return
    st.session_state.setdefault(SESSION, uuid.uuid4().hex)
    n = st.session_state.setdefault(ROUND, 0)
    _switch_language(lang)
    st.title(t("kiosk.form.title"))
    if st.session_state.get(DONE):
        _thanks()
        return
    intro = t("kiosk.form.intro", unit=session.esc(form.unit_name), period=session.esc(form.period))
    st.caption(intro)
    _summary(n)
    sent = _form(form, lang, n)
    if sent is None:
        return
    keys, names = _missing(form, sent, n)
    if names:  # marked on each question, said once at the top: the form redraws with both
        st.session_state[MISSING] = (n, keys, names)
        st.session_state["kiosk_scroll"] = True
        st.rerun()
    st.session_state.pop(MISSING, None)
    try:
        kiosk.submit(ws, unit_code, key, sent, st.session_state[SESSION])
    except kiosk.RateLimited as exc:
        st.warning(session.esc(exc.message(lang)), icon=":material/hourglass_top:")
        return
    except WbkError as exc:
        st.error(session.esc(exc.message(lang)))
        return
    st.session_state[ROUND] = n + 1  # fresh, empty widgets for the next person
    st.session_state[DONE] = True
    st.session_state.pop(DONE_AT, None)
    st.rerun()


def page_root() -> None:
    """The form when the link has no ``/survei`` path (``/?u=&k=``): the same page."""
    render(str(st.query_params.get("u") or ""), str(st.query_params.get("k") or ""))
