"""Rencana aksi: the cheapest plan to WBK and to WBBM, its steps accepted as tasks, the task list,
the team's effort overrides, and the what-if sandbox (a scratch copy of the answers kept in the
session; the sandbox is a fragment, so a change redraws only it)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from wbk.i18n import fmt_short, t
from wbk.services.assessment.context import AssessmentContext
from wbk.services.plan import planning, tasks
from wbk.services.plan.tasks import NewTask
from wbk.ui import session
from wbk.ui.plan import widgets

SCRATCH = "sandbox_changes"  # session key: assessment id -> {code: answer as typed}


def _scratch(aid: int) -> dict[str, str]:
    return st.session_state.setdefault(SCRATCH, {}).setdefault(aid, {})


def _widget_key(aid: int, code: str) -> str:
    return f"sb:{aid}:{code}"


def _changed(aid: int, code: str) -> None:
    """A sandbox answer widget changed: write its value into the scratch copy."""
    value = st.session_state.get(_widget_key(aid, code))
    _scratch(aid)[code] = "" if value is None else str(value)


def _forget(aid: int, codes) -> None:
    for code in list(codes):
        _scratch(aid).pop(code, None)
        st.session_state.pop(_widget_key(aid, code), None)


def _shown(ctx: AssessmentContext, code: str, changes: dict[str, str]) -> str:
    """The answer the sandbox starts a question from: the change, else the stored answer."""
    if code in changes:
        return changes[code]
    answers = ctx.answer_set("self")
    item = ctx.catalog.items[code]
    if item.scale.kind == "ratio" and code in answers.ratios:
        return widgets.percent_text(answers.ratios[code])
    return answers.raw.get(code, "")


def _answer_widget(ctx: AssessmentContext, container, code: str, changes: dict[str, str]) -> None:
    aid, item = ctx.assessment.id, ctx.catalog.items[code]
    key, shown = _widget_key(aid, code), _shown(ctx, code, changes)
    args = (aid, code)
    if item.scale.kind == "option":
        keys = [o.key for o in item.scale.options]
        index = next((i for i, k in enumerate(keys) if k.upper() == shown.upper()), None)
        container.radio(
            t("ui.answer"),
            keys,
            index=index,
            horizontal=True,
            format_func=lambda k: f"{k} ({session.num(item.scale.values[k.upper()])})",
            key=key,
            on_change=_changed,
            args=args,
        )
    else:
        container.text_input(
            t("ui.ratio") if item.scale.kind == "ratio" else t("ui.survey_index"),
            value=shown,
            placeholder="90%" if item.scale.kind == "ratio" else "3,60",
            key=key,
            on_change=_changed,
            args=args,
        )


@st.fragment
def sandbox(ctx: AssessmentContext) -> None:
    """Change any answer in a scratch copy and see the total, every gate and the plan at once."""
    aid, catalog = ctx.assessment.id, ctx.catalog
    changes = _scratch(aid)
    st.caption(t("tasks.sandbox.caption"))
    c1, c2 = st.columns([3, 2])
    code = c1.selectbox(
        t("cli.question"),
        list(catalog.items),
        format_func=lambda c: f"{c} · {catalog.items[c].text[:90]}",
        key="sb_code",
    )
    _answer_widget(ctx, c2, code, changes)
    view = planning.sandbox(ctx, changes)
    for problem in view.problems.values():
        st.error(session.esc(problem))

    before, after = view.before, view.after
    cols = st.columns(4)
    cols[0].metric(
        t("tasks.sandbox.total"),
        session.num(after.total),
        delta=session.num(after.total - before.total) if after.total != before.total else None,
    )
    cols[1].metric(t("cli.pengungkit"), session.num(after.components["pengungkit"].score))
    for col, predicate in zip(cols[2:], [p.id for p in catalog.predicates], strict=False):
        passed = after.verdicts[predicate].passed
        state = f":green-badge[{t('cli.passed')}]" if passed else f":red-badge[{t('cli.failed')}]"
        col.markdown(f"**{predicate}**  \n{state}")

    if view.changes:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("ui.code"): c,
                        t("tasks.sandbox.now"): _shown(ctx, c, {}) or "–",
                        t("tasks.sandbox.changed"): a or t("tasks.sandbox.cleared"),
                        t("plan.cli.gain"): _signed(
                            after.questions[c].points - before.questions[c].points
                        ),
                    }
                    for c, a in view.changes.items()
                ]
            ),
            hide_index=True,
            width="stretch",
            key="sb_changes",
        )
        b1, b2 = st.columns(2)
        if code in changes:  # callbacks run before the fragment draws: it shows the result
            b1.button(
                t("tasks.sandbox.undo", code=code),
                icon=":material/undo:",
                key="sb_undo",
                on_click=_forget,
                args=(aid, [code]),
            )
        b2.button(
            t("tasks.sandbox.reset"),
            icon=":material/restart_alt:",
            key="sb_reset",
            on_click=_forget,
            args=(aid, list(changes)),
        )
    else:
        st.caption(t("tasks.sandbox.no_changes"))

    gate_cols = st.columns(len(catalog.predicates))
    for col, p in zip(gate_cols, catalog.predicates, strict=True):
        with col:
            st.markdown(f"**{t('tasks.sandbox.gates', predicate=p.id)}**")
            st.dataframe(
                widgets.gates_frame(after, p.id),
                hide_index=True,
                width="stretch",
                key=f"sb_gates_{p.id}",
            )
            _sandbox_plan(view.plans[p.id])
    _to_tasks(ctx, view)


def _signed(value) -> str:
    return ("+" if value > 0 else "") + session.num(value)


def _sandbox_plan(view: planning.PlanView) -> None:
    result = view.plan
    if view.already:
        st.success(t("plan.cli.already", target=view.target))
    elif view.blockers:
        widgets.blockers(view)
    else:
        st.caption(
            t(
                "tasks.sandbox.plan",
                steps=len(view.steps),
                effort=fmt_short(result.effort),
                codes=", ".join(f"{s.code} → {s.to_answer}" for s in view.steps),
            )
        )


def _to_tasks(ctx: AssessmentContext, view: planning.SandboxView) -> None:
    """Turn the sandbox's raised worksheet answers into tasks (one owner, one due date)."""
    data = ctx.plan
    taken = {x.code for x in tasks.open_tasks(ctx)}
    steps = [s for s in view.steps if data.can_write(s.code) and s.code not in taken]
    if not steps:
        return
    st.markdown(f"**{t('tasks.sandbox.to_tasks')}**")
    st.caption(", ".join(f"{s.code} → {s.target}" for s in steps))
    c1, c2 = st.columns(2)
    owners = planning.common_owners(ctx, [s.code for s in steps])
    names = {p.username: p.label for p in owners}
    if not names:
        st.caption(t("tasks.no_owner"))
        return
    owner = c1.selectbox(t("tasks.col.owner"), list(names), format_func=names.get, key="sb_owner")
    due = c2.date_input(
        t("tasks.col.due"),
        value=ctx.today + timedelta(days=widgets.DEFAULT_DAYS),
        min_value=ctx.today,
        format="DD/MM/YYYY",
        key="sb_due",
    )
    if st.button(
        t("tasks.accept_button", count=len(steps)), icon=":material/add_task:", key="sb_submit"
    ):
        target = planning.next_target(ctx)
        new = [NewTask(s.code, s.target, owner, due, target) for s in steps]
        created = session.run_action(
            lambda: tasks.create_tasks(
                session.workspace(), session.require_actor(), ctx.assessment.id, new
            ),
            t("tasks.created", count=len(new)),
        )
        if created is not None:
            _forget(ctx.assessment.id, [s.code for s in steps])
        st.rerun(scope="app")


@session.guarded
def main() -> None:
    ctx = session.assessment_context()
    if ctx is None:
        return
    if tasks.reached_open(ctx):  # answers reached some tasks' targets: record them as done
        session.run_action(
            lambda: tasks.close_reached(
                session.workspace(), session.require_actor(), ctx.assessment.id
            )
        )
        ctx = session.assessment_context()
        if ctx is None:
            return
    view = ctx.assessment
    st.title(t("tasks.title"))
    st.caption(
        t(
            "tasks.caption",
            unit=session.esc(view.unit_name),
            year=view.year,
            status=t(f"status.{view.status}"),
        )
    )
    session.flash()
    if view.status == "locked":
        st.warning(t("ui.locked"))
    pending = len(tasks.open_tasks(ctx))
    names = [p.id for p in ctx.catalog.predicates]
    labels = [
        *(t("tasks.tab_plan", target=p) for p in names),
        t("tasks.tab_sandbox"),
        t("tasks.tab_tasks", count=pending),
        t("tasks.tab_efforts"),
    ]
    tabs = st.tabs(labels)
    for tab, predicate in zip(tabs, names, strict=False):
        with tab:
            widgets.plan_section(ctx, predicate)
    with tabs[len(names)]:
        sandbox(ctx)
    with tabs[len(names) + 1]:
        widgets.task_list(ctx)
    with tabs[len(names) + 2]:
        widgets.efforts(ctx)


main()
