"""The Portofolio page's sections: pickers, the group summary, the filtered table with its
click-through to a unit's dashboard, the charts, and the penilaian pendahuluan."""

from __future__ import annotations

from datetime import date

import streamlit as st

from wbk.i18n import t
from wbk.services.assessment.assessments import STATUSES
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import proposals
from wbk.services.portfolio import portfolio
from wbk.services.portfolio import rank as portfolio_rank
from wbk.services.portfolio.model import Portfolio, UnitRow
from wbk.services.portfolio.portfolio import EFFORT_LIMIT
from wbk.ui import session
from wbk.ui.portfolio import frames, svg
from wbk.ui.svg_charts import show

DASHBOARD = "wbk/ui/pages/dashboard.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pickers(ws: Workspace, actor: Actor) -> tuple[str, int] | None:
    """The parent unit and the year, or None (with a message) when there is nothing to read."""
    units = portfolio.parent_units(ws, actor)
    if not units:
        st.info(t("portfolio.no_parent"))
        return None
    names = dict(units)
    this_year = date.today().year
    years = list(range(this_year + 1, this_year - 5, -1))
    left, right = st.columns([3, 1])
    with left:
        code = st.selectbox(
            t("portfolio.parent"),
            list(names),
            format_func=lambda c: f"{names[c]} ({c})",
            key="pf_parent",
        )
    with right:
        year = st.selectbox(t("portfolio.year"), years, index=1, key="pf_year")
    return code, int(year)


def summary(p: Portfolio) -> None:
    st.subheader(t("portfolio.summary.title"))
    st.dataframe(frames.summary_frame(p), hide_index=True, width="stretch")


def filtered(p: Portfolio) -> list[UnitRow]:
    """The filters (status, verdict, text) and the rows they keep."""
    a, b, c = st.columns([1, 1, 2])
    with a:
        statuses = st.multiselect(
            t("portfolio.filter.status"),
            [*STATUSES, ""],
            format_func=lambda s: s or t("portfolio.verdict.unassessed"),
            key="pf_status",
            placeholder=t("portfolio.filter.all"),
        )
    with b:
        verdicts = st.multiselect(
            t("portfolio.filter.verdict"),
            list(frames.VERDICTS),
            format_func=lambda v: t(f"portfolio.verdict.{v}"),
            key="pf_verdict",
            placeholder=t("portfolio.filter.all"),
        )
    with c:
        text = st.text_input(t("portfolio.filter.text"), key="pf_text")
    return frames.filter_rows(p.rows, statuses, verdicts, text)


@st.fragment
def explore(ws: Workspace, actor: Actor, p: Portfolio) -> None:
    """Filters, table and charts as a fragment: a filter redraws them from the portfolio
    already read, without reading the units again."""
    rows = filtered(p)
    table(ws, actor, p, rows)
    charts(p, rows)


def _open(row: UnitRow) -> None:
    st.session_state["assessment_id"] = row.assessment_id
    # the sidebar's picker starts from ``assessment_id`` again, not from its last choice
    st.session_state.pop("assessment_picker", None)
    st.switch_page(DASHBOARD)


def table(ws: Workspace, actor: Actor, p: Portfolio, rows: list[UnitRow]) -> None:
    """The units as one virtualised table (sortable by any column); a row opens its dashboard."""
    st.subheader(t("portfolio.table.title"))
    st.caption(t("portfolio.table.shown", shown=len(rows), total=len(p.rows)))
    key = f"pf_effort:{p.parent}:{p.year}"
    effort = st.session_state.get(key)
    if len(rows) <= EFFORT_LIMIT:
        if st.button(t("portfolio.table.effort"), key="pf_effort_btn", icon=":material/route:"):
            found = session.run_action(lambda: portfolio_rank.efforts(ws, actor, rows))
            if found is not None:
                effort = st.session_state[key] = {**(effort or {}), **found}
    else:
        st.caption(t("portfolio.table.effort_skipped", limit=EFFORT_LIMIT))
    picked = st.dataframe(
        frames.unit_frame(rows, effort),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="pf_table",
        column_config={
            t("portfolio.col.evidence_coverage"): st.column_config.NumberColumn(format="%.0f%%"),
            t("portfolio.col.hijau_share"): st.column_config.NumberColumn(format="%.0f%%"),
            t("portfolio.col.total"): st.column_config.NumberColumn(format="%.2f"),
            t("portfolio.col.tpi_total"): st.column_config.NumberColumn(format="%.2f"),
            t("portfolio.col.overclaim"): st.column_config.NumberColumn(format="%.2f"),
            t("portfolio.col.pengungkit"): st.column_config.NumberColumn(format="%.2f"),
        },
    )
    chosen = picked.selection.rows if picked is not None else []
    if chosen and rows[chosen[0]].assessed:
        _open(rows[chosen[0]])
    assessed = {r.unit: r for r in rows if r.assessed}
    if assessed:
        left, right = st.columns([3, 1])
        with left:
            unit = st.selectbox(
                t("portfolio.table.open_pick"),
                list(assessed),
                format_func=lambda u: f"{assessed[u].name} ({u})",
                key="pf_open_unit",
            )
        with right:
            st.write("")
            if st.button(t("portfolio.table.open"), key="pf_open", icon=":material/dashboard:"):
                _open(assessed[unit])
    st.download_button(
        t("portfolio.xlsx.download"),
        data=lambda: portfolio_rank.to_xlsx(p, rows),
        file_name=f"portofolio-{p.parent}-{p.year}.xlsx",
        mime=XLSX,
        key="pf_xlsx",
        icon=":material/download:",
    )


def charts(p: Portfolio, rows: list[UnitRow]) -> None:
    st.subheader(t("portfolio.chart.title"))
    lines = frames.lines_of(p)
    left, right = st.columns(2)  # inline SVG: drawn by the browser, no chart library
    show(svg.distribution(rows, lines), left)
    show(svg.scatter(rows), right)
    shown = sum(1 for r in rows if r.assessed)
    if shown > frames.HEATMAP_ROWS:
        st.caption(t("portfolio.chart.heatmap_limit", shown=frames.HEATMAP_ROWS, total=shown))
    show(svg.heatmap(rows, p.areas))


def preliminary(ws: Workspace, actor: Actor, p: Portfolio) -> None:
    """Penilaian pendahuluan: the ranking, then the proposal with its reason."""
    st.subheader(t("portfolio.pre.title"))
    st.caption(t("portfolio.pre.intro"))
    ranked = portfolio_rank.candidates(p)
    if not ranked:
        st.info(t("portfolio.pre.none"))
        return
    st.dataframe(frames.candidate_frame(ranked), hide_index=True, width="stretch", key="pf_rank")
    if not proposals.may_propose(actor):
        st.caption(t("portfolio.pre.cannot"))
        return
    names = {c.row.unit: c.row.name for c in ranked}
    with st.form("pf_propose"):
        unit = st.selectbox(
            t("portfolio.pre.unit"),
            list(names),
            format_func=lambda u: f"{names[u]} ({u})",
            key="pf_pre_unit",
        )
        predicate = st.radio(
            t("portfolio.pre.predicate"), list(proposals.PREDICATES), horizontal=True
        )
        afirmasi = st.checkbox(t("portfolio.pre.afirmasi"), key="pf_pre_afirmasi")
        reason = st.text_area(t("portfolio.pre.reason"), key="pf_pre_reason")
        if st.form_submit_button(t("portfolio.pre.submit"), type="primary"):
            done = session.run_action(
                lambda: portfolio_rank.propose(
                    ws, actor, unit, p.year, reason, predicate, afirmasi
                ),
                t("portfolio.pre.recorded", unit=unit, predicate=predicate, year=p.year),
            )
            if done is not None:
                st.rerun()
    session.flash()
