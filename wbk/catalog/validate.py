"""Consistency rules a catalog must satisfy beyond its shape; each broken rule names its item."""

from __future__ import annotations

import ast
import re
from collections import Counter
from decimal import Decimal

from wbk.catalog.model import RESULTS_AREA, Catalog, Formula, Scale

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

    if cat.hasil.code in {part.code for part in cat.pengungkit.parts}:
        err("hasil", "catalog.rule.duplicate_code", code=cat.hasil.code)
    if cat.hasil.code != RESULTS_AREA:  # the permission rules know the results by this code
        err("hasil", "catalog.rule.code_position", expected=RESULTS_AREA)
    weights_match("hasil", cat.hasil.weight, [g.weight for g in cat.hasil.groups])
    for group in cat.hasil.groups:
        weights_match(group.code, group.weight, [i.weight for i in group.items])
        if not group.items:
            err(group.code, "catalog.rule.no_questions")
        if not group.code.startswith(cat.hasil.code + "."):
            err(group.code, "catalog.rule.code_position", expected=f"{cat.hasil.code}.<I..>")
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
    _check_marks(cat, err)
    _check_soals(cat, err)
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


def _ranges(numbers: list[int]) -> list[str]:
    """Sorted numbers as runs: [3, 4, 5, 9] -> ["3-5", "9"]."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]


def _check_soals(cat: Catalog, err) -> None:
    """PortalRB numbering: once a catalog uses soal_ids, every answerable item has exactly one,
    they run 1..N without gaps, and the "Jawaban" sheet rows do not repeat.

    A percentage question with count inputs has no soal of its own: PortalRB asks its counts.
    """
    soal_of: list[tuple[str, int | None]] = []  # (item, soal_id) of every item that needs one
    rows: list[tuple[str, int]] = []
    stray: list[tuple[str, int]] = []  # soal_ids on percentage questions, which must have none
    for code, q in cat.questions.items():
        if q.formula is not None and q.formula.inputs:
            if q.soal_id is not None:
                stray.append((code, q.soal_id))
            for inp in q.formula.inputs:
                soal_of.append((f"{code}#{inp.name}", inp.soal_id))
                if inp.excel_baris is not None:
                    rows.append((f"{code}#{inp.name}", inp.excel_baris))
        else:
            soal_of.append((code, q.soal_id))
        if q.excel_baris is not None:
            rows.append((code, q.excel_baris))
    for group in cat.hasil.groups:
        for item in group.items:
            soal_of.append((item.code, item.soal_id))
            if item.excel_baris is not None:
                rows.append((item.code, item.excel_baris))

    declared = cat.portalrb.total_soal if cat.portalrb is not None else None
    if declared is None and not stray and all(sid is None for _, sid in soal_of):
        return  # a catalog PortalRB does not number
    for code, sid in stray:
        err(code, "portalrb.rule.soal_on_percentage", soal_id=sid)
    first: dict[int, str] = {}
    for code, sid in soal_of:
        if sid is None:
            err(code, "portalrb.rule.soal_missing")
        elif sid in first:
            err(code, "portalrb.rule.soal_duplicate", soal_id=sid, first=first[sid])
        else:
            first[sid] = code
    if declared is not None and declared < 1:
        err("portalrb", "portalrb.rule.total", total=declared)
        return
    total = declared if declared is not None else len(first)
    for sid, code in first.items():
        if not 1 <= sid <= total:
            err(code, "portalrb.rule.soal_range", soal_id=sid, total=total)
    for run in _ranges([n for n in range(1, total + 1) if n not in first]):
        err(f"soal_id {run}", "portalrb.rule.soal_gap", soal_ids=run, total=total)
    seen_rows: dict[int, str] = {}
    for code, row in rows:
        if row < 1:
            err(code, "portalrb.rule.row_range", row=row)
        elif row in seen_rows:
            err(code, "portalrb.rule.row_duplicate", row=row, first=seen_rows[row])
        else:
            seen_rows[row] = code


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


def _check_marks(cat: Catalog, err) -> None:
    """Every uncertain point says why (the shipped catalog's gates also name their pages:
    tests/unit/test_catalog.py)."""
    for pred in cat.predicates:
        for gate in pred.gates:
            item = f"{pred.id} gate {gate.id}" + (f" ({gate.reading})" if gate.reading else "")
            if gate.uncertain and not (gate.uncertain_note or "").strip():
                err(item, "catalog.rule.uncertain_why")
    marked = [*cat.questions.values(), *(i for g in cat.hasil.groups for i in g.items)]
    for q in marked:
        if q.uncertain and not (q.uncertain_note or "").strip():
            err(q.code, "catalog.rule.uncertain_why")
