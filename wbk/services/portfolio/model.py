"""The portfolio's rows and summaries (what ``wbk portfolio --json`` prints)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from wbk.scoring.thresholds import PredicateLines
from wbk.services.portalrb.requirements import RequirementSummary


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One unit of the portfolio (``assessment_id`` None: no assessment that year)."""

    unit: str
    name: str
    parent: str | None
    group: str  # the Kanwil / province group code
    group_name: str
    year: int
    assessment_id: int | None = None
    status: str | None = None
    total: float | None = None
    pengungkit: float | None = None
    hasil: float | None = None
    tpi_total: float | None = None
    tpi_pengungkit: float | None = None
    overclaim: float | None = None
    wbk_passed: bool = False
    wbbm_passed: bool = False
    failing_gates: tuple[str, ...] = ()  # WBK gates the self score fails (area gates by area)
    tpi_failing_gates: tuple[str, ...] = ()  # WBK gates the TPI score fails (None: no TPI)
    tpi_wbk_passed: bool | None = None
    evidence_coverage: float | None = None
    hijau_share: float | None = None  # pre-review: share of hijau questions (None: not reviewed)
    answered: int = 0
    open_notes: int = 0
    proposal: str | None = None  # WBK | WBK-AFIRMASI | WBBM
    proposal_reason: str | None = None
    days_left: int | None = None
    requirements: RequirementSummary | None = None  # PermenPANRB 5/2024's, beside the LKE
    areas: dict[str, float] = field(default_factory=dict)  # area -> % of its weight (self)

    @property
    def assessed(self) -> bool:
        return self.assessment_id is not None

    def to_dict(self) -> dict[str, Any]:
        """The row as ``wbk portfolio --json`` prints it."""
        return {
            "unit": self.unit,
            "name": self.name,
            "parent": self.parent,
            "year": self.year,
            "status": self.status,
            "total": self.total,
            "pengungkit": self.pengungkit,
            "tpi_total": self.tpi_total,
            "overclaim": self.overclaim,
            "wbk_passed": self.wbk_passed,
            "wbbm_passed": self.wbbm_passed,
            "failing_gates": list(self.failing_gates),
            "evidence_coverage": self.evidence_coverage,
            "hijau_share": self.hijau_share,
            "open_notes": self.open_notes,
            "proposal": self.proposal,
            "days_left": self.days_left,
            "requirements": None
            if self.requirements is None
            else {
                "met": self.requirements.met,
                "total": self.requirements.total,
                "exempt": self.requirements.exempt,
            },
        }


@dataclass(frozen=True, slots=True)
class Summary:
    units: int
    assessed: int
    wbk_ready: int
    mean_total: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "assessed": self.assessed,
            "wbk_ready": self.wbk_ready,
            "mean_total": self.mean_total,
        }


@dataclass(frozen=True)
class Portfolio:
    parent: str
    parent_name: str
    year: int
    rows: list[UnitRow]  # total descending, units without an assessment last
    areas: tuple[str, ...]  # area codes of the heat map
    lines: dict[str, PredicateLines]  # each predicate's minima (75 / 85...), lowest first

    @property
    def summary(self) -> Summary:
        return summarize(self.rows)

    def groups(self) -> list[tuple[str, str, Summary]]:
        """(group code, name, summary) per Kanwil / province group, in the rows' order."""
        by: dict[str, list[UnitRow]] = {}
        names: dict[str, str] = {}
        for r in self.rows:
            by.setdefault(r.group, []).append(r)
            names[r.group] = r.group_name
        return [(g, names[g], summarize(rows)) for g, rows in sorted(by.items())]

    def to_dict(self) -> dict[str, Any]:
        return {
            "parent": self.parent,
            "year": self.year,
            "units": [r.to_dict() for r in self.rows],
            "summary": self.summary.to_dict(),
        }

    def to_json(self) -> str:
        """``to_dict`` as JSON text, a unit per line: readable, and written by json's C encoder
        (an indented dump goes through the pure-Python one, four times slower at 5,000 units)."""
        data = self.to_dict()
        units = ",\n    ".join(json.dumps(u, ensure_ascii=False) for u in data["units"])
        head = {k: v for k, v in data.items() if k not in ("units", "summary")}
        lines = [
            f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()
        ]
        lines.append(f'    "units": [\n    {units}\n    ],' if units else '    "units": [],')
        lines.append(f'    "summary": {json.dumps(data["summary"])}')
        return "{\n" + "\n".join(lines) + "\n}"


def summarize(rows: list[UnitRow]) -> Summary:
    totals = [r.total for r in rows if r.total is not None]
    return Summary(
        units=len(rows),
        assessed=sum(1 for r in rows if r.assessed),
        wbk_ready=sum(1 for r in rows if r.wbk_passed),
        mean_total=round(sum(totals) / len(totals), 2) if totals else None,
    )
