"""Findings on a document and the verdict of a question (kosong, merah, kuning, hijau).

- ``kosong``: no document linked;
- ``merah``: documents linked but none usable (every one unreadable or outside the review
  period), or none of the expected items found in the usable ones;
- ``kuning``: some expected items found and others missing, or a finding on a linked
  document;
- ``hijau``: every expected item found in readable documents of the period, no finding.

A finding is a proposal for people to decide: a dismissed one (its ``key``) no longer counts.
``source`` says what it rests on: ``rule`` (the file and its record) or ``ocr`` (text read by
Tesseract, which may have misread it); a later reviewer adds its own source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from wbk.catalog.model import Scale
from wbk.review.facts import Facts
from wbk.review.match import DocumentIndex, Vocabulary, find_item
from wbk.review.terms import Period, Terms

VERDICTS = ("hijau", "kuning", "merah", "kosong")
FINDING_CODES = (
    "expected_missing",
    "outside_period",
    "no_date",
    "date_mismatch",
    "template_text",
    "unsigned",
    "expired",
    "unreadable",
    "needs_ocr",
)
_FROM_TEXT = frozenset({"outside_period", "no_date", "date_mismatch", "template_text", "unsigned"})


@dataclass(frozen=True)
class ReviewDocument:
    """A linked document as the review sees it; ``source`` None: its text is not read yet
    (no finding, not usable), ``none``: nothing could be read."""

    id: int
    revision_id: int
    title: str
    filename: str
    sha256: str
    typed_date: date | None
    valid_until: date | None
    source: str | None
    needs_ocr: bool = False
    error: str | None = None
    pages: tuple[str, ...] = ()
    facts: Facts | None = None

    @property
    def readable(self) -> bool:
        return self.source in ("text", "ocr") and any(p.strip() for p in self.pages)

    def in_period(self, period: Period) -> bool | None:
        if self.facts is None or self.facts.date is None:
            return None
        return period.holds(self.facts.date)


@dataclass(frozen=True)
class Finding:
    code: str
    document: int | None
    page: int | None
    params: dict
    source: str
    key: str

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "document": self.document,
            "page": self.page,
            "params": self.params,
            "source": self.source,
            "key": self.key,
        }


@dataclass
class Expected:
    item: str
    hits: list = field(default_factory=list)  # match.Hit

    @property
    def found(self) -> bool:
        return bool(self.hits)


@dataclass
class QuestionReview:
    code: str
    answer: str | None
    verdict: str
    unsupported_claim: bool
    expected: list[Expected]
    findings: list[Finding]
    dismissed: list[Finding]

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "answer": self.answer,
            "verdict": self.verdict,
            "unsupported_claim": self.unsupported_claim,
            "expected": [
                {
                    "item": e.item,
                    "found": e.found,
                    "documents": [
                        {"id": h.doc_id, "page": h.page, "snippet": h.snippet} for h in e.hits
                    ],
                }
                for e in self.expected
            ],
            "findings": [f.to_json() for f in self.findings],
            "dismissed": [f.to_json() for f in self.dismissed],
        }


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:24]


def document_findings(
    code: str, doc: ReviewDocument, period: Period, terms: Terms
) -> list[Finding]:
    """The findings on one linked document (for question ``code``: a dismissal is per
    question and document revision)."""
    out: list[tuple[str, int | None, dict]] = []
    facts = doc.facts
    if doc.source is None:  # not read yet: nothing to say
        return []
    if doc.needs_ocr:
        out.append(("needs_ocr", None, {}))
    elif not doc.readable:
        out.append(("unreadable", None, {"error": doc.error or ""}))
    elif facts is not None:
        if facts.date is None:
            out.append(("no_date", None, {}))
        elif not period.holds(facts.date):
            params = {
                "date": facts.date.isoformat(),
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            }
            out.append(("outside_period", facts.date_page, params))
        if facts.date and doc.typed_date and facts.date != doc.typed_date:
            params = {"typed": doc.typed_date.isoformat(), "found": facts.date.isoformat()}
            out.append(("date_mismatch", facts.date_page, params))
        if facts.placeholders:
            page, text = facts.placeholders[0]
            out.append(("template_text", page, {"text": text}))
        if facts.kind in terms.signed_types and not facts.signed:
            out.append(("unsigned", None, {"kind": facts.kind, "label": terms.label(facts.kind)}))
    if doc.valid_until and doc.valid_until < period.end:
        out.append(("expired", None, {"valid_until": doc.valid_until.isoformat()}))
    source = "ocr" if doc.source == "ocr" else "rule"
    return [
        Finding(
            c,
            doc.id,
            page,
            params,
            source if c in _FROM_TEXT else "rule",
            _key(code, c, doc.revision_id),
        )
        for c, page, params in out
    ]


def is_best_answer(scale: Scale, answer: str | None) -> bool:
    """The answer is the top of its scale (A, Ya, 100 %, the index maximum)."""
    if not answer:
        return False
    text = answer.strip()
    if scale.kind == "option":
        values = scale.values
        value = values.get(text.upper())
        return value is not None and value == max(values.values())
    try:
        if text.endswith("%"):
            number = Decimal(text[:-1].replace(",", ".")) / 100
        else:
            number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return False
    if scale.kind == "ratio":
        return number >= (scale.cap if scale.cap is not None else 1)
    return scale.maximum is not None and number >= scale.maximum


def review_question(
    code: str,
    items: list[str],
    scale: Scale,
    answer: str | None,
    docs: list[ReviewDocument],
    indexes: dict[int, DocumentIndex],
    vocab: Vocabulary,
    period: Period,
    dismissed: frozenset[str] = frozenset(),
) -> QuestionReview:
    """The verdict of one question over the documents linked to it."""
    findings: list[Finding] = []
    usable: list[DocumentIndex] = []
    for doc in docs:
        findings.extend(document_findings(code, doc, period, vocab.terms))
        if doc.readable and doc.in_period(period) is not False and doc.id in indexes:
            usable.append(indexes[doc.id])
    expected = [Expected(item, find_item(vocab, item, usable)) for item in items]
    revisions = ",".join(str(d.revision_id) for d in sorted(docs, key=lambda d: d.revision_id))
    for e in expected:
        if docs and usable and not e.found:
            findings.append(
                Finding(
                    "expected_missing",
                    None,
                    None,
                    {"item": e.item},
                    "rule",
                    _key(code, "expected_missing", e.item, revisions),
                )
            )
    kept = [f for f in findings if f.key not in dismissed]
    gone = [f for f in findings if f.key in dismissed]
    found = sum(e.found for e in expected)
    if not docs:
        verdict = "kosong"
    elif not usable or (expected and found == 0):
        verdict = "merah"
    elif kept:
        verdict = "kuning"
    else:
        verdict = "hijau"
    unsupported = verdict in ("merah", "kosong") and is_best_answer(scale, answer)
    return QuestionReview(code, answer, verdict, unsupported, expected, kept, gone)
