"""A question's evidence on the LKE page: its documents with a preview, and (for whoever may
write the question) uploading a new document or linking an existing one without leaving it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from wbk.errors import WbkError
from wbk.i18n import t
from wbk.services.assessment import evidence
from wbk.services.assessment.context import AssessmentContext
from wbk.ui import session

PREVIEW_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def _gen_key(name: str, gen: int) -> str:
    """A widget key per form generation: a new generation is an empty form."""
    return name if not gen else f"{name}-{gen}"


def _preview(ctx: AssessmentContext, doc, slug: str) -> None:
    """The document itself, read through the permission check: a PDF page viewer, an image,
    or a download for other types."""
    rev = doc.latest
    if doc.kind == "link":
        st.link_button(doc.url or "", doc.url or "", icon=":material/open_in_new:")
        return
    if rev is None:
        return
    ws, actor = session.workspace(), session.require_actor()
    _, fh = evidence.open_revision(ws, actor, doc.id)
    with fh:
        data = fh.read()
    if rev.media_type == "application/pdf":
        st.pdf(data, height=480, key=f"pdf-{slug}-{doc.id}-{rev.revision}")
    elif rev.media_type in PREVIEW_IMAGES:
        st.image(data, caption=session.esc(rev.filename))
    else:
        st.caption(t("qev.no_preview", type=rev.media_type))
    st.download_button(
        t("ui.download"),
        data=data,
        file_name=rev.filename,
        mime=rev.media_type,
        key=f"qev-dl-{slug}-{doc.id}",
        icon=":material/download:",
    )


def documents(ctx: AssessmentContext, code: str) -> None:
    """Each document of the question in one line, with its warnings and a preview."""
    docs = ctx.documents_for(code)
    slug = code.replace(".", "-")
    for d in docs:
        rev = d.latest
        warn = " ".join(f":material/warning: {t('warning.' + w)}" for w in d.warnings)
        label = f":material/attach_file: {session.esc(d.title)}" + (
            f" · rev {rev.revision} · {rev.sha256[:12]}" if rev else ""
        )
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.caption(f"{label} {warn}")
        # read from the store only when asked: a page of questions must not load every file
        if right.toggle(t("qev.view"), key=f"qev-prev-{slug}-{d.id}"):
            _preview(ctx, d, slug)
    if not docs and code in ctx.answered_questions:
        st.caption(f":material/warning: {t('warning.no_evidence')}")


def add(ctx: AssessmentContext, code: str, reload: Callable[[int], AssessmentContext]) -> None:
    """Upload a document for this question, or link one already in the workspace. A refused
    file keeps what was typed and says why in plain words."""
    ab = ctx.abilities
    if not ab.can_upload or not ab.can_edit(code):
        return
    ws, aid = session.workspace(), ctx.assessment.id
    slug = code.replace(".", "-").replace("#", "-")
    # drawn only when asked: a page of questions with an uploader each is slow in the browser
    if not st.toggle(t("qev.add"), key=f"qev-open-{slug}"):
        return
    gen = st.session_state.get(f"qev-gen-{slug}", 0)  # a new generation: an empty form
    with st.container(border=True):
        with st.form(_gen_key(f"qev-{slug}", gen), clear_on_submit=False):
            file = st.file_uploader(
                t("ui.file"),
                type=evidence.UPLOAD_EXTENSIONS,
                key=_gen_key(f"qev-file-{slug}", gen),
                max_upload_size=ws.settings.max_upload_mb,
            )
            title = st.text_input(t("ui.title"), key=_gen_key(f"qev-title-{slug}", gen))
            doc_date = st.date_input(
                t("ui.document_date"),
                value=None,
                format="DD/MM/YYYY",
                key=_gen_key(f"qev-date-{slug}", gen),
            )
            sent = st.form_submit_button(t("ui.upload"), icon=":material/upload:")
        if sent:
            st.session_state.pop(f"qev-same-{slug}", None)
            if file is None:
                st.error(t("ui.no_file"))
            else:
                actor = session.require_actor()
                try:
                    view = evidence.add_file(
                        ws, actor, aid, [code], file, file.name, title or None, doc_date
                    )
                except evidence.SameFileElsewhere as exc:  # offer the document already there
                    st.session_state[f"qev-same-{slug}"] = (exc.evidence_id, exc.message())
                except WbkError as exc:  # names the reason in plain words; the form stays
                    st.error(session.esc(exc.message()), icon=":material/error:")
                except Exception:
                    st.error(session.unexpected("qev"), icon=":material/error:")
                else:
                    st.session_state[f"qev-gen-{slug}"] = gen + 1  # stored: clear the form
                    st.session_state[f"msg:{code}"] = (
                        "success",
                        t("ui.uploaded", title=view.title, sha=view.latest.sha256[:12]),
                    )
                    reload(aid)
                    st.rerun(scope="fragment")
        same = st.session_state.get(f"qev-same-{slug}")
        if same:
            st.warning(session.esc(same[1]), icon=":material/content_copy:")
            if st.button(t("flows.link_same", id=same[0]), key=f"qev-same-btn-{slug}"):
                actor = session.require_actor()
                if session.run_action(lambda: evidence.link_question(ws, actor, same[0], code)):
                    st.session_state.pop(f"qev-same-{slug}", None)
                    st.session_state[f"qev-gen-{slug}"] = gen + 1
                    st.session_state[f"msg:{code}"] = (
                        "success",
                        t("flows.linked_same", id=same[0], codes=code),
                    )
                    reload(aid)
                    st.rerun(scope="fragment")
        others = [d for d in ctx.documents if code not in d.codes]
        if others:
            picked = st.selectbox(
                t("qev.link_existing"),
                [d.id for d in others],
                index=None,
                placeholder=t("qev.pick_document"),
                key=f"qev-link-{slug}",
                format_func=lambda i: next(f"#{d.id} {d.title}" for d in others if d.id == i),
            )
            if picked is not None and st.button(t("ui.link"), key=f"qev-linkbtn-{slug}"):
                actor = session.require_actor()
                if session.run_action(lambda: evidence.link_question(ws, actor, picked, code)):
                    st.session_state.pop(f"qev-link-{slug}", None)
                    reload(aid)
                    st.rerun(scope="fragment")
