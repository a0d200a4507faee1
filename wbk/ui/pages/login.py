"""Sign in (username and password, or the organisation's OIDC login), or create the first admin."""

from __future__ import annotations

import streamlit as st

from wbk.errors import WbkError
from wbk.i18n import t
from wbk.services import people
from wbk.settings import Settings
from wbk.ui import session


def _signed_in(actor) -> None:
    st.session_state["actor"] = actor
    st.session_state["lang"] = people.user_language(session.workspace(), actor.name)
    st.rerun()


def _oidc() -> None:
    """Optional single sign-on through ``st.login`` when ``[auth]`` is configured in secrets;
    roles of a new account come from the claim named by ``WBK_OIDC_ROLES_CLAIM``."""
    try:
        configured = "auth" in st.secrets
    except Exception:
        configured = False
    if not configured:
        return
    st.divider()
    if st.button(t("ui.login_sso"), icon=":material/key:", key="login_sso"):
        st.login()
    user = getattr(st, "user", None)
    if user is None or not user.get("is_logged_in"):
        return
    username = str(user.get("preferred_username") or user.get("email"))
    claim = user.get(Settings().oidc_roles_claim)
    try:
        actor = people.sign_in_oidc(session.workspace(), username, user.get("name"), claim)
    except WbkError:
        st.error(t("ui.sso_unknown", user=username))
        return
    _signed_in(actor)


@session.guarded
def main() -> None:
    ws = session.workspace()
    st.title(t("ui.app_title"))
    st.caption(t("ui.app_subtitle"))
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
                    _signed_in(people.create_first_admin(ws, username, password, name))
        return
    with st.form("login"):
        username = st.text_input(t("ui.username"), key="login_user")
        password = st.text_input(t("ui.password"), type="password", key="login_password")
        if st.form_submit_button(
            t("ui.login"), type="primary", icon=":material/login:", key="login_submit"
        ):
            actor = people.authenticate(ws, username.strip(), password)
            if actor is None:
                st.error(t("ui.login_failed"))
            else:
                _signed_in(actor)
    _oidc()


main()
