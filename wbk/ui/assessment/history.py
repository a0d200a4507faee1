"""A question's history on the LKE page: who changed the answer, from what to what, when, in
which tier, and whether the penjelasan changed (read from the audit trail)."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from wbk.i18n import fmt_date, t
from wbk.services.assessment.history import HistoryEntry, question_history
from wbk.ui import session


def _when(at: datetime) -> str:
    local = at.astimezone() if at.tzinfo else at.replace(tzinfo=UTC).astimezone()
    return f"{fmt_date(local.date())} {local:%H:%M}"


def _change(e: HistoryEntry) -> str:
    if e.kind == "carry":
        return t("followup.history.carried", value=e.after or "–", year=e.source_year or "?")
    if e.kind == "confirm":
        return t("followup.history.confirmed")
    before, after = e.before or "–", e.after or "–"
    if before == after:
        return t("followup.history.same", value=after)
    return f"{before} → {after}"


def history_rows(entries: list[HistoryEntry]) -> list[dict[str, str]]:
    """The table rows (plain text; st.dataframe shows them as text, never as markdown)."""
    return [
        {
            t("followup.history.when"): _when(e.at),
            t("followup.history.who"): e.who,
            t("followup.history.tier"): t(f"ui.tier_{e.tier}"),
            t("followup.history.what"): (e.code.split("#", 1)[1] + ": " if "#" in e.code else "")
            + _change(e),
            t("followup.history.narrative"): (
                t("followup.history.narrative_changed") if e.narrative_changed else ""
            ),
        }
        for e in entries
    ]


def render_history(ws, actor, assessment_id: int, code: str, limit: int = 50) -> None:
    """A "Riwayat" popover for one question: newest first, at most ``limit`` rows."""
    # read only when asked: a toggle, not a popover (a popover's body runs on every rerun)
    slug = code.replace(".", "-").replace("#", "-")
    if not st.toggle(t("followup.history.button"), key=f"hist-{slug}"):
        return
    with st.container(border=True):
        entries = question_history(ws, actor, assessment_id, code)
        st.markdown(f"**{t('followup.history.title', code=session.esc(code))}**")
        if not entries:
            st.caption(t("followup.history.empty"))
            return
        st.dataframe(pd.DataFrame(history_rows(entries[:limit])), hide_index=True, width="stretch")
        if len(entries) > limit:
            st.caption(t("followup.history.more", count=len(entries) - limit))
        latest = next((e for e in entries if e.narrative_changed and e.narrative), None)
        if latest is not None:
            st.caption(
                t("followup.history.latest_narrative", who=session.esc(latest.who))
                + "  \n"
                + session.esc(latest.narrative)
            )
