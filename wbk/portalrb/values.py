"""PortalRB's answer values, both ways. Its guide (table "Field answers[]") types every answer
field as a string or null: an option as its literal (``"A"``, ``"Ya"``), a count as ``"12"``, a
survey index as ``"3.62"``. Out, wbk sends exactly that; in, it takes what PortalRB or a person
would send: those strings, JSON numbers, surrounding spaces, a decimal comma."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

_DECIMAL = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_WHOLE = re.compile(r"[+-]?[0-9]+")


def decimal_text(value: Decimal | Fraction) -> str:
    """A number as PortalRB's string: a dot decimal with exactly the digits it was stored with
    (``3.62`` -> ``"3.62"``, ``3.60`` -> ``"3.60"``, ``4`` -> ``"4"``: a JSON float would turn
    ``3.60`` into ``3.6``), never an exponent, so a fetched answer imported back is the stored
    text again. A Fraction must have a finite decimal form (a stored ratio has: it comes from
    a decimal)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if value == 0:
        value = abs(value)  # "0", never "-0"
    return format(value, "f")


def count_text(count: int) -> str:
    """A count as PortalRB's string: ``"12"``."""
    return str(count)


def is_json_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_decimal(value: Any) -> Decimal | None:
    """A number PortalRB or a person sent: a JSON number (int, float, or Decimal when the body
    was read with ``parse_float=Decimal``) or a string of digits with at most one decimal
    point or comma, spaces around it allowed (``" 3,71 "``). None for anything else: a bool,
    an empty or other text, an exponent, a thousands separator pattern like ``1.000.000``."""
    if is_json_int(value):
        return Decimal(value)
    if isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, Decimal):
        d = value
    elif isinstance(value, str):
        text = value.strip()
        if not _DECIMAL.fullmatch(text):
            return None
        d = Decimal(text.replace(",", "."))
    else:
        return None
    return d if d.is_finite() else None


def read_count(value: Any) -> Decimal | None:
    """A count PortalRB or a person sent: a JSON number, or a string of digits only (``" 12
    "``). A string with a point or comma is None: in Indonesian ``1.000`` is a thousand, in
    JSON one; only the JSON number says which."""
    if isinstance(value, str):
        text = value.strip()
        return Decimal(text) if _WHOLE.fullmatch(text) else None
    return read_decimal(value)


def separated_count(value: Any) -> bool:
    """A count written as text with a point or comma (``"1.000"``, ``"12,5"``): refused with
    its own reason, since the text alone does not say which number it is."""
    return isinstance(value, str) and read_count(value) is None and read_decimal(value) is not None
