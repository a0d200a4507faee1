"""Catatan TPI: review notes with owner, due date and the score they can recover."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wbk.i18n import t
from wbk.services import notes, people
from wbk.ui import session


@session.guarded
def main() -> None:
    ctx = session.assessment_context()
    if ctx is None:
        return
    actor, ws, aid = session.require_actor(), session.workspace(), ctx.assessment.id
    ab, catalog, card, items = ctx.abilities, ctx.catalog, ctx.card("self"), ctx.notes
    st.title(t("ui.notes_title"))
    session.flash()

    st.dataframe(
        pd.DataFrame(
            [
                {
                    "#": n.id,
                    t("cli.question"): n.code,
                    t("ui.note"): n.text,
                    t("ui.severity"): t(f"severity.{n.severity}"),
                    t("ui.expected_gain"): "+" + session.num(card.questions[n.code].recoverable),
                    t("ui.status"): t(f"note_status.{n.status}"),
                    t("ui.owner"): n.owner or "–",
                    t("ui.due"): session.fmt_date(n.due_date),
                    t("ui.response"): n.response or "",
                }
                for n in items
            ]
        ),
        hide_index=True,
        width="stretch",
    )

    if ab.can_write_notes:
        with (
            st.expander(t("ui.add_note"), icon=":material/add_comment:"),
            st.form("add_note", clear_on_submit=True),
        ):
            code = st.selectbox(
                t("cli.question"),
                list(catalog.items),
                key="note_code",
                format_func=lambda c: f"{c} · {catalog.items[c].text[:70]}",
            )
            text = st.text_area(t("ui.note"), key="note_text")
            c1, c2, c3 = st.columns(3)
            severity = c1.selectbox(
                t("ui.severity"),
                notes.SEVERITIES,
                index=1,
                format_func=lambda s: t(f"severity.{s}"),
            )
            owner = c2.selectbox(t("ui.owner"), ["", *people.usernames(ws, actor, aid)])
            due = c3.date_input(t("ui.due"), value=None, format="DD/MM/YYYY")
            if st.form_submit_button(t("ui.save"), type="primary", key="note_submit"):
                session.run_action(
                    lambda: notes.add_note(
                        ws, actor, aid, code, text, severity, owner or None, due
                    ),
                    t("ui.note_added"),
                )
                st.rerun()

    open_items = [n for n in items if n.status != "closed"]
    if ab.can_respond_notes and open_items:
        st.subheader(t("ui.respond_title"))
        docs = ctx.documents
        for n in open_items:
            with st.form(f"respond-{n.id}"):
                st.markdown(f"**#{n.id} · {n.code}** · {session.esc(n.text)}")
                response = st.text_area(
                    t("ui.response"), value=n.response or "", key=f"resp-{n.id}"
                )
                choices = [None, *[d.id for d in docs if n.code in d.codes]]
                closing = st.selectbox(
                    t("ui.closing_evidence"),
                    choices,
                    key=f"close-ev-{n.id}",
                    format_func=lambda i: (
                        "–" if i is None else next(f"#{d.id} {d.title}" for d in docs if d.id == i)
                    ),
                )
                if st.form_submit_button(t("ui.send_response"), key=f"respond-submit-{n.id}"):
                    session.run_action(
                        lambda n=n, r=response, c=closing: notes.respond(
                            ws, actor, n.id, r, c, n.version
                        ),
                        t("ui.response_sent"),
                    )
                    st.rerun()
    if ab.can_write_notes and items:
        st.subheader(t("ui.close_title"))
        for n in items:
            target = "open" if n.status == "closed" else "closed"
            label = t("ui.reopen") if target == "open" else t("ui.close_note")
            if st.button(f"{label} #{n.id} ({n.code})", key=f"status-{n.id}"):
                session.run_action(
                    lambda n=n, s=target: notes.set_note_status(ws, actor, n.id, s, n.version),
                    t("ui.note_updated"),
                )
                st.rerun()


main()
