"""Survei page: the unit's choice whether its IKM may stand in for IPKP (off by default, not
settled by the regulation) and, when on, using a period's stored IKM for H.II.a. The value is
labelled a stand-in by its provenance line on the LKE page, the dashboard and the report."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.services.assessment.context import AssessmentContext
from wbk.services.surveys import preferences as survey_prefs
from wbk.ui import session


def section(ctx: AssessmentContext) -> None:
    ws, actor = session.workspace(), session.require_actor()
    unit = ctx.assessment.unit_code
    on = session.run_action(lambda: survey_prefs.ikm_as_ipkp(ws, actor, unit))
    if on is None:
        return
    st.markdown(f"**{t('surveyprefs.ui.title')}**")
    if survey_prefs.may_set(ws, actor, unit):
        chosen = st.checkbox(t("surveyprefs.ui.choice"), value=on, key="surveyprefs_ikm_as_ipkp")
        if chosen != on:
            saved = session.run_action(
                lambda: survey_prefs.set_ikm_as_ipkp(ws, actor, unit, chosen),
                t("surveyprefs.ui.saved_on" if chosen else "surveyprefs.ui.saved_off"),
            )
            if saved is not None:
                st.rerun()
    else:
        st.caption(t("surveyprefs.ui.state_on" if on else "surveyprefs.ui.state_off"))
    if not on or not ctx.abilities.can_edit(survey_prefs.TARGET):
        return
    periods = survey_prefs.ikm_periods(ws, actor, unit)
    if not periods:
        st.caption(t("surveyprefs.ui.no_ikm"))
        return
    c1, c2 = st.columns([1, 2])
    period = c1.selectbox(
        t("surveyprefs.ui.period"), periods, index=len(periods) - 1, key="surveyprefs_period"
    )
    if c2.button(t("surveyprefs.ui.use"), key="surveyprefs_use"):
        lang = st.session_state.get("lang") or "id"
        used = session.run_action(
            lambda: survey_prefs.use_ikm_for_ipkp(ws, actor, ctx.assessment.id, period, None, lang),
            t("surveyprefs.ui.used", period=period),
        )
        if used is not None:
            st.rerun()
