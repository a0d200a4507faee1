"""Finding one's way on the LKE page: deep links (``/lke?q=CODE``), progress per area, and the
filters "belum dijawab", "tanpa data dukung", "ada catatan TPI terbuka"."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.services.assessment.context import AssessmentContext
from wbk.ui import session

FOCUS = "_lke_focus"
FILTERS = ("unanswered", "no_evidence", "open_note")


def part_area(ctx: AssessmentContext, code: str) -> tuple[str, str | None] | None:
    """Where a question lives on the page: (part, area) for Pemenuhan/Reform, (the catalog's
    results area, None) for a result item; None for a code the catalog does not have."""
    return ctx.catalog.part_area(code)


def take_deep_link(ctx: AssessmentContext) -> None:
    """``?q=CODE`` opens that question's area with the question first; the parameter is
    consumed so that switching area afterwards works as usual."""
    code = st.query_params.get("q")
    if not code:
        return
    del st.query_params["q"]
    where = part_area(ctx, code)
    if where is None:
        st.warning(t("lkenav.unknown_code", code=code))
        return
    part, area = where
    st.session_state["lke_part"] = part
    if area is not None:
        st.session_state[f"lke_area_{part}"] = area
    st.session_state[FOCUS] = code.split("#", 1)[0]


def focused() -> str | None:
    return st.session_state.get(FOCUS)


def scroll_to(code: str) -> None:
    """Bring the linked question into view (its container carries the key ``q-<code>``)."""
    css = "st-key-q-" + code.replace(".", "-")  # a catalog code: letters, digits, dots
    session.run_script(
        "setTimeout(() => {const e = window.parent.document.querySelector("
        f"'.{css}'); if (e) e.scrollIntoView({{block: 'start'}});}}, 300);"
    )


def has_open_note(ctx: AssessmentContext, code: str) -> bool:
    return any(n.status != "closed" for n in ctx.notes_for(code))


def keep(ctx: AssessmentContext, code: str, chosen: list[str]) -> bool:
    """Whether a question passes every chosen filter."""
    if "unanswered" in chosen and code in ctx.answered_questions:
        return False
    if "no_evidence" in chosen and ctx.documents_for(code):
        return False
    return not ("open_note" in chosen and not has_open_note(ctx, code))


def progress(ctx: AssessmentContext, codes: list[str]) -> tuple[int, int, int]:
    """(answered, answered with evidence, questions) over ``codes``."""
    answered = [c for c in codes if c in ctx.answered_questions]
    with_docs = sum(1 for c in answered if ctx.documents_for(c))
    return len(answered), with_docs, len(codes)


def area_codes(ctx: AssessmentContext, part: str, area: str) -> list[str]:
    return ctx.catalog.codes_in(part, area)


def progress_label(ctx: AssessmentContext, codes: list[str]) -> str:
    answered, with_docs, total = progress(ctx, codes)
    return t("lkenav.progress", answered=answered, total=total, evidence=with_docs)


def filter_pills() -> list[str]:
    return (
        st.pills(
            t("lkenav.filter"),
            FILTERS,
            selection_mode="multi",
            format_func=lambda f: t(f"lkenav.{f}"),
            key="lke_filters",
        )
        or []
    )
