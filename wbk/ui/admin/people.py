"""Admin > Pengguna: the people with their roles; add, grant, revoke, deactivate, reset."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wbk.i18n import t
from wbk.services import reminders
from wbk.services.core.actor import ROLES, Actor
from wbk.services.core.workspace import Workspace
from wbk.services.people import accounts, people
from wbk.ui import session


def _role_text(r: accounts.RoleView) -> str:
    text = r.role + (f"@{r.unit_code}" if r.unit_code else "")
    if r.areas:
        text += ":" + ",".join(r.areas)
    return text + (" (SSO)" if r.source == "idp" else "")


def users_tab(ws: Workspace, actor: Actor) -> None:
    users = accounts.list_users(ws, actor)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("ui.username"): u.username,
                    t("ui.display_name"): u.display_name,
                    t("ui.roles"): "; ".join(_role_text(r) for r in u.roles) or "–",
                    t("followup.email.label"): u.email or "–",
                    t("ui.status"): t("ui.user_active") if u.active else t("ui.user_inactive"),
                }
                for u in users
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    units = [u.code for u in people.list_units(ws, actor)]
    with st.form("add_user", clear_on_submit=True):
        st.markdown(f"**{t('ui.add_user')}**")
        c1, c2 = st.columns(2)
        username = c1.text_input(t("ui.username"), key="new_username")
        name = c2.text_input(t("ui.display_name"), key="new_display_name")
        password = st.text_input(t("ui.password"), type="password", key="new_password")
        c3, c4, c5 = st.columns(3)
        role = c3.selectbox(t("ui.role"), ROLES, index=2, key="new_role")
        unit = c4.selectbox(
            t("ui.unit"), units, index=None, placeholder=t("dayfix.no_unit"), key="new_unit"
        )
        areas = c5.multiselect(
            t("ui.areas"),
            people.known_areas(),
            key="new_areas",
            placeholder=t("ui.choose_options"),
        )
        if st.form_submit_button(t("ui.save"), key="user_submit"):
            session.run_action(
                lambda: people.add_user(
                    ws,
                    actor,
                    username,
                    name or None,
                    password or None,
                    role,
                    unit or None,
                    areas or None,
                ),
                t("ui.user_added", username=username),
            )
            st.rerun(scope="app")
    if not users:
        return
    st.markdown(f"**{t('ui.manage_user')}**")
    names = [u.username for u in users]
    picked = st.selectbox(t("ui.username"), names, key="manage_user")
    user = next(u for u in users if u.username == picked)
    c1, c2 = st.columns(2)
    with c1.form("grant_role", clear_on_submit=True):
        st.caption(t("ui.grant_role"))
        role = st.selectbox(t("ui.role"), ROLES, index=2, key="grant_role_role")
        unit = st.selectbox(
            t("ui.unit"), units, index=None, placeholder=t("dayfix.no_unit"), key="grant_role_unit"
        )
        areas = st.multiselect(
            t("ui.areas"),
            people.known_areas(),
            key="grant_role_areas",
            placeholder=t("ui.choose_options"),
        )
        if st.form_submit_button(t("ui.grant"), key="grant_submit"):
            session.run_action(
                lambda: people.grant_role(ws, actor, picked, role, unit or None, areas or None),
                t("ui.role_granted", username=picked, role=role),
            )
            st.rerun(scope="app")
    with c2:
        if user.roles:
            revoke = st.selectbox(
                t("ui.revoke_role"),
                range(len(user.roles)),
                format_func=lambda i: _role_text(user.roles[i]),
                key="revoke_pick",
            )
            if st.button(t("ui.revoke"), key="revoke_submit", icon=":material/remove_moderator:"):
                r = user.roles[revoke]
                session.run_action(
                    lambda: accounts.revoke_role(ws, actor, picked, r.role, r.unit_code),
                    t("ui.role_revoked", username=picked, role=r.role),
                )
                st.rerun(scope="app")
    if not accounts.admin_abilities(actor).system:
        return
    c1, c2 = st.columns(2)
    label = t("ui.deactivate") if user.active else t("ui.reactivate")
    if c1.button(label, key="toggle_active", icon=":material/person_off:"):
        session.run_action(
            lambda: accounts.set_active(ws, actor, picked, not user.active),
            t("ui.user_deactivated" if user.active else "ui.user_reactivated", username=picked),
        )
        st.rerun(scope="app")
    _email_form(ws, actor, picked, user.email, "admin_email")
    with c2.form("reset_password", clear_on_submit=True):
        new = st.text_input(t("ui.new_password"), type="password", key="reset_pw")
        if st.form_submit_button(t("ui.reset_password"), key="reset_submit"):
            session.run_action(
                lambda: accounts.reset_password(ws, actor, picked, new),
                t("ui.password_reset", username=picked),
            )
            st.rerun(scope="app")


def _email_form(ws: Workspace, actor: Actor, username: str, current: str | None, key: str):
    """The address reminders go to (empty clears it)."""
    with st.form(key):
        value = st.text_input(t("followup.email.label"), value=current or "", key=f"{key}_value")
        if st.form_submit_button(t("ui.save"), key=f"{key}_submit"):
            session.run_action(
                lambda: reminders.set_email(ws, actor, username, value or None),
                t("followup.email.saved"),
            )
            st.rerun(scope="app")


def own_password(ws: Workspace, actor: Actor) -> None:
    """Everyone may change their own password and their e-mail address."""
    _email_form(ws, actor, actor.name, accounts.own_email(ws, actor), "own_email")
    with st.form("own_password", clear_on_submit=True):
        st.markdown(f"**{t('ui.change_password')}**")
        current = st.text_input(t("ui.current_password"), type="password", key="own_current")
        new = st.text_input(t("ui.new_password"), type="password", key="own_new")
        again = st.text_input(t("ui.password_again"), type="password", key="own_again")
        if st.form_submit_button(t("ui.save"), key="own_submit"):
            if new != again:
                st.session_state["_flash"] = ("error", t("ui.password_mismatch"))
            else:
                session.run_action(
                    lambda: accounts.change_password(ws, actor, current, new),
                    t("ui.password_changed"),
                )
            st.rerun(scope="app")
