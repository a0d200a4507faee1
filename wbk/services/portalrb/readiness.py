"""What PortalRB will find in an assessment (every soal answered, percentages as counts,
evidence on every answered question, the assessment locked): the LKE half of a proposal's
checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wbk.i18n import t
from wbk.portalrb import to_portalrb_answers
from wbk.services.assessment.context import AssessmentContext

CHECKS = ("answered", "counts", "evidence", "locked")
SHOWN = 12  # items named in one readiness line; the rest are counted


@dataclass(frozen=True, slots=True)
class ReadinessCheck:
    """One check PortalRB cares about; ``items`` name what fails it (soal ids, question codes
    or the assessment status)."""

    key: str  # answered | counts | evidence | locked
    ok: bool
    items: tuple[str, ...] = ()

    def message(self, lang: str | None = None) -> str:
        if self.ok:
            return t(f"portalrb_api.ready.{self.key}_ok", lang=lang)
        shown = ", ".join(self.items[:SHOWN])
        if len(self.items) > SHOWN:
            shown += " " + t("portalrb_api.ready.more", lang=lang, count=len(self.items) - SHOWN)
        return t(f"portalrb_api.ready.{self.key}", lang=lang, count=len(self.items), items=shown)

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.key, "ok": self.ok, "items": list(self.items)}


@dataclass(frozen=True, slots=True)
class Readiness:
    """The checks of one assessment, in the order PortalRB's reviewer would meet them."""

    checks: tuple[ReadinessCheck, ...]

    @property
    def ready(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"ready": self.ready, "checks": [c.to_dict() for c in self.checks]}


def readiness(ctx: AssessmentContext) -> Readiness:
    """What PortalRB will find in this assessment: soals it would receive empty, percentage
    questions stored as a ratio (PortalRB takes only their counts), answered questions without
    evidence, and whether the assessment is locked."""
    catalog = ctx.catalog
    self_rows = {c: (a.value, a.narrative) for c, a in ctx.answers.get("self", {}).items()}
    export = to_portalrb_answers(catalog, self_rows, {}, {}, {})
    ratio_only = {r.code for r in export.ratio_only if r.tier == "self"}
    by_id = {s.soal_id: s for s in catalog.soals}
    empty = tuple(
        str(e.soal_id)
        for e in export.entries
        if e.jawaban_unit is None and by_id[e.soal_id].question not in ratio_only
    )
    order = list(catalog.items)
    bare = tuple(c for c in order if c in ctx.answered_questions and c not in ctx.covered)
    status = ctx.assessment.status
    return Readiness(
        (
            ReadinessCheck("answered", not empty, empty),
            ReadinessCheck("counts", not ratio_only, tuple(c for c in order if c in ratio_only)),
            ReadinessCheck("evidence", not bare, bare),
            ReadinessCheck("locked", status == "locked", () if status == "locked" else (status,)),
        )
    )
