"""Admin > PortalRB: the units proposed for WBK/WBBM with PortalRB's readiness checks, and the
API tokens PortalRB fetches them with (a new token is shown once)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from wbk.i18n import t
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import fetches, proposals, requirements, tokens
from wbk.ui import session
from wbk.ui.proposal_letters import letters_section
from wbk.ui.proposal_requirements import render_check, requirements_section


def admin_section(ws: Workspace, actor: Actor) -> None:
    """The PortalRB section of the Admin page (koordinator and admin)."""
    if not proposals.may_propose(actor):
        return
    st.divider()
    st.subheader(t("portalrb_api.ui.title"))
    st.caption(t("portalrb_api.ui.intro"))
    _proposals(ws, actor)
    requirements_section(ws, actor)
    letters_section(ws, actor)  # Surat Pengajuan Evaluasi and SPTJM
    _tokens(ws, actor)


def _proposals(ws: Workspace, actor: Actor) -> None:
    st.markdown(f"**{t('portalrb_api.ui.proposals')}**")
    items = proposals.list_proposals(ws, actor)
    fetched = fetches.last_fetches(ws, actor)
    if items:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("ui.year"): p.year,
                        t("ui.code"): p.unit_code,
                        t("ui.unit"): p.unit_name,
                        t("portalrb_api.ui.kategori"): p.kategori,
                        t("ui.status"): t(f"status.{p.status}"),
                        t("portalrb_api.ui.ready"): "✓"
                        if p.readiness and p.readiness.ready
                        else "✗",
                        t("portalrb_api.ui.checks"): " · ".join(
                            c.message()
                            for c in (p.readiness.checks if p.readiness else ())
                            if not c.ok
                        )
                        or "–",
                        t("portalrb_fetch.ui.column"): fetched.of(p.unit_code, p.year).message(),
                    }
                    for p in items
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("portalrb_api.ui.no_proposals"))
    units = proposals.proposable_units(ws, actor)
    if not units:
        return
    names = dict(units)
    with st.form("portalrb_propose"):
        c1, c2, c3 = st.columns([2, 1, 1])
        unit = c1.selectbox(
            t("ui.unit"), list(names), format_func=lambda c: f"{c} · {names[c]}", key="prop_unit"
        )
        year = c2.number_input(
            t("ui.year"),
            min_value=2020,
            max_value=2100,
            value=date.today().year,
            step=1,
            key="prop_year",
        )
        predicate = c3.selectbox(
            t("portalrb_api.ui.predicate"), proposals.PREDICATES, key="prop_predicate"
        )
        afirmasi = st.checkbox(t("portalrb_api.ui.afirmasi"), key="prop_afirmasi")
        reason = st.text_input(t("portalrb_api.ui.reason"), key="prop_reason")
        b1, b2, b3 = st.columns(3)
        check = b1.form_submit_button(
            t("portalrb_api.ui.check"), key="prop_check", icon=":material/fact_check:"
        )
        save = b2.form_submit_button(
            t("portalrb_api.ui.propose"), key="prop_save", icon=":material/send:"
        )
        remove = b3.form_submit_button(
            t("portalrb_api.ui.remove"), key="prop_remove", icon=":material/undo:"
        )
    if check and unit:
        verdict = session.run_action(
            lambda: requirements.check(ws, actor, unit, int(year), predicate)
        )
        if verdict is not None:
            render_check(verdict)
        else:
            session.flash()
    if save and unit:
        view = session.run_action(
            lambda: proposals.set_proposal(ws, actor, unit, int(year), predicate, afirmasi, reason),
            t("portalrb_api.ui.proposed", unit=unit, year=int(year)),
        )
        if view is not None:
            st.rerun()
        session.flash()
    if remove and unit:
        view = session.run_action(
            lambda: proposals.remove_proposal(ws, actor, unit, int(year)),
            t("portalrb_api.ui.removed", unit=unit, year=int(year)),
        )
        if view is not None:
            st.rerun()
        session.flash()


def _tokens(ws: Workspace, actor: Actor) -> None:
    units = tokens.token_units(ws, actor)
    if not units:
        return
    st.markdown(f"**{t('portalrb_api.ui.tokens')}**")
    items = tokens.list_tokens(ws, actor)
    if items:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("portalrb_api.ui.token_name"): v.name,
                        t("ui.unit"): v.unit_code,
                        t("ui.status"): t(f"portalrb_api.token.status_{v.status}"),
                        t("portalrb_api.ui.expires"): session.fmt_date(v.expires_on)
                        if v.expires_on
                        else t("portalrb_api.forever"),
                        t("portalrb_api.ui.last_used"): session.fmt_date(
                            v.last_used_at.date() if v.last_used_at else None
                        ),
                    }
                    for v in items
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    with st.form("portalrb_token", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        name = c1.text_input(t("portalrb_api.ui.token_name"), key="token_name")
        unit = c2.selectbox(t("ui.unit"), units, key="token_unit")
        expires = c3.date_input(
            t("portalrb_api.ui.expires"), value=None, format="DD/MM/YYYY", key="token_expires"
        )
        created = st.form_submit_button(
            t("portalrb_api.ui.create_token"), key="token_create", icon=":material/key:"
        )
    if created:
        made = session.run_action(lambda: tokens.create_token(ws, actor, name, unit, expires))
        if made is not None:
            st.warning(t("portalrb_api.ui.token_once"), icon=":material/key:")
            st.code(made.secret, language=None)
        else:
            session.flash()
    active = [v.name for v in items if v.status != "revoked"]
    if active:
        c1, c2 = st.columns([2, 1])
        chosen = c1.selectbox(t("portalrb_api.ui.revoke_which"), active, key="token_revoke_name")
        if c2.button(t("portalrb_api.ui.revoke"), key="token_revoke", icon=":material/block:"):
            session.run_action(
                lambda: tokens.revoke_token(ws, actor, chosen),
                t("portalrb_api.ui.revoked", name=chosen),
            )
            st.rerun()
