"""Catatan TPI: review notes in work order (overdue first) with owner, due date and response in
view, each with its thread of replies and the unit's answer form."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import note_threads, notes
from wbk.services.people import people
from wbk.ui import session

SHORT = 80


def _short(text: str | None) -> str:
    value = (text or "").replace("\n", " ").strip()
    return value if len(value) <= SHORT else value[: SHORT - 1] + "…"


def _due_label(n, today: date) -> str:
    due = session.fmt_date(n.due_date)
    if note_threads.is_overdue(n, today):
        return f"⚠ {due} ({t('followup.notes.late_days', days=(today - n.due_date).days)})"
    return due


def _table(items, card, today: date) -> None:
    """One compact row per note; the columns people act on come first so they fit the screen."""
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "#": n.id,
                    t("ui.status"): t(f"note_status.{n.status}"),
                    t("ui.owner"): n.owner or "–",
                    t("ui.due"): _due_label(n, today),
                    t("cli.question"): n.code,
                    t("ui.note"): n.text,
                    t("ui.response"): _short(n.response),
                    t("ui.expected_gain"): "+" + session.num(card.questions[n.code].recoverable),
                }
                for n in items
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "#": st.column_config.NumberColumn(width="small"),
            t("ui.status"): st.column_config.TextColumn(width="small"),
            t("ui.owner"): st.column_config.TextColumn(width="small"),
            t("ui.due"): st.column_config.TextColumn(width="small"),
            t("cli.question"): st.column_config.TextColumn(width="small"),
            t("ui.note"): st.column_config.TextColumn(width="medium"),
            t("ui.response"): st.column_config.TextColumn(width="medium"),
            t("ui.expected_gain"): st.column_config.TextColumn(width="small"),
        },
    )


def _thread(replies) -> None:
    for r in replies:
        when = r.created_at.astimezone()
        st.caption(f"{session.esc(r.author_name)} · {session.fmt_date(when.date())} {when:%H:%M}")
        st.markdown(session.esc(r.text))


def _reply_form(ws, actor, n) -> None:
    key = f"reply-text-{n.id}"
    with st.form(f"reply-{n.id}"):
        text = st.text_area(t("followup.notes.reply"), key=key, height=80)
        if st.form_submit_button(t("followup.notes.send_reply"), key=f"reply-submit-{n.id}"):
            done = session.run_action(
                lambda: note_threads.add_reply(ws, actor, n.id, text),
                t("followup.notes.reply_sent"),
            )
            if done is not None:
                st.session_state.pop(key, None)  # sent: start empty; refused: keep the text
            st.rerun()


def _respond_form(ws, actor, n, docs) -> None:
    with st.form(f"respond-{n.id}"):
        response = st.text_area(t("ui.response"), value=n.response or "", key=f"resp-{n.id}")
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
                lambda: notes.respond(ws, actor, n.id, response, closing, n.version),
                t("ui.response_sent"),
            )
            st.rerun()


def _card(ws, actor, ctx, n, replies, today: date) -> None:
    ab = ctx.abilities
    with st.container(border=True):
        head = f"**#{n.id} · {n.code}** · {t(f'severity.{n.severity}')} · "
        head += t(f"note_status.{n.status}")
        if note_threads.is_overdue(n, today):
            days = (today - n.due_date).days
            head += f" · :red-badge[{t('followup.notes.late_days', days=days)}]"
        st.markdown(head)
        item = ctx.catalog.items.get(n.code)
        if item is not None:
            st.caption(session.esc(_short(item.text)))
        st.markdown(session.esc(n.text))
        st.caption(
            t(
                "followup.notes.meta",
                owner=session.esc(n.owner or "–"),
                due=session.fmt_date(n.due_date),
                by=session.esc(n.created_by),
                date=session.fmt_date(n.created_at.date()),
            )
        )
        if n.response:
            st.markdown(f"**{t('ui.response')}:** {session.esc(n.response)}")
        _thread(replies)
        replying = n.status != "closed" and not ab.locked
        if replying and note_threads.can_reply(actor, ctx, n.code):
            expanded = n.status == "open" and n.owner == actor.name
            with st.expander(t("followup.notes.act"), expanded=expanded):
                if ab.can_respond_notes and note_threads.can_respond(actor, ctx, n.code):
                    _respond_form(ws, actor, n, ctx.documents)
                _reply_form(ws, actor, n)
        if ab.can_write_notes:
            target = "open" if n.status == "closed" else "closed"
            label = t("ui.reopen") if target == "open" else t("ui.close_note")
            if st.button(f"{label} #{n.id}", key=f"status-{n.id}"):
                session.run_action(
                    lambda: notes.set_note_status(ws, actor, n.id, target, n.version),
                    t("ui.note_updated"),
                )
                st.rerun()


def _add_form(ws, actor, aid, catalog) -> None:
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
            t("ui.severity"), notes.SEVERITIES, index=1, format_func=lambda s: t(f"severity.{s}")
        )
        owner = c2.selectbox(t("ui.owner"), ["", *people.usernames(ws, actor, aid)])
        due = c3.date_input(t("ui.due"), value=None, format="DD/MM/YYYY")
        if st.form_submit_button(t("ui.save"), type="primary", key="note_submit"):
            session.run_action(
                lambda: notes.add_note(ws, actor, aid, code, text, severity, owner or None, due),
                t("ui.note_added"),
            )
            st.rerun()


@session.guarded
def main() -> None:
    ctx = session.assessment_context()
    if ctx is None:
        return
    actor, ws, aid = session.require_actor(), session.workspace(), ctx.assessment.id
    ab, today = ctx.abilities, ctx.today
    st.title(t("ui.notes_title"))
    session.flash()
    items = note_threads.work_order(ctx.notes, today)
    late = sum(1 for n in items if note_threads.is_overdue(n, today))
    if items:
        st.caption(
            t(
                "followup.notes.summary",
                total=len(items),
                open=sum(1 for n in items if n.status != "closed"),
                late=late,
            )
        )
        _table(items, ctx.card("self"), today)
    else:
        st.info(t("followup.notes.none"))
    if ab.can_write_notes:
        _add_form(ws, actor, aid, ctx.catalog)
    if not items:
        return
    threads = note_threads.list_replies(ws, actor, aid)
    mine_only = st.toggle(t("followup.notes.mine_only"), key="notes_mine_only")
    shown = [n for n in items if not mine_only or n.owner == actor.name]
    for n in [n for n in shown if n.status != "closed"]:
        _card(ws, actor, ctx, n, threads.get(n.id, []), today)
    closed = [n for n in shown if n.status == "closed"]
    if closed:
        with st.expander(t("followup.notes.closed", count=len(closed))):
            for n in closed:
                _card(ws, actor, ctx, n, threads.get(n.id, []), today)


main()
