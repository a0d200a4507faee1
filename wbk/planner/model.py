"""What a plan says: the steps to take, the standing before and after, and what blocks it."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

BlockKind = Literal["survey", "result", "best"]


@dataclass(frozen=True, slots=True)
class Step:
    """Raise one question: from its current answer (None when unanswered) to a better one.

    ``from_answer``/``to_answer`` are written as in the answers CSV (an option key ``B``, a
    ratio ``0.9``); ``gain`` is the exact points the step adds to the total; ``effort`` its
    cost under the effort model, ``levels`` the option steps or whole ten percents it climbs.
    """

    code: str
    from_answer: str | None
    to_answer: str
    gain: Fraction
    effort: Fraction
    levels: int


@dataclass(frozen=True, slots=True)
class Standing:
    """Total, pengungkit and whether every applicable gate of the target passes."""

    total: Fraction
    pengungkit: Fraction
    passed: bool


@dataclass(frozen=True, slots=True)
class Blocker:
    """A gate that fails even with every worksheet answer at its best.

    ``best`` is the gate's value then (for a gate fed by result items only, its value now);
    ``kind``: ``survey`` (only survey indices feed it: IPAK, IPKP), ``result`` (other result
    items, e.g. capaian kinerja), ``best`` (answers feed it but cannot lift it far enough).
    """

    gate: str
    best: Fraction
    minimum: Fraction
    kind: BlockKind

    @property
    def shortfall(self) -> Fraction:
        return self.minimum - self.best

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import gate_label, t

        return t(
            f"plan.blocked.{self.kind}",
            lang=lang,
            gate=gate_label(self.gate, lang=lang),
            value=self.best,
            minimum=self.minimum,
            shortfall=self.shortfall,
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """The cheapest plan that passes every applicable gate of ``target`` or, with ``budget``,
    the highest total reachable within that effort.

    ``feasible``: the planned answers pass every applicable gate. ``blocking`` names the gates
    no answer change can fix (then no plan to pass exists and ``steps`` is empty in the
    gates mode). ``answers`` holds the planned answers to write (code -> answer).
    """

    target: str
    feasible: bool
    effort: Fraction
    steps: list[Step]
    before: Standing
    after: Standing
    blocking: list[str]
    blockers: list[Blocker]
    gates_passed: list[str]
    gates_failing: list[str]
    budget: Fraction | None = None
    answers: dict[str, str] = field(default_factory=dict)
    catalog_id: str = ""

    @property
    def gain(self) -> Fraction:
        return self.after.total - self.before.total

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``wbk plan --json``; numbers as floats at full precision."""

        def standing(s: Standing) -> dict[str, Any]:
            return {"total": float(s.total), "pengungkit": float(s.pengungkit), "passed": s.passed}

        out: dict[str, Any] = {
            "target": self.target,
            "feasible": self.feasible,
            "effort": float(self.effort),
            "steps": [
                {
                    "code": s.code,
                    "from": s.from_answer,
                    "to": s.to_answer,
                    "gain": float(s.gain),
                    "effort": float(s.effort),
                }
                for s in self.steps
            ],
            "before": standing(self.before),
            "after": standing(self.after),
            "blocking": list(self.blocking),
        }
        if self.budget is not None:
            out["budget"] = float(self.budget)
            out["gates_passed"] = list(self.gates_passed)
            out["gates_failing"] = list(self.gates_failing)
        return out
