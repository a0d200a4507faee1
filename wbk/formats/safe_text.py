"""Write user text so a spreadsheet shows it as text and never runs it as a formula.

Every CSV and xlsx writer passes user text (titles, narratives, notes, names) through here;
formulas we build ourselves (the LKE score formulas) are assigned directly and stay live.

- CSV (OWASP CSV injection guidance): a field starting with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return (or their full-width forms, which some spreadsheet locales also
  accept) gets a leading single quote, and every field is quoted (``csv_writer``).
- xlsx: the cell is a string cell (openpyxl turns any ``str`` starting with ``=`` into a
  formula unless the type is forced) with Excel's quote prefix, so it stays text even after
  someone edits it; characters that XML cannot carry are dropped instead of failing the file.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any, TextIO

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# The characters openpyxl refuses (XML 1.0 forbids them); a pasted narrative may carry them.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_cell(value: Any) -> str:
    """One CSV field: user text with a leading quote when a spreadsheet would read a formula.

    Numbers we computed are written as they are (``-5`` stays a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | Fraction):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def csv_row(values) -> list[str]:
    return [csv_cell(v) for v in values]


class SafeCsvWriter:
    """``csv.writer`` that quotes every field and neutralises formula leads."""

    def __init__(self, stream: TextIO, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, quoting=csv.QUOTE_ALL, **kwargs)

    def writerow(self, values) -> None:
        self._writer.writerow(csv_row(values))

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: TextIO, **kwargs: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **kwargs)


def xlsx_text(cell, value: Any) -> None:
    """Put ``value`` into an openpyxl cell as literal text (None leaves the cell empty)."""
    if value is None:
        cell.value = None
        return
    text = ILLEGAL_XML.sub("", str(value))
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_LEADS):
        cell.quotePrefix = True
