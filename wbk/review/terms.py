"""The pre-review's terms as data (``criteria/evidence-terms.yaml``): synonym groups of
document kinds, stopwords, the kinds that carry a signature, and the default review period."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from wbk.catalog.loader import criteria_dir

TERMS_FILE = "evidence-terms.yaml"


@dataclass(frozen=True, eq=False)
class Terms:
    """``groups``: canonical name -> its phrases (the canonical first), lower case."""

    groups: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]
    signed_types: frozenset[str]
    period_uncertain: bool
    period_note: str
    digest: str  # of the file: a new synonym makes every verdict be computed again
    labels: dict[str, str] = field(default_factory=dict)  # kind -> how people write it

    def label(self, kind: str) -> str:
        """A document kind as people write it: ``sk`` -> "SK", ``notulen`` -> "Notulen"."""
        return self.labels.get(kind) or kind[:1].upper() + kind[1:]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    uncertain: bool  # the catalog's default, not the assessment's own

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_terms(text: str) -> Terms:
    import yaml

    data = yaml.safe_load(text) or {}
    groups: dict[str, tuple[str, ...]] = {}
    for group in data.get("synonyms") or []:
        phrases = tuple(" ".join(str(p).lower().split()) for p in group)
        if phrases:
            groups[phrases[0]] = phrases
    period = data.get("period") or {}
    return Terms(
        groups=groups,
        stopwords=frozenset(str(w).lower() for w in data.get("stopwords") or []),
        signed_types=frozenset(str(w).lower() for w in data.get("signed_types") or []),
        period_uncertain=bool(period.get("uncertain", True)),
        period_note=" ".join(str(period.get("note", "")).split()),
        digest=hashlib.sha256(text.encode()).hexdigest()[:16],
        labels={
            str(k).lower(): " ".join(str(v).split()) for k, v in (data.get("labels") or {}).items()
        },
    )


@cache
def _load(path: Path) -> Terms:
    return parse_terms(path.read_text(encoding="utf-8"))


def load_terms(directory: Path | None = None) -> Terms:
    return _load((directory or criteria_dir()) / TERMS_FILE)


def default_period(year: int, deadline: date | None, terms: Terms) -> Period:
    """1 January of the year before the assessment year to its deadline (31 December of the
    assessment year when it has none): see the terms file on why this is marked uncertain."""
    return Period(date(year - 1, 1, 1), deadline or date(year, 12, 31), terms.period_uncertain)
