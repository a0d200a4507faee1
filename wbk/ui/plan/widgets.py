"""Rencana aksi widgets: a plan with its steps and "accept as tasks", the task list with its
person filter and closing by hand, and the team's effort overrides."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from wbk.i18n import fmt_short, gate_label, gate_mark, t
from wbk.services.assessment.context import AssessmentContext
from wbk.services.plan import planning, tasks
from wbk.services.plan.planning import PlanView
from wbk.services.plan.tasks import NewTask, Person, TaskView
from wbk.ui import session

DEFAULT_DAYS = 14  # a new task's default due date: two weeks from today


def percent_text(ratio) -> str:
    """A ratio as a percentage the answers CSV reads back (``83,33%``)."""
    return f"{fmt_short(ratio * 100)}%"


def _answer(value: str | None) -> str:
    return value if value else t("plan.cli.unanswered")


def _task_label(task: TaskView | None) -> str:
    if task is None:
        return "–"
    return t(
        "tasks.task_label", id=task.id, owner=task.owner_name, due=session.fmt_date(task.due_date)
    )


def status_text(task: TaskView, today: date) -> str:
    """Terbuka / Terlambat n hari / Selesai (date, by) / Ditutup: reason."""
    if task.overdue(today):
        return t("tasks.overdue_days", days=(today - task.due_date).days)
    if task.status == "done":
        when = session.fmt_date(task.closed_at.date()) if task.closed_at else "–"
        return t("tasks.done_by", date=when, by=task.closed_by or "–")
    if task.status == "closed":
        return t("tasks.closed_reason", reason=task.reason or "–")
    return t("tasks.status_open")


def blockers(view: PlanView) -> None:
    st.error(t("tasks.blocked", target=view.target), icon=":material/block:")
    for b in view.blockers:
        st.markdown("- " + session.esc(b.message()))


def steps_frame(view: PlanView) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("ui.code"): s.code,
                t("ui.question_text"): s.text,
                t("plan.cli.from"): _answer(s.from_answer),
                t("plan.cli.to"): s.to_answer,
                t("tasks.col.criteria"): s.criteria or "–",
                t("tasks.col.evidence"): "; ".join(s.evidence) or "–",
                t("plan.cli.gain"): "+" + session.num(s.gain),
                t("plan.cli.effort"): fmt_short(s.effort),
                t("tasks.col.task"): _task_label(s.task),
            }
            for s in view.steps
        ]
    )


def plan_section(ctx: AssessmentContext, target: str) -> None:
    """The plan to ``target`` on the unit's answers, and accepting its steps as tasks."""
    view = planning.plan_view(ctx, target)
    result = view.plan
    if view.already:
        st.success(t("plan.cli.already", target=target), icon=":material/check_circle:")
        return
    if view.blockers:
        blockers(view)
        return
    cols = st.columns(4)
    cols[0].metric(t("plan.cli.before"), session.num(result.before.total))
    cols[1].metric(
        t("plan.cli.after"),
        session.num(result.after.total),
        delta="+" + session.num(result.gain),
    )
    cols[2].metric(t("tasks.steps"), str(len(view.steps)))
    cols[3].metric(t("tasks.total_effort"), fmt_short(result.effort))
    st.caption(t("tasks.plan_caption", target=target))
    st.dataframe(steps_frame(view), hide_index=True, width="stretch", key=f"plan_steps_{target}")
    accept(ctx, view)


def accept(ctx: AssessmentContext, view: PlanView) -> None:
    """Choose steps, one owner and a due date; the service recomputes gain and effort."""
    open_steps = [s for s in view.steps if s.task is None and s.writable]
    if not open_steps:
        if any(s.task is None for s in view.steps) and not any(s.writable for s in view.steps):
            st.caption(t("tasks.read_only"))
        return
    target = view.target
    st.markdown(f"**{t('tasks.accept_title')}**")
    by_code = {s.code: s for s in open_steps}
    c1, c2, c3 = st.columns([3, 2, 1])
    chosen = c1.multiselect(
        t("tasks.accept_steps"),
        list(by_code),
        default=list(by_code),
        format_func=lambda c: f"{c} → {by_code[c].to_answer}",
        key=f"accept_steps_{target}",
        placeholder=t("ui.choose_options"),
    )
    owners = planning.common_owners(ctx, chosen)
    owner = _owner_select(c2, owners, f"accept_owner_{target}")
    due = c3.date_input(
        t("tasks.col.due"),
        value=ctx.today + timedelta(days=DEFAULT_DAYS),
        min_value=ctx.today,
        format="DD/MM/YYYY",
        key=f"accept_due_{target}",
    )
    if st.button(
        t("tasks.accept_button", count=len(chosen)),
        icon=":material/add_task:",
        disabled=not chosen or owner is None,
        key=f"accept_submit_{target}",
    ):
        steps = [NewTask(c, by_code[c].to_answer, owner, due, target) for c in chosen]
        create(ctx, steps, forget=[f"accept_steps_{target}"])


def _owner_select(container, owners: list[Person], key: str) -> str | None:
    if not owners:
        container.caption(t("tasks.no_owner"))
        return None
    names = {p.username: p.label for p in owners}
    return container.selectbox(t("tasks.col.owner"), list(names), format_func=names.get, key=key)


def create(ctx: AssessmentContext, steps: list[NewTask], forget: list[str]) -> None:
    """Create the tasks (all or none), forget the choice widgets ``forget`` once they are
    made, and rerun the page so every list shows them."""
    actor = session.require_actor()
    created = session.run_action(
        lambda: tasks.create_tasks(session.workspace(), actor, ctx.assessment.id, steps),
        t("tasks.created", count=len(steps)),
    )
    if created is not None:
        for key in forget:
            st.session_state.pop(key, None)
    st.rerun()  # the outcome (flashed) and every list drawn afresh


def task_list(ctx: AssessmentContext) -> None:
    """Every task, overdue first, filtered by person and status; closing one by hand."""
    today = ctx.today
    data = ctx.plan
    every = tasks.ordered(tasks.tasks_of(ctx), today)
    if not every:
        st.info(t("tasks.none_yet"))
        return
    owners = {x.owner: x.owner_name for x in every}
    me = session.require_actor().name
    choices = ["", *([me] if me in owners else []), *sorted(o for o in owners if o != me)]
    c1, c2 = st.columns(2)
    who = c1.selectbox(
        t("tasks.filter_person"),
        choices,
        format_func=lambda u: (
            t("tasks.everyone") if not u else t("tasks.mine") if u == me else owners[u]
        ),
        key="tasks_person",
    )
    only_open = c2.toggle(t("tasks.only_open"), value=True, key="tasks_only_open")
    shown = [
        x for x in every if (not who or x.owner == who) and (not only_open or x.status == "open")
    ]
    overdue = sum(1 for x in shown if x.overdue(today))
    if overdue:
        st.warning(t("tasks.overdue_count", count=overdue), icon=":material/schedule:")
    if not shown:
        st.caption(t("tasks.none_shown"))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "#": x.id,
                        t("ui.code"): x.code,
                        t("ui.question_text"): ctx.catalog.items[x.code].text,
                        t("tasks.col.target"): f"{_answer(x.from_answer)} → {x.target}",
                        t("tasks.col.owner"): x.owner_name,
                        t("tasks.col.due"): session.fmt_date(x.due_date),
                        t("tasks.col.status"): status_text(x, today),
                        t("plan.cli.gain"): "+" + session.num(x.gain),
                        t("tasks.col.predicate"): x.predicate,
                    }
                    for x in shown
                ]
            ),
            hide_index=True,
            width="stretch",
            key="tasks_table",
        )
    closable = [x for x in shown if x.status == "open" and data.can_write(x.code)]
    if closable:
        _close_form(closable)


def _close_form(closable: list[TaskView]) -> None:
    st.markdown(f"**{t('tasks.close_title')}**")
    labels = {x.id: f"#{x.id} {x.code} → {x.target} ({x.owner_name})" for x in closable}
    c1, c2 = st.columns([2, 3])
    task_id = c1.selectbox(
        t("tasks.close_which"), list(labels), format_func=labels.get, key="close_task"
    )
    reason = c2.text_input(t("tasks.close_reason"), key="close_reason", max_chars=2000)
    if st.button(t("tasks.close_button"), icon=":material/task_alt:", key="close_submit"):
        task = next(x for x in closable if x.id == task_id)
        done = session.run_action(
            lambda: tasks.close_task(
                session.workspace(), session.require_actor(), task_id, reason, task.version
            ),
            t("tasks.closed", id=task_id),
        )
        if done is not None:
            st.session_state.pop("close_reason", None)
        st.rerun()


def efforts(ctx: AssessmentContext) -> None:
    """The team's effort per level per question (default 1), and setting one."""
    data = ctx.plan
    st.caption(t("tasks.efforts_caption"))
    if data.efforts:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("ui.code"): e.code,
                        t("ui.question_text"): ctx.catalog.items[e.code].text,
                        t("tasks.col.effort_level"): fmt_short(e.effort),
                        t("tasks.col.note"): e.note or "–",
                        t("tasks.col.set_by"): f"{e.set_by}, {session.fmt_date(e.set_at.date())}",
                    }
                    for e in data.efforts
                ]
            ),
            hide_index=True,
            width="stretch",
            key="efforts_table",
        )
    else:
        st.caption(t("tasks.no_efforts"))
    codes = [
        c for c, i in ctx.catalog.items.items() if i.kind == "pengungkit" and data.can_write(c)
    ]
    if not codes:
        return
    st.markdown(f"**{t('tasks.effort_title')}**")
    c1, c2, c3 = st.columns([3, 1, 3])
    code = c1.selectbox(
        t("cli.question"),
        codes,
        format_func=lambda c: f"{c} · {ctx.catalog.items[c].text[:80]}",
        key="effort_code",
    )
    current = data.effort_of(code)
    value = c2.text_input(
        t("tasks.col.effort_level"),
        value=fmt_short(current.effort) if current else "",
        placeholder="1",
        key=f"effort_value:{code}",
    )
    note = c3.text_input(
        t("tasks.col.note"),
        value=(current.note or "") if current else "",
        key=f"effort_note:{code}",
        max_chars=500,
    )
    if st.button(t("tasks.effort_button"), icon=":material/save:", key="effort_submit"):
        session.run_action(
            lambda: tasks.set_effort(
                session.workspace(), session.require_actor(), ctx.assessment.id, code, value, note
            ),
            t("tasks.effort_saved", code=code),
        )
        st.rerun()


def gates_frame(card, predicate: str) -> pd.DataFrame:
    """Every gate of one predicate: value, minimum, status (failing first)."""
    verdict = card.verdicts[predicate]
    rows = []
    for g in sorted(verdict.gates, key=lambda g: g.passed or not g.applies):
        status = (
            t("cli.not_applied") if not g.applies else t("cli.ok") if g.passed else t("cli.fail")
        )
        rows.append(
            {
                t("cli.gate"): gate_label(g.id) + gate_mark(g),
                t("cli.value"): session.num(g.value),
                t("cli.minimum"): session.num(g.minimum),
                t("cli.status"): status,
            }
        )
    return pd.DataFrame(rows)
