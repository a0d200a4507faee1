"""Carry-forward widgets: the "start from" choice when creating an assessment (Admin), and on
the LKE page the carried marker with its confirm button per question, confirm-all per area
and the banner of what the carry-over still asks."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from wbk.catalog import DEFAULT_CATALOG_ID
from wbk.errors import WbkError
from wbk.i18n import t
from wbk.services.assessment import assessments
from wbk.services.assessment.context import AssessmentContext
from wbk.services.yearly import carry
from wbk.services.yearly import compare as yearly
from wbk.ui import session


def source_fields(ws, actor, items) -> tuple[int | None, str | None]:
    """Inside the create form: the assessment to start from, and the LKE version when more
    than one is installed. Returns (source id or None, catalog id or None)."""
    names = {a.id: f"{a.unit_name} · {a.year} (#{a.id}, {a.catalog_id})" for a in items}
    c1, c2 = st.columns([2, 1])
    source = c1.selectbox(
        t("yearly.source"),
        [0, *names],
        format_func=lambda i: names.get(i, t("yearly.source_none")),
        help=t("yearly.source_help"),
        key="assessment_source",
    )
    catalogs = carry.catalog_ids(ws)
    catalog = ""
    if len(catalogs) > 1:
        catalog = c2.selectbox(
            t("yearly.catalog"),
            ["", *catalogs],
            format_func=lambda c: c or t("yearly.catalog_same"),
            key="assessment_catalog",
        )
    return (source or None), (catalog or None)


def create(ws, actor, unit: str, year: int, deadline, source: int | None, catalog: str | None):
    """Create the assessment, from ``source`` when one was chosen; the outcome is flashed."""
    st.session_state.pop("_options", None)  # the sidebar lists the new one at once
    if source is None:
        return session.run_action(
            lambda: assessments.create_assessment(
                ws, actor, unit, year, catalog or DEFAULT_CATALOG_ID, deadline=deadline
            ),
            t("ui.assessment_added"),
        )
    result = session.run_action(
        lambda: carry.create_from(ws, actor, unit, year, source, catalog, deadline)
    )
    if result is not None:
        text = t(
            "yearly.created",
            year=result.assessment.year,
            source_year=result.source_year,
            questions=result.questions,
            documents=result.documents,
        )
        if result.not_carried:
            codes = ", ".join(
                f"{m.code} ({t(f'yearly.reason.{m.reason}', source=m.source or '-')})"
                for m in result.not_carried
            )
            text += " " + t("yearly.created_missing", count=len(result.not_carried), codes=codes)
        st.session_state["_flash"] = ("success", text)
    return result


def lke_banner(ctx: AssessmentContext, tier: str) -> None:
    """What the carry-over still asks of this assessment, above the worksheet."""
    if tier != "self":
        return
    count = len(yearly.unconfirmed(ctx))
    renew, undated = yearly.documents_to_renew(ctx)
    if count or renew or undated:
        st.info(
            t("yearly.lke_banner", count=count, renew=renew, undated=undated),
            icon=":material/history:",
        )


def _confirm(
    aid: int, codes: list[str] | None, prefix: str | None, slot: str | None, reload
) -> None:
    """Button callback: confirm, then reload the page's context."""
    actor = session.actor(fresh=True)
    if actor is None:
        return
    try:
        done = carry.confirm(session.workspace(), actor, aid, codes, prefix)
    except WbkError as exc:
        if slot:
            st.session_state[slot] = ("error", exc.message())
        else:
            st.session_state["_flash"] = ("error", exc.message())
    else:
        if not slot:
            st.session_state["_flash"] = ("success", t("yearly.confirmed", count=len(done)))
    reload(aid)


def question_marker(
    ctx: AssessmentContext, code: str, tier: str, reload: Callable[[int], object]
) -> None:
    """The marker "dibawa dari <year>, belum dikonfirmasi" on a carried question, with its
    confirm button for whoever may answer it (saving a change confirms it too)."""
    if tier != "self":
        return
    year = yearly.carried_year(ctx, code)
    if year is None:
        return
    text, button = st.columns([4, 1])
    text.caption(f":material/history: {t('yearly.carried_marker', year=year)}")
    if ctx.abilities.tier == "self" and ctx.abilities.can_edit(code):
        button.button(
            t("yearly.confirm"),
            key=f"confirm:{code}",
            help=t("yearly.confirm_help"),
            on_click=_confirm,
            args=(ctx.assessment.id, [code], None, f"msg:{code}", reload),
        )


def area_confirm(
    ctx: AssessmentContext, prefix: str, tier: str, reload: Callable[[int], object]
) -> None:
    """The button "Konfirmasi semua di area ini" for the carried answers under ``prefix``
    (``P.MP.``: one area of Pemenuhan or Reform as the LKE page shows it)."""
    if tier != "self" or ctx.abilities.tier != "self":
        return
    codes = [c for c in yearly.unconfirmed(ctx) if c.startswith(prefix)]
    if codes and all(ctx.abilities.can_edit(c) for c in codes):
        st.button(
            t("yearly.confirm_area", count=len(codes)),
            key=f"confirm_area:{prefix}",
            icon=":material/done_all:",
            on_click=_confirm,
            args=(ctx.assessment.id, None, prefix, None, reload),
        )
