"""Penilaian (LKE): area -> sub-area -> question; answer, explain, see evidence and TPI notes."""

from __future__ import annotations

import streamlit as st

from wbk.catalog.model import Catalog, Question, ResultItem
from wbk.i18n import current_language, t
from wbk.services import assessments, evidence, notes
from wbk.services.dashboard import Abilities, abilities, tpi_effective_card
from wbk.ui import session


def _ver_key(tier: str, code: str) -> str:
    return f"ver:{tier}:{code}"


def _forget(tier: str, codes: list[str]) -> None:
    """Drop remembered versions and widget values so the stored answer shows again."""
    for code in codes:
        for key in list(st.session_state.keys()):
            if isinstance(key, str) and (
                key.endswith(f":{code}") or f":{code}#" in key or key.endswith(f":{code}:n")
            ):
                del st.session_state[key]


def _save(aid: int, tier: str, code: str, kind: str, inputs: list[str]) -> None:
    ws, actor = session.workspace(), session.require_actor()
    narrative = st.session_state.get(f"w:{tier}:{code}:n")
    counts = None
    value = None
    if kind == "ratio" and inputs:
        counts = {}
        for name in inputs:
            raw = st.session_state.get(f"w:{tier}:{code}#{name}")
            counts[name] = "" if raw is None else str(int(raw))
    else:
        raw = st.session_state.get(f"w:{tier}:{code}")
        value = None if raw is None else str(raw)
    codes = [code] + [f"{code}#{n}" for n in inputs]
    versions = {c: st.session_state.get(_ver_key(tier, c), 0) for c in codes}
    saved = session.run_action(
        lambda: assessments.save_question(
            ws, actor, aid, code, value, narrative, counts, tier, versions
        ),
        success=t("ui.saved", code=code),
    )
    if saved is None:
        _forget(tier, codes)  # show what is stored now (someone else's change)
        return
    for c, view in saved.items():
        st.session_state[_ver_key(tier, c)] = view.version


def _answer_widgets(catalog: Catalog, code: str, tier: str, stored: dict, aid: int) -> None:
    item = catalog.items[code]
    scale = item.scale
    inputs = [i.name for i in item.formula.inputs] if item.formula else []
    for c in [code] + [f"{code}#{n}" for n in inputs]:
        st.session_state.setdefault(_ver_key(tier, c), stored[c].version if c in stored else 0)
    current = stored.get(code)
    with st.form(key=f"form:{tier}:{code}", border=False):
        if scale.kind == "option":
            keys = [o.key for o in scale.options]
            values = {o.key: o.value for o in scale.options}
            index = keys.index(current.value) if current and current.value in keys else None
            st.radio(
                t("ui.answer"),
                keys,
                index=index,
                horizontal=True,
                key=f"w:{tier}:{code}",
                format_func=lambda k: f"{k} ({session.num(values[k])})",
            )
        elif scale.kind == "ratio" and inputs:
            cols = st.columns(len(inputs))
            for col, inp in zip(cols, item.formula.inputs, strict=True):
                row = stored.get(f"{code}#{inp.name}")
                col.number_input(
                    inp.label,
                    min_value=0,
                    step=1,
                    value=int(row.value) if row and row.value else None,
                    key=f"w:{tier}:{code}#{inp.name}",
                )
        elif scale.kind == "ratio":
            st.text_input(
                t("ui.ratio"),
                value=current.value if current else "",
                key=f"w:{tier}:{code}",
                placeholder="80%",
            )
        else:
            st.number_input(
                t("ui.survey_index"),
                min_value=float(scale.minimum),
                max_value=float(scale.maximum),
                step=0.01,
                format="%.2f",
                value=float(current.value) if current and current.value else None,
                key=f"w:{tier}:{code}",
            )
        st.text_area(
            t("ui.narrative"),
            value=current.narrative or "" if current else "",
            key=f"w:{tier}:{code}:n",
            height=80,
        )
        st.form_submit_button(
            t("ui.save"),
            icon=":material/save:",
            key=f"save:{tier}:{code}",
            on_click=_save,
            args=(aid, tier, code, scale.kind, inputs),
        )


def _question(
    catalog: Catalog,
    q: Question | ResultItem,
    tier: str,
    ab: Abilities,
    stored: dict,
    other: dict | None,
    card,
    answer_set,
    docs: list,
    notes_: list,
    aid: int,
) -> None:
    code = q.code
    item = catalog.items[code]
    score = card.questions[code]
    with st.container(border=True, key="q-" + code.replace(".", "-").replace("#", "-")):
        head, pts = st.columns([5, 1])
        head.markdown(f"**{code}** · {q.text}")
        if current_language() == "en" and getattr(q, "text_en", None):
            head.caption(q.text_en)
        pts.markdown(f"**{session.num(score.points)}** / {session.num(score.max_points)}")
        if item.scale.kind == "ratio" and code in answer_set.ratios:
            st.caption(
                t(
                    "ui.ratio_shown",
                    ratio=session.pct(answer_set.ratios[code]),
                    value=session.pct(score.value or 0),
                )
            )
        if getattr(q, "criteria", None):
            with st.expander(t("ui.criteria")):
                for key, text in q.criteria.items():
                    value = item.scale.values.get(key.upper())
                    shown = f" ({session.num(value)})" if value is not None else ""
                    st.markdown(f"**{key}**{shown}: {text}")
        formula = getattr(q, "formula", None)
        if formula is not None and formula.note:
            st.caption(formula.note)
        if other is not None and code in other:
            st.caption(t("ui.unit_answer", value=other[code].value or "–"))
        if ab.can_edit(code):
            _answer_widgets(catalog, code, tier, stored, aid)
        else:
            current = stored.get(code)
            counts = {
                k.split("#", 1)[1]: v.value for k, v in stored.items() if k.startswith(code + "#")
            }
            shown = (
                current.value
                if current and current.value
                else (", ".join(f"{k}={v}" for k, v in counts.items()) if counts else "–")
            )
            st.markdown(f"{t('ui.answer')}: **{shown}**")
            if current and current.narrative:
                st.caption(current.narrative)
        for d in docs:
            rev = d.latest
            warn = " ".join(f":material/warning: {t('warning.' + w)}" for w in d.warnings)
            label = f":material/attach_file: {d.title}" + (
                f" · rev {rev.revision} · {rev.sha256[:12]}" if rev else ""
            )
            st.caption(f"{label} {warn}")
        if not docs and code in answer_set.values:
            st.caption(f":material/warning: {t('warning.no_evidence')}")
        for n in notes_:
            text = f"**{t('ui.tpi_note')}** ({t('severity.' + n.severity)}, "
            text += f"{t('note_status.' + n.status)}): {n.text}"
            (st.warning if n.status != "closed" else st.info)(text)


@session.guarded
def main() -> None:
    ctx = session.context()
    if ctx is None:
        return
    actor, aid, ws = ctx
    ab = abilities(ws, actor, aid)
    tier = ab.tier or "self"
    view = assessments.get_assessment_view(ws, actor, aid)
    catalog, card, answer_set = assessments.score_assessment(ws, actor, aid, tier)
    if tier == "tpi":  # the TPI works on a copy: the unit's answer stands until it is scored
        card = tpi_effective_card(ws, actor, aid, catalog) or card
    stored = assessments.answers_of(ws, actor, aid, tier)
    other = assessments.answers_of(ws, actor, aid, "self") if tier == "tpi" else None
    docs = evidence.list_evidence(ws, actor, aid)
    notes_all = notes.list_notes(ws, actor, aid)

    st.title(t("ui.assessment_title"))
    st.caption(
        t(
            "ui.assessment_caption",
            unit=view.unit_name,
            year=view.year,
            tier=t(f"ui.tier_{tier}"),
            status=t(f"status.{view.status}"),
        )
    )
    session.flash()
    if ab.locked:
        st.warning(t("ui.locked"))
    elif ab.tier is None:
        st.info(t("ui.read_only"))
    if tier == "tpi":
        st.caption(t("ui.tpi_fallback"))

    parts = {p.code: p for p in catalog.pengungkit.parts}
    choices = ["P", "R", "H"]
    labels = {"P": t("cli.pemenuhan"), "R": t("cli.reform"), "H": t("cli.hasil")}
    c1, c2, c3 = st.columns([1, 2, 1])
    part = c1.selectbox(t("ui.component"), choices, format_func=labels.get, key="lke_part")
    c3.metric(t("ui.total"), session.num(card.total))
    if part == "H":
        for group in catalog.hasil.groups:
            sub = card.results[group.key]
            st.subheader(f"{group.code}. {group.name}")
            st.caption(f"{session.num(sub.score)} / {session.num(sub.weight)}")
            for item in group.items:
                _question(
                    catalog,
                    item,
                    tier,
                    ab,
                    stored,
                    other,
                    card,
                    answer_set,
                    [d for d in docs if item.code in d.codes],
                    [n for n in notes_all if n.code == item.code],
                    aid,
                )
        return
    areas = [a.code for a in parts[part].areas]
    area = c2.selectbox(
        t("cli.area"),
        areas,
        key=f"lke_area_{part}",
        format_func=lambda a: f"{a} · {session.area_name(catalog, a)}",
    )
    area_score = card.areas[f"{part}.{area}"]
    c3.metric(
        f"{part}.{area}",
        f"{session.num(area_score.score)} / {session.num(area_score.weight)}",
        help=session.pct(area_score.ratio),
    )
    area_obj = next(a for a in parts[part].areas if a.code == area)
    for sub in area_obj.subareas:
        key = f"{part}.{area}.{sub.id}"
        total = card.subareas[key]
        st.subheader(f"{sub.id}. {sub.name}")
        st.caption(
            f"{session.num(total.score)} / {session.num(total.weight)} ({session.pct(total.ratio)})"
        )
        for q in sub.questions:
            _question(
                catalog,
                q,
                tier,
                ab,
                stored,
                other,
                card,
                answer_set,
                [d for d in docs if q.code in d.codes],
                [n for n in notes_all if n.code == q.code],
                aid,
            )


main()
