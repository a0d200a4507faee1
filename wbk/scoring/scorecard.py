"""The ScoreCard: every score of one assessment tier, exact, and the WBK/WBBM verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Subtotal:
    """A score and the weight it is out of (sub-area, area, component, result item, total)."""

    score: Fraction
    weight: Fraction

    @property
    def ratio(self) -> Fraction:
        """Score as a share of the weight: the LKE's "%" column, as a fraction of 1."""
        return self.score / self.weight if self.weight else Fraction(0)


@dataclass(frozen=True, slots=True)
class QuestionScore:
    """One question's value (None when unanswered), the points it earns and what it could add."""

    code: str
    value: Fraction | None
    points: Fraction
    max_points: Fraction

    @property
    def recoverable(self) -> Fraction:
        """Points the total gains if this question moves to its best answer."""
        return self.max_points - self.points


@dataclass(frozen=True, slots=True)
class GateResult:
    """One gate of a predicate: the value tested, its minimum, and whether it passes.

    ``applies`` is False for a reading of the per-area rule that the catalog does not use
    for the verdict; such a gate is still reported.
    """

    id: str
    value: Fraction
    minimum: Fraction
    passed: bool
    applies: bool = True
    uncertain: bool = False
    stricter: bool = False  # a reading stricter than the regulation (chosen as a target)

    @property
    def shortfall(self) -> Fraction:
        return max(self.minimum - self.value, Fraction(0))


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the unit meets a predicate (WBK, WBBM), with every gate."""

    predicate: str
    passed: bool
    gates: list[GateResult]
    prerequisites: list[str] = field(default_factory=list)

    @property
    def failing(self) -> list[GateResult]:
        return [g for g in self.gates if g.applies and not g.passed]


@dataclass(frozen=True, slots=True)
class ScoreCard:
    """Every score of one answer set under one catalog, at full (exact rational) precision.

    Keys: ``subareas`` by ``P.MP.i``; ``areas`` by ``P.MP`` .. ``R.PP`` and combined ``MP`` ..
    ``PP``; ``components`` by ``pemenuhan``, ``reform``, ``pengungkit``, ``hasil``, ``total``;
    ``results`` by ``ipak``, ``capaian_kinerja``, ``ipkp``, ``bersih_akuntabel``,
    ``pelayanan_prima``.
    """

    catalog_id: str
    questions: dict[str, QuestionScore]
    subareas: dict[str, Subtotal]
    areas: dict[str, Subtotal]
    components: dict[str, Subtotal]
    results: dict[str, Subtotal]
    verdicts: dict[str, Verdict]
    unanswered: list[str]

    @property
    def total(self) -> Fraction:
        return self.components["total"].score

    def gaps(self, limit: int | None = None) -> list[QuestionScore]:
        """Questions ranked by points still recoverable (largest first, LKE order on ties)."""
        ranked = sorted(
            (q for q in self.questions.values() if q.recoverable > 0),
            key=lambda q: -q.recoverable,
        )
        return ranked[:limit] if limit is not None else ranked
