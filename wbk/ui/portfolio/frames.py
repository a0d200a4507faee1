"""The Portofolio page's data: tables (pandas) and charts (inline SVG) built from a Portfolio, with
no Streamlit here, so the page's whole data build can be timed (bench/bench_portfolio.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wbk.i18n import gate_label, t
from wbk.services.portfolio.model import Portfolio, Summary, UnitRow
from wbk.services.portfolio.rank import Candidate
from wbk.ui.portfolio import svg
from wbk.ui.portfolio.svg import HEATMAP_ROWS, Lines

__all__ = ["HEATMAP_ROWS"]

VERDICTS = ("wbbm", "wbk", "none", "unassessed")


def verdict(row: UnitRow) -> str:
    if not row.assessed:
        return "unassessed"
    return "wbbm" if row.wbbm_passed else "wbk" if row.wbk_passed else "none"


def requirement_text(row: UnitRow) -> str:
    """PermenPANRB 5/2024's requirements of the unit in a few words."""
    return row.requirements.label() if row.requirements is not None else ""


def gates(items: Sequence[str]) -> str:
    return ", ".join(gate_label(g) for g in items)


def unit_frame(rows: Sequence[UnitRow], effort: dict[str, float | None] | None = None):
    """One line per unit, the columns the table shows (sortable by any column)."""
    col = {k: t(f"portfolio.col.{k}") for k in _COLUMNS}

    def numbers(values) -> pd.Series:
        return pd.Series(values, dtype="float64")  # missing figures as NaN, not objects

    data = {
        col["unit"]: [r.unit for r in rows],
        col["name"]: [r.name for r in rows],
        col["group"]: [r.group_name for r in rows],
        col["status"]: [r.status or "" for r in rows],
        col["total"]: numbers([r.total for r in rows]),
        col["tpi_total"]: numbers([r.tpi_total for r in rows]),
        col["overclaim"]: numbers([r.overclaim for r in rows]),
        col["pengungkit"]: numbers([r.pengungkit for r in rows]),
        col["verdict"]: [t(f"portfolio.verdict.{verdict(r)}") for r in rows],
        col["failing_gates"]: [gates(r.failing_gates) for r in rows],
        col["evidence_coverage"]: [
            None if r.evidence_coverage is None else 100 * r.evidence_coverage for r in rows
        ],
        col["hijau_share"]: numbers(
            [None if r.hijau_share is None else 100 * r.hijau_share for r in rows]
        ),
        col["open_notes"]: [r.open_notes if r.assessed else None for r in rows],
        col["requirements"]: [requirement_text(r) for r in rows],
        col["proposal"]: [r.proposal or "" for r in rows],
        col["days_left"]: [r.days_left for r in rows],
    }
    if effort is not None:
        data[col["effort"]] = [effort.get(r.unit) for r in rows]
    return pd.DataFrame(data)


_COLUMNS = (
    "unit",
    "name",
    "group",
    "status",
    "total",
    "tpi_total",
    "overclaim",
    "pengungkit",
    "verdict",
    "failing_gates",
    "evidence_coverage",
    "hijau_share",
    "open_notes",
    "requirements",
    "proposal",
    "days_left",
    "effort",
)


def summary_frame(p: Portfolio) -> pd.DataFrame:
    """One line per Kanwil / province group, then the whole portfolio."""
    groups = [(name, s) for _, name, s in p.groups()]
    groups.append((t("portfolio.summary.all"), p.summary))

    def line(name: str, s: Summary) -> dict:
        return {
            t("portfolio.col.group"): name,
            t("portfolio.summary.units"): s.units,
            t("portfolio.summary.assessed"): s.assessed,
            t("portfolio.summary.wbk_ready"): s.wbk_ready,
            t("portfolio.summary.mean_total"): s.mean_total,
        }

    return pd.DataFrame([line(n, s) for n, s in groups])


def candidate_frame(items: Sequence[Candidate]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("portfolio.col.rank"): [c.rank for c in items],
            t("portfolio.col.unit"): [c.row.unit for c in items],
            t("portfolio.col.name"): [c.row.name for c in items],
            t("portfolio.col.score"): [round(c.score, 2) for c in items],
            t("portfolio.col.basis"): [
                t("portfolio.basis.self" if c.self_only else "portfolio.basis.tpi") for c in items
            ],
            t("portfolio.col.failing_gates"): [
                gates(c.failing) or t("portfolio.pre.ready") for c in items
            ],
            t("portfolio.col.requirements"): [requirement_text(c.row) for c in items],
            t("portfolio.col.proposal"): [c.row.proposal or "" for c in items],
        }
    )


def filter_rows(
    rows: Sequence[UnitRow], statuses: Sequence[str], verdicts: Sequence[str], text: str
) -> list[UnitRow]:
    """Rows with one of ``statuses`` (``""``: no assessment) and ``verdicts`` (all when
    empty) whose code or name contains ``text``."""
    needle = (text or "").strip().casefold()
    out = []
    for r in rows:
        if statuses and (r.status or "") not in statuses:
            continue
        if verdicts and verdict(r) not in verdicts:
            continue
        if needle and needle not in r.unit.casefold() and needle not in r.name.casefold():
            continue
        out.append(r)
    return out


def lines_of(p: Portfolio) -> Lines:
    ordered = list(p.lines.items())  # the catalog's order: lower predicate first
    (low, wbk), (high, wbbm) = ordered[0], ordered[-1]
    return Lines(
        float(wbk.total) if wbk.total is not None else 75.0,
        float(wbbm.total) if wbbm.total is not None else 85.0,
        (low, high),
    )


def page_data(p: Portfolio, rows: Sequence[UnitRow] | None = None) -> dict[str, object]:
    """Everything the page draws from one portfolio (timed by the benchmark)."""
    from wbk.services.portfolio.rank import candidates

    rows = p.rows if rows is None else rows
    lines = lines_of(p)
    return {
        "summary": summary_frame(p),
        "table": unit_frame(rows),
        "distribution": svg.distribution(rows, lines),
        "heatmap": svg.heatmap(rows, p.areas),
        "scatter": svg.scatter(rows),
        "candidates": candidate_frame(candidates(p)),
    }
