"""The assessment status controls: only the moves the status and the user's roles allow,
in words; locking asks for confirmation first."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import assessments
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.ui import session


def status_controls(
    ws: Workspace, actor: Actor, assessment_id: int, status: str, moves: tuple[str, ...]
) -> None:
    if not moves:
        st.caption(t(f"ui.no_moves_{status}"))
        return
    cols = st.columns(len(moves))
    for col, target in zip(cols, moves, strict=True):
        if target == "locked":
            if col.button(t("action.locked"), key="to-locked", icon=":material/lock:"):
                st.session_state["_confirm_lock"] = assessment_id
            continue
        if col.button(t(f"action.{target}"), key=f"to-{target}"):
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
