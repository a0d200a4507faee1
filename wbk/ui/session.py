"""Per-session plumbing for the pages: workspace, the signed-in user (resolved afresh on every
run), language, errors and number formats."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from datetime import date
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from wbk.errors import WbkError
from wbk.i18n import LANGUAGES, current_language, fmt_number, set_language, t
from wbk.i18n import fmt_date as i18n_fmt_date
from wbk.services.assessment.context import AssessmentContext, load_context
from wbk.services.core import clients
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, open_workspace
from wbk.services.people import auth
from wbk.services.people.people import actor_by_id
from wbk.settings import address_warnings, get_settings

log = logging.getLogger("wbk.ui")
F = TypeVar("F", bound=Callable[..., Any])
USER_KEY = "user_id"
TOKEN_KEY = "session_token"
COOKIE = "wbk_session"
_resolved: contextvars.ContextVar[tuple[int, Actor] | None] = contextvars.ContextVar(
    "wbk_actor", default=None
)


@st.cache_resource(show_spinner=False)
def _workspace(data_dir: str, database_url: str | None, blob_url: str | None) -> Workspace:
    where = {"data_dir": Path(data_dir), "database_url": database_url, "blob_url": blob_url}
    settings = get_settings()
    for warning in address_warnings(settings):  # once per process, at its first page
        log.warning(warning)
    return open_workspace(settings.model_copy(update=where))


@lru_cache(maxsize=16)
def _absolute(data_dir: Path) -> str:
    """The data folder's absolute path, resolved once: a page asks for the workspace once per
    question, and resolving walks the path's every folder."""
    return str(data_dir.resolve())


def workspace() -> Workspace:
    settings = get_settings()
    return _workspace(_absolute(settings.data_dir), settings.database_url, settings.blob_url)


def apply_language() -> str:
    lang = st.session_state.get("lang") or get_settings().lang
    if lang not in LANGUAGES:
        lang = "id"
    set_language(lang)
    return lang


def begin_run() -> None:
    """Forget the previous run's user: roles are resolved again on this run."""
    _resolved.set(None)


def sign_in(user: Actor) -> None:
    """Remember who signed in: only the user id is kept in the tab's session, and a server
    session whose token goes into a cookie, so a reload or a new tab stays signed in."""
    st.session_state[USER_KEY] = user.user_id
    _resolved.set((user.user_id, user) if user.user_id is not None else None)
    if user.user_id is not None:
        token = auth.start_session(
            workspace(), user, get_settings().session_idle_hours, client=client_address()
        )
        st.session_state[TOKEN_KEY] = token
        st.session_state["_cookie"] = token  # written by the next run (see write_cookie)


def sign_out(end: bool = True) -> None:
    """Forget the user in this tab; ``end`` also ends the server session (the cookie stops
    working in every tab at once)."""
    token = st.session_state.get(TOKEN_KEY) or _cookie_token()
    if end and token:
        auth.end_session(workspace(), token)
    for key in list(st.session_state.keys()):
        if key != "lang":
            del st.session_state[key]
    st.session_state["_cookie"] = ""  # clear it in the browser
    st.session_state["_cookie_tried"] = True
    _resolved.set(None)


def client_address() -> str | None:
    """The browser's address (None outside a real request): the connection's, or the one a
    proxy in ``WBK_TRUSTED_PROXIES`` names in X-Forwarded-For (``clients.client_address``).
    Streamlit reports no address for a connection from this machine, which is how the reverse
    proxy connects: a request that has headers but no address came from 127.0.0.1."""
    try:
        peer = st.context.ip_address
        headers = st.context.headers
        forwarded = headers.get_all("x-forwarded-for")
    except Exception:  # no browser request (tests, bare mode)
        return None
    if not isinstance(peer, str):
        peer = clients.LOOPBACK if len(headers) else None
    return clients.client_address(peer, forwarded, get_settings().trusted_proxies)


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser request (tests, bare mode)
        return None
    return value if isinstance(value, str) and value else None


def write_cookie() -> None:
    """Set or clear the session cookie in the browser. Streamlit cannot send Set-Cookie, so a
    zero-height script writes it (SameSite=Strict, Secure over HTTPS; it holds only a random
    token that the server ends on sign-out, deactivation or idle time)."""
    value = st.session_state.pop("_cookie", None)
    if value is None:
        return
    age = int(get_settings().session_idle_hours * 3600) if value else 0
    run_script(
        "const d = window.parent.document;"
        f"d.cookie = '{COOKIE}={value}; path=/; max-age={age}; SameSite=Strict'"
        " + (window.parent.location.protocol === 'https:' ? '; Secure' : '');"
    )


def write_language(lang: str) -> None:
    """Keep ``<html lang>`` with the reader's language (screen readers, the browser's
    translation offer): the server sends the default (``app.py``); a script changes it when
    this tab's language differs from what the page says. ``lang`` is one of LANGUAGES."""
    if lang not in LANGUAGES:
        return
    if st.session_state.get("_html_lang", get_settings().lang) == lang:
        return
    st.session_state["_html_lang"] = lang
    run_script(f"window.parent.document.documentElement.lang = '{lang}';")


def run_script(js: str) -> None:
    """Run our own script (never user text) in the page, in an invisible same-origin frame."""
    st.iframe(f"<script>{js}</script>", height=1)


def _resume() -> int | None:
    """A reload or a new tab: the cookie's server session, if it is still live."""
    if st.session_state.get("_cookie_tried"):
        return None
    st.session_state["_cookie_tried"] = True
    token = _cookie_token()
    if not token:
        return None
    found = auth.resume_session(workspace(), token, get_settings().session_idle_hours)
    if found is None or found.user_id is None:
        st.session_state["_cookie"] = ""
        return None
    st.session_state[USER_KEY] = found.user_id
    st.session_state[TOKEN_KEY] = token
    st.session_state["lang"] = st.session_state.get("lang") or found_language(found)
    _resolved.set((found.user_id, found))
    return found.user_id


def found_language(user: Actor) -> str:
    from wbk.services.people.people import user_language

    return user_language(workspace(), user.name)


def _session_live() -> bool:
    """Whether this tab's server session still stands (signed out in another tab, ended by an
    administrator, idle too long); checked on every run, a write at most once a minute."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return True  # signed in without a server session (tests driving sign_in directly)
    return auth.resume_session(workspace(), token, get_settings().session_idle_hours) is not None


def actor(fresh: bool = False) -> Actor | None:
    """The signed-in user as stored now: a revoked role or a deactivated account takes effect
    on the next click. Resolved once per run (``fresh`` for widget callbacks, which run before
    the page)."""
    user_id = st.session_state.get(USER_KEY)
    if user_id is None:
        user_id = _resume()
        if user_id is None:
            return None
    cached = _resolved.get()
    if cached is not None and cached[0] == user_id and not fresh:
        return cached[1]
    current = actor_by_id(workspace(), user_id) if _session_live() else None
    if current is None:  # deactivated, removed or signed out elsewhere since the last click
        sign_out(end=False)
        st.session_state["_signed_out_reason"] = "deactivated"
        return None
    _resolved.set((user_id, current))
    return current


def require_actor() -> Actor:
    current = actor()
    if current is None:
        st.stop()
    return current


def assessment_id() -> int | None:
    return st.session_state.get("assessment_id")


def context() -> tuple[Actor, int, Workspace] | None:
    """The signed-in actor, the chosen assessment and the workspace; None (with a message)
    when no assessment can be opened."""
    current = require_actor()
    aid = assessment_id()
    if aid is None:
        st.info(t("ui.no_assessment"))
        return None
    return current, aid, workspace()


def assessment_context() -> AssessmentContext | None:
    """The chosen assessment's whole context, read once for this page in one transaction."""
    ctx = context()
    if ctx is None:
        return None
    current, aid, ws = ctx
    return load_context(ws, current, aid)


def show_error(exc: WbkError) -> None:
    st.error(esc(exc.message()), icon=":material/error:")


def unexpected(where: str) -> str:
    """Log the traceback with a short reference the user can quote; return the message."""
    ref = uuid.uuid4().hex[:8]
    log.exception("unexpected error in %s [ref %s]", where, ref)
    return t("ui.unexpected_ref", ref=ref)


def guarded(fn: F) -> F:
    """Run a page body; a service error becomes a message in the user's language, anything
    unexpected a friendly message with a reference (the traceback goes to the log only)."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except WbkError as exc:
            show_error(exc)
        except Exception:  # st.rerun/st.stop raise BaseException subclasses and pass through
            st.error(unexpected(getattr(fn, "__module__", "page")), icon=":material/error:")
        return None

    return wrapper  # type: ignore[return-value]


def run_action(fn: Callable[[], Any], success: str | None = None) -> Any:
    """Call a service for a button or callback; remember the outcome to show on this run."""
    try:
        result = fn()
    except WbkError as exc:
        st.session_state["_flash"] = ("error", exc.message())
        return None
    except Exception:
        st.session_state["_flash"] = ("error", unexpected("action"))
        return None
    if success:
        st.session_state["_flash"] = ("success", success)
    return result


def flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        kind, text = message
        (st.error if kind == "error" else st.success)(esc(text))


# emphasis, code, links, images, html, math, and @ (GitHub Markdown links a bare e-mail address)
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~$!@])")
_MD_LINE_START = re.compile(r"^(\s*)([#=+>-]|\d+[.)])")  # headings, rules, lists, quotes
_AUTOLINK = re.compile(r"(?i)(://|\bwww\.)")


def esc(text: object) -> str:
    """User text for st.markdown/caption/info...: shown as typed, never as formatting, a
    heading, a link or an image (an image from user content would make every viewer's
    browser fetch it). Line breaks stay line breaks."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;")
    value = _MD_INLINE.sub(r"\\\1", value)
    value = _AUTOLINK.sub(lambda m: m.group(1).replace(":", "\\:").replace(".", "\\."), value)
    lines = [_MD_LINE_START.sub(r"\1\\\2", line.rstrip("\r")) for line in value.split("\n")]
    return "  \n".join(lines)


def num(value, places: int = 2) -> str:
    return fmt_number(value, places)


def pct(ratio) -> str:
    return f"{fmt_number(float(ratio) * 100, 1)}%"


def fmt_date(value: date | None) -> str:
    return i18n_fmt_date(value)


def area_name(catalog, code: str) -> str:
    for info in catalog.areas:
        if info.code == code:
            return info.name_en if current_language() == "en" and info.name_en else info.name
    return code
