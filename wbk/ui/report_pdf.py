"""The report as PDF on the Laporan page: one download button that builds the file on the click
(LibreOffice takes a few seconds); where LibreOffice is missing the page says so."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import report_pdf


def pdf_offer(
    ws, actor, aid: int, tier: str, lang: str, file_name: str, pre_review: bool = False
) -> None:
    if not report_pdf.pdf_available():
        st.caption(t("followup.pdf.unavailable"))
        return

    st.download_button(  # one click: LibreOffice runs while the browser waits for the file
        t("followup.pdf.download"),
        data=lambda: report_pdf.pdf_report(ws, actor, aid, tier, lang, pre_review, wait=False),
        key="dl_pdf",
        file_name=file_name,
        icon=":material/picture_as_pdf:",
        mime="application/pdf",
        on_click="ignore",
    )
