"""The assessment status: the steps Draf -> Diajukan -> Direviu -> Dikunci with who acts next,
and only the moves the status and the user's roles allow, in words; locking asks first."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import assessments
from wbk.services.core.abilities import STEPS, Abilities, is_back, next_step
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.ui import session


def _label(status: str, target: str) -> str:
    """A move back says what it undoes; a move forward says the step it makes."""
    if is_back(status, target):
        return t(f"flows.back.{status}")
    return t(f"action.{target}")


def status_steps(status: str, ab: Abilities) -> None:
    """Where the assessment stands, who acts next, and why the viewer has no button yet."""
    steps = [
        f"**:primary[{t(f'flows.step.{s}')}]**" if s == status else t(f"flows.step.{s}")
        for s in STEPS
    ]
    st.markdown(" → ".join(steps))
    step = next_step(status)
    if step is None:
        st.caption(t("flows.next.done"))
        return
    target, roles = step
    who = t("flows.either").join(t(f"flows.role.{r}") for r in roles)
    if target in ab.transitions:
        st.caption(t("flows.next.yours", action=t(f"action.{target}")))
    else:
        st.caption(t("flows.next.waiting", who=who, action=t(f"action.{target}")))
        for frm, to in ab.later[:1]:
            st.caption(t("flows.next.later", action=t(f"action.{to}"), status=t(f"status.{frm}")))


def status_controls(
    ws: Workspace, actor: Actor, assessment_id: int, status: str, moves: tuple[str, ...]
) -> None:
    if not moves:
        st.caption(t(f"ui.no_moves_{status}"))
        return
    moves = tuple(sorted(moves, key=lambda m: is_back(status, m)))  # the step forward first
    cols = st.columns(len(moves))
    for col, target in zip(cols, moves, strict=True):
        if target == "locked":
            if col.button(t("action.locked"), key="to-locked", icon=":material/lock:"):
                st.session_state["_confirm_lock"] = assessment_id
            continue
        back = is_back(status, target)
        if col.button(
            _label(status, target), key=f"to-{target}", type="secondary" if back else "primary"
        ):
            session.run_action(
                lambda s=target: assessments.set_status(ws, actor, assessment_id, s),
                t("ui.status_changed", status=t(f"status.{target}")),
            )
            st.rerun()
    if st.session_state.get("_confirm_lock") == assessment_id:
        st.warning(t("ui.confirm_lock"))
        c1, c2 = st.columns(2)
        if c1.button(t("ui.confirm_lock_yes"), key="lock_confirm", type="primary"):
            st.session_state.pop("_confirm_lock", None)
            session.run_action(
                lambda: assessments.set_status(ws, actor, assessment_id, "locked"),
                t("ui.status_changed", status=t("status.locked")),
            )
            st.rerun()
        if c2.button(t("ui.cancel"), key="lock_cancel"):
            st.session_state.pop("_confirm_lock", None)
            st.rerun()
