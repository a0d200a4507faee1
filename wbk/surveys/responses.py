"""Read raw survey responses (CSV or XLSX, e.g. a form tool's export) into validated arrays."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wbk.errors import WbkError
from wbk.surveys.ikm import ELEMENTS

MAX_LISTED = 50


class ResponsesError(WbkError):
    """A responses file that cannot be used as it is; lists bad rows by their line number."""

    key = "ikm.invalid"

    def __init__(
        self, key: str = "ikm.invalid", bad_rows: list[tuple[int, str]] | None = None, **params
    ) -> None:
        self.bad_rows = bad_rows or []
        super().__init__(key, **params)

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        head = super().message(lang)
        lines = [
            t("ikm.bad_row", lang=lang, line=line, problem=t(problem, lang=lang))
            for line, problem in self.bad_rows[:MAX_LISTED]
        ]
        if len(self.bad_rows) > MAX_LISTED:
            lines.append(t("ikm.more_rows", lang=lang, count=len(self.bad_rows) - MAX_LISTED))
        return "\n".join([head, *("  - " + x for x in lines)])


@dataclass
class Responses:
    answers: np.ndarray  # N x 9, int8, values 1..4
    service: np.ndarray | None
    period: np.ndarray | None
    skipped: list[tuple[int, str]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)


def read_table(data: bytes, filename: str) -> pd.DataFrame:
    """The first sheet, or a CSV separated by comma or semicolon (UTF-8). Column types are
    inferred (numbers parse fast); empty cells are NaN. See ``row_lines`` for the line of
    each row."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from wbk.formats.xlsx_guard import XlsxRefused, guard_xlsx

        try:  # the same zip-bomb guard as every xlsx we read, before anything is unpacked
            guard_xlsx(data, name=filename)
        except XlsxRefused as exc:
            raise ResponsesError(exc.key, **exc.params) from None
        try:
            return pd.read_excel(io.BytesIO(data), engine="openpyxl")
        except Exception:
            raise ResponsesError("ikm.unreadable", file=filename) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResponsesError("ikm.unreadable", file=filename) from None
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            keep_default_na=False,
            na_values=[""],
            engine="c",
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise ResponsesError("ikm.unreadable_detail", file=filename, detail=str(exc)) from None
    body = text.rstrip()
    if len(frame) != body.count("\n"):
        # blank lines were skipped or a quoted cell spans lines: row i is not on line i + 2
        starts = _record_lines(text, sep)
        if len(starts) == len(frame):
            frame.attrs[LINES_ATTR] = _LineNumbers(starts)
    return frame


LINES_ATTR = "wbk_lines"


class _LineNumbers:
    """Row -> file line, kept in ``DataFrame.attrs``; compares by identity, so pandas can
    compare the attrs of two frames (an array there would make ``concat`` raise)."""

    __slots__ = ("lines",)

    def __init__(self, lines: np.ndarray) -> None:
        self.lines = lines


def _record_lines(text: str, sep: str) -> np.ndarray:
    """The line each data record starts on, leaving out blank lines as pandas does."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    starts: list[int] = []
    previous = 0
    for record in reader:
        start, previous = previous + 1, reader.line_num
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        starts.append(start)
    return np.array(starts[1:], dtype=np.int64)  # the first record is the header


def row_lines(frame: pd.DataFrame) -> np.ndarray:
    """The file line of each row of a frame from ``read_table``: header = line 1, first data
    row = line 2, counting the blank lines and multi-line cells a CSV may hold."""
    kept = frame.attrs.get(LINES_ATTR)
    if isinstance(kept, _LineNumbers) and len(kept.lines) == len(frame):
        return kept.lines
    return np.arange(2, len(frame) + 2, dtype=np.int64)


def numeric_column(col: pd.Series) -> pd.Series:
    """Numbers as they are; text with a decimal comma or spaces converted; anything else NaN."""
    if pd.api.types.is_numeric_dtype(col):
        return col.astype(float)
    text = col.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


def blank_column(col: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(col):
        return col.isna()
    return col.isna() | (col.astype("string").str.strip() == "")


def default_mapping(columns: list[str]) -> dict[str, str]:
    """U1..U9 map to columns named U1..U9 (any case, spaces ignored)."""
    by_name = {c.strip().upper().replace(" ", ""): c for c in columns}
    return {e: by_name[e] for e in ELEMENTS if e in by_name}


def to_responses(
    frame: pd.DataFrame,
    mapping: dict[str, str] | None = None,
    service_column: str | None = None,
    date_column: str | None = None,
    period_column: str | None = None,
    skip_invalid: bool = False,
    elements: tuple[str, ...] = ELEMENTS,
) -> Responses:
    """Validate every row; a value outside 1..4, a missing element or an unreadable cell makes
    the row bad. Bad rows refuse the whole file unless ``skip_invalid``. ``elements`` are the
    items read (the nine IKM elements by default; any item columns for IPAK/IPKP)."""
    # columns already named U1..U9 need no mapping: what is mapped by hand is added to them
    mapping = {**default_mapping(list(frame.columns)), **(mapping or {})}
    missing = [e for e in elements if e not in mapping]
    if missing:
        raise ResponsesError(
            "ikm.unmapped", elements=", ".join(missing), columns=", ".join(map(str, frame.columns))
        )
    for column in [*mapping.values(), service_column, date_column, period_column]:
        if column is not None and column not in frame.columns:
            raise ResponsesError(
                "ikm.no_column", column=column, columns=", ".join(map(str, frame.columns))
            )
    cells = frame[[mapping[e] for e in elements]]
    values = cells.apply(numeric_column).to_numpy(dtype=float)
    empty = cells.apply(blank_column).to_numpy()
    missing_mask = empty.any(axis=1)
    bad_value = ~np.isin(values, (1, 2, 3, 4)) & ~empty
    bad_mask = missing_mask | bad_value.any(axis=1)
    dates = None
    if date_column is not None:
        dates = pd.to_datetime(frame[date_column], errors="coerce", dayfirst=True)
        bad_date = dates.isna().to_numpy() & ~blank_column(frame[date_column]).to_numpy()
        bad_mask |= bad_date
    bad_rows: list[tuple[int, str]] = []
    line_of = row_lines(frame)
    for i in np.flatnonzero(bad_mask):
        reason = (
            "ikm.missing_element"
            if missing_mask[i]
            else "ikm.out_of_range"
            if bad_value[i].any()
            else "ikm.bad_date"
        )
        bad_rows.append((int(line_of[i]), reason))
    if bad_rows and not skip_invalid:
        raise ResponsesError(
            "ikm.bad_rows", bad_rows=bad_rows, count=len(bad_rows), total=len(frame)
        )
    keep = ~bad_mask
    if not keep.any():
        raise ResponsesError("ikm.no_rows")
    answers = values[keep].astype(np.int8)
    service = frame[service_column].astype(str).to_numpy()[keep] if service_column else None
    period = None
    if period_column:
        period = frame[period_column].astype(str).to_numpy()[keep]
    elif dates is not None:
        quarters = dates[keep].dt.quarter.astype("Int64").astype(str)
        years = dates[keep].dt.year.astype("Int64").astype(str)
        period = (years + "-T" + quarters).to_numpy()
    return Responses(
        answers,
        service,
        period,
        bad_rows if skip_invalid else [],
        {e: mapping[e] for e in elements},
    )


def read_responses(path: Path, **options) -> Responses:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise ResponsesError("ikm.unreadable", file=str(path)) from None
    return to_responses(read_table(data, path.name), **options)
