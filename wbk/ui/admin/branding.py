"""Admin > Kop laporan: a unit's logo and letterhead lines for the report cover."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import branding
from wbk.ui import session


def branding_tab(ws, actor) -> None:
    st.subheader(t("followup.branding.title"))
    st.caption(t("followup.branding.caption", limit_kb=branding.MAX_LOGO_BYTES // 1000))
    units = branding.brandable_units(ws, actor)
    if not units:
        st.info(t("followup.branding.no_units"))
        return
    names = dict(units)
    code = st.selectbox(
        t("followup.branding.unit"),
        list(names),
        key="branding_unit",
        format_func=lambda c: f"{c} · {names[c]}",
    )
    now = branding.get_branding(ws, actor, code)
    if now is None:
        st.caption(t("followup.branding.none"))
    else:
        c1, c2 = st.columns([1, 3])
        c1.image(now.content, width=120)
        if now.inherited:
            c2.caption(t("followup.branding.inherited", unit=session.esc(now.unit_code)))
        c2.caption(
            t(
                "followup.branding.current",
                filename=session.esc(now.filename),
                width=now.width,
                height=now.height,
                by=session.esc(now.set_by),
                date=session.fmt_date(now.set_at.date()),
            )
        )
        if now.letterhead:
            c2.markdown(session.esc(now.letterhead))
    with st.form(f"branding-{code}"):
        upload = st.file_uploader(
            t("followup.branding.logo"),
            type=["png", "jpg", "jpeg"],
            key=f"branding_logo_{code}",
            max_upload_size=max(1, branding.MAX_LOGO_BYTES // 1_000_000),
        )
        text = st.text_area(
            t("followup.branding.letterhead"),
            value=(now.letterhead or "") if now is not None and not now.inherited else "",
            help=t("followup.branding.letterhead_help"),
            key=f"branding_text_{code}",
        )
        if st.form_submit_button(t("followup.branding.save"), type="primary"):
            data = upload.getvalue() if upload is not None else None
            if data is None and now is not None and not now.inherited:
                data = now.content  # only the letterhead text changed
            session.run_action(
                lambda: branding.set_logo(
                    ws, actor, code, data or b"", upload.name if upload else now.filename, text
                ),
                t("followup.branding.saved", unit=code),
            )
            st.rerun()
    own = now is not None and not now.inherited
    if own and st.button(t("followup.branding.remove"), key=f"branding_remove_{code}"):
        session.run_action(
            lambda: branding.clear_logo(ws, actor, code),
            t("followup.branding.removed", unit=code),
        )
        st.rerun()
