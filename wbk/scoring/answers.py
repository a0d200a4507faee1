"""Turn raw answers (``code,answer`` rows) into question values in [0, 1], or say what is wrong."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from wbk.catalog.model import Catalog, Formula, ScoredItem
from wbk.catalog.validate import formula_terms
from wbk.errors import AnswerProblem, AnswersError

ZERO = Fraction(0)
ONE = Fraction(1)


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One input row: the code (``P.MP.i.a`` or ``R.MP.i.a#agen``), the raw answer, where it was."""

    code: str
    answer: str
    line: int | None = None
    note: str | None = None


@dataclass(slots=True)
class AnswerSet:
    """Validated answers of one assessment tier.

    ``values`` holds the scored value of every answered question (option value, capped ratio
    or index / maximum), exactly as a Fraction. ``raw`` keeps what the user wrote, ``ratios``
    the uncapped ratio of percentage questions and ``counts`` their count inputs.
    """

    values: dict[str, Fraction] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    ratios: dict[str, Fraction] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def parse_number(text: str) -> Decimal | None:
    """A decimal from ``0.8``, ``0,8`` or ``1.234,5``-free plain text; None when it is not one."""
    s = text.strip().replace(" ", "")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def option_value(item: ScoredItem, raw: str) -> tuple[str, Fraction]:
    """The canonical option key and its value; raises KeyError when the scale has no such option."""
    key = raw.strip().rstrip(".").strip().upper()
    return item.scale.canonical[key], Fraction(item.scale.values[key])


def value_of(item: ScoredItem, raw: str) -> tuple[Fraction, Fraction | None, str]:
    """(value in [0,1], uncapped ratio or None, canonical text) of one direct answer.

    Raises ``AnswerProblem`` (as the exception argument of ValueError) for bad input.
    """
    scale = item.scale
    if scale.kind == "option":
        try:
            key, value = option_value(item, raw)
        except KeyError:
            raise ValueError(
                AnswerProblem(
                    "answers.bad_option",
                    code=item.code,
                    answer=raw.strip(),
                    options="/".join(scale.canonical.values()),
                )
            ) from None
        return value, None, key
    text = raw.strip()
    if scale.kind == "ratio":
        percent = text.endswith("%")
        number = parse_number(text[:-1] if percent else text)
        if number is None:
            raise ValueError(AnswerProblem("answers.not_number", code=item.code, answer=text))
        if number < 0:
            raise ValueError(AnswerProblem("answers.negative", code=item.code, answer=text))
        ratio = Fraction(number) / (100 if percent else 1)
        cap = Fraction(scale.cap) if scale.cap is not None else ONE
        return min(ratio, cap) / cap, ratio, text
    number = parse_number(text)
    if number is None:
        raise ValueError(AnswerProblem("answers.not_number", code=item.code, answer=text))
    lo, hi = Fraction(scale.minimum), Fraction(scale.maximum)
    if not (lo <= number <= hi):
        raise ValueError(
            AnswerProblem(
                "answers.index_range",
                code=item.code,
                answer=text,
                minimum=str(scale.minimum),
                maximum=str(scale.maximum),
            )
        )
    # stored canonically with a decimal point (``3,62`` typed in Indonesian -> ``3.62``)
    return (Fraction(number) - lo) / (hi - lo), None, str(number)


def ratio_from_counts(formula: Formula, counts: Mapping[str, int]) -> Fraction | None:
    """The uncapped ratio a formula gives for these counts; None when 0/0 means 'unanswered'."""
    num = sum((sign * counts[name] for sign, name in formula_terms(formula.numerator)), 0)
    den = sum((sign * counts[name] for sign, name in formula_terms(formula.denominator)), 0)
    if den == 0:
        if num == 0:
            return None if formula.when_zero is None else Fraction(formula.when_zero)
        # n/0 is unbounded: it reaches the cap; a fall below zero (more violations) is clamped.
        return ONE if num > 0 else ZERO
    return max(Fraction(num, den), ZERO)


def parse_answers(catalog: Catalog, rows: Iterable[AnswerRow]) -> AnswerSet:
    """Validate every row; raise AnswersError listing all problems, or return the whole set."""
    items = catalog.items
    problems: list[AnswerProblem] = []
    seen: dict[str, int | None] = {}
    result = AnswerSet()
    pending_counts: dict[str, dict[str, tuple[int, int | None]]] = {}
    broken: set[str] = set()  # questions whose count rows already have a reported problem

    for row in rows:
        code = row.code.strip()
        answer = (row.answer or "").strip()
        if not code and not answer:
            continue
        if code in seen:
            problems.append(
                AnswerProblem("answers.duplicate", row.line, code=code, first=seen[code] or "?")
            )
            continue
        seen[code] = row.line
        base, hash_, input_name = code.partition("#")
        item = items.get(base)
        if item is None:
            problems.append(AnswerProblem("answers.unknown_code", row.line, code=code))
            continue
        if hash_:
            inputs = [i.name for i in item.formula.inputs] if item.formula else []
            if input_name not in inputs:
                problems.append(
                    AnswerProblem(
                        "answers.unknown_input",
                        row.line,
                        code=code,
                        inputs=", ".join(f"{base}#{n}" for n in inputs) or "-",
                    )
                )
                continue
            if not answer:
                continue
            number = parse_number(answer)
            if number is None or number < 0 or number != number.to_integral_value():
                problems.append(
                    AnswerProblem("answers.bad_count", row.line, code=code, answer=answer)
                )
                broken.add(base)
                continue
            pending_counts.setdefault(base, {})[input_name] = (int(number), row.line)
            continue
        if row.note:
            result.notes[base] = row.note
        if not answer:
            continue
        try:
            value, ratio, canonical = value_of(item, answer)
        except ValueError as exc:
            problem: AnswerProblem = exc.args[0]
            problem.line = row.line
            problems.append(problem)
            continue
        result.values[base] = value
        result.raw[base] = canonical
        if ratio is not None:
            result.ratios[base] = ratio

    for base, given in pending_counts.items():
        if base in broken:
            continue
        item = items[base]
        assert item.formula is not None
        first_line = min((ln for _, ln in given.values() if ln is not None), default=None)
        if base in result.raw:
            problems.append(AnswerProblem("answers.ratio_and_counts", first_line, code=base))
            continue
        missing = [i.name for i in item.formula.inputs if i.name not in given]
        if missing:
            problems.append(
                AnswerProblem(
                    "answers.missing_inputs",
                    first_line,
                    code=base,
                    inputs=", ".join(f"{base}#{n}" for n in missing),
                )
            )
            continue
        counts = {name: n for name, (n, _) in given.items()}
        result.counts[base] = counts
        ratio = ratio_from_counts(item.formula, counts)
        if ratio is None:
            continue
        cap = Fraction(item.scale.cap) if item.scale.cap is not None else ONE
        result.ratios[base] = ratio
        result.values[base] = min(ratio, cap) / cap

    if problems:
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise AnswersError(problems)
    return result


def values_from_mapping(catalog: Catalog, answers: Mapping[str, str]) -> AnswerSet:
    """Convenience for code and tests: ``{"P.MP.i.a": "Ya", "R.MP.i.a#agen": "4"}``."""
    return parse_answers(catalog, (AnswerRow(c, a) for c, a in answers.items()))
