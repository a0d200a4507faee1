"""Admin > PortalRB > Syarat pengusulan: PermenPANRB 5/2024's requirements recorded per unit
and year, and the check that says whether a unit may be proposed and why not."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from wbk.catalog.requirements import requirement_set
from wbk.i18n import current_language, t
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import requirements
from wbk.services.portalrb.requirements import ProposalCheck
from wbk.ui import session

STATUS = {True: "✓", False: "✗", None: "?"}


def render_check(check: ProposalCheck, verdict: bool = True) -> None:
    """The verdict, the requirements table and the LKE's checks (``verdict`` False: the
    requirements table alone, as the recording form shows it)."""
    if verdict and check.ready:
        st.success(t("syarat.check.ready"), icon=":material/check_circle:")
    elif verdict:
        lines = "\n".join(f"- {session.esc(line)}" for line in check.blocking())
        st.warning(f"{t('syarat.check.not_ready')}\n{lines}", icon=":material/cancel:")
    if verdict and check.exempt:
        st.info(t("syarat.check.exempt"), icon=":material/info:")
    st.caption(t("syarat.check.requirements", regulation=check.regulation))
    level = {"instansi": t("syarat.ui.level_instansi"), "unit": t("syarat.ui.level_unit")}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("syarat.ui.col_met"): STATUS[r.met],
                    t("syarat.ui.col_level"): level[r.level],
                    t("syarat.ui.col_label"): r.label,
                    t("syarat.ui.col_required"): r.required or "–",
                    t("syarat.ui.col_value"): r.shown or t("syarat.check.unknown"),
                    t("syarat.ui.col_set_on"): r.set_on or "–",
                    t("syarat.ui.col_by"): r.set_by or "–",
                }
                for r in check.requirements
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if not verdict:
        return
    st.caption(t("syarat.ui.lke_title"))
    for c in check.lke:
        icon = ":material/check_circle:" if c.met else ":material/cancel:"
        (st.success if c.met else st.warning)(session.esc(c.message), icon=icon)


def requirements_section(ws: Workspace, actor: Actor) -> None:
    """Record a requirement, and see a unit's check."""
    units = requirements.requirement_units(ws, actor)
    if not units:
        return
    names = dict(units)
    st.markdown(f"**{t('syarat.ui.title')}**")
    st.caption(t("syarat.ui.intro"))
    c1, c2, c3 = st.columns([2, 1, 1])
    unit = c1.selectbox(
        t("syarat.ui.unit"),
        list(names),
        format_func=lambda c: f"{c} · {names[c]}",
        key="req_unit",
    )
    year = int(
        c2.number_input(
            t("syarat.ui.year"),
            min_value=2020,
            max_value=2100,
            value=date.today().year,
            step=1,
            key="req_year",
        )
    )
    rs = requirement_set(year)
    predicate = c3.selectbox(t("syarat.ui.predicate"), rs.predicates, key="req_predicate")
    lang = current_language()
    labels = {r.key: r.label.get(lang) for r in rs.requirements}
    key = st.selectbox(t("syarat.ui.key"), list(labels), format_func=labels.get, key="req_key")
    req = rs.get(key)
    with st.form("req_set", clear_on_submit=True):
        d1, d2 = st.columns(2)
        value = _value_input(d1, rs, req)
        evidence = d2.number_input(
            t("syarat.ui.evidence"), min_value=0, value=0, step=1, key="req_evidence"
        )
        note = st.text_input(t("syarat.ui.note"), key="req_note")
        if key == rs.stranas_pk.key:
            units = ", ".join(u.get(lang) for u in rs.stranas_pk.units)
            st.caption(t("syarat.ui.stranas_units", units=units))
        saved = st.form_submit_button(t("syarat.ui.save"), key="req_save", icon=":material/save:")
    if saved:
        done = session.run_action(
            lambda: requirements.set_requirement(
                ws, actor, unit, year, key, str(value), int(evidence) or None, note
            ),
            t("syarat.ui.saved"),
        )
        if done is not None:
            st.rerun()
    session.flash()
    check = session.run_action(
        lambda: requirements.check(ws, actor, unit, year, predicate, lke=False)
    )
    if check is not None:  # the LKE's readiness and the verdict: the Periksa button above
        render_check(check, verdict=False)
    else:
        session.flash()


def _value_input(column, rs, req):
    """A list of the allowed values where there are few, a number where it is a number."""
    label = t("syarat.ui.value")
    if req.type == "percent":
        return column.number_input(label, 0.0, 100.0, 100.0, 0.5, key="req_value_pct")
    if req.type == "since_year":
        this_year = date.today().year
        return column.number_input(label, 2000, 2100, this_year - 1, 1, key="req_value_year")
    return column.selectbox(label, rs.choices(req), key=f"req_value_{req.key}")
