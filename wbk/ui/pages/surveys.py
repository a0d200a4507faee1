"""Survei: the unit's IKM (PermenPANRB 14/2017) and the external IPAK / IPKP values."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wbk.i18n import fmt_number, t
from wbk.services import assessments, surveys
from wbk.services.dashboard import abilities
from wbk.surveys import ikm
from wbk.surveys.responses import default_mapping, read_table
from wbk.ui import charts, session


def _result_table(result: ikm.IkmResult) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("ikm.element"): f"{e.element} {ikm.ELEMENT_NAMES[e.element]}",
                t("ikm.nrr"): fmt_number(e.nrr, 3),
                t("ikm.weighted"): fmt_number(e.weighted, 3),
            }
            for e in result.elements
        ]
    )


def _summary(result: ikm.IkmResult, lang: str) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("ui.respondents"), str(result.respondents))
    c2.metric(t("ui.ikm_index"), fmt_number(result.index, 3))
    c3.metric("IKM", fmt_number(result.ikm))
    c4.metric(
        t("ui.ikm_category"), f"{result.category} · {ikm.category_label(result.category, lang)}"
    )


def _import(ws, actor, aid: int, lang: str) -> None:
    st.subheader(t("ui.ikm_import"))
    upload = st.file_uploader(
        t("ui.responses_file"),
        type=["csv", "xlsx"],
        key="ikm_file",
        max_upload_size=ws.settings.max_upload_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    frame = read_table(data, upload.name)
    columns = list(map(str, frame.columns))
    st.caption(t("ui.ikm_columns", count=len(frame), columns=", ".join(columns[:20])))
    defaults = default_mapping(columns)
    mapping = {}
    cols = st.columns(3)
    for i, element in enumerate(ikm.ELEMENTS):
        guess = defaults.get(element, columns[i] if i < len(columns) else columns[0])
        mapping[element] = cols[i % 3].selectbox(
            f"{element} {ikm.ELEMENT_NAMES[element]}",
            columns,
            index=columns.index(guess),
            key=f"ikm_map_{element}",
        )
    c1, c2, c3 = st.columns(3)
    service = c1.selectbox(t("ui.service_column"), ["", *columns], key="ikm_service")
    date = c2.selectbox(t("ui.date_column"), ["", *columns], key="ikm_date")
    weights = c3.radio(
        t("ui.weights"),
        list(ikm.WEIGHTS),
        horizontal=True,
        key="ikm_weights",
        format_func=lambda w: t(f"ui.weights_{w}"),
    )
    skip = st.checkbox(t("ui.skip_invalid_rows"), key="ikm_skip")
    computation = session.run_action(
        lambda: surveys.compute_ikm(
            data, upload.name, mapping, service or None, date or None, weights, skip
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
        saved = session.run_action(
            lambda: surveys.save_ikm(ws, actor, aid, computation, period, lang),
            t("ui.ikm_saved", period=period),
        )
        if saved is not None:
            st.rerun()


def _external(ws, actor, aid: int, ab) -> None:
    st.subheader(t("ui.external_title"))
    st.info(t("ui.external_note"))
    answers = assessments.answers_of(ws, actor, aid)
    _, card, _ = assessments.score_assessment(ws, actor, aid)
    minima = {pid: {g.id: g for g in v.gates} for pid, v in card.verdicts.items()}
    for which, code in surveys.SURVEY_ITEMS.items():
        stored = answers.get(code)
        current = float(stored.value) if stored and stored.value else None
        st.markdown(f"**{t(f'results.{which}')}** ({code})")
        c1, c2, c3 = st.columns([2, 1, 2])
        points = card.results[which].score
        c2.metric(t("ui.points"), f"{fmt_number(points)} / 17,5")
        wbk, wbbm = minima["WBK"][which], minima["WBBM"][which]
        c3.caption(
            t(
                "ui.survey_gates",
                wbk=fmt_number(wbk.minimum * 4 / 17.5),
                wbbm=fmt_number(wbbm.minimum * 4 / 17.5),
                state=t("cli.ok") if wbk.passed else t("cli.fail"),
            )
        )
        if ab.can_edit(code):
            value = c1.number_input(
                t("ui.survey_index"),
                0.0,
                4.0,
                value=current,
                step=0.01,
                format="%.2f",
                key=f"survey_{which}",
            )
            if c1.button(t("ui.save"), key=f"survey_save_{which}") and value is not None:
                session.run_action(
                    lambda w=which, v=value: surveys.set_survey_value(
                        ws, actor, aid, w, f"{v:.2f}"
                    ),
                    t("ui.saved", code=code),
                )
                st.rerun()
        else:
            c1.metric(t("ui.survey_index"), "–" if current is None else fmt_number(current))


def _from_raw(ws, actor, aid: int) -> None:
    """Compute an IPAK or IPKP value from raw answers (items on the 1-4 scale)."""
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
        columns = list(map(str, read_table(data, upload.name).columns))
        items = st.multiselect(t("ui.item_columns"), columns, key="raw_items")
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
        computed = session.run_action(lambda: surveys.survey_index(data, upload.name, items, skip))
        session.flash()
        if computed is None:
            return
        index, respondents = computed
        st.metric(
            t("ui.survey_index"),
            fmt_number(index, 2),
            help=t("ui.raw_help", n=respondents, points=fmt_number(ikm.survey_points(index))),
        )
        if st.button(t("ui.use_value", code=surveys.SURVEY_ITEMS[which]), key="raw_save"):
            session.run_action(
                lambda: surveys.set_survey_value(ws, actor, aid, which, index),
                t("ui.saved", code=surveys.SURVEY_ITEMS[which]),
            )
            st.rerun()


@session.guarded
def main() -> None:
    ctx = session.context()
    if ctx is None:
        return
    actor, aid, ws = ctx
    lang = st.session_state.get("lang") or "id"
    ab = abilities(ws, actor, aid)
    st.title(t("ui.surveys_title"))
    session.flash()
    history = [r for r in surveys.ikm_history(ws, actor, aid) if not r.service]
    if history:
        latest = history[-1]
        st.subheader(t("ui.ikm_latest", period=latest.period))
        _summary(latest.result, lang)
        left, right = st.columns(2)
        left.plotly_chart(
            charts.ikm_elements(
                [e.element for e in latest.result.elements],
                [float(e.nrr) * 25 for e in latest.result.elements],
            ),
            width="stretch",
            config={"displayModeBar": False},
        )
        right.plotly_chart(
            charts.ikm_trend([r.period for r in history], [float(r.result.ikm) for r in history]),
            width="stretch",
            config={"displayModeBar": False},
        )
        st.dataframe(_result_table(latest.result), hide_index=True, width="stretch")
    else:
        st.info(t("ui.ikm_none"))
    with st.expander(t("ui.sample_size")):
        population = st.number_input(
            t("ui.population"), min_value=1, value=1000, step=100, key="ikm_population"
        )
        st.metric(t("ui.sample_needed"), str(ikm.sample_size(int(population))))
    if ab.can_edit("P.PP.iv.a"):
        _import(ws, actor, aid, lang)
    st.divider()
    _external(ws, actor, aid, ab)
    if ab.can_edit("H.I.a"):
        _from_raw(ws, actor, aid)


main()
