"""wbk app entry: page config, language, sign-in gate, and the pages the user's roles allow."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from wbk.errors import WbkError
from wbk.i18n import t
from wbk.services import demo
from wbk.services.assessment import assessments, note_threads
from wbk.services.core.actor import visible_pages
from wbk.services.people import people
from wbk.ui import heap, session, widget_text

PAGES = {
    "dashboard": ("wbk/ui/pages/dashboard.py", "nav.dashboard", ":material/dashboard:", "dasbor"),
    "assessment": ("wbk/ui/pages/assessment.py", "nav.assessment", ":material/checklist:", "lke"),
    "plan": ("wbk/ui/pages/plan.py", "tasks.nav", ":material/route:", "rencana"),
    "evidence": (
        "wbk/ui/pages/evidence.py",
        "nav.evidence",
        ":material/folder_open:",
        "data-dukung",
    ),
    "notes": ("wbk/ui/pages/notes.py", "nav.notes", ":material/rate_review:", "catatan"),
    "surveys": (
        "wbk/ui/pages/surveys.py",
        "nav.surveys",
        ":material/sentiment_satisfied:",
        "survei",
    ),
    "reports": ("wbk/ui/pages/reports.py", "nav.reports", ":material/description:", "laporan"),
    "portfolio": (
        "wbk/ui/pages/portfolio.py",
        "portfolio.nav",
        ":material/account_tree:",
        "portofolio",
    ),
    "account": ("wbk/ui/pages/account.py", "followup.account.nav", ":material/person:", "akun"),
    "admin": ("wbk/ui/pages/admin.py", "nav.admin", ":material/settings:", "admin"),
}

st.set_page_config(
    page_title="wbk · Zona Integritas",
    page_icon=str(Path(__file__).parent / "wbk" / "ui" / "assets" / "favicon.png"),  # served here
    layout="wide",
)
session.begin_run()
lang = session.apply_language()
if st.query_params.get("k") and st.query_params.get("u"):
    # The counter's survey form: public, no account, no sidebar; the key only adds responses.
    from wbk.ui.surveys import kiosk_form

    st.navigation(  # /survei (the poster's link) and / (a bare ?u=&k=) both open the form
        [
            st.Page(kiosk_form.page_root, title="Survei", default=True),
            st.Page("wbk/ui/pages/kiosk.py", title="Survei", url_path="survei"),
        ],
        position="hidden",
    ).run()
    session.write_language(session.apply_language())  # the form's language switch reruns
    st.stop()
ws = session.workspace()
actor = session.actor()  # resolved afresh: a revoked role or deactivation applies at once


def sidebar() -> None:
    with st.sidebar:
        choice = st.radio(
            t("ui.language"),
            ["id", "en"],
            index=0 if lang == "id" else 1,
            format_func=lambda x: "Bahasa Indonesia" if x == "id" else "English",
            horizontal=True,
            key="lang_choice",
        )
        if choice != lang:
            st.session_state["lang"] = choice
            if actor is not None and actor.user_id is not None:
                people.set_language(ws, actor, choice)
            st.rerun()
        if actor is None:
            return
        st.caption(t("ui.signed_in_as", name=session.esc(actor.display_name or actor.name)))
        options = OPTIONS
        if options:
            ids = [a.id for a in options]
            current = session.assessment_id()
            index = ids.index(current) if current in ids else 0
            labels = {a.id: f"{a.unit_name} · {a.year}" for a in options}
            picked = st.selectbox(
                t("ui.assessment"),
                ids,
                index=index,
                format_func=lambda i: labels[i],
                key="assessment_picker",
            )
            st.session_state["assessment_id"] = picked
        else:
            st.session_state.pop("assessment_id", None)
            st.info(t("ui.no_assessment"))
        if st.button(t("ui.logout"), icon=":material/logout:", key="logout"):
            session.sign_out()
            st.rerun()


@st.cache_data(ttl=60, show_spinner=False)
def _demo_accounts(_ws, database: str) -> list[str]:
    """Checked once a minute per workspace: argon2 costs a few tens of ms per account."""
    return demo.known_password_accounts(_ws)


known = _demo_accounts(ws, str(ws.db.engine.url))
if known:
    st.warning(t("ui.demo_banner", accounts=", ".join(known)), icon=":material/warning:")


def _options(ws, actor) -> list:
    """The assessments this user reads, kept for 30 s in the session: an organisation's admin
    reads thousands, and every rerun would list them again (the portfolio is their index)."""
    if actor is None:
        return []
    now = time.monotonic()
    cached = st.session_state.get("_options")
    if cached and cached[0] == actor.user_id and now - cached[1] < 30:
        return cached[2]
    found = assessments.list_assessments(ws, actor)
    st.session_state["_options"] = (actor.user_id, now, found)
    return found


OPTIONS = _options(ws, actor)
if OPTIONS and session.assessment_id() not in {a.id for a in OPTIONS}:
    st.session_state["assessment_id"] = OPTIONS[0].id  # a reload or a new tab: the first one


def _due(ws, actor) -> dict[str, int]:
    """Badges: notes waiting for this person, their overdue tasks (in the chosen assessment)."""
    aid = session.assessment_id()
    if aid is None:
        return {}
    try:
        return note_threads.due_counts(ws, actor, aid)
    except WbkError:  # the assessment is no longer readable: no badge, the page says why
        return {}


def _page_names(ws, actor) -> list[str]:
    """The role's pages, without Portofolio where no unit with units below it is in reach (a
    satker's pimpinan or koordinator): that page would only say there is nothing to show.
    Kept for 30 s in the session, as the assessment list."""
    names = visible_pages(actor)
    if "portfolio" not in names:
        return names
    now = time.monotonic()
    cached = st.session_state.get("_portfolio_offered")
    if cached and cached[0] == actor.user_id and now - cached[1] < 30:
        offered = cached[2]
    else:
        from wbk.services.portfolio import portfolio

        offered = bool(portfolio.parent_units(ws, actor))
        st.session_state["_portfolio_offered"] = (actor.user_id, now, offered)
    return names if offered else [n for n in names if n != "portfolio"]


if actor is None:
    # A bookmark or a reload at a page's address (/lke?q=...) shows the sign-in there, not
    # Streamlit's English "Page not found"; once signed in, the same address is that page.
    pages = [
        st.Page(
            "wbk/ui/pages/login.py",
            title=t("nav.login"),
            icon=":material/login:",
            url_path=path,
            default=(path == "masuk"),
        )
        for path in ["masuk", *(entry[3] for entry in PAGES.values())]
    ]
else:
    due = _due(ws, actor)
    pages = [
        st.Page(
            PAGES[name][0],
            title=t(PAGES[name][1]) + (f" ({due[name]})" if due.get(name) else ""),
            icon=PAGES[name][2],
            url_path=PAGES[name][3],
            default=(i == 0),
        )
        for i, name in enumerate(_page_names(ws, actor))
    ]
navigation = st.navigation(pages, position="sidebar" if actor is not None else "hidden")
session.write_cookie()
session.write_language(lang)
widget_text.apply(lang, ws.settings.max_upload_mb)
sidebar()
navigation.run()
heap.freeze_once()  # after the first full run: modules, catalog and workspace are loaded
