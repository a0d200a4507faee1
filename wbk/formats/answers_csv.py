"""Read an answers CSV (``code,answer[,note]``; UTF-8; comma or semicolon) into AnswerRows.

Without a ``note`` column a row's note is None (nothing said of it); with one, an empty cell
is ``""`` (an explicit empty note)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from wbk.errors import WbkError
from wbk.formats.csv_text import CsvTable, CsvTextError
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
    try:
        table = CsvTable(data)
        header = table.header
        if "code" not in header or "answer" not in header:
            raise CsvError("csv.no_header", file=name, header=table.first_line[:80])
        i_code, i_answer = header.index("code"), header.index("answer")
        i_note = header.index("note") if "note" in header else None
        rows: list[AnswerRow] = []
        for start, cells in table.records():
            note = cells[i_note].strip() if i_note is not None else None
            rows.append(AnswerRow(cells[i_code], cells[i_answer], start, note))
    except CsvTextError as exc:
        raise CsvError(f"csv.{exc.reason}", file=name, **exc.params) from None
    return rows
