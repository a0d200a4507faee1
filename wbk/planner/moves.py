"""The moves a unit can make (raise a question to a better answer) and the questions each gate
adds up, both exact."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from wbk.catalog.model import Catalog, ScoredItem
from wbk.scoring.answers import AnswerSet

ZERO = Fraction(0)
ONE = Fraction(1)
TENTHS = 10  # a percentage question climbs in whole ten percents, up to 100 %


@dataclass(frozen=True, slots=True)
class GateScope:
    """One gate as the engine reports it (``area:P.MP``), and every scored item it adds up."""

    id: str
    items: frozenset[str]


class Layout:
    """What a catalog fixes for planning: the changeable questions (every Pengungkit question;
    result items are survey or performance inputs) and each predicate's gates, in the order
    ``wbk.scoring.engine`` reports them."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        items = catalog.items
        self.changeable: list[str] = [c for c, i in items.items() if i.kind == "pengungkit"]
        self.order = {c: n for n, c in enumerate(items)}
        self.option_values: dict[str, list[Fraction]] = {
            name: [Fraction(o.value) for o in scale.options]
            for name, scale in catalog.scales.items()
        }
        self.scale_name: dict[str, str] = {q.code: q.scale for q in catalog.questions.values()}
        # Exact points per unit of value (ScoredItem's Decimal division rounds 1/3).
        self.per_unit: dict[str, Fraction] = {
            q.code: Fraction(sub.weight) / len(sub.questions)
            for part in catalog.pengungkit.parts
            for area in part.areas
            for sub in area.subareas
            for q in sub.questions
        }
        self.gates: dict[str, list[GateScope]] = {}
        parts = catalog.pengungkit.parts
        hasil = [i.code for _, i in catalog.result_items]
        nodes: dict[str, frozenset[str]] = {
            "total": frozenset(items),
            "pengungkit": frozenset(self.changeable),
            "hasil": frozenset(hasil),
        }
        for part in parts:
            nodes[part.key] = frozenset(c for c in self.changeable if items[c].part == part.code)
        for pred in catalog.predicates:
            scopes: list[GateScope] = []
            for gate in pred.gates:
                if gate.target == "areas":
                    if gate.reading == "separate":
                        keys = [(p.code, a.code) for p in parts for a in p.areas]
                        for part_code, area in keys:
                            scope = frozenset(
                                c
                                for c in self.changeable
                                if items[c].part == part_code and items[c].area == area
                            )
                            scopes.append(GateScope(f"{gate.id}:{part_code}.{area}", scope))
                    else:
                        for area in catalog.area_codes:
                            scope = frozenset(c for c in self.changeable if items[c].area == area)
                            scopes.append(GateScope(f"{gate.id}:{area}", scope))
                    continue
                kind, _, ref = gate.target.partition(":")
                if kind == "item":
                    scope = frozenset({ref})
                elif kind == "group":
                    scope = frozenset(c for c in hasil if items[c].container == ref)
                else:
                    scope = nodes[gate.target]
                scopes.append(GateScope(gate.id, scope))
            self.gates[pred.id] = scopes


_LAYOUTS: dict[int, tuple[Catalog, Layout]] = {}


def layout_of(catalog: Catalog) -> Layout:
    """The catalog's Layout, built once per catalog object."""
    hit = _LAYOUTS.get(id(catalog))
    if hit is not None and hit[0] is catalog:
        return hit[1]
    if len(_LAYOUTS) >= 16:
        _LAYOUTS.clear()
    layout = Layout(catalog)
    _LAYOUTS[id(catalog)] = (catalog, layout)
    return layout


@dataclass(frozen=True, slots=True)
class Move:
    """Raise ``code`` to ``to_answer`` (value ``value``): ``gain`` points, ``levels`` levels."""

    code: str
    to_answer: str
    value: Fraction
    gain: Fraction
    levels: int


@dataclass(frozen=True, slots=True)
class Current:
    """A changeable question as it stands: the answer as written (None: unanswered) and the
    value it scores now (0 when unanswered)."""

    code: str
    answer: str | None
    value: Fraction


def ratio_text(ratio: Fraction) -> str:
    """A ratio as the answers CSV takes it: ``0.85``; four decimals at most (display only)."""
    with localcontext() as ctx:
        ctx.prec = 40
        d = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    d = d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    text = format(d, "f")
    return text if "." in text else text + ".0"


def _option_index(item: ScoredItem, values: list[Fraction], answers: AnswerSet) -> int | None:
    """Position of the current option (0 = best), or None when unanswered."""
    value = answers.values.get(item.code)
    if value is None:
        return None
    raw = answers.raw.get(item.code)
    if raw is not None:
        for n, o in enumerate(item.scale.options):
            if o.key.upper() == raw.upper():
                return n
    return values.index(value) if value in values else None


def moves_of(layout: Layout, code: str, answers: AnswerSet) -> tuple[Current, list[Move]]:
    """Where a changeable question stands and every better answer it can move to.

    An option question moves to any better option (levels = options climbed from the current
    one, or from the worst when unanswered). A percentage question moves to any whole ten
    percent above its current ratio up to 100 % (levels = ten percents reached or passed:
    0.85 -> 1.0 is two).
    """
    item = layout.catalog.items[code]
    per = layout.per_unit[code]
    now = answers.values.get(code, ZERO)
    moves: list[Move] = []
    if item.scale.kind == "option":
        options = item.scale.options
        values = layout.option_values[layout.scale_name[code]]
        at = _option_index(item, values, answers)
        start = len(options) - 1 if at is None else at
        answer = None if at is None else options[at].key
        for n in range(start - 1, -1, -1):
            value = values[n]
            if value > now and value > values[start]:
                moves.append(Move(code, options[n].key, value, per * (value - now), start - n))
        return Current(code, answer, now), moves
    cap = Fraction(item.scale.cap) if item.scale.cap is not None else ONE
    if code in answers.ratios:
        ratio = answers.ratios[code]
    elif code in answers.values:
        ratio = answers.values[code] * cap
    else:
        ratio = None
    answer = None if ratio is None else ratio_text(ratio)
    floor = math.floor((ratio or ZERO) * TENTHS)
    for k in range(floor + 1, TENTHS + 1):
        target = Fraction(k, TENTHS)
        value = min(target, cap) / cap
        if value > now:
            moves.append(Move(code, f"{k / TENTHS:.1f}", value, per * (value - now), k - floor))
    return Current(code, answer, now), moves
