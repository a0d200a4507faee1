"""The effort model: effort per level raised, per question (``code,effort`` CSV or a mapping)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from wbk.catalog.model import Catalog
from wbk.errors import AnswerProblem, WbkError
from wbk.formats.csv_text import CsvTable, CsvTextError
from wbk.scoring.answers import parse_number

MIB = 1024 * 1024
MAX_BYTES = MIB  # a row per question is a few KB; anything near this is not an effort file


class EffortError(WbkError):
    """An effort file that cannot be used; ``problems`` holds every bad row with its line, the
    message lists the first ``MAX_LISTED`` and counts the rest."""

    key = "plan.effort.rows"
    MAX_LISTED = 50

    def __init__(
        self, key: str | None = None, /, problems: list[AnswerProblem] | None = None, **params
    ) -> None:
        self.problems = problems or []
        super().__init__(key, **params)

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import fmt_number, t

        count = len(self.problems)
        head = t(self.key, lang=lang, count=fmt_number(count, 0, lang=lang), **self.params)
        lines = [head, *("  - " + p.message(lang) for p in self.problems[: self.MAX_LISTED])]
        if count > self.MAX_LISTED:
            rest = fmt_number(count - self.MAX_LISTED, 0, lang=lang)
            lines.append("  " + t("answers.more_problems", lang=lang, count=rest))
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class EffortRow:
    """One row of an effort file: a question code, its effort per level as written (or a
    number given in code), its line."""

    code: str
    effort: str | int | Decimal | Fraction
    line: int | None = None


def read_effort_rows(path: str | Path) -> list[EffortRow]:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError:
        raise EffortError("plan.effort.not_found", file=str(p)) from None
    return parse_effort_csv(data, name=str(p))


def _too_large(name: str) -> EffortError:
    return EffortError("plan.effort.too_large", file=name, limit_mb=MAX_BYTES // MIB)


def parse_effort_csv(data: bytes, name: str = "<csv>") -> list[EffortRow]:
    """Rows of a ``code,effort`` file (UTF-8, comma or semicolon) with their line numbers."""
    if len(data) > MAX_BYTES:
        raise _too_large(name)
    try:
        table = CsvTable(data)
        header = table.header
        if "code" not in header or "effort" not in header:
            raise EffortError("plan.effort.no_header", file=name, header=table.first_line[:80])
        i_code, i_effort = header.index("code"), header.index("effort")
        rows = [
            EffortRow(cells[i_code].strip(), cells[i_effort].strip(), start)
            for start, cells in table.records()
        ]
    except CsvTextError as exc:
        raise EffortError(f"plan.effort.{exc.reason}", file=name, **exc.params) from None
    return rows


def effort_model(
    catalog: Catalog,
    efforts: Iterable[EffortRow] | Mapping[str, object] | None,
) -> dict[str, Fraction]:
    """Effort per level by question code, validated against the catalog.

    Unknown codes, result items (H.I.a ... which no answer change moves), duplicates and
    negative or non-numeric efforts are all reported at once, each with its line.
    """
    if efforts is None:
        return {}
    if isinstance(efforts, Mapping):
        rows = [EffortRow(str(code), value) for code, value in efforts.items()]  # type: ignore[arg-type]
    else:
        rows = list(efforts)
    problems: list[AnswerProblem] = []
    seen: dict[str, int | None] = {}
    out: dict[str, Fraction] = {}
    for row in rows:
        code = row.code.strip()
        if code in seen:
            problems.append(
                AnswerProblem("plan.effort.duplicate", row.line, code=code, first=seen[code] or "?")
            )
            continue
        seen[code] = row.line
        item = catalog.items.get(code)
        if item is None:
            problems.append(AnswerProblem("plan.effort.unknown_code", row.line, code=code))
            continue
        if item.kind != "pengungkit":
            problems.append(AnswerProblem("plan.effort.result_item", row.line, code=code))
            continue
        number = _number(row.effort)
        if number is None:
            problems.append(
                AnswerProblem("plan.effort.not_number", row.line, code=code, effort=row.effort)
            )
            continue
        if number < 0:
            problems.append(
                AnswerProblem("plan.effort.negative", row.line, code=code, effort=row.effort)
            )
            continue
        out[code] = number
    if problems:
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise EffortError("plan.effort.rows", problems=problems)
    return out


def _number(value: object) -> Fraction | None:
    """An exact effort from typed text (``0,5``) or a number given in code; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Fraction | Decimal):
        return Fraction(value) if not isinstance(value, Decimal) or value.is_finite() else None
    number = parse_number(str(value))
    return None if number is None else Fraction(number)
