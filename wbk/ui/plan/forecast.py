"""Dashboard section "Perkiraan": the expected total on the proposal deadline, the first date
every gate passes if open tasks are done on time, and the overdue tasks with the gates they
hold back; said plainly when there is too little history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wbk.i18n import gate_label, t
from wbk.services.assessment.context import AssessmentContext
from wbk.services.plan import planning
from wbk.ui import session


def show(ctx: AssessmentContext) -> None:
    """The section, drawn from the dashboard's own context (one transaction)."""
    view = planning.forecast_view(ctx)
    st.subheader(t("tasks.forecast.title"))
    result = view.result
    cols = st.columns(3)
    if result is None:
        st.info(t("tasks.forecast.no_deadline"))
    else:
        basis = t(
            "tasks.forecast.basis_trend" if result.enough_history else "tasks.forecast.basis_tasks"
        )
        cols[0].metric(
            t("tasks.forecast.expected", date=session.fmt_date(view.deadline)),
            session.num(result.expected_total),
            help=basis,
        )
        cols[1].metric(t("tasks.forecast.with_tasks"), session.num(result.tasks_total))
    first = ctx.catalog.predicates[0].id
    when = view.pass_dates.get(first)
    failing = ", ".join(gate_label(g) for g in view.still_failing.get(first, []))
    if when is not None and when <= view.today:
        shown, hint = t("dayfix.forecast.now"), None
    elif when is not None:
        shown, hint = session.fmt_date(when), t("dayfix.forecast.on_help")
    else:  # a total above the line can still fail another gate: say so, never a bare dash
        shown, hint = t("dayfix.forecast.not_yet"), t("dayfix.forecast.not_yet_help", gates=failing)
    cols[2].metric(t("tasks.forecast.all_gates", predicate=first), shown, help=hint)
    if result is not None and not result.enough_history:
        st.info(t("tasks.forecast.not_enough", count=view.snapshots))
    elif result is not None and result.slope_per_day is not None:
        st.caption(t("tasks.forecast.pace", points=session.num(result.slope_per_day * 30)))
    for predicate, day in view.pass_dates.items():
        st.markdown("- " + _gate_line(view, predicate, day))
    if not view.open_tasks:
        st.caption(t("tasks.forecast.no_tasks"))
    if view.overdue:
        st.warning(t("tasks.forecast.overdue", count=len(view.overdue)), icon=":material/schedule:")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "#": o.task.id,
                        t("ui.code"): o.task.code,
                        t("tasks.col.owner"): o.task.owner_name,
                        t("tasks.col.due"): session.fmt_date(o.task.due_date),
                        t("tasks.forecast.days_late"): (view.today - o.task.due_date).days,
                        t("plan.cli.gain"): "+" + session.num(o.gain),
                        t("tasks.forecast.held_back"): _gates(o.gates),
                    }
                    for o in view.overdue
                ]
            ),
            hide_index=True,
            width="stretch",
            key="forecast_overdue",
        )


def _gates(gates: tuple[tuple[str, str], ...]) -> str:
    """``WBK: Nilai total, Area P.MP; WBBM: Area P.MP``."""
    by_predicate: dict[str, list[str]] = {}
    for predicate, gate in gates:
        by_predicate.setdefault(predicate, []).append(gate_label(gate))
    return "; ".join(f"{p}: {', '.join(g)}" for p, g in by_predicate.items()) or "–"


def _gate_line(view: planning.ForecastView, predicate: str, day) -> str:
    if day is not None and day <= view.today:
        return t("tasks.forecast.passes_now", predicate=predicate)
    if day is not None:
        late = view.deadline is not None and day > view.deadline
        key = "tasks.forecast.passes_late" if late else "tasks.forecast.passes_on"
        return t(key, predicate=predicate, date=session.fmt_date(day))
    gates = ", ".join(gate_label(g) for g in view.still_failing.get(predicate, []))
    return t("tasks.forecast.never", predicate=predicate, gates=gates or "–")
