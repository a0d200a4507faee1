"""The lines a screen or a document draws (75 / 85, 60 % / 75 %, result minima), read from the
catalog's predicates so that a new LKE version moves every chart and label with it."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from wbk.catalog.model import Catalog


@dataclass(frozen=True, slots=True)
class PredicateLines:
    """One predicate's minima: total, pengungkit, the per-area share, and per result item."""

    predicate: str
    total: Fraction | None
    pengungkit: Fraction | None
    area_ratio: Fraction | None
    items: dict[str, Fraction]  # result key (ipak, capaian_kinerja, ipkp) -> minimum points
    groups: dict[str, Fraction]  # result group key (bersih_akuntabel...) -> minimum points


def predicate_lines(catalog: Catalog) -> dict[str, PredicateLines]:
    """Every predicate's minima, by predicate id (``WBK``, ``WBBM``), in catalog order."""
    item_keys = {i.code: i.key for _, i in catalog.result_items}
    group_keys = {g.code: g.key for g in catalog.hasil.groups}
    out: dict[str, PredicateLines] = {}
    for pred in catalog.predicates:
        total = pengungkit = ratio = None
        items: dict[str, Fraction] = {}
        groups: dict[str, Fraction] = {}
        for gate in pred.gates:
            kind, _, ref = gate.target.partition(":")
            if gate.target == "areas":
                applies = pred.area_reading in (gate.reading, "both")
                if applies and gate.minimum_ratio is not None:
                    ratio = Fraction(gate.minimum_ratio)
            elif gate.target == "total":
                total = Fraction(gate.minimum)
            elif gate.target == "pengungkit":
                pengungkit = Fraction(gate.minimum)
            elif kind == "item":
                items[item_keys[ref]] = Fraction(gate.minimum)
            elif kind == "group":
                groups[group_keys[ref]] = Fraction(gate.minimum)
        out[pred.id] = PredicateLines(pred.id, total, pengungkit, ratio, items, groups)
    return out


def index_for_points(catalog: Catalog, item_code: str, points: Fraction) -> Fraction:
    """The survey index a result item needs to earn ``points`` (IPAK 15.75 points -> 3.60)."""
    item = catalog.items[item_code]
    scale = item.scale
    lo, hi = Fraction(scale.minimum or 0), Fraction(scale.maximum or 1)
    return lo + points / Fraction(item.points_per_unit) * (hi - lo)
