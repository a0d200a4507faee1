"""Dates as Indonesian documents write them, and the date of issue of a document.

"2 Januari 2026", "15 Des 2025", "31-05-2026", "31/05/2026", "2026-05-31"; the date of
issue is, in this order: the one after "ditetapkan di ... pada tanggal" / "pada tanggal" /
"tanggal :", the one after a place at the head or foot of a letter ("Magelang, 15 Des
2025"), else the first date in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agust": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agus": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WORDS = rf"(?P<d>\d{{1,2}})[\s\-]*(?P<m>{_MONTH})\.?[\s\-]*(?P<y>(?:19|20)\d{{2}})"
_NUMERIC = r"(?P<d2>\d{1,2})[\-/.](?P<m2>\d{1,2})[\-/.](?P<y2>(?:19|20)\d{2})"
_ISO = r"(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2})"
DATE = re.compile(rf"\b(?:{_WORDS}|{_NUMERIC}|{_ISO})\b", re.IGNORECASE)

# "Ditetapkan di Magelang pada tanggal 2 Januari 2026", "Tanggal : 3 Maret 2026",
# "Hari/Tanggal: Senin, 12 Februari 2026"
_ISSUED = re.compile(
    r"(?:ditetapkan|dikeluarkan)\s+di\b.{0,60}?(?:pada\s+)?tanggal\s*:?\s*|"
    r"pada\s+tanggal\s*:?\s*|\btanggal\s*:\s*(?:[a-z]+\s*,\s*)?",
    re.IGNORECASE | re.DOTALL,
)
# "Magelang, 15 Des 2025" at the start of a line
_PLACE = re.compile(r"^\s*[A-Z][A-Za-z.' ]{2,40},\s*$")


@dataclass(frozen=True)
class FoundDate:
    value: date
    page: int  # 1-based
    how: str  # issued | place | first
    text: str


def _value(m: re.Match) -> date | None:
    g = m.groupdict()
    try:
        if g["d"]:
            return date(int(g["y"]), MONTHS[g["m"].lower()], int(g["d"]))
        if g["d2"]:
            return date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        return date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    except ValueError:  # 31 Februari
        return None


def find_dates(text: str) -> list[tuple[date, int, int]]:
    """Every valid date in ``text`` with its span."""
    out = []
    for m in DATE.finditer(text):
        value = _value(m)
        if value is not None:
            out.append((value, m.start(), m.end()))
    return out


def parse_date(text: str) -> date | None:
    """The first date in ``text`` (None when there is none)."""
    found = find_dates(text)
    return found[0][0] if found else None


def issue_date(pages: list[str] | tuple[str, ...]) -> FoundDate | None:
    """The date a document was issued (see the module's docstring for the order)."""
    for number, page in enumerate(pages, start=1):
        flat = re.sub(r"\s+", " ", page)
        for m in _ISSUED.finditer(flat):
            after = DATE.match(flat, m.end())
            if after and (value := _value(after)):
                return FoundDate(value, number, "issued", after.group(0))
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            for value, start, end in find_dates(line):
                if _PLACE.match(line[:start]):
                    return FoundDate(value, number, "place", line[start:end])
    for number, page in enumerate(pages, start=1):
        found = find_dates(page)
        if found:
            value, start, end = found[0]
            return FoundDate(value, number, "first", page[start:end])
    return None
