"""Small CSV files typed by hand or saved from a spreadsheet: UTF-8 (a BOM is dropped), comma
or semicolon, a header row first. The answers and the effort files are read with it; each
turns a ``CsvTextError`` into its own message (``<prefix>.<reason>``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator


class CsvTextError(ValueError):
    """Why the bytes cannot be read: ``reason`` is ``not_text``, ``empty``,
    ``too_many_columns`` (``line``, ``count``, ``expected``) or ``bad_row`` (``line``,
    ``problem``)."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def decode_csv(data: bytes) -> str:
    """The text of a CSV file; refuses NUL bytes, bytes that are not UTF-8 and blank files."""
    if b"\x00" in data:
        raise CsvTextError("not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvTextError("not_text") from None
    if not text.strip():
        raise CsvTextError("empty")
    return text


def sniff_delimiter(first_line: str) -> str:
    """Semicolon when the header line has more of them than commas (a spreadsheet saved in
    an Indonesian locale), else comma."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


class CsvTable:
    """A decoded CSV file: its header (stripped, lower case), the header line as written,
    and its records read once through ``records()``."""

    def __init__(self, data: bytes) -> None:
        text = decode_csv(data)
        self.first_line = text.splitlines()[0]
        self._reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=sniff_delimiter(self.first_line)
        )
        try:
            self.header = [h.strip().lower() for h in next(self._reader)]
        except csv.Error:
            raise CsvTextError("not_text") from None

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Each non-blank record with the physical line it starts on (the header is line 1),
        padded with empty cells to the header's width; more cells than the header is an
        error."""
        width = len(self.header)
        line = self._reader.line_num
        try:
            for record in self._reader:
                start, line = line + 1, self._reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) > width:
                    raise CsvTextError(
                        "too_many_columns", line=start, count=len(record), expected=width
                    )
                yield start, [*record, *([""] * (width - len(record)))]
        except csv.Error as exc:
            raise CsvTextError("bad_row", line=line + 1, problem=str(exc)) from None
