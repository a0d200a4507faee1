"""The report as PDF on the Laporan page: built on click (LibreOffice takes a few seconds),
then offered for download; where LibreOffice is missing the page says so."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import report_pdf
from wbk.ui import session


def pdf_offer(
    ws, actor, aid: int, tier: str, lang: str, file_name: str, pre_review: bool = False
) -> None:
    if not report_pdf.pdf_available():
        st.caption(t("followup.pdf.unavailable"))
        return
    key = f"_pdf-{aid}-{tier}-{lang}-{int(pre_review)}"
    if st.button(t("followup.pdf.build"), key="build_pdf", icon=":material/picture_as_pdf:"):
        with st.spinner(t("ui.building")):
            data = session.run_action(
                lambda: report_pdf.pdf_report(ws, actor, aid, tier, lang, pre_review, wait=False)
            )
        session.flash()
        if data is not None:
            st.session_state[key] = data
    data = st.session_state.get(key)
    if data:
        st.download_button(
            t("followup.pdf.download"),
            data=data,
            key="dl_pdf",
            file_name=file_name,
            icon=":material/download:",
            mime="application/pdf",
        )
