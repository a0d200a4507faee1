"""What a question or an area shows when the user reads rather than writes: a stored answer in
the catalog's words, and why an area is read-only for this user."""

from __future__ import annotations

from wbk.i18n import t
from wbk.services.assessment.context import AssessmentContext
from wbk.ui import session


def stored_text(ctx: AssessmentContext, tier: str, code: str) -> str:
    rows = ctx.answers.get(tier, {})
    current = rows.get(code)
    if current and current.value:
        return current.value
    formula = ctx.catalog.items[code].formula
    counts = [  # in the catalog's order, with its words ("Jumlah yang harus melapor: 24")
        f"{inp.label}: {rows[f'{code}#{inp.name}'].value}"
        for inp in (formula.inputs if formula else [])
        if rows.get(f"{code}#{inp.name}") and rows[f"{code}#{inp.name}"].value
    ]
    return "; ".join(counts) if counts else "–"


def write_note(slot, ctx: AssessmentContext, area: str) -> None:
    """ "Every change saves itself" where the user may write; where they may not, why."""
    ab = ctx.abilities
    if ab.tier is None or ab.locked:
        return  # said above: read-only or locked
    if area in ab.areas:
        if ab.tier == "self":
            slot.caption(t("ui.autosave"))
        return
    mine = sorted(a for a in ab.areas if a)
    names = ", ".join(
        a if a == ctx.catalog.results_area else f"{a} ({session.area_name(ctx.catalog, a)})"
        for a in mine
    )
    slot.info(
        t("flows.area_read_only", area=area, areas=names or "–"), icon=":material/visibility:"
    )
