"""The dashboard's first lines, in words: how far from the predicate and which gates fail
(named by their area; the next steps come from the plan, ``wbk.ui.plan.next_steps``); then the
gap list split into what the team can do and the results it measures."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import streamlit as st

from wbk.i18n import current_language, fmt_short, gate_label, gate_mark, t
from wbk.ui import session

LKE_PAGE = "wbk/ui/pages/assessment.py"


def gate_name(gate_id: str, catalog) -> str:
    """``area:R.TT`` -> "Penataan Tatalaksana (Reform)"; ``area:TT`` -> the area's name."""
    base, _, ref = gate_id.partition(":")
    if base != "area":
        return gate_label(gate_id)
    part, area = catalog.split_area_key(ref)
    name = session.area_name(catalog, area)
    if not part:
        return name
    return t("headline.area_part", area=name, part=t(f"headline.part_{part}"))


def show(card, catalog) -> None:
    """The verdict first (on a phone too): the lower predicate (WBK), then the higher (WBBM),
    in one sentence each."""
    low, high = catalog.lower_predicate, catalog.higher_predicate
    wbk, wbbm = card.verdicts[low], card.verdicts[high]
    if wbk.passed and wbbm.passed:
        st.success(t("headline.both"), icon=":material/verified:")
        return
    pid = low if not wbk.passed else high
    verdict = card.verdicts[pid]
    total = next((g for g in verdict.gates if g.id == "total"), None)
    parts = []
    if total is not None and not total.passed:
        short = Fraction(total.minimum) - Fraction(total.value)
        parts.append(
            t("headline.short", points=session.num(short), minimum=fmt_short(total.minimum))
        )
    failing = [g for g in verdict.failing if g.id != "total"]
    names = [gate_name(g.id, catalog) + gate_mark(g).replace("*", "\\*") for g in failing]
    if names:
        parts.append(t("headline.fails_in", gates=", ".join(names)))
    state = t("headline.state_wbk_pass") if wbk.passed else t("headline.state_wbk_fail")
    st.error(
        f"**{pid}** · {state}. " + "; ".join(parts) + ".",
        icon=":material/flag:",
    )
    if any(g.uncertain for g in failing):  # explained once, here, not on every row
        st.caption(t("headline.uncertain_once"))
    if any(g.stricter for g in failing):
        st.caption(t("headline.stricter_once"))


def _text(catalog, gap) -> str:
    """The question in the reader's language where the catalog has it."""
    item = catalog.items.get(gap.code)
    english = getattr(item, "text_en", None) if item is not None else None
    return english if current_language() == "en" and english else gap.text


def gap_tables(gaps, catalog) -> None:
    """What the team can still do, apart from the measured results; a row opens its question."""
    own = [g for g in gaps if not catalog.is_result(g.code)]
    measured = [g for g in gaps if catalog.is_result(g.code)]
    for title, rows, key in (
        (t("headline.gaps_team"), own, "gaps_team"),
        (t("headline.gaps_results"), measured, "gaps_results"),
    ):
        if not rows:
            continue
        st.markdown(f"**{title}**")
        frame = pd.DataFrame(
            [
                {
                    t("ui.code"): g.code,
                    t("ui.question_text"): _text(catalog, g),
                    t("cli.recoverable"): "+" + session.num(g.recoverable),
                    t("ui.answered"): "✓" if g.answered else "–",
                }
                for g in rows
            ]
        )
        picked = st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key=key,
        )
        chosen = picked.selection.rows if picked is not None else []
        if chosen:
            st.switch_page(LKE_PAGE, query_params={"q": rows[chosen[0]].code})
    st.caption(t("headline.gaps_hint"))
