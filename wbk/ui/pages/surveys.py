"""Survei: the unit's IKM (PermenPANRB 14/2017) and the IPAK / IPKP values of the LKE results."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wbk.i18n import fmt_number, fmt_short, t
from wbk.services.assessment.context import AssessmentContext
from wbk.services.surveys import provenance as prov
from wbk.services.surveys import surveys
from wbk.ui import session, svg_charts
from wbk.ui.surveys import charts as survey_charts
from wbk.ui.surveys import kiosk as surveys_kiosk
from wbk.ui.surveys import prefs as surveys_prefs


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _columns(data: bytes, filename: str) -> surveys.FileColumns:
    return surveys.file_columns(data, filename)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _computed(data: bytes, filename: str, mapping: tuple, service, date, weights, skip):
    """The IKM of a file for one mapping, computed once (not on every rerun of the page)."""
    return surveys.compute_ikm(
        data, filename, dict(mapping), service or None, date or None, weights, skip
    )


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _index(data: bytes, filename: str, items: tuple, skip: bool):
    return surveys.survey_index(data, filename, list(items), skip)


def _result_table(result) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("ikm.element"): f"{e.element} {surveys.ELEMENT_NAMES[e.element]}",
                t("ikm.nrr"): fmt_number(e.nrr, 3),
                t("ikm.weighted"): fmt_number(e.weighted, 3),
            }
            for e in result.elements
        ]
    )


def _summary(result, lang: str) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("ui.respondents"), str(result.respondents))
    c2.metric(t("ui.ikm_index"), fmt_number(result.index, 3))
    c3.metric("IKM", fmt_number(result.ikm))
    c4.metric(
        t("ui.ikm_category"),
        f"{result.category} · {surveys.category_label(result.category, lang)}",
    )


def _import(ctx: AssessmentContext, lang: str) -> None:
    st.subheader(t("ui.ikm_import"))
    ws = session.workspace()
    upload = st.file_uploader(
        t("ui.responses_file"),
        type=["csv", "xlsx"],
        key="ikm_file",
        max_upload_size=ws.settings.max_upload_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    found = session.run_action(lambda: _columns(data, upload.name))
    session.flash()
    if found is None:
        return
    columns = found.columns
    st.caption(t("ui.ikm_columns", count=found.rows, columns=session.esc(", ".join(columns[:20]))))
    mapping = {}
    cols = st.columns(3)
    for i, element in enumerate(surveys.ELEMENTS):
        guess = found.defaults.get(element, columns[i] if i < len(columns) else columns[0])
        mapping[element] = cols[i % 3].selectbox(
            f"{element} {surveys.ELEMENT_NAMES[element]}",
            columns,
            index=columns.index(guess),
            key=f"ikm_map_{element}",
        )
    c1, c2, c3 = st.columns(3)
    service = c1.selectbox(t("ui.service_column"), ["", *columns], key="ikm_service")
    date = c2.selectbox(t("ui.date_column"), ["", *columns], key="ikm_date")
    weights = c3.radio(
        t("ui.weights"),
        list(surveys.WEIGHTS),
        horizontal=True,
        key="ikm_weights",
        format_func=lambda w: t(f"ui.weights_{w}"),
    )
    skip = st.checkbox(t("ui.skip_invalid_rows"), key="ikm_skip")
    computation = session.run_action(
        lambda: _computed(
            data, upload.name, tuple(sorted(mapping.items())), service, date, weights, skip
        )
    )
    session.flash()
    if computation is None:
        return
    _summary(computation.overall, lang)
    if computation.responses.skipped:
        st.warning(t("ikm.skipped", count=len(computation.responses.skipped)))
    if computation.by_service:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("ui.service"): name,
                        "IKM": fmt_number(r.ikm),
                        t("ui.ikm_category"): r.category,
                        "n": r.respondents,
                    }
                    for name, r in computation.by_service.items()
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    period = st.text_input(t("ui.period"), key="ikm_period", placeholder="2026-T1")
    if st.button(t("ui.save_ikm"), type="primary", key="ikm_save", disabled=not period):
        actor = session.require_actor()
        saved = session.run_action(
            lambda: surveys.save_ikm(ws, actor, ctx.assessment.id, computation, period, lang),
            t("ui.ikm_saved", period=period),
        )
        if saved is not None:
            st.rerun()


def _external(ctx: AssessmentContext) -> None:
    st.subheader(t("ui.external_title"))
    card, stored_rows = ctx.card("self"), ctx.answers.get("self", {})
    st.info(
        t(
            "ui.external_note",
            ipak=fmt_short(card.results["ipak"].weight),
            ipkp=fmt_short(card.results["ipkp"].weight),
        )
    )
    low, high = ctx.catalog.lower_predicate, ctx.catalog.higher_predicate
    wbk_gates = {g.id: g for g in card.verdicts[low].gates}
    found = prov.provenance_for(session.workspace(), session.require_actor(), ctx.assessment.id)
    for which, code in surveys.SURVEY_ITEMS.items():
        stored = stored_rows.get(code)
        current = float(stored.value) if stored and stored.value else None
        st.markdown(f"**{t(f'results.{which}')}** ({code})")
        c1, c2, c3 = st.columns([2, 1, 2])
        result = card.results[which]
        c2.metric(t("ui.points"), f"{fmt_number(result.score)} / {fmt_short(result.weight)}")
        wbk, wbbm = ctx.index_minimum(code, low), ctx.index_minimum(code, high)
        gate = wbk_gates.get(which)
        c3.caption(
            t(
                "ui.survey_gates",
                wbk=fmt_number(wbk) if wbk is not None else "–",
                wbbm=fmt_number(wbbm) if wbbm is not None else "–",
                state=t("cli.ok") if gate is None or gate.passed else t("cli.fail"),
            )
        )
        if ctx.abilities.can_edit(code):
            typed = c1.text_input(
                t("ui.survey_index"),
                value="" if current is None else fmt_number(current),
                key=f"survey_{which}",
                placeholder="3,62",
            )
            if c1.button(t("ui.save"), key=f"survey_save_{which}") and typed.strip():
                session.run_action(
                    lambda w=which, v=typed: surveys.set_survey_value(
                        session.workspace(), session.require_actor(), ctx.assessment.id, w, v
                    ),
                    t("ui.saved", code=code),
                )
                st.rerun()
        else:
            c1.metric(t("ui.survey_index"), "–" if current is None else fmt_number(current))
        surveys_kiosk.provenance_caption(ctx, code, found)


def _from_raw(ctx: AssessmentContext) -> None:
    """Compute an IPAK or IPKP value from raw answers (items on the 1-4 scale)."""
    ws = session.workspace()
    with st.expander(t("ui.raw_survey"), icon=":material/calculate:"):
        upload = st.file_uploader(
            t("ui.responses_file"),
            type=["csv", "xlsx"],
            key="raw_file",
            max_upload_size=ws.settings.max_upload_mb,
        )
        if upload is None:
            return
        data = upload.getvalue()
        found = session.run_action(lambda: _columns(data, upload.name))
        session.flash()
        if found is None:
            return
        items = st.multiselect(
            t("ui.item_columns"),
            found.columns,
            key="raw_items",
            placeholder=t("ui.choose_options"),
        )
        which = st.radio(
            t("ui.survey_kind"),
            list(surveys.SURVEY_ITEMS),
            horizontal=True,
            key="raw_which",
            format_func=lambda w: t(f"results.{w}"),
        )
        skip = st.checkbox(t("ui.skip_invalid_rows"), key="raw_skip")
        if not items:
            return
        computed = session.run_action(lambda: _index(data, upload.name, tuple(items), skip))
        session.flash()
        if computed is None:
            return
        index, respondents = computed
        st.metric(
            t("ui.survey_index"),
            fmt_number(index, 2),
            help=t("ui.raw_help", n=respondents, points=fmt_number(surveys.survey_points(index))),
        )
        period = st.text_input(
            t("kiosk.ui.file_period"), str(ctx.assessment.year), key="raw_period"
        )
        code = surveys.SURVEY_ITEMS[which]
        if st.button(t("ui.use_value", code=code), key="raw_save", disabled=not period.strip()):
            actor = session.require_actor()
            lang = st.session_state.get("lang") or "id"
            session.run_action(
                lambda: prov.use_file(
                    ws,
                    actor,
                    ctx.assessment.id,
                    which,
                    data,
                    upload.name,
                    period,
                    None,
                    list(items),
                    skip,
                    None,
                    lang,
                ),
                t("ui.saved", code=code),
            )
            st.rerun()


@session.guarded
def main() -> None:
    ctx = session.assessment_context()
    if ctx is None:
        return
    lang = st.session_state.get("lang") or "id"
    st.title(t("ui.surveys_title"))
    session.flash()
    history = [
        r
        for r in surveys.ikm_history(
            session.workspace(), session.require_actor(), ctx.assessment.id
        )
        if not r.service
    ]
    if history:
        latest = history[-1]
        st.subheader(t("ui.ikm_latest", period=session.esc(latest.period)))
        _summary(latest.result, lang)
        left, right = st.columns(2)
        elements = latest.result.elements
        svg_charts.show(
            survey_charts.ikm_elements(
                [e.element for e in elements],
                [float(e.nrr) * 25 for e in elements],
                t("ui.ikm_elements_title"),
            ),
            left,
        )
        svg_charts.show(
            survey_charts.ikm_trend(
                [r.period for r in history],
                [float(r.result.ikm) for r in history],
                t("ui.ikm_trend_title"),
            ),
            right,
        )
        st.dataframe(_result_table(latest.result), hide_index=True, width="stretch")
    else:
        st.info(t("ui.ikm_none"))
    with st.expander(t("ui.sample_size")):
        population = st.number_input(
            t("ui.population"), min_value=1, value=1000, step=100, key="ikm_population"
        )
        st.metric(t("ui.sample_needed"), str(surveys.sample_size(int(population))))
    if ctx.abilities.can_edit("P.PP.iv.a"):
        _import(ctx, lang)
    st.divider()
    _external(ctx)
    surveys_prefs.section(ctx)
    if ctx.abilities.can_edit("H.I.a"):
        _from_raw(ctx)
    st.divider()
    st.header(t("kiosk.ui.title"))
    surveys_kiosk.live_section(ctx)
    surveys_kiosk.keys_section(ctx)


main()
