"""Per-session plumbing for the pages: workspace, signed-in actor, language, errors, formats."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

import streamlit as st

from wbk.errors import WbkError
from wbk.i18n import LANGUAGES, current_language, fmt_number, set_language, t
from wbk.i18n import fmt_date as i18n_fmt_date
from wbk.services.actor import Actor
from wbk.services.workspace import Workspace, open_workspace
from wbk.settings import Settings

log = logging.getLogger("wbk.ui")
F = TypeVar("F", bound=Callable[..., Any])


@st.cache_resource(show_spinner=False)
def _workspace(data_dir: str, database_url: str | None) -> Workspace:
    from pathlib import Path

    return open_workspace(Settings(data_dir=Path(data_dir), database_url=database_url))


def workspace() -> Workspace:
    settings = Settings()
    return _workspace(str(settings.data_dir.resolve()), settings.database_url)


def apply_language() -> str:
    lang = st.session_state.get("lang") or Settings().lang
    if lang not in LANGUAGES:
        lang = "id"
    set_language(lang)
    return lang


def actor() -> Actor | None:
    return st.session_state.get("actor")


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


def show_error(exc: WbkError) -> None:
    st.error(exc.message(), icon=":material/error:")


def guarded(fn: F) -> F:
    """Run a page body; a service error becomes a message in the user's language."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except WbkError as exc:
            show_error(exc)
        except Exception:  # st.rerun/st.stop raise BaseException subclasses and pass through
            log.exception("unexpected error in page")
            st.error(t("ui.unexpected"), icon=":material/error:")
        return None

    return wrapper  # type: ignore[return-value]


def run_action(fn: Callable[[], Any], success: str | None = None) -> Any:
    """Call a service from a widget callback; remember the outcome to show on this rerun."""
    try:
        result = fn()
    except WbkError as exc:
        st.session_state["_flash"] = ("error", exc.message())
        return None
    if success:
        st.session_state["_flash"] = ("success", success)
    return result


def flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        kind, text = message
        (st.error if kind == "error" else st.success)(text)


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
