"""IPAK / IPKP (any perception index) from raw answers: validated, exact, per service and period.

Item mean = mean of the answers given (blanks left out); index = unweighted mean of the item
means (or the pooled mean, as the instrument says), mapped onto the LKE's 0-4; conversion =
index x 25; points = index / 4 x 17.5. Each item keeps its integer sum and count, so a stored
result is recomputed exactly (``from_sums``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from wbk.surveys.ikm import sample_size, survey_points
from wbk.surveys.instruments import Instrument
from wbk.surveys.responses import (
    MAX_LISTED,
    ResponsesError,
    blank_column,
    numeric_column,
    read_table,
    row_lines,
)

NO_SERVICE = "-"


class BadRow(NamedTuple):
    line: int
    problem: str  # message key
    params: dict[str, Any]


class PerceptionError(ResponsesError):
    """Responses that cannot be used with this instrument; bad rows are listed by line."""

    key = "perception.invalid"

    def __init__(self, key: str = "perception.invalid", bad_rows=None, **params) -> None:
        super().__init__(key, bad_rows=bad_rows, **params)

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        head = t(self.key, lang=lang, **self.params)
        lines = [
            t(
                "perception.bad_row",
                lang=lang,
                line=r.line,
                problem=t(r.problem, lang=lang, **r.params),
            )
            for r in self.bad_rows[:MAX_LISTED]
        ]
        if len(self.bad_rows) > MAX_LISTED:
            lines.append(
                t("perception.more_rows", lang=lang, count=len(self.bad_rows) - MAX_LISTED)
            )
        return "\n".join([head, *("  - " + x for x in lines)])


@dataclass(frozen=True, slots=True)
class ItemScore:
    code: str
    total: int  # sum of the answers, on the instrument's scale
    answers: int  # answers given (blanks left out)

    @property
    def mean(self) -> Fraction | None:
        """The item mean on the instrument's scale; None when nobody answered the item."""
        return Fraction(self.total, self.answers) if self.answers else None


@dataclass(frozen=True, slots=True)
class PerceptionResult:
    instrument: str
    version: str
    target: str | None  # the LKE item this index feeds
    scale: tuple[int, int]
    conversion_map: str
    method: str
    respondents: int
    items: tuple[ItemScore, ...]
    scale_index: Fraction  # on the instrument's scale
    index: Fraction  # 0..4
    conversion: Fraction  # index x 25
    points: Fraction  # index / 4 x 17.5
    uncertain: tuple[str, ...]  # reason codes: conversion, method, unanswered
    alternative: Fraction  # the index (0..4) by the other method (pooled vs mean of item means)

    def item(self, code: str) -> ItemScore:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def record(self) -> dict[str, Any]:
        """What to store to recompute this result exactly (``from_record``)."""
        return {
            "instrument": self.instrument,
            "version": self.version,
            "respondents": self.respondents,
            "sums": {i.code: i.total for i in self.items},
            "counts": {i.code: i.answers for i in self.items},
        }


@dataclass(frozen=True, slots=True)
class SampleCheck:
    population: int
    minimum: int  # Krejcie-Morgan
    respondents: int

    @property
    def met(self) -> bool:
        return self.respondents >= self.minimum


@dataclass
class PerceptionResponses:
    answers: np.ndarray  # N x items, int8; 0 = blank
    codes: tuple[str, ...]
    lines: np.ndarray  # file line of each kept row
    service: np.ndarray | None = None
    period: np.ndarray | None = None
    skipped: list[BadRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class PerceptionComputation:
    responses: PerceptionResponses
    overall: PerceptionResult
    by_service: dict[str, PerceptionResult] = field(default_factory=dict)
    by_period: dict[str, PerceptionResult] = field(default_factory=dict)


# --- arithmetic -------------------------------------------------------------------------------


def from_sums(
    instrument: Instrument, respondents: int, sums: Sequence[int], counts: Sequence[int]
) -> PerceptionResult:
    """The result from each item's integer sum and count of answers (in item order)."""
    if respondents <= 0:
        raise ValueError("no respondents")
    codes = instrument.codes
    if len(sums) != len(codes) or len(counts) != len(codes):
        raise ValueError("one sum and one count per item")
    items = tuple(ItemScore(c, int(s), int(n)) for c, s, n in zip(codes, sums, counts, strict=True))
    answered = [i for i in items if i.answers]
    if not answered:
        raise PerceptionError("perception.no_answers")
    means = [Fraction(i.total, i.answers) for i in answered]
    mean_of_means = sum(means, Fraction(0)) / len(answered)
    pooled = Fraction(sum(i.total for i in answered), sum(i.answers for i in answered))
    method = instrument.arithmetic.index
    scale_index, other = (
        (pooled, mean_of_means) if method == "pooled_mean" else (mean_of_means, pooled)
    )
    index = instrument.to_lke(scale_index)
    uncertain = []
    if instrument.conversion_uncertain:
        uncertain.append("conversion")
    if pooled != mean_of_means:
        uncertain.append("method")
    if len(answered) < len(items):
        uncertain.append("unanswered")
    return PerceptionResult(
        instrument=instrument.id,
        version=instrument.version,
        target=instrument.target,
        scale=instrument.scale_range,
        conversion_map=instrument.conversion,
        method=method,
        respondents=int(respondents),
        items=items,
        scale_index=scale_index,
        index=index,
        conversion=index * 25,
        points=survey_points(index),
        uncertain=tuple(uncertain),
        alternative=instrument.to_lke(other),
    )


def from_record(instrument: Instrument, record: dict[str, Any]) -> PerceptionResult:
    """A stored ``PerceptionResult.record()`` recomputed with ``instrument`` (the same id; a
    later version of it must keep the item codes)."""
    if record.get("instrument") != instrument.id:
        raise ValueError(f"record of {record.get('instrument')!r}, not {instrument.id!r}")
    codes = instrument.codes
    return from_sums(
        instrument,
        int(record["respondents"]),
        [int(record["sums"][c]) for c in codes],
        [int(record["counts"][c]) for c in codes],
    )


def _level_counts(answers: np.ndarray, inverse: np.ndarray, groups: int, top: int) -> np.ndarray:
    """groups x items x (top + 1) integer counts of each answer value (0 = blank)."""
    width = top + 1
    out = np.empty((groups, answers.shape[1], width), dtype=np.int64)
    base = inverse.astype(np.int64) * width
    for k in range(answers.shape[1]):
        counts = np.bincount(base + answers[:, k], minlength=groups * width)
        out[:, k, :] = counts.reshape(groups, width)
    return out


def _results(
    answers: np.ndarray, inverse: np.ndarray, groups: int, instrument: Instrument
) -> list[PerceptionResult]:
    top = instrument.scale.max
    levels = _level_counts(answers, inverse, groups, top)
    values = np.arange(top + 1, dtype=np.int64)
    sums = levels @ values  # groups x items, exact integers
    counts = levels[:, :, 1:].sum(axis=2)
    respondents = np.bincount(inverse, minlength=groups)
    return [
        from_sums(instrument, int(respondents[g]), sums[g].tolist(), counts[g].tolist())
        for g in range(groups)
    ]


def result_of(answers: np.ndarray, instrument: Instrument) -> PerceptionResult:
    """The result of an N x items array of validated answers (0 = blank)."""
    if answers.shape[0] == 0:
        raise PerceptionError("perception.no_rows")
    inverse = np.zeros(answers.shape[0], dtype=np.int64)
    return _results(answers, inverse, 1, instrument)[0]


def results_by(
    answers: np.ndarray, labels: np.ndarray, instrument: Instrument
) -> dict[str, PerceptionResult]:
    """One result per label (service type, period), from one pass per item."""
    inverse, names = pd.factorize(pd.Series(labels).astype(str), sort=True)
    results = _results(answers, inverse, len(names), instrument)
    return {str(name): result for name, result in zip(names, results, strict=True)}


def sample_check(population: int, respondents: int) -> SampleCheck:
    """Whether ``respondents`` reach the Krejcie-Morgan minimum for ``population`` users."""
    return SampleCheck(int(population), sample_size(population), int(respondents))


# --- reading and validating -------------------------------------------------------------------


def _key(name: object) -> str:
    return str(name).strip().upper().replace(" ", "")


def resolve_mapping(
    instrument: Instrument,
    columns: Sequence[str],
    mapping: dict[str, str] | None = None,
    items: Sequence[str] | None = None,
) -> dict[str, str]:
    """Item code -> column: columns named like the codes (any case, spaces ignored), then
    ``items`` in item order, then ``mapping`` by code."""
    codes = instrument.codes
    by_name = {_key(c): c for c in columns}
    out = {c: by_name[_key(c)] for c in codes if _key(c) in by_name}
    if items:
        if len(items) != len(codes):
            raise PerceptionError(
                "perception.items_count",
                given=len(items),
                expected=len(codes),
                codes=", ".join(codes),
            )
        out.update(dict(zip(codes, items, strict=True)))
    by_code = {_key(c): c for c in codes}
    for code, column in (mapping or {}).items():
        if _key(code) not in by_code:
            raise PerceptionError("perception.unknown_item", code=code, codes=", ".join(codes))
        out[by_code[_key(code)]] = column
    missing = [c for c in codes if c not in out]
    if missing:
        raise PerceptionError(
            "perception.unmapped", items=", ".join(missing), columns=", ".join(map(str, columns))
        )
    return {c: out[c] for c in codes}


def read_answers(
    frame: pd.DataFrame,
    instrument: Instrument,
    mapping: dict[str, str] | None = None,
    items: Sequence[str] | None = None,
    id_column: str | None = None,
    service_column: str | None = None,
    date_column: str | None = None,
    period_column: str | None = None,
    skip_invalid: bool = False,
) -> PerceptionResponses:
    """Validate every row against the instrument. Bad rows (a value outside the scale, no answer
    at all, an unreadable date, a respondent id seen before) refuse the file, listed by line,
    unless ``skip_invalid``; blanks in an otherwise answered row are fine."""
    columns = resolve_mapping(instrument, list(frame.columns), mapping, items)
    for column in [*columns.values(), id_column, service_column, date_column, period_column]:
        if column is not None and column not in frame.columns:
            raise PerceptionError(
                "perception.no_column", column=column, columns=", ".join(map(str, frame.columns))
            )
    codes = instrument.codes
    lo, hi = instrument.scale_range
    cells = frame[[columns[c] for c in codes]]
    values = cells.apply(numeric_column).to_numpy(dtype=float)
    blank = cells.apply(blank_column).to_numpy(dtype=bool)
    if instrument.arithmetic.zero_is_blank:
        blank |= values == 0
    with np.errstate(invalid="ignore"):
        in_scale = (values >= lo) & (values <= hi) & (values == np.floor(values))
    bad_value = ~blank & ~in_scale
    empty = blank.all(axis=1)
    bad_mask = empty | bad_value.any(axis=1)
    bad_date = np.zeros(len(frame), dtype=bool)
    dates = None
    if date_column is not None:
        dates = pd.to_datetime(frame[date_column], errors="coerce", dayfirst=True)
        bad_date = dates.isna().to_numpy() & ~blank_column(frame[date_column]).to_numpy()
        bad_mask |= bad_date
    duplicate = np.zeros(len(frame), dtype=bool)
    ids = None
    if id_column is not None:
        ids = frame[id_column].astype("string").str.strip().reset_index(drop=True)
        present = (ids.notna() & (ids != "")).to_numpy(dtype=bool)
        duplicate = ids.duplicated(keep="first").to_numpy(dtype=bool) & present
        bad_mask |= duplicate
    lines = row_lines(frame)
    bad_rows: list[BadRow] = []
    if bad_mask.any():
        first_line: dict[str, int] = {}
        if ids is not None and duplicate.any():
            firsts = ids[present & ~duplicate]
            first_line = {v: int(lines[pos]) for pos, v in firsts.items()}
        for i in np.flatnonzero(bad_mask):
            line = int(lines[i])
            if empty[i]:
                bad_rows.append(BadRow(line, "perception.row.empty", {}))
            elif bad_value[i].any():
                k = int(np.flatnonzero(bad_value[i])[0])
                bad_rows.append(
                    BadRow(
                        line,
                        "perception.row.out_of_scale",
                        {
                            "item": codes[k],
                            "value": _cell_text(cells.iat[i, k]),
                            "min": lo,
                            "max": hi,
                        },
                    )
                )
            elif bad_date[i]:
                value = str(frame[date_column].iat[i]).strip()  # type: ignore[index]
                bad_rows.append(BadRow(line, "perception.row.bad_date", {"value": value}))
            else:
                rid = ids.iat[i]  # type: ignore[union-attr]
                bad_rows.append(
                    BadRow(
                        line, "perception.row.duplicate_id", {"id": rid, "first": first_line[rid]}
                    )
                )
    if bad_rows and not skip_invalid:
        raise PerceptionError(
            "perception.bad_rows", bad_rows=bad_rows, count=len(bad_rows), total=len(frame)
        )
    keep = ~bad_mask
    if not keep.any():
        raise PerceptionError("perception.no_rows")
    answers = np.where(blank[keep], 0, np.nan_to_num(values[keep])).astype(np.int8)
    service = None
    if service_column is not None:
        labels = frame[service_column].astype("string").str.strip().fillna("")
        service = labels.mask(labels == "", NO_SERVICE).to_numpy(dtype=object)[keep]
    period = None
    if period_column is not None:
        period = frame[period_column].astype("string").str.strip().fillna(NO_SERVICE)
        period = period.to_numpy(dtype=object)[keep]
    elif dates is not None:
        kept = dates[keep]
        quarters = kept.dt.quarter.astype("Int64").astype("string")
        years = kept.dt.year.astype("Int64").astype("string")
        period = (years + "-T" + quarters).fillna(NO_SERVICE).to_numpy(dtype=object)
    return PerceptionResponses(
        answers=answers,
        codes=codes,
        lines=lines[keep],
        service=service,
        period=period,
        skipped=bad_rows if skip_invalid else [],
        columns=columns,
    )


def _cell_text(value: object) -> str:
    """A cell as the user typed it: 5 rather than the 5.0 a column with blanks parses to."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def compute(frame: pd.DataFrame, instrument: Instrument, **options: Any) -> PerceptionComputation:
    """Validate ``frame`` (options as ``read_answers``) and compute overall, per service (when a
    service column is given) and per period (a period or date column)."""
    responses = read_answers(frame, instrument, **options)
    computation = PerceptionComputation(responses, result_of(responses.answers, instrument))
    if responses.service is not None:
        computation.by_service = results_by(responses.answers, responses.service, instrument)
    if responses.period is not None:
        computation.by_period = results_by(responses.answers, responses.period, instrument)
    return computation


def compute_file(
    data: bytes, filename: str, instrument: Instrument, **options: Any
) -> PerceptionComputation:
    """``compute`` on a CSV (comma or semicolon) or XLSX file's bytes."""
    return compute(read_table(data, filename), instrument, **options)


# --- presentation -----------------------------------------------------------------------------


def uncertain_notes(result: PerceptionResult, lang: str | None = None) -> list[str]:
    """Why the result is marked uncertain, one sentence per reason, in the reader's language."""
    from wbk.i18n import fmt_number, t

    notes = []
    for reason in result.uncertain:
        if reason == "conversion":
            notes.append(
                t(
                    f"perception.uncertain.conversion_{result.conversion_map}",
                    lang=lang,
                    min=result.scale[0],
                    max=result.scale[1],
                )
            )
        elif reason == "method":
            notes.append(
                t(
                    f"perception.uncertain.method_{result.method}",
                    lang=lang,
                    other=fmt_number(result.alternative, 3, lang),
                )
            )
        elif reason == "unanswered":
            codes = ", ".join(i.code for i in result.items if not i.answers)
            notes.append(t("perception.uncertain.unanswered", lang=lang, items=codes))
    return notes


def to_dict(result: PerceptionResult, lang: str | None = None) -> dict[str, Any]:
    """The JSON view: numbers at full precision as floats, item means on the instrument's scale."""
    return {
        "respondents": result.respondents,
        "items": {
            i.code: {"mean": None if i.mean is None else float(i.mean), "answers": i.answers}
            for i in result.items
        },
        "index": float(result.index),
        "conversion": float(result.conversion),
        "points": float(result.points),
        "uncertain": uncertain_notes(result, lang),
    }
