"""Penilaian pendahuluan over a portfolio: candidates ranked by the TPI total (the unit's own
total where the TPI has not scored, said so), the gates each still fails, the proposal chosen
with a reason (recorded through ``proposals.set_proposal``, audited); the planner's effort to
WBK for a few rows on request; the table as xlsx."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook

from wbk.catalog.contract import PORTALRB_PREDICATES
from wbk.errors import InvalidInput, WbkError
from wbk.formats.safe_text import xlsx_text
from wbk.i18n import gate_label, t
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import proposals
from wbk.services.portalrb.proposals import ProposalView
from wbk.services.portfolio.model import Portfolio, UnitRow
from wbk.services.portfolio.portfolio import EFFORT_LIMIT


@dataclass(frozen=True, slots=True)
class Candidate:
    rank: int
    row: UnitRow
    score: float  # the TPI total, or the unit's own total while the TPI has not scored
    self_only: bool  # the TPI has not scored anything: ``score`` is the unit's own total
    failing: tuple[str, ...]  # WBK gates still failed on that score

    @property
    def ready(self) -> bool:
        return not self.failing


def candidates(portfolio: Portfolio) -> list[Candidate]:
    """Every unit with an assessment, best first by the TPI total (own total as fallback)."""
    pool = []
    for r in portfolio.rows:
        if r.total is None:
            continue
        if r.tpi_total is not None:
            pool.append((r.tpi_total, False, r.tpi_failing_gates, r))
        else:
            pool.append((r.total, True, r.failing_gates, r))
    pool.sort(key=lambda c: (-c[0], c[1], c[3].unit))
    return [
        Candidate(i, r, score, self_only, failing)
        for i, (score, self_only, failing, r) in enumerate(pool, start=1)
    ]


def propose(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    year: int,
    reason: str,
    predicate: str = PORTALRB_PREDICATES[0],
    afirmasi: bool = False,
) -> ProposalView:
    """Record the Kanwil's choice: ``unit_code`` proposed for ``predicate`` in ``year``, with
    the reason of the penilaian pendahuluan (required; audited with the proposal)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("portfolio.reason_required")
    return proposals.set_proposal(ws, actor, unit_code, year, predicate, afirmasi, reason)


def efforts(
    ws: Workspace, actor: Actor, rows: Sequence[UnitRow], target: str | None = None
) -> dict[str, float | None]:
    """The planner's least effort to ``target`` (by default each catalog's lower predicate) per
    unit (None: no plan reaches it), for at
    most ``EFFORT_LIMIT`` rows: the planner solves one assessment at a time."""
    from wbk.services.plan import planning  # the solver (scipy) loads only when asked

    chosen = [r for r in rows if r.assessment_id is not None]
    if len(chosen) > EFFORT_LIMIT:
        raise InvalidInput("portfolio.effort_limit", count=len(chosen), limit=EFFORT_LIMIT)
    out: dict[str, float | None] = {}
    for r in chosen:
        try:
            plan = planning.plan_for_assessment(ws, actor, r.assessment_id, target=target)
        except WbkError:
            out[r.unit] = None
            continue
        out[r.unit] = float(plan.effort) if plan.feasible else None
    return out


# --- xlsx -------------------------------------------------------------------------------------

COLUMNS = (
    "unit",
    "name",
    "parent",
    "group",
    "year",
    "status",
    "total",
    "pengungkit",
    "tpi_total",
    "overclaim",
    "wbk_passed",
    "wbbm_passed",
    "failing_gates",
    "evidence_coverage",
    "hijau_share",
    "open_notes",
    "requirements",
    "proposal",
    "days_left",
)
TEXT_COLUMNS = frozenset(
    {"unit", "name", "parent", "group", "status", "failing_gates", "requirements", "proposal"}
)


def gates_text(gates: Iterable[str], lang: str | None = None) -> str:
    return ", ".join(gate_label(g, lang=lang) for g in gates)


def cell_values(row: UnitRow, lang: str | None = None) -> dict[str, object]:
    return {
        "unit": row.unit,
        "name": row.name,
        "parent": row.parent,
        "group": row.group_name,
        "year": row.year,
        "status": row.status,
        "total": row.total,
        "pengungkit": row.pengungkit,
        "tpi_total": row.tpi_total,
        "overclaim": row.overclaim,
        "wbk_passed": row.wbk_passed if row.assessed else None,
        "wbbm_passed": row.wbbm_passed if row.assessed else None,
        "failing_gates": gates_text(row.failing_gates, lang) if row.assessed else None,
        "evidence_coverage": row.evidence_coverage,
        "hijau_share": row.hijau_share,
        "open_notes": row.open_notes if row.assessed else None,
        "requirements": row.requirements.label(lang) if row.requirements else None,
        "proposal": row.proposal,
        "days_left": row.days_left,
    }


def to_xlsx(portfolio: Portfolio, rows: Sequence[UnitRow] | None = None) -> bytes:
    """The table as an xlsx workbook (user text as text, never a formula)."""
    rows = portfolio.rows if rows is None else rows
    wb = Workbook()
    sheet = wb.active
    sheet.title = t("portfolio.xlsx.sheet")[:31]
    for c, name in enumerate(COLUMNS, start=1):
        xlsx_text(sheet.cell(row=1, column=c), t(f"portfolio.col.{name}"))
    for r, row in enumerate(rows, start=2):
        values = cell_values(row)
        for c, name in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=r, column=c)
            value = values[name]
            if name in TEXT_COLUMNS:
                xlsx_text(cell, value)
            else:
                cell.value = value
                if name == "hijau_share":
                    cell.number_format = "0%"
    sheet.freeze_panes = "C2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
