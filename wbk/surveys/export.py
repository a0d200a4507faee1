"""JSON-ready view of IKM results (numbers at full precision as floats)."""

from __future__ import annotations

from wbk.surveys.ikm import IkmResult, category_label


def ikm_to_dict(result: IkmResult, lang: str = "id") -> dict:
    return {
        "respondents": result.respondents,
        "weights": result.weights,
        "elements": {
            e.element: {"nrr": float(e.nrr), "weighted": float(e.weighted)} for e in result.elements
        },
        "index": float(result.index),
        "ikm": float(result.ikm),
        "ikm_display": str(result.ikm_display),
        "category": result.category,
        "category_label": category_label(result.category, lang),
    }
