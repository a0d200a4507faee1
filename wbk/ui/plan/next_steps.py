"""The dashboard's "Langkah berikutnya": the plan's steps that gain most, in words (the
question, the answer to reach, the points), each a link to its question; and a link to the
whole plan on the Rencana aksi page. The same plan that page shows, never a second list."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import current_language, t
from wbk.services.assessment.context import AssessmentContext
from wbk.services.core.actor import visible_pages
from wbk.services.plan.next_steps import next_steps
from wbk.ui import session

LKE_PAGE = "wbk/ui/pages/assessment.py"
PLAN_PAGE = "wbk/ui/pages/plan.py"
TEXT_MAX = 140


def _text(step) -> str:
    text = step.text_en if current_language() == "en" and step.text_en else step.text
    text = " ".join(text.split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1].rstrip() + "…"


def show(ctx: AssessmentContext) -> None:
    view = next_steps(ctx)
    if view.already:
        return
    st.subheader(t("dayfix.next.title"))
    has_plan_page = "plan" in visible_pages(session.require_actor())
    if view.blockers or not view.steps:
        st.warning(t("dayfix.next.blocked", target=view.target), icon=":material/block:")
    else:
        st.caption(
            t(
                "dayfix.next.caption",
                target=view.target,
                shown=len(view.steps),
                count=view.total_steps,
                before=session.num(view.before),
                after=session.num(view.after),
            )
        )
        for step in view.steps:
            label = t(
                "dayfix.next.step",
                text=_text(step),
                answer=step.to_answer,
                points=session.num(step.gain),
            )
            if step.task_owner:
                label += " · " + t("dayfix.next.task", owner=step.task_owner)
            st.page_link(
                LKE_PAGE,
                label=label,
                icon=":material/arrow_forward:",
                query_params={"q": step.code},
            )
    if has_plan_page:
        st.page_link(
            PLAN_PAGE,
            label=t("dayfix.next.whole_plan", count=view.total_steps),
            icon=":material/route:",
        )
