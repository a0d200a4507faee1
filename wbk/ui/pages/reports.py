"""Laporan: the Word report, the LKE workbook and the TPN binder, built only on click."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import reports
from wbk.ui import session
from wbk.ui.report_pdf import pdf_offer


def _import(ws, actor, aid: int) -> None:
    st.subheader(t("ui.import_title"))
    st.caption(t("ui.import_caption"))
    upload = st.file_uploader(
        t("ui.workbook"),
        type=["xlsx"],
        key="xlsx_upload",
        max_upload_size=ws.settings.max_upload_mb,
    )
    if upload is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lke.xlsx"
        path.write_bytes(upload.getvalue())
        preview = reports.preview_workbook(ws, actor, aid, path)
        st.info(
            t(
                "cli.preview",
                changes=len(preview.changes),
                unchanged=preview.unchanged,
                problems=len(preview.problems),
            )
        )
        if preview.changes:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("ui.cell"): c.where,
                            t("ui.code"): c.code,
                            t("ui.before"): c.old_value or "–",
                            t("ui.after"): c.new_value or "–",
                            t("ui.narrative"): c.note_words(),
                        }
                        for c in preview.changes
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        for problem in preview.problems:
            st.error(session.esc(problem.message()))
        skip = bool(preview.problems) and st.checkbox(t("ui.skip_invalid"), key="xlsx_skip")
        allowed = bool(preview.changes) and (not preview.problems or skip)
        if st.button(t("ui.apply_import"), type="primary", disabled=not allowed, key="xlsx_apply"):
            result = session.run_action(
                lambda: reports.import_workbook(ws, actor, aid, path, skip_invalid=skip)
            )
            if result is not None:
                st.session_state["_flash"] = (
                    "success",
                    t("ws.imported", changed=result[0], rows=len(preview.rows), tier="self"),
                )
            st.rerun()


@session.guarded
def main() -> None:
    ctx = session.assessment_context()
    if ctx is None:
        return
    actor, ws, aid = session.require_actor(), session.workspace(), ctx.assessment.id
    view, ab = ctx.assessment, ctx.abilities
    st.title(t("ui.reports_title"))
    st.caption(t("ui.reports_caption", unit=session.esc(view.unit_name), year=view.year))
    session.flash()
    lang = st.session_state.get("lang") or "id"
    stem = f"ZI {view.unit_code} {view.year}"

    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown(f"**{t('ui.word_report')}**")
        tier = st.radio(
            t("report.tier"),
            ["self", "tpi"],
            horizontal=True,
            key="report_tier",
            format_func=lambda x: t(f"ui.tier_{x}"),
        )
        report_lang = st.radio(
            t("ui.language"),
            ["id", "en"],
            horizontal=True,
            index=0 if lang == "id" else 1,
            key="report_lang",
            format_func=lambda x: "Indonesia" if x == "id" else "English",
        )

        pre_review = st.checkbox(t("review.ui.report_option"), key="report_pre_review")

        def _docx() -> bytes:
            with st.spinner(t("ui.building")):  # files not read yet: said in the report
                return reports.word_report(
                    ws, actor, aid, tier, report_lang, pre_review, wait=False
                )

        st.download_button(
            t("ui.download_docx"),
            data=_docx,
            key="dl_docx",
            file_name=f"Laporan {stem}.docx",
            icon=":material/description:",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        pdf_offer(ws, actor, aid, tier, report_lang, f"Laporan {stem}.pdf", pre_review)
    with c2:
        st.markdown(f"**{t('ui.workbook')}**")
        st.caption(t("ui.workbook_caption"))
        st.download_button(
            t("ui.download_xlsx"),
            key="dl_xlsx",
            data=lambda: reports.excel_export(ws, actor, aid, "self", lang),
            file_name=f"LKE {stem}.xlsx",
            icon=":material/table:",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    with c3:
        st.markdown(f"**{t('ui.binder')}**")
        st.caption(t("ui.binder_caption"))
        if reports.binder_fits(ws, ctx):  # built on the click, never a server path
            st.download_button(
                t("ui.download_binder"),
                key="dl_binder",
                data=lambda: reports.binder_download(ws, actor, aid, lang) or b"",
                file_name=f"Data dukung {stem}.zip",
                icon=":material/folder_zip:",
                mime="application/zip",
                on_click="ignore",
            )
        else:
            limit = ws.settings.max_download_mb
            st.info(t("flows.binder_too_large", limit=limit, id=aid))
    if ab.can_import_workbook:
        st.divider()
        _import(ws, actor, aid)


main()
