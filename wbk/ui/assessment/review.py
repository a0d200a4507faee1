"""The pre-review on the pages: a verdict chip per question with its reasons and snippets,
the verdict filter, accept/dismiss for the TPI and koordinator, the reading progress, the
documents' facts and the counts per verdict and area."""

from __future__ import annotations

from collections import Counter
from datetime import date

import streamlit as st

from wbk.errors import WbkError
from wbk.i18n import t
from wbk.services.review import background, decisions, reviews
from wbk.services.review.views import VERDICTS
from wbk.ui import session

KEY = "_review"
COLOR = {"hijau": "green", "kuning": "orange", "merah": "red", "kosong": "gray"}


def load(aid: int) -> reviews.AssessmentReview:
    """This run's review (never waits: files still queued are read by the background worker)."""
    ws = session.workspace()
    background.ensure_worker(ws)
    review = reviews.review_assessment(ws, session.require_actor(), aid, wait=False)
    st.session_state[KEY] = review
    return review


def current() -> reviews.AssessmentReview | None:
    return st.session_state.get(KEY)


def progress(aid: int) -> None:
    """A progress bar while documents are read; the page reloads itself when they are."""
    review = current()
    if review is None or not review.pending:
        return

    @st.fragment(run_every="2s")
    def bar() -> None:
        done, total = reviews.progress(session.workspace(), session.require_actor(), aid)
        st.progress(done / total if total else 1.0, t("review.ui.reading", done=done, total=total))
        if done >= total:
            st.rerun()

    bar()


def verdict_filter() -> list[str]:
    return (
        st.pills(
            t("review.ui.filter"),
            VERDICTS,
            selection_mode="multi",
            format_func=lambda v: t(f"review.verdict.{v}"),
            key="lke_review_filter",
        )
        or []
    )


def keep(code: str, chosen: list[str]) -> bool:
    review = current()
    if not chosen or review is None:
        return True
    q = review.question(code)
    return q is not None and q["verdict"] in chosen


def chip(code: str) -> None:
    review = current()
    q = review.question(code) if review else None
    if q is None:
        return
    verdict = q["verdict"]
    text = f":{COLOR[verdict]}-badge[{t('review.ui.chip', verdict=t(f'review.verdict.{verdict}'))}]"
    if q["unsupported_claim"]:
        text += f" :red-badge[{t('review.unsupported')}]"
    reasons = [review.message(f) for f in q["findings"][:2]]
    st.markdown(text + (" " + session.esc(" · ".join(reasons)) if reasons else ""))


def details(aid: int, code: str) -> None:
    review = current()
    q = review.question(code) if review else None
    if q is None or (q["verdict"] == "kosong" and not q["expected"]):
        return
    # drawn only when asked: an expander's body is drawn (hidden) for every question of the
    # area, with its buttons and reason boxes, and that doubled the page's time in the browser
    if not st.toggle(t("review.ui.title"), key="rev-" + code.replace(".", "-")):
        return
    with st.container(border=True):
        st.caption(t(f"review.verdict_help.{q['verdict']}"))
        st.markdown(f"**{t('review.ui.expected')}**")
        for e in q["expected"]:
            mark = ":green[✓]" if e["found"] else ":red[✗]"
            line = f"{mark} {session.esc(e['item'])}"
            for hit in e["documents"][:2]:
                where = (
                    t("review.found_at", page=hit["page"], snippet=hit["snippet"])
                    if hit["page"]
                    else t("review.found_in_title", snippet=hit["snippet"])
                )
                line += f"  \n    {session.esc(where)}"
            st.markdown(line)
        st.markdown(f"**{t('review.ui.findings')}**")
        if not q["findings"] and not q["dismissed"]:
            st.caption(t("review.ui.none"))
        for f in q["findings"]:
            _finding(review, aid, code, f)
        for f in q["dismissed"]:
            d = review.decisions.get(f["key"], {})
            st.caption(
                f"~~{session.esc(review.message(f))}~~ "
                + t("review.ui.dismissed", by=d.get("by", "-"), reason=d.get("reason") or "-")
            )


def _finding(review, aid: int, code: str, f: dict) -> None:
    source = t(f"review.source.{f['source']}")
    st.warning(f"{session.esc(review.message(f))} ({source})")
    decided = review.decisions.get(f["key"])
    if decided is not None and decided["decision"] == "accept":
        st.caption(t("review.ui.accepted", note=decided["note_id"]))
        return
    if not review.can_decide:
        return
    c1, c2, c3 = st.columns([2, 3, 1])
    if c1.button(t("review.ui.accept"), key=f"acc-{code}-{f['key']}"):
        _decide(lambda: decisions.accept(_ws(), _actor(), aid, code, f["key"]))
    reason = c2.text_input(
        t("review.ui.reason"), key=f"why-{code}-{f['key']}", label_visibility="collapsed",
        placeholder=t("review.ui.reason"),
    )  # fmt: skip
    if c3.button(t("review.ui.dismiss"), key=f"dis-{code}-{f['key']}"):
        _decide(lambda: decisions.dismiss(_ws(), _actor(), aid, code, f["key"], reason))


def _ws():
    return session.workspace()


def _actor():
    return session.require_actor()


def _decide(action) -> None:
    try:
        action()
    except WbkError as exc:
        st.error(session.esc(exc.message()))
        return
    st.rerun()


def documents_table(aid: int) -> None:
    """What was read from each document: number, date, signature evidence, text source."""
    review = load(aid)
    progress(aid)
    st.subheader(t("review.ui.documents"))
    period = review.period
    st.caption(
        t("review.ui.period", start=period.start.isoformat(), end=period.end.isoformat())
        + (" " + t("review.ui.period_default") if period.uncertain else "")
    )
    if review.can_set_period:
        _period_form(aid, review)
    rows = [
        {
            "ID": d["id"],
            t("review.ui.col_title"): d["title"],
            t("review.ui.col_number"): d["number"] or "—",
            t("review.ui.col_date"): d["date"] or "—",
            t("review.ui.col_in_period"): {True: "✓", False: "✗", None: "?"}[d["in_period"]],
            t("review.ui.col_signed"): ", ".join(d["signed"]) or "—",
            t("review.ui.col_source"): t(f"review.text_source.{d['text_source']}"),
            t("review.ui.col_pages"): d["pages"],
        }
        for d in review.documents
    ]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")


def _period_form(aid: int, review: reviews.AssessmentReview) -> None:
    """The assessment's own review period (koordinator, TPI, admin; audited)."""
    with st.expander(t("review.ui.period_set")), st.form("review_period"):
        c1, c2 = st.columns(2)
        span = {"min_value": date(2000, 1, 1), "max_value": date(2100, 12, 31)}
        start = c1.date_input(
            t("review.ui.period_start"), review.period.start, key="rp_start", **span
        )
        end = c2.date_input(t("review.ui.period_end"), review.period.end, key="rp_end", **span)
        if st.form_submit_button(t("review.ui.period_save")):
            session.run_action(
                lambda: decisions.set_period(_ws(), _actor(), aid, start, end),
                success=t("review.ui.period_saved"),
            )
            st.rerun()  # the page shows the outcome (session.flash) and the new review


def dashboard(aid: int) -> None:
    """Counts per verdict and per area, the unsupported claims first."""
    review = load(aid)
    progress(aid)
    st.subheader(t("review.ui.dashboard"))
    claims = [q for q in review.questions if q["unsupported_claim"]]
    if claims:
        st.error(
            f"**{t('review.ui.unsupported_list')}** ({len(claims)}): "
            + ", ".join(q["code"] for q in claims)
        )
    summary = review.summary()
    cols = st.columns(len(VERDICTS))
    for col, v in zip(cols, VERDICTS, strict=True):
        col.metric(t(f"review.verdict.{v}"), summary[v])
    by_area: dict[str, Counter] = {}
    for q in review.questions:
        by_area.setdefault(q["area"], Counter())[q["verdict"]] += 1
    st.dataframe(
        [{"Area": area} | {t(f"review.verdict.{v}"): c[v] for v in VERDICTS}
         for area, c in by_area.items()],
        hide_index=True,
        width="stretch",
    )  # fmt: skip
