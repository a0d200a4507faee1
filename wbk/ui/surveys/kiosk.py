"""Survei page, the counter's survey: form keys and their QR poster (koordinator), live IKM,
IPKP and IPAK from the responses per service and period, export, and "use for H.I.a /
H.II.a" with provenance."""

from __future__ import annotations

from datetime import time

import pandas as pd
import streamlit as st

from wbk.i18n import fmt_number, t
from wbk.services.assessment.context import AssessmentContext
from wbk.services.surveys import kiosk, kiosk_results
from wbk.services.surveys import provenance as prov
from wbk.ui import session

CREATED = "kiosk_created"
DAYS = (1, 2, 3, 4, 5, 6, 7)
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
WHICH = {"spkp": "ipkp", "spak": "ipak"}


def _day(d: int) -> str:
    names = {
        "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
        "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    }
    return names.get(st.session_state.get("lang") or "id", names["id"])[d - 1]


def _new_key(ctx: AssessmentContext) -> None:
    unit = ctx.assessment.unit_code
    if kiosk.public_address(session.workspace().settings) is None:
        # a key's link and poster would name localhost: say how to set the address instead
        st.warning(t("flows.no_public_url"), icon=":material/public_off:")
        return
    with st.form("kiosk_new_key"):
        st.markdown(f"**{t('kiosk.ui.new_key')}**")
        c1, c2 = st.columns(2)
        period = c1.text_input(t("kiosk.ui.period"), placeholder="2026-T1", key="kiosk_period")
        label = c2.text_input(t("kiosk.ui.label"), key="kiosk_label")
        instruments = st.multiselect(
            t("kiosk.ui.instruments"),
            list(kiosk.INSTRUMENTS),
            default=list(kiosk.INSTRUMENTS),
            format_func=lambda n: kiosk.instrument(n).display_name(
                st.session_state.get("lang") or "id"
            ),
            key="kiosk_instruments",
            placeholder=t("ui.choose_options"),
        )
        services = st.text_area(t("kiosk.ui.services"), key="kiosk_services", height=100)
        st.markdown(f"**{t('kiosk.ui.hours')}**")
        no_hours = st.checkbox(t("kiosk.ui.no_hours"), key="kiosk_no_hours")
        h1, h2, h3, h4 = st.columns([3, 1, 1, 2])
        days = h1.multiselect(
            t("kiosk.ui.days"),
            DAYS,
            default=[1, 2, 3, 4, 5],
            format_func=_day,
            key="kiosk_days",
            placeholder=t("ui.choose_options"),
        )
        opens = h2.time_input(t("kiosk.ui.open"), time(8, 0), key="kiosk_open")
        closes = h3.time_input(t("kiosk.ui.close"), time(16, 0), key="kiosk_close")
        tz = h4.selectbox(t("kiosk.ui.tz"), ZONES, key="kiosk_tz")
        sent = st.form_submit_button(t("kiosk.ui.create"), type="primary", key="kiosk_create")
    if not sent:
        return
    hours = None
    if not no_hours:
        hours = {
            "days": list(days),
            "open": opens.strftime("%H:%M"),
            "close": closes.strftime("%H:%M"),
            "tz": tz,
        }
    created = session.run_action(
        lambda: kiosk.create_key(
            session.workspace(),
            session.require_actor(),
            unit,
            period,
            label,
            instruments,
            services.splitlines(),
            hours,
        )
    )
    if created is not None:
        made = session.run_action(
            lambda: kiosk.form_url(unit, created.secret, settings=session.workspace().settings)
        )
        if made is None:
            return
        png, pdf = kiosk.poster(
            ctx.assessment.unit_name, made, st.session_state.get("lang") or "id"
        )
        st.session_state[CREATED] = (created.view.label, made, png, pdf)


def _created() -> None:
    made = st.session_state.get(CREATED)
    if not made:
        return
    label, url, png, pdf = made
    st.success(t("kiosk.ui.created"), icon=":material/key:")
    st.text_input(t("kiosk.ui.link"), url, key="kiosk_link", disabled=False)
    c1, c2, c3 = st.columns([1, 2, 2])
    c1.image(png, width=160)
    c2.download_button(
        t("kiosk.ui.poster_png"), png, f"poster-survei-{label}.png", "image/png", key="kiosk_png"
    )
    c3.download_button(
        t("kiosk.ui.poster_pdf"),
        pdf,
        f"poster-survei-{label}.pdf",
        "application/pdf",
        key="kiosk_pdf",
    )


def keys_section(ctx: AssessmentContext) -> None:
    ws, actor, unit = session.workspace(), session.require_actor(), ctx.assessment.unit_code
    st.subheader(t("kiosk.ui.keys"))
    st.caption(t("kiosk.ui.keys_help"))
    manage = kiosk.can_manage(ws, actor, unit)
    if manage:
        _new_key(ctx)
        session.flash()
        _created()
    keys = kiosk.list_keys(ws, actor, unit)
    if not keys:
        st.info(t("kiosk.ui.none_keys"))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("kiosk.ui.label"): k.label,
                    t("kiosk.ui.period"): k.period,
                    t("kiosk.ui.instruments"): ", ".join(k.instruments).upper(),
                    t("kiosk.ui.responses"): k.responses,
                    "Status": t(
                        "kiosk.ui.status_active" if k.active else "kiosk.ui.status_revoked"
                    ),
                    t("kiosk.ui.hours"): (
                        f"{k.hours['open']}–{k.hours['close']} {k.hours['tz']}" if k.hours else "–"
                    ),
                }
                for k in keys
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    active = {k.id: k for k in keys if k.active}
    if manage and active:
        c1, c2 = st.columns([3, 1])
        chosen = c1.selectbox(
            t("kiosk.ui.revoke"),
            list(active),
            format_func=lambda i: f"{active[i].label} ({active[i].period})",
            key="kiosk_revoke_pick",
            label_visibility="collapsed",
        )
        if c2.button(t("kiosk.ui.revoke"), key="kiosk_revoke"):
            done = session.run_action(
                lambda: kiosk.revoke_key(ws, actor, chosen),
                t("kiosk.ui.revoked", label=active[chosen].label),
            )
            if done is not None:
                st.session_state.pop(CREATED, None)
                st.rerun()
            session.flash()


def _mark(result) -> str:
    return " *" if getattr(result, "uncertain", ()) else ""


def _table(group, name: str, by: str) -> pd.DataFrame:
    rows = []
    for label, r in getattr(group, by).items():
        value = r.ikm if name == "skm" else r.index
        rows.append(
            {
                "": label,
                t("kiosk.ui.index"): fmt_number(value, 2 if name == "skm" else 3) + _mark(r),
                "n": r.respondents,
            }
        )
    return pd.DataFrame(rows)


def live_section(ctx: AssessmentContext) -> None:
    ws, actor, unit = session.workspace(), session.require_actor(), ctx.assessment.unit_code
    st.subheader(t("kiosk.ui.live"))
    periods = kiosk_results.periods(ws, actor, unit)
    choice = st.selectbox(
        t("kiosk.ui.period"),
        ["", *periods],
        index=len(periods),
        format_func=lambda p: p or t("kiosk.ui.all_periods"),
        key="kiosk_live_period",
    )
    live = kiosk_results.live_results(ws, actor, unit, choice or None)
    if not live.respondents:
        st.info(t("kiosk.ui.no_live"))
        return
    lang = st.session_state.get("lang") or "id"
    groups = {"skm": live.ikm, **live.perception}
    cols = st.columns(4)
    cols[0].metric(t("ui.respondents"), str(live.respondents))
    for col, name in zip(cols[1:], ("skm", "spkp", "spak"), strict=True):
        overall = groups[name].overall
        index = kiosk.instrument(name).index
        if overall is None:
            col.metric(index, "–")
        elif name == "skm":
            col.metric(index, fmt_number(overall.ikm), help=overall.category)
        else:
            col.metric(
                index,
                fmt_number(overall.index, 3) + _mark(overall),
                help=f"n={overall.respondents}",
            )
    if live.outside_hours:
        st.caption(t("kiosk.ui.outside", count=live.outside_hours))
    for name in ("spkp", "spak"):
        overall = groups[name].overall
        if overall is not None:
            for note in prov.perception_notes(overall, lang):
                st.caption(t("kiosk.ui.uncertain", note=note))
    tab_service, tab_period = st.tabs([t("kiosk.ui.per_service"), t("kiosk.ui.per_period")])
    for tab, by in ((tab_service, "by_service"), (tab_period, "by_period")):
        cols = tab.columns(3)
        for col, name in zip(cols, ("skm", "spkp", "spak"), strict=True):
            col.markdown(f"**{kiosk.instrument(name).index}**")
            if groups[name].overall is not None:
                col.dataframe(_table(groups[name], name, by), hide_index=True, width="stretch")
    _export(ws, actor, unit, choice or None)
    if choice and ctx.abilities.can_edit("H.I.a"):
        _use(ctx, choice, groups)


def _export(ws, actor, unit: str, period: str | None) -> None:
    c1, c2, c3 = st.columns([2, 1, 1])
    only = c1.selectbox(
        t("kiosk.ui.export_only"),
        ["", *kiosk.INSTRUMENTS],
        format_func=lambda n: kiosk.instrument(n).index if n else t("kiosk.ui.export_all"),
        key="kiosk_export_only",
    )
    name = f"survei-{unit}-{period or 'semua'}{'-' + only if only else ''}"
    c2.download_button(
        t("kiosk.ui.export_csv"),
        lambda: kiosk_results.export_csv(ws, actor, unit, period, only or None),
        f"{name}.csv",
        "text/csv",
        key="kiosk_export_csv",
    )
    c3.download_button(
        t("kiosk.ui.export_xlsx"),
        lambda: kiosk_results.export_xlsx(ws, actor, unit, period, only or None),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="kiosk_export_xlsx",
    )


def _use(ctx: AssessmentContext, period: str, groups) -> None:
    lang = st.session_state.get("lang") or "id"
    cols = st.columns(2)
    for col, name in zip(cols, ("spak", "spkp"), strict=True):
        which = WHICH[name]
        code = prov.TARGETS[which]
        overall = groups[name].overall
        if overall is None:
            continue
        if col.button(t("kiosk.ui.use", code=code), key=f"kiosk_use_{which}"):
            view = session.run_action(
                lambda w=which: prov.use_kiosk(
                    session.workspace(),
                    session.require_actor(),
                    ctx.assessment.id,
                    w,
                    period,
                    None,
                    lang,
                )
            )
            if view is not None:
                session.run_action(
                    lambda: None,
                    t("kiosk.ui.used", code=code, value=view.value, period=view.period),
                )
                st.rerun()
            session.flash()


def provenance_caption(ctx: AssessmentContext, code: str, found: dict) -> None:
    """Under H.I.a / H.II.a on the Survei page: where the stored value came from."""
    view = found.get(code)
    if view is not None:
        st.caption(f"{t('kiosk.provenance.title')}: {session.esc(view.describe())}")
