"""Plain-data views of a ScoreCard (JSON-ready dicts); numbers as floats at full precision."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from wbk.scoring.scorecard import ScoreCard


def _n(x: Fraction) -> float:
    return float(x)


def scorecard_to_dict(card: ScoreCard, answers: dict[str, str] | None = None) -> dict[str, Any]:
    """The documented JSON shape of ``wbk score --json``."""
    c = card.components
    return {
        "catalog": card.catalog_id,
        "total": _n(c["total"].score),
        "pengungkit": _n(c["pengungkit"].score),
        "pemenuhan": _n(c["pemenuhan"].score),
        "reform": _n(c["reform"].score),
        "hasil": _n(c["hasil"].score),
        "areas": {k: _n(v.score) for k, v in card.areas.items()},
        "subareas": {k: _n(v.score) for k, v in card.subareas.items()},
        "results": {k: _n(v.score) for k, v in card.results.items()},
        "verdict": {
            pid: {
                "passed": v.passed,
                "gates": [
                    {
                        "id": g.id,
                        "value": _n(g.value),
                        "minimum": _n(g.minimum),
                        "passed": g.passed,
                        "applies": g.applies,
                        "uncertain": g.uncertain,
                        "stricter": g.stricter,
                    }
                    for g in v.gates
                ],
                "failing": [g.id for g in v.failing],
            }
            for pid, v in card.verdicts.items()
        },
        "unanswered": list(card.unanswered),
        "questions": {
            code: {
                "answer": (answers or {}).get(code),
                "value": None if q.value is None else _n(q.value),
                "points": _n(q.points),
                "max_points": _n(q.max_points),
                "recoverable": _n(q.recoverable),
            }
            for code, q in card.questions.items()
        },
    }
