"""Dasbor: is the unit WBK-ready, which gate fails, what moves the score most, the trend."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wbk.catalog import stricter_in_force
from wbk.i18n import current_language, fmt_short, gate_mark, t
from wbk.services.assessment.dashboard import dashboard
from wbk.ui import headline, session, svg_charts
from wbk.ui.assessment import review as review_ui
from wbk.ui.plan import forecast, next_steps
from wbk.ui.yearly import compare


def verdict_badge(name: str, passed: bool) -> None:
    if passed:
        st.success(f"**{name}**: {t('cli.passed')}", icon=":material/check_circle:")
    else:
        st.error(f"**{name}**: {t('cli.failed')}", icon=":material/cancel:")


def gates_table(verdict, cat) -> pd.DataFrame:
    rows = []
    # failing first, then passed, and the readings not in force last
    for g in sorted(verdict.gates, key=lambda g: (not g.applies, g.passed)):
        status = (
            t("cli.not_applied") if not g.applies else t("cli.ok") if g.passed else t("cli.fail")
        )
        rows.append(
            {
                t("cli.gate"): headline.gate_name(g.id, cat) + gate_mark(g),
                t("cli.value"): session.num(g.value),
                t("cli.minimum"): session.num(g.minimum),
                t("cli.status"): status,
            }
        )
    frame = pd.DataFrame(rows)
    colours = {t("cli.ok"): "background-color: #d9efe8", t("cli.fail"): "background-color: #f8d7d3"}
    return frame.style.map(lambda v: colours.get(v, ""), subset=[t("cli.status")])


@session.guarded
def main() -> None:
    ctx = session.context()
    if ctx is None:
        return
    actor, aid, ws = ctx
    d = dashboard(ws, actor, aid)
    card, cat = d.card, d.catalog
    lines = d.context.lines
    low = cat.lower_predicate
    st.title(t("ui.dashboard_title"))
    st.caption(
        t(
            "ui.dashboard_caption",
            unit=session.esc(d.assessment.unit_name),
            year=d.assessment.year,
            status=t(f"status.{d.assessment.status}"),
            catalog=cat.regulation.short,
        )
    )

    headline.show(card, cat)  # the verdict in words first, also on a phone
    next_steps.show(d.context)  # the plan's steps that gain most, with links

    prev = d.trend[-2].total if len(d.trend) >= 2 else None
    c = card.components
    cols = st.columns(5)
    cols[0].metric(
        t("ui.total"),
        session.num(c["total"].score),
        delta=None if prev is None else session.num(float(c["total"].score) - prev),
        help=t("ui.delta_help"),
    )
    for col, key in ((cols[1], "pengungkit"), (cols[2], "hasil")):
        col.metric(t(f"cli.{key}"), f"{session.num(c[key].score)} / {fmt_short(c[key].weight)}")
    cols[3].metric(t("ui.open_notes"), str(d.open_notes))
    if d.days_left is not None:
        shown = str(d.days_left) if d.days_left >= 0 else t("ui.overdue", days=-d.days_left)
        cols[4].metric(
            t("ui.days_left"),
            shown,
            help=t("ui.deadline_help", date=session.fmt_date(d.assessment.deadline)),
        )

    left, right = st.columns([1, 1])
    with left:
        svg_charts.show(
            svg_charts.gauge(
                float(c["total"].score),
                [(pid, float(lines[pid].total)) for pid in cat.predicate_ids],
                float(c["total"].weight),
            ),
        )
    with right:
        for pid in cat.predicate_ids:
            verdict = card.verdicts[pid]
            verdict_badge(pid, verdict.passed)
            if verdict.failing:
                st.markdown(
                    t(
                        "cli.failing_gates",
                        gates=", ".join(headline.gate_name(g.id, cat) for g in verdict.failing),
                    )
                )

    st.subheader(t("ui.gates_title"))
    tabs = st.tabs(list(cat.predicate_ids))
    for tab, pid in zip(tabs, cat.predicate_ids, strict=True):
        with tab:
            # a static table: its long gate names wrap, so Nilai, Minimum and Status stay on
            # a 390 px phone (a dataframe scrolls them out of sight)
            st.table(gates_table(card.verdicts[pid], cat).hide(axis="index"))

    st.subheader(t("ui.areas_title"))
    labels = [f"{a.code}" for a in cat.areas]
    pemenuhan, reform = cat.part_by_key("pemenuhan").code, cat.part_by_key("reform").code
    svg_charts.show(
        svg_charts.area_bars(
            labels,
            [float(card.areas[cat.area_key(pemenuhan, a)].ratio) * 100 for a in labels],
            [float(card.areas[cat.area_key(reform, a)].ratio) * 100 for a in labels],
            [(pid, float(lines[pid].area_ratio) * 100) for pid in cat.predicate_ids],
            [float(card.areas[a].ratio) * 100 for a in labels],
        ),
    )
    st.caption(" · ".join(f"{a.code} = {session.area_name(cat, a.code)}" for a in cat.areas))
    strict = stricter_in_force(cat)
    st.caption(t("ui.area_reading_strict" if strict else "ui.area_reading_regulation"))

    left, right = st.columns(2)
    with left:
        st.subheader(t("cli.results_title"))
        minima, r = lines[low].items, card.results
        svg_charts.show(
            svg_charts.results_bars(
                [
                    (
                        t(f"results.{key}"),
                        float(r[key].score),
                        float(r[key].weight),
                        float(minima[key]),
                    )
                    for key in (i.key for _, i in cat.result_items)
                    if key in minima
                ]
            ),
        )
        origins = d.context.survey_origins
        for origin in origins.values():  # where the survey values came from
            st.caption(f"{origin.code}: {session.esc(origin.describe(current_language()))}")
    with right:
        st.subheader(t("ui.completeness_title"))
        svg_charts.show(
            svg_charts.completeness_bars(d.completeness, [x.area for x in d.completeness]),
        )

    st.subheader(t("ui.gaps_title"))
    headline.gap_tables(d.gaps, cat)

    left, right = st.columns(2)
    with left:
        st.subheader(t("ui.trend_title"))
        if d.trend:
            svg_charts.show(
                svg_charts.trend(d.trend, (low, float(lines[low].total)), float(c["total"].weight)),
            )
        else:
            st.info(t("ui.no_trend"))
    with right:
        st.subheader(t("ui.self_vs_tpi"))
        if d.tpi_card is not None:
            codes = [a.code for a in cat.areas]
            svg_charts.show(
                svg_charts.self_vs_tpi(
                    codes,
                    [float(card.areas[a].score) for a in codes],
                    [float(d.tpi_card.areas[a].score) for a in codes],
                ),
            )
            gap = float(card.total - d.tpi_card.total)
            st.caption(t("ui.self_vs_tpi_gap", gap=session.num(gap)))
            st.caption(t("ui.tpi_fallback"))
        else:
            st.info(t("ui.no_tpi"))

    review_ui.dashboard(aid)  # the pre-review: verdicts per area, unsupported claims first
    forecast.show(d.context)  # "perkiraan": deadline, gates, overdue tasks (same transaction)
    compare.show(d.context)  # "dibanding tahun lalu", from this page's own transaction


main()
