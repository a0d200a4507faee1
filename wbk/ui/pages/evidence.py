"""Data dukung: upload (checked on the server), link to questions, revisions, where-used."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import evidence
from wbk.services.assessment.context import AssessmentContext
from wbk.ui import session
from wbk.ui.assessment import review as review_ui

WARNING_FILTERS = ("all", "wrong_year", "expired", "renew", "undated", "no_evidence")
UPLOAD_GEN = "upload_gen"  # bumped after a stored upload: new widget keys, an empty form
SAME = "upload_same"  # (document id, message, codes) when the bytes are already a document


def _gen_key(name: str, gen: int) -> str:
    return name if not gen else f"{name}_{gen}"


def _area(code: str, ctx: AssessmentContext) -> str:
    return ctx.catalog.area_of(code) or ctx.catalog.results_area


def _upload_form(ctx: AssessmentContext) -> None:
    ab, catalog, ws = ctx.abilities, ctx.catalog, session.workspace()
    codes = ab.editable(catalog.items)
    if not ab.can_upload or not codes:
        return
    gen = st.session_state.get(UPLOAD_GEN, 0)
    with st.expander(t("ui.upload_title"), expanded=False, icon=":material/upload_file:"):
        _offer_same(ctx)
        with st.form("upload", clear_on_submit=False):  # a refused upload keeps what was typed
            file = st.file_uploader(
                t("ui.file"),
                type=evidence.UPLOAD_EXTENSIONS,
                key=_gen_key("upload_file", gen),
                max_upload_size=ws.settings.max_upload_mb,
            )
            title = st.text_input(t("ui.title"), key=_gen_key("upload_title", gen))
            linked = st.multiselect(
                t("ui.questions"),
                codes,
                key=_gen_key("upload_codes", gen),
                placeholder=t("ui.choose_options"),
                format_func=lambda c: f"{c} · {catalog.items[c].text[:70]}",
            )
            c1, c2 = st.columns(2)
            doc_date = c1.date_input(
                t("ui.document_date"),
                value=None,
                format="DD/MM/YYYY",
                key=_gen_key("upload_date", gen),
            )
            valid_until = c2.date_input(
                t("ui.valid_until"),
                value=None,
                format="DD/MM/YYYY",
                key=_gen_key("upload_valid", gen),
            )
            submitted = st.form_submit_button(
                t("ui.upload"), type="primary", icon=":material/upload:", key="upload_submit"
            )
        if not submitted:
            return
        if file is None:
            st.error(t("ui.no_file"))
            return
        actor = session.require_actor()
        st.session_state.pop(SAME, None)
        with st.status(t("ui.uploading", name=file.name), expanded=False) as status:
            view = session.run_action(
                lambda: _add_file(
                    ws,
                    actor,
                    ctx.assessment.id,
                    linked,
                    file,
                    file.name,
                    title or None,
                    doc_date,
                    valid_until,
                )
            )
            if view is None:
                status.update(label=t("ui.upload_refused"), state="error")
                session.flash()
                return
            status.update(
                label=t("ui.uploaded", title=session.esc(view.title), sha=view.latest.sha256[:12]),
                state="complete",
            )
        st.session_state[UPLOAD_GEN] = gen + 1  # stored: start the next upload from an empty form
        st.session_state["_flash"] = (
            "success",
            t("ui.uploaded", title=view.title, sha=view.latest.sha256[:12]),
        )
        st.rerun()


def _add_file(*args):
    """``evidence.add_file``; bytes already stored as a document for other questions are
    remembered so the form can offer linking that document instead."""
    try:
        return evidence.add_file(*args)
    except evidence.SameFileElsewhere as exc:
        st.session_state[SAME] = (exc.evidence_id, exc.message(), list(args[3]))
        raise


def _offer_same(ctx: AssessmentContext) -> None:
    same = st.session_state.get(SAME)
    if not same:
        return
    doc_id, message, codes = same
    st.warning(session.esc(message), icon=":material/content_copy:")
    if st.button(t("flows.link_same", id=doc_id), key="upload_link_same"):
        ws, actor = session.workspace(), session.require_actor()

        def _link():
            for code in codes:
                evidence.link_question(ws, actor, doc_id, code)
            return True

        if session.run_action(_link, t("flows.linked_same", id=doc_id, codes=", ".join(codes))):
            st.session_state.pop(SAME, None)
            st.session_state[UPLOAD_GEN] = st.session_state.get(UPLOAD_GEN, 0) + 1
        st.rerun()


def _detail(ctx: AssessmentContext, doc) -> None:
    ws, actor, catalog, ab = (
        session.workspace(),
        session.require_actor(),
        ctx.catalog,
        ctx.abilities,
    )
    st.markdown(f"#### {session.esc(doc.title)}")
    if doc.kind == "link":
        st.link_button(doc.url or "", doc.url or "", icon=":material/open_in_new:")
    st.caption(
        t(
            "ui.doc_meta",
            date=session.fmt_date(doc.document_date),
            valid=session.fmt_date(doc.valid_until),
            codes=", ".join(doc.codes) or "–",
        )
    )
    if doc.revisions:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("ui.revision"): r.revision,
                        t("ui.filename"): r.filename,
                        t("ui.size_kb"): session.num(r.size / 1024, 1),
                        t("ui.type"): r.media_type,
                        "SHA-256": r.sha256,
                        t("ui.uploaded_by"): r.uploaded_by,
                        t("ui.uploaded_at"): r.uploaded_at.strftime("%d/%m/%Y %H:%M"),
                    }
                    for r in doc.revisions
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        latest = doc.latest

        def _bytes(evidence_id=doc.id):
            _, fh = evidence.open_revision(ws, actor, evidence_id)
            with fh:
                return fh.read()

        st.download_button(
            t("ui.download"),
            data=_bytes,
            file_name=latest.filename,
            mime=latest.media_type,
            icon=":material/download:",
            key=f"dl-{doc.id}",
        )
        used = evidence.where_used(ws, actor, latest.sha256)
        st.caption(
            t("ui.where_used")
            + ": "
            + "; ".join(f"#{e} ({', '.join(codes) or '–'})" for _, e, codes in used)
        )
    if not ab.can_change_document(doc.codes):
        return
    c1, c2, c3 = st.columns(3)
    with c1.form(f"rev-{doc.id}", clear_on_submit=True):
        new = st.file_uploader(
            t("ui.new_revision"), type=evidence.UPLOAD_EXTENSIONS, key=f"revfile-{doc.id}"
        )
        if st.form_submit_button(t("ui.upload")) and new is not None:
            session.run_action(
                lambda: evidence.add_revision(ws, actor, doc.id, new, new.name),
                t("ui.revision_added"),
            )
            st.rerun()
    with c2.form(f"link-{doc.id}"):
        code = st.selectbox(
            t("ui.link_question"),
            [c for c in ab.editable(catalog.items) if c not in doc.codes],
        )
        if st.form_submit_button(t("ui.link")) and code:
            session.run_action(
                lambda: evidence.link_question(ws, actor, doc.id, code), t("ui.linked", code=code)
            )
            st.rerun()
    if c3.button(t("ui.retire"), key=f"retire-{doc.id}", icon=":material/archive:"):
        session.run_action(lambda: evidence.retire(ws, actor, doc.id), t("ui.retired"))
        st.rerun()


@session.guarded
def _take_deep_link(ctx: AssessmentContext) -> None:
    """``/data-dukung?doc=ID`` opens that document (consumed, so the picker works after)."""
    raw = st.query_params.get("doc")
    if not raw:
        return
    del st.query_params["doc"]
    if raw.isdigit() and any(d.id == int(raw) for d in ctx.documents):
        st.session_state.update(ev_area="*", ev_warning="all", ev_pick=int(raw))
    else:
        st.warning(t("lkenav.unknown_doc", id=raw))


def main() -> None:
    ctx = session.assessment_context()
    if ctx is None:
        return
    catalog = ctx.catalog
    st.title(t("ui.evidence_title"))
    st.caption(t("ui.evidence_caption", limit=session.workspace().settings.max_upload_mb))
    session.flash()
    _upload_form(ctx)
    _take_deep_link(ctx)

    c1, c2 = st.columns(2)
    area = c1.selectbox(
        t("cli.area"),
        ["*", *catalog.area_codes, catalog.results_area],
        key="ev_area",
        format_func=lambda a: t("ui.all") if a == "*" else a,
    )
    kind = c2.selectbox(
        t("ui.filter_warning"),
        WARNING_FILTERS,
        key="ev_warning",
        format_func=lambda k: t("ui.all") if k == "all" else t(f"warning.{k}"),
    )
    if kind == "no_evidence":
        rows = [
            {t("cli.question"): w.code, t("ui.question_text"): catalog.items[w.code].text}
            for w in ctx.warnings
            if w.kind == kind and (area == "*" or _area(w.code, ctx) == area)
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        return
    shown = [
        d
        for d in ctx.documents
        if (area == "*" or any(_area(c, ctx) == area for c in d.codes))
        and (kind == "all" or kind in d.warnings)
    ]
    table = pd.DataFrame(
        [
            {
                "ID": d.id,
                t("ui.title"): d.title,
                t("ui.questions"): ", ".join(d.codes),
                t("ui.document_date"): session.fmt_date(d.document_date),
                t("ui.valid_until"): session.fmt_date(d.valid_until),
                t("ui.revision"): str(d.latest.revision) if d.latest else t("ui.link_kind"),
                "SHA-256": d.latest.sha256[:12] if d.latest else "",
                t("ui.warnings"): ", ".join(t(f"warning.{w}") for w in d.warnings),
            }
            for d in shown
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    if shown:
        picked = st.selectbox(
            t("ui.open_document"),
            [d.id for d in shown],
            key="ev_pick",
            format_func=lambda i: next(f"#{d.id} {d.title}" for d in shown if d.id == i),
        )
        _detail(ctx, next(d for d in shown if d.id == picked))
    review_ui.documents_table(ctx.assessment.id)


main()
