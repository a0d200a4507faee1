"""Penilaian (LKE): area -> sub-area -> question. Every change saves itself (audited, with the
optimistic lock); each question is a fragment, so answering one does not redraw the page."""

from __future__ import annotations

import streamlit as st

from wbk.catalog.model import Question, ResultItem
from wbk.errors import WbkError
from wbk.i18n import current_language, fmt_number, t
from wbk.services.assessment import assessments
from wbk.services.assessment.context import AssessmentContext, load_context
from wbk.ui import session
from wbk.ui.assessment import evidence as question_evidence
from wbk.ui.assessment import nav as lke_nav
from wbk.ui.assessment import readonly
from wbk.ui.assessment import review as review_ui
from wbk.ui.assessment.history import render_history
from wbk.ui.status import status_controls, status_steps
from wbk.ui.yearly import carry

CTX = "_lke_ctx"
# set by a save that moved a figure drawn outside the question's fragment (the totals, the
# area's score and progress): the fragment then reruns the whole page once
RERUN_APP = "_lke_rerun_app"


def _ctx() -> AssessmentContext:
    return st.session_state[CTX]


def _reload(aid: int) -> AssessmentContext:
    ctx = load_context(session.workspace(), session.require_actor(), aid)
    st.session_state[CTX] = ctx
    return ctx


def _figures(ctx: AssessmentContext, tier: str) -> tuple:
    """What the page's header and area selector show: every total and what is answered."""
    card = ctx.card(tier)
    return (
        card.total,
        tuple(sorted((k, a.score) for k, a in card.areas.items())),
        frozenset(ctx.answered_questions),
    )


def _reload_after_save(ctx: AssessmentContext, tier: str) -> AssessmentContext:
    fresh = _reload(ctx.assessment.id)
    if _figures(fresh, tier) != _figures(ctx, tier):
        st.session_state[RERUN_APP] = True
    return fresh


def _key(tier: str, code: str, suffix: str = "") -> str:
    return f"w:{tier}:{code}{suffix}"


def _inputs(ctx: AssessmentContext, code: str) -> list[str]:
    formula = ctx.catalog.items[code].formula
    return [i.name for i in formula.inputs] if formula else []


def _version(ctx: AssessmentContext, tier: str, code: str) -> int:
    row = ctx.answers.get(tier, {}).get(code)
    return st.session_state.get(f"ver:{tier}:{code}", row.version if row else 0)


def _forget_widgets(tier: str, codes: list[str]) -> None:
    """Drop widget values so the stored answers show again (after someone else's change)."""
    for code in codes:
        for suffix in ("", ":n"):
            st.session_state.pop(_key(tier, code, suffix), None)
        st.session_state.pop(f"ver:{tier}:{code}", None)


def _typed_value(ctx: AssessmentContext, code: str, tier: str) -> str | None:
    raw = st.session_state.get(_key(tier, code))
    if raw is None or raw == "":
        return None
    return str(raw)


def _save(code: str, tier: str) -> None:
    """Save one question as it stands in its widgets (a widget callback)."""
    ctx = _ctx()
    actor = session.actor(fresh=True)
    if actor is None:
        return
    aid = ctx.assessment.id
    inputs = _inputs(ctx, code)
    narrative = st.session_state.get(_key(tier, code, ":n"))
    counts = None
    value = None
    if inputs:
        raw = {n: st.session_state.get(_key(tier, f"{code}#{n}")) for n in inputs}
        filled = [v for v in raw.values() if v is not None]
        if 0 < len(filled) < len(inputs):  # half-typed counts: keep them, save the text only
            for n, v in raw.items():
                st.session_state[f"draft:{tier}:{code}#{n}"] = v
            st.session_state[f"msg:{code}"] = ("info", t("ui.counts_incomplete"))
        else:
            counts = {n: "" if v is None else str(int(v)) for n, v in raw.items()}
    else:
        value = _typed_value(ctx, code, tier)
    codes = [code] + ([f"{code}#{n}" for n in inputs] if counts is not None else [])
    versions = {c: _version(ctx, tier, c) for c in codes}
    try:
        saved = assessments.save_question(
            session.workspace(), actor, aid, code, value, narrative, counts, tier, versions
        )
    except WbkError as exc:
        st.session_state[f"msg:{code}"] = ("error", exc.message(), narrative)
        _forget_widgets(tier, [code, *(f"{code}#{n}" for n in inputs)])
        _reload_after_save(ctx, tier)
        return
    except Exception:
        st.session_state[f"msg:{code}"] = ("error", session.unexpected("save"), narrative)
        return
    for c, view in saved.items():
        st.session_state[f"ver:{tier}:{c}"] = view.version
    if counts is not None:
        for n in inputs:
            st.session_state.pop(f"draft:{tier}:{code}#{n}", None)
    fresh = _reload_after_save(ctx, tier)
    if counts is not None or not inputs:
        st.session_state[f"msg:{code}"] = (
            "success",
            t("ui.saved_total", code=code, total=fmt_number(fresh.card(tier).total)),
        )


def _answer_widgets(ctx: AssessmentContext, code: str, tier: str) -> None:
    item = ctx.catalog.items[code]
    scale = item.scale
    stored = ctx.answers.get(tier, {})
    current = stored.get(code)
    inputs = _inputs(ctx, code)
    for c in [code, *(f"{code}#{n}" for n in inputs)]:
        row = stored.get(c)
        st.session_state.setdefault(f"ver:{tier}:{c}", row.version if row else 0)
    on_change, args = _save, (code, tier)
    if scale.kind == "option":
        keys = [o.key for o in scale.options]
        index = keys.index(current.value) if current and current.value in keys else None
        st.radio(
            t("ui.answer"),
            keys,
            index=index,
            horizontal=True,
            key=_key(tier, code),
            format_func=lambda k: f"{k} ({session.num(scale.values[k.upper()])})",
            on_change=on_change,
            args=args,
        )
    elif scale.kind == "ratio" and inputs:
        cols = st.columns(len(inputs))
        for col, inp in zip(cols, item.formula.inputs, strict=True):
            row = stored.get(f"{code}#{inp.name}")
            draft = st.session_state.get(f"draft:{tier}:{code}#{inp.name}")
            shown = draft if draft is not None else int(row.value) if row and row.value else None
            col.number_input(
                inp.label,
                min_value=0,
                step=1,
                value=shown,
                key=_key(tier, f"{code}#{inp.name}"),
                on_change=on_change,
                args=args,
            )
    else:
        shown = current.value if current and current.value else ""
        if scale.kind == "index" and shown:
            shown = fmt_number(float(shown), 2)
        st.text_input(
            t("ui.ratio") if scale.kind == "ratio" else t("ui.survey_index"),
            value=shown,
            key=_key(tier, code),
            placeholder="80%" if scale.kind == "ratio" else "3,62",
            on_change=on_change,
            args=args,
        )
    st.text_area(
        t("ui.narrative"),
        value=(current.narrative or "") if current else "",
        key=_key(tier, code, ":n"),
        height=80,
        on_change=on_change,
        args=args,
    )


@st.fragment
def _question(code: str, tier: str) -> None:
    if st.session_state.pop(RERUN_APP, False):  # the header's figures moved: redraw them too
        st.rerun(scope="app")
    ctx = _ctx()
    catalog, card = ctx.catalog, ctx.card(tier)
    q: Question | ResultItem | None = catalog.questions.get(code) or catalog.result_item(code)
    assert q is not None, code  # the page lists the catalog's own codes
    item, points = catalog.items[code], card.questions[code]
    with st.container(border=True, key="q-" + code.replace(".", "-")):
        head, pts = st.columns([5, 1])
        head.markdown(f"**{code}** · {q.text}")
        review_ui.chip(code)
        if current_language() == "en" and q.text_en:
            head.caption(q.text_en)
        pts.markdown(f"**{session.num(points.points)}** / {session.num(points.max_points)}")
        carry.question_marker(ctx, code, tier, _reload)
        answer_set = ctx.answer_set(tier)
        if item.scale.kind == "ratio" and code in answer_set.ratios:
            st.caption(
                t(
                    "ui.ratio_shown",
                    ratio=session.pct(answer_set.ratios[code]),
                    value=session.pct(points.value or 0),
                )
            )
        if q.criteria:  # the meaning of each option next to it, not hidden
            lines = []
            for key, text in q.criteria.items():
                value = item.scale.values.get(key.upper())
                shown = f" ({session.num(value)})" if value is not None else ""
                lines.append(f"**{key}**{shown}: {text}")
            st.caption("  \n".join(lines))
        origin = ctx.survey_origins.get(code)
        if origin is not None:  # where a survey value came from: period, source, hash
            st.caption(f":material/fact_check: {session.esc(origin.describe(current_language()))}")
        formula = getattr(q, "formula", None)
        if formula is not None and formula.note:
            st.caption(formula.note)
        if tier == "tpi":
            own = ctx.answers.get("self", {}).get(code)
            st.caption(t("ui.unit_answer", value=readonly.stored_text(ctx, "self", code)))
            if own and own.narrative:
                st.caption(t("ui.unit_narrative", text=session.esc(own.narrative)))
        message = st.session_state.pop(f"msg:{code}", None)
        if message:
            kind, text = message[0], message[1]
            {"error": st.error, "success": st.success, "info": st.info}[kind](session.esc(text))
            if len(message) > 2 and message[2]:
                st.caption(t("ui.unsaved_text", text=session.esc(message[2])))
        if ctx.abilities.can_edit(code):
            _answer_widgets(ctx, code, tier)
        else:
            st.markdown(f"{t('ui.answer')}: **{readonly.stored_text(ctx, tier, code)}**")
            current = ctx.answers.get(tier, {}).get(code)
            if current and current.narrative:
                st.caption(session.esc(current.narrative))
        question_evidence.documents(ctx, code)
        question_evidence.add(ctx, code, _reload)
        review_ui.details(ctx.assessment.id, code)
        render_history(session.workspace(), session.require_actor(), ctx.assessment.id, code)
        for n in ctx.notes_for(code):
            text = f"**{t('ui.tpi_note')}** ({t('severity.' + n.severity)}, "
            text += f"{t('note_status.' + n.status)}): {session.esc(n.text)}"
            (st.warning if n.status != "closed" else st.info)(text)


@session.guarded
def main() -> None:
    ctx_parts = session.context()
    if ctx_parts is None:
        return
    _, aid, _ = ctx_parts
    ctx = _reload(aid)
    review_ui.load(aid)
    ab = ctx.abilities
    tier = ab.tier or "self"
    catalog, card, view = ctx.catalog, ctx.card(tier), ctx.assessment

    st.title(t("ui.assessment_title"))
    st.caption(
        t(
            "ui.assessment_caption",
            unit=session.esc(view.unit_name),
            year=view.year,
            tier=t(f"ui.tier_{tier}"),
            status=t(f"status.{view.status}"),
        )
    )
    session.flash()
    review_ui.progress(aid)
    with st.container(border=True, key="lke-status"):  # the steps, and the viewer's moves
        status_steps(view.status, ab)
        if ab.transitions:
            status_controls(
                session.workspace(), session.require_actor(), aid, view.status, ab.transitions
            )
    if ab.locked:
        st.warning(t("ui.locked"))
    elif ab.tier is None:
        st.info(t("ui.read_only"))
    if tier == "tpi":
        st.caption(t("ui.tpi_fallback"))
    autosave = st.empty()  # filled once the area is known: it may be read-only for this user
    carry.lke_banner(ctx, tier)

    lke_nav.take_deep_link(ctx)
    parts = {p.code: p for p in catalog.pengungkit.parts}
    results = catalog.results_area
    choices = [*parts, results]
    labels = {p.code: t(f"cli.{p.key}") for p in parts.values()} | {results: t("cli.hasil")}
    c1, c2, c3 = st.columns([1, 2, 1])
    part = c1.selectbox(t("ui.component"), choices, format_func=labels.get, key="lke_part")
    c3.metric(t("ui.total"), session.num(card.total))
    if part == results:
        readonly.write_note(autosave, ctx, results)
        focus = lke_nav.focused()
        if focus and lke_nav.part_area(ctx, focus) == (results, None):
            lke_nav.scroll_to(focus)
        st.session_state.pop(lke_nav.FOCUS, None)
        for group in catalog.hasil.groups:
            sub = card.results[group.key]
            st.subheader(f"{group.code}. {group.name}")
            st.caption(f"{session.num(sub.score)} / {session.num(sub.weight)}")
            for item in group.items:
                _question(item.code, tier)
        return
    areas = [a.code for a in parts[part].areas]
    area = c2.selectbox(
        t("cli.area"),
        areas,
        key=f"lke_area_{part}",
        format_func=lambda a: (
            f"{a} · {session.area_name(catalog, a)} · "
            + "{}/{}".format(*lke_nav.progress(ctx, lke_nav.area_codes(ctx, part, a))[::2])
        ),
    )
    readonly.write_note(autosave, ctx, area)
    area_score = card.areas[catalog.area_key(part, area)]
    c3.metric(
        catalog.area_key(part, area),
        f"{session.num(area_score.score)} / {session.num(area_score.weight)}",
        help=session.pct(area_score.ratio),
    )
    area_obj = next(a for a in parts[part].areas if a.code == area)
    st.progress(*_progress(ctx, lke_nav.area_codes(ctx, part, area)))
    carry.area_confirm(ctx, catalog.area_prefix(part, area), tier, _reload)
    chosen = lke_nav.filter_pills()
    verdicts = review_ui.verdict_filter()
    focus = lke_nav.focused()
    if focus and lke_nav.part_area(ctx, focus) == (part, area):
        st.caption(t("lkenav.linked", code=focus))
        lke_nav.scroll_to(focus)
    st.session_state.pop(lke_nav.FOCUS, None)
    shown = 0
    for sub in area_obj.subareas:
        codes = [
            q.code
            for q in sub.questions
            if lke_nav.keep(ctx, q.code, chosen) and review_ui.keep(q.code, verdicts)
        ]
        if not codes:
            continue
        total = card.subareas[catalog.area_prefix(part, area) + sub.id]
        st.subheader(f"{sub.id}. {sub.name}")
        st.caption(
            f"{session.num(total.score)} / {session.num(total.weight)} ({session.pct(total.ratio)})"
        )
        for code in codes:
            _question(code, tier)
        shown += len(codes)
    if not shown:
        st.info(t("lkenav.none_match"))


def _progress(ctx: AssessmentContext, codes: list[str]) -> tuple[float, str]:
    answered, _, total = lke_nav.progress(ctx, codes)
    return (answered / total if total else 0.0), lke_nav.progress_label(ctx, codes)


main()
