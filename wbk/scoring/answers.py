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
    """One input row: the code (``P.MP.i.a`` or ``R.MP.i.a#agen``), the raw answer, where it was,
    and its note (penjelasan): None when the input has no note for it (an import leaves the
    stored one alone), ``""`` when it gives an empty one (an import clears the stored one)."""

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


class BadAnswer(ValueError):
    """An answer the catalog refuses; ``problem`` says what, and where once a line is known."""

    def __init__(self, problem: AnswerProblem) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class StoredValue:
    """One stored answer row, checked against the catalog.

    ``text`` is the canonical stored form (``Ya``, ``B``, ``80%``, ``12``, ``3.62``; empty for
    no answer). A direct answer has its ``value`` in [0, 1] (and a percentage question its
    uncapped ``ratio``); a count input (``R.MP.i.a#agen``) has its whole ``count``."""

    item: ScoredItem
    input: str | None  # the count input's name, None for the question's own answer
    text: str
    value: Fraction | None = None
    ratio: Fraction | None = None
    count: int | None = None


def stored_item(catalog: Catalog, code: str) -> tuple[ScoredItem, str | None]:
    """The question a stored row's code names and, for ``CODE#input``, the input's name.
    An unknown question or input is refused, whatever the row's value."""
    base, hash_, name = code.partition("#")
    item = catalog.items.get(base)
    if item is None:
        raise BadAnswer(AnswerProblem("answers.unknown_code", code=code))
    if not hash_:
        return item, None
    inputs = [i.name for i in item.formula.inputs] if item.formula else []
    if name not in inputs:
        listed = ", ".join(f"{base}#{n}" for n in inputs) or "-"
        raise BadAnswer(AnswerProblem("answers.unknown_input", code=code, inputs=listed))
    return item, name


def whole_count(code: str, text: str) -> int:
    """A count input's value: a whole number, 0 or more (``12``, ``12.0``)."""
    number = parse_number(text)
    if number is None or number < 0 or number != number.to_integral_value():
        raise BadAnswer(AnswerProblem("answers.bad_count", code=code, answer=text))
    return int(number)


def check_stored(catalog: Catalog, code: str, raw: str | None) -> StoredValue:
    """The one check of a stored answer, wherever it comes from (a page, the answers CSV, the
    workbook, PortalRB, the database): the code names a question or one of its count inputs,
    and the text is an option of its scale, a ratio (``0.8`` or ``80%``), an index within the
    scale, or a whole count. Raises ``BadAnswer``; an empty text is no answer (only the code
    is checked)."""
    item, name = stored_item(catalog, code)
    text = (raw or "").strip()
    if not text:
        return StoredValue(item, name, "")
    if name is not None:
        count = whole_count(code, text)
        return StoredValue(item, name, str(count), count=count)
    value, ratio, canonical = value_of(item, text)
    return StoredValue(item, None, canonical, value=value, ratio=ratio)


def option_value(item: ScoredItem, raw: str) -> tuple[str, Fraction]:
    """The canonical option key and its value; raises KeyError when the scale has no such option."""
    key = raw.strip().rstrip(".").strip().upper()
    return item.scale.canonical[key], Fraction(item.scale.values[key])


def value_of(item: ScoredItem, raw: str) -> tuple[Fraction, Fraction | None, str]:
    """(value in [0,1], uncapped ratio or None, canonical text) of one direct answer.

    Raises ``BadAnswer`` (a ValueError whose argument is the ``AnswerProblem``).
    """
    scale = item.scale
    if scale.kind == "option":
        try:
            key, value = option_value(item, raw)
        except KeyError:
            raise BadAnswer(
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
            raise BadAnswer(AnswerProblem("answers.not_number", code=item.code, answer=text))
        if number < 0:
            raise BadAnswer(AnswerProblem("answers.negative", code=item.code, answer=text))
        ratio = Fraction(number) / (100 if percent else 1)
        cap = Fraction(scale.cap) if scale.cap is not None else ONE
        return min(ratio, cap) / cap, ratio, text
    number = parse_number(text)
    if number is None:
        raise BadAnswer(AnswerProblem("answers.not_number", code=item.code, answer=text))
    lo, hi = Fraction(scale.minimum), Fraction(scale.maximum)
    if not (lo <= number <= hi):
        raise BadAnswer(
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
        try:
            stored = check_stored(catalog, code, answer)
        except BadAnswer as exc:
            exc.problem.line = row.line
            problems.append(exc.problem)
            if exc.problem.key == "answers.bad_count":
                broken.add(code.partition("#")[0])
            continue
        base = stored.item.code
        if stored.input is not None:
            if stored.count is not None:
                pending_counts.setdefault(base, {})[stored.input] = (stored.count, row.line)
            continue
        if row.note:
            result.notes[base] = row.note
        if stored.value is None:
            continue
        result.values[base] = stored.value
        result.raw[base] = stored.text
        if stored.ratio is not None:
            result.ratios[base] = stored.ratio

    for base, given in pending_counts.items():
        if base in broken:
            continue
        item = catalog.items[base]
        formula = item.formula
        if formula is None:  # only percentage questions have count inputs
            continue
        first_line = min((ln for _, ln in given.values() if ln is not None), default=None)
        if base in result.raw:
            problems.append(AnswerProblem("answers.ratio_and_counts", first_line, code=base))
            continue
        missing = [i.name for i in formula.inputs if i.name not in given]
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
        ratio = ratio_from_counts(formula, counts)
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
