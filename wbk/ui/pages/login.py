"""Sign in (username and password, or the organisation's OIDC login), or create the first admin."""

from __future__ import annotations

import logging

import streamlit as st

from wbk.errors import WbkError
from wbk.i18n import t
from wbk.services.people import auth, people
from wbk.ui import session

log = logging.getLogger("wbk.ui")


def _signed_in(actor) -> None:
    session.sign_in(actor)
    st.session_state["lang"] = people.user_language(session.workspace(), actor.name)
    st.rerun()


def _oidc_configured() -> bool:
    """Whether ``[auth]`` is set in secrets.toml; a broken file is said, not ignored."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError as exc:
        if exc.__cause__ is None:  # no secrets file at all: password sign-in only
            return False
        log.error("secrets.toml cannot be read, single sign-on is off: %s", exc.__cause__)
        st.error(t("ui.secrets_broken", problem=session.esc(str(exc.__cause__))))
        return False


def _oidc() -> None:
    """Optional single sign-on through ``st.login``; roles come from the claim named by
    ``WBK_OIDC_ROLES_CLAIM`` and are reconciled on every sign-in."""
    if not _oidc_configured():
        return
    st.divider()
    if st.button(t("ui.login_sso"), icon=":material/key:", key="login_sso"):
        st.login()
    user = getattr(st, "user", None)
    if user is None or not user.get("is_logged_in"):
        return
    username = str(user.get("preferred_username") or user.get("email"))
    claim = user.get(session.workspace().settings.oidc_roles_claim)
    try:
        actor = auth.sign_in_oidc(session.workspace(), username, user.get("name"), claim)
    except WbkError as exc:
        st.error(session.esc(exc.message()))
        return
    _signed_in(actor)


@session.guarded
def main() -> None:
    ws = session.workspace()
    st.title(t("ui.app_title"))
    st.caption(t("ui.app_subtitle"))
    if st.session_state.pop("_signed_out_reason", None):
        st.warning(t("ui.signed_out_changed"))
    if people.count_users(ws) == 0:
        st.info(t("ui.first_run"))
        with st.form("first_admin"):
            username = st.text_input(t("ui.username"), value="admin", key="first_user")
            name = st.text_input(t("ui.display_name"), value="Administrator", key="first_name")
            password = st.text_input(t("ui.password"), type="password", key="first_password")
            confirm = st.text_input(t("ui.password_again"), type="password", key="first_confirm")
            if st.form_submit_button(t("ui.create_admin"), type="primary", key="first_submit"):
                if password != confirm:
                    st.error(t("ui.password_mismatch"))
                else:
                    _signed_in(auth.create_first_admin(ws, username, password, name))
        return
    with st.form("login"):
        username = st.text_input(t("ui.username"), key="login_user")
        password = st.text_input(t("ui.password"), type="password", key="login_password")
        if st.form_submit_button(
            t("ui.login"), type="primary", icon=":material/login:", key="login_submit"
        ):
            actor = auth.authenticate(ws, username, password, client=session.client_address())
            if actor is None:
                st.error(t("ui.login_failed"))
            else:
                _signed_in(actor)
    _oidc()


main()
