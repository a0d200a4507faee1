"""Read an answers CSV (``code,answer[,note]``; UTF-8; comma or semicolon) into AnswerRows."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

from wbk.errors import WbkError
from wbk.scoring.answers import AnswerRow

MIB = 1024 * 1024
MAX_BYTES = 10 * MIB


class CsvError(WbkError):
    """An answers file that cannot be read as the documented CSV."""

    key = "csv.not_text"


def read_answer_rows(path: str | Path) -> list[AnswerRow]:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            size = p.stat().st_size
            if size > MAX_BYTES:
                raise _too_large(str(p), size)
            data = fh.read(MAX_BYTES + 1)
    except OSError:
        raise CsvError("csv.not_found", file=str(p)) from None
    return parse_answer_csv(data, name=str(p))


def _too_large(name: str, size: int) -> CsvError:
    return CsvError(
        "csv.too_large", file=name, size_mb=Fraction(size, MIB), limit_mb=MAX_BYTES // MIB
    )


def parse_answer_csv(data: bytes, name: str = "<csv>") -> list[AnswerRow]:
    """Rows with their physical line numbers (the header is line 1)."""
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if b"\x00" in data:
        raise CsvError("csv.not_text", file=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError("csv.not_text", file=name) from None
    if not text.strip():
        raise CsvError("csv.empty", file=name)
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error:
        raise CsvError("csv.not_text", file=name) from None
    if "code" not in header or "answer" not in header:
        raise CsvError("csv.no_header", file=name, header=first[:80])
    i_code, i_answer = header.index("code"), header.index("answer")
    i_note = header.index("note") if "note" in header else None
    rows: list[AnswerRow] = []
    line = reader.line_num
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(header):
                raise CsvError(
                    "csv.too_many_columns",
                    file=name,
                    line=start,
                    count=len(record),
                    expected=len(header),
                )
            padded = [*record, *([""] * (len(header) - len(record)))]
            note = padded[i_note].strip() if i_note is not None else ""
            rows.append(AnswerRow(padded[i_code], padded[i_answer], start, note or None))
    except csv.Error as exc:
        raise CsvError("csv.bad_row", file=name, line=line + 1, problem=str(exc)) from None
    return rows
