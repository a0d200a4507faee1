"""Consistency rules a catalog must satisfy beyond its shape; each broken rule names its item."""

from __future__ import annotations

import ast
import re
from collections import Counter
from decimal import Decimal

from wbk.catalog.model import Catalog, Formula, Scale

ROMAN = re.compile(r"^[ivx]+$")
LETTER = re.compile(r"^[a-z]$")
IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
BASE_TARGETS = {"total", "pengungkit", "pemenuhan", "reform", "hasil", "areas"}


def formula_names(expr: str) -> list[str]:
    """The input names of a formula expression; raises ValueError on anything but +, - and names."""
    tree = ast.parse(expr, mode="eval")
    names: list[str] = []

    def walk(node: ast.AST) -> None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, ast.Name):
            names.append(node.id)
        else:
            raise ValueError(ast.dump(node))

    walk(tree.body)
    return names


def formula_terms(expr: str) -> list[tuple[int, str]]:
    """The expression as signed terms, e.g. ``a - b + c`` -> [(1, a), (-1, b), (1, c)]."""
    tree = ast.parse(expr, mode="eval")
    terms: list[tuple[int, str]] = []

    def walk(node: ast.AST, sign: int) -> None:
        if isinstance(node, ast.BinOp):
            walk(node.left, sign)
            walk(node.right, sign if isinstance(node.op, ast.Add) else -sign)
        else:
            assert isinstance(node, ast.Name)
            terms.append((sign, node.id))

    walk(tree.body, 1)
    return terms


def _sum(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def check_catalog(cat: Catalog) -> list[tuple[str, str, dict]]:
    """Every broken rule as (item, message key, params); empty when the catalog is sound."""
    errs: list[tuple[str, str, dict]] = []

    def err(item: str, key: str, **params) -> None:
        errs.append((item, key, params))

    def weights_match(item: str, weight: Decimal, children: list[Decimal]) -> None:
        total = _sum(children)
        if total != weight:
            err(item, "catalog.rule.weight_sum", weight=weight, total=total)

    for name, scale in cat.scales.items():
        _check_scale(name, scale, err)

    known_areas = [a.code for a in cat.areas]
    for code, n in Counter(known_areas).items():
        if n > 1:
            err(f"area {code}", "catalog.rule.duplicate_code", code=code)

    weights_match("total", cat.total_weight, [cat.pengungkit.weight, cat.hasil.weight])
    weights_match("pengungkit", cat.pengungkit.weight, [p.weight for p in cat.pengungkit.parts])
    codes: list[str] = []
    for part in cat.pengungkit.parts:
        if not re.fullmatch(r"[A-Z]", part.code):
            err(f"part {part.code}", "catalog.rule.bad_code", code=part.code)
        weights_match(part.key, part.weight, [a.weight for a in part.areas])
        for area in part.areas:
            akey = f"{part.code}.{area.code}"
            if area.code not in known_areas:
                err(akey, "catalog.rule.unknown_area", code=area.code)
            weights_match(akey, area.weight, [s.weight for s in area.subareas])
            if not area.subareas:
                err(akey, "catalog.rule.empty", what="sub-area")
            for sub in area.subareas:
                skey = f"{akey}.{sub.id}"
                if not ROMAN.match(sub.id):
                    err(skey, "catalog.rule.bad_code", code=sub.id)
                if sub.weight <= 0:
                    err(skey, "catalog.rule.weight_positive", weight=sub.weight)
                if not sub.questions:
                    err(skey, "catalog.rule.no_questions")
                for q in sub.questions:
                    codes.append(q.code)
                    head, _, letter = q.code.rpartition(".")
                    if head != skey or not LETTER.match(letter):
                        err(q.code, "catalog.rule.code_position", expected=f"{skey}.<a-z>")
                    _check_item_scale(
                        cat, q.code, q.scale, q.criteria, err, allow=("option", "ratio")
                    )
                    if q.formula is not None:
                        if cat.scales.get(q.scale) and cat.scales[q.scale].kind != "ratio":
                            err(q.code, "catalog.rule.formula_not_ratio")
                        _check_formula(q.code, q.formula, err)

    weights_match("hasil", cat.hasil.weight, [g.weight for g in cat.hasil.groups])
    for group in cat.hasil.groups:
        weights_match(group.code, group.weight, [i.weight for i in group.items])
        if not group.items:
            err(group.code, "catalog.rule.no_questions")
        for item in group.items:
            codes.append(item.code)
            if not item.code.startswith(group.code + "."):
                err(item.code, "catalog.rule.code_position", expected=f"{group.code}.<a-z>")
            _check_item_scale(
                cat, item.code, item.scale, item.criteria, err, allow=("option", "index")
            )

    for code, n in Counter(codes).items():
        if n > 1:
            err(code, "catalog.rule.duplicate_code", code=code)
    for key, n in Counter(
        [g.key for g in cat.hasil.groups] + [i.key for g in cat.hasil.groups for i in g.items]
    ).items():
        if n > 1:
            err(key, "catalog.rule.duplicate_code", code=key)

    _check_predicates(cat, set(codes), err)
    return errs


def _check_scale(name: str, scale: Scale, err) -> None:
    item = f"scale {name}"
    if scale.kind == "option":
        if not scale.options:
            err(item, "catalog.rule.empty", what="option")
        keys = [o.key.upper() for o in scale.options]
        for k, n in Counter(keys).items():
            if n > 1:
                err(item, "catalog.rule.duplicate_code", code=k)
        for o in scale.options:
            if not (Decimal(0) <= o.value <= Decimal(1)):
                err(f"{item} option {o.key}", "catalog.rule.option_range", value=o.value)
        values = [o.value for o in scale.options]
        if values != sorted(values, reverse=True):
            err(item, "catalog.rule.option_order")
    elif scale.kind == "ratio":
        if scale.cap is None or scale.cap <= 0:
            err(item, "catalog.rule.ratio_cap")
    elif scale.kind == "index" and (
        scale.minimum is None or scale.maximum is None or scale.maximum <= scale.minimum
    ):
        err(item, "catalog.rule.index_range")


def _check_item_scale(cat: Catalog, code: str, scale_name: str, criteria: dict, err, allow) -> None:
    scale = cat.scales.get(scale_name)
    if scale is None:
        err(code, "catalog.rule.unknown_scale", scale=scale_name)
        return
    if scale.kind not in allow:
        err(code, "catalog.rule.scale_kind", scale=scale_name, kind=scale.kind)
    extra = [k for k in criteria if k.upper() not in scale.values]
    if extra:
        err(code, "catalog.rule.criteria_keys", keys=", ".join(extra), scale=scale_name)


def _check_formula(code: str, formula: Formula, err) -> None:
    names = [i.name for i in formula.inputs]
    for n in names:
        if not IDENT.match(n):
            err(code, "catalog.rule.bad_code", code=n)
    for n, c in Counter(names).items():
        if c > 1:
            err(code, "catalog.rule.duplicate_code", code=f"{code}#{n}")
    for expr in (formula.numerator, formula.denominator):
        try:
            used = formula_names(expr)
        except (SyntaxError, ValueError):
            err(code, "catalog.rule.formula_syntax", expr=expr)
            continue
        unknown = [u for u in used if u not in names]
        if unknown:
            err(code, "catalog.rule.formula_unknown", names=", ".join(unknown))
    if formula.when_zero is not None and not (0 <= formula.when_zero <= 1):
        err(code, "catalog.rule.option_range", value=formula.when_zero)


def _check_predicates(cat: Catalog, codes: set[str], err) -> None:
    groups = {g.code for g in cat.hasil.groups}
    for pid, n in Counter(p.id for p in cat.predicates).items():
        if n > 1:
            err(f"predicate {pid}", "catalog.rule.duplicate_code", code=pid)
    for pred in cat.predicates:
        for gate in pred.gates:
            item = f"predicate {pred.id} gate {gate.id}"
            target = gate.target
            kind, _, ref = target.partition(":")
            if ref:
                if (
                    (kind == "item" and ref not in codes)
                    or (kind == "group" and ref not in groups)
                    or kind not in ("item", "group")
                ):
                    err(item, "catalog.rule.gate_unknown", target=target)
            elif target not in BASE_TARGETS:
                err(item, "catalog.rule.gate_unknown", target=target)
            if target == "areas":
                if gate.minimum_ratio is None or gate.reading is None:
                    err(item, "catalog.rule.gate_area")
                elif not (0 < gate.minimum_ratio <= 1):
                    err(item, "catalog.rule.option_range", value=gate.minimum_ratio)
            elif gate.minimum is None:
                err(item, "catalog.rule.gate_minimum")
