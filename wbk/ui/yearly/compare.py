"""Dashboard section "Dibanding tahun lalu": this year beside the unit's previous assessment
(total, components, areas, every gate, the questions that moved) and what the carry-over
still asks (answers to confirm, documents to renew)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wbk.i18n import gate_label, t
from wbk.services.assessment.context import AssessmentContext
from wbk.services.yearly import compare as yearly
from wbk.ui import session


def _num(value) -> str:
    return "–" if value is None else session.num(value)


def _delta(value) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + session.num(value)


def _state(passed: bool | None) -> str:
    return "–" if passed is None else t("cli.ok") if passed else t("cli.fail")


def show(ctx: AssessmentContext) -> None:
    """The section, drawn from the dashboard's own context (one transaction)."""
    cmp = yearly.compare_years(ctx)
    if cmp is None:
        return
    before, now = str(cmp.previous_year), str(cmp.current_year)
    st.subheader(t("yearly.title", year=before))
    st.caption(
        t(
            "yearly.intro",
            previous=before,
            current=now,
            previous_catalog=cmp.previous_catalog,
            current_catalog=cmp.current_catalog,
        )
    )
    total = cmp.total()
    cols = st.columns(4)
    if total is not None and total.current is not None:
        cols[0].metric(
            t("yearly.metric_total", year=before),
            session.num(total.current),
            delta=None if total.delta is None else session.num(total.delta),
        )
    cols[1].metric(t("yearly.metric_unconfirmed"), str(cmp.unconfirmed))
    cols[2].metric(t("yearly.metric_renew"), str(cmp.renew))
    cols[3].metric(t("yearly.metric_undated"), str(cmp.undated))
    if cmp.catalog_missing:
        st.warning(t("yearly.catalog_missing", catalog=cmp.previous_catalog))
        return

    change = t("yearly.change")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('yearly.scores')}**")
        rows = [(t(f"cli.{p.key}"), p) for p in cmp.components] + [
            (f"{t('cli.area')} {p.key}", p) for p in cmp.areas
        ]
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("yearly.part"): label,
                        before: _num(p.previous),
                        now: _num(p.current),
                        change: _delta(p.delta),
                    }
                    for label, p in rows
                ]
            ),
            hide_index=True,
            width="stretch",
            key="yearly_scores",
        )
    with right:
        st.markdown(f"**{t('yearly.gates')}**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("yearly.predicate"): g.predicate,
                        t("cli.gate"): gate_label(g.gate) + (" *" if g.uncertain else ""),
                        before: _num(g.previous),
                        t("yearly.status_year", year=before): _state(g.previous_passed),
                        now: _num(g.current),
                        t("yearly.status_year", year=now): _state(g.current_passed)
                        if g.applies
                        else t("cli.not_applied"),
                    }
                    for g in cmp.gates
                ]
            ),
            hide_index=True,
            width="stretch",
            key="yearly_gates",
        )
    for key, moved in (("yearly.up", cmp.up), ("yearly.down", cmp.down)):
        st.markdown(f"**{t(key, count=len(moved))}**")
        if not moved:
            st.caption(t("yearly.none_moved"))
            continue
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("ui.code"): m.code
                        if m.code == m.previous_code
                        else f"{m.previous_code} → {m.code}",
                        t("ui.question_text"): m.text,
                        before: _num(m.previous),
                        now: _num(m.current),
                        t("yearly.points_change"): _delta(m.delta),
                    }
                    for m in moved
                ]
            ),
            hide_index=True,
            width="stretch",
            key=key.replace(".", "_"),
        )
    _documents_to_renew(ctx)


def _documents_to_renew(ctx: AssessmentContext) -> None:
    docs = [d for d in ctx.documents if {"renew", "undated"} & set(d.warnings)]
    if not docs:
        return
    st.markdown(f"**{t('yearly.renew_list')}**")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("ui.title"): d.title,
                    t("ui.questions"): ", ".join(d.codes),
                    t("ui.document_date"): session.fmt_date(d.document_date),
                    t("ui.valid_until"): session.fmt_date(d.valid_until),
                    t("ui.warnings"): ", ".join(t(f"warning.{w}") for w in d.warnings),
                }
                for d in docs
            ]
        ),
        hide_index=True,
        width="stretch",
        key="yearly_renew",
    )
