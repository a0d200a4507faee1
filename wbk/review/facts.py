"""What a document is, read from its text: its number, its date of issue, evidence of a
signature, text left from a template, and its kind (the synonym group its title names).

A QR code on the page is not looked for: no offline QR reader is among the project's
dependencies; the electronic-signature footer BSrE prints beside the QR code is.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from wbk.review.dates import issue_date
from wbk.review.extract import Extracted
from wbk.review.match import Vocabulary

# "Nomor: B-123/Kk.11.08/1/KP.07.6/01/2026", "NOMOR 12 TAHUN 2026" at the start of a line
NUMBER = re.compile(
    r"(?:^|\n)[ \t]*(?:nomor|no\.)[ \t]*:?[ \t]*(?P<n>[A-Za-z0-9][^\n]{0,79})", re.IGNORECASE
)
# the footer of a document signed through BSrE (Balai Besar Sertifikasi Elektronik)
BSRE = re.compile(
    r"ditandatangani\s+secara\s+elektronik|tanda\s*tangan(?:an)?\s+elektronik|"
    r"sertifikat\s+elektronik|balai\s+(?:besar\s+)?sertifikasi\s+elektronik|\bbsre\b",
    re.IGNORECASE,
)
# a signed copy typed out: "ttd", "TTD.", "(ttd)", "dto"
TYPED_SIGNATURE = re.compile(r"(?<![a-z])(?:ttd|dto)(?![a-z])", re.IGNORECASE)
PLACEHOLDERS = (
    re.compile(r"\[[A-Za-z][^\]\n]{0,40}\]"),  # [nama unit]
    re.compile(r"<[A-Za-z][^>\n]{0,40}>"),  # <nama pejabat>
    re.compile(r"\{\{[^}\n]{0,40}\}\}"),  # {{tanggal}}
    re.compile(r"(?<![A-Za-z])[xX]{3,}(?![A-Za-z])"),  # xxx
    re.compile(r"\.(?:\s?\.){4,}(?![\s.]*\d+\s*$)|…{2,}", re.MULTILINE),  # ....., not a TOC leader
    re.compile(r"lorem\s+ipsum", re.IGNORECASE),
)
SIGNED_KINDS = ("bsre", "pdf_signature", "ttd")  # what ``signed`` may list


@dataclass(frozen=True)
class Facts:
    """The facts of one file. ``date_page``: where the date was read; ``placeholders``:
    (page, text) of each template remnant, at most a few."""

    number: str | None
    date: date | None
    date_page: int | None
    date_text: str | None
    signed: tuple[str, ...]
    placeholders: tuple[tuple[int, str], ...]
    kind: str | None

    def to_json(self) -> dict:
        out = asdict(self)
        out["date"] = self.date.isoformat() if self.date else None
        out["signed"] = list(self.signed)
        out["placeholders"] = [list(p) for p in self.placeholders]
        return out

    @classmethod
    def from_json(cls, data: dict) -> Facts:
        return cls(
            number=data.get("number"),
            date=date.fromisoformat(data["date"]) if data.get("date") else None,
            date_page=data.get("date_page"),
            date_text=data.get("date_text"),
            signed=tuple(data.get("signed") or ()),
            placeholders=tuple((int(p), str(t)) for p, t in data.get("placeholders") or ()),
            kind=data.get("kind"),
        )


def number_of(pages: tuple[str, ...]) -> str | None:
    for page in pages[:2]:
        m = NUMBER.search(page)
        if m:
            return re.split(r"\s{3,}", m.group("n").strip())[0].strip(" .,:")[:80] or None
    return None


def signature_evidence(pages: tuple[str, ...], signature_field: bool) -> tuple[str, ...]:
    text = "\n".join(pages)
    out = []
    if BSRE.search(text):
        out.append("bsre")
    if signature_field:
        out.append("pdf_signature")
    if TYPED_SIGNATURE.search(text):
        out.append("ttd")
    return tuple(out)


def placeholders(pages: tuple[str, ...], limit: int = 5) -> tuple[tuple[int, str], ...]:
    out: list[tuple[int, str]] = []
    for number, page in enumerate(pages, start=1):
        for pattern in PLACEHOLDERS:
            for m in pattern.finditer(page):
                out.append((number, m.group(0).strip()[:40]))
                if len(out) >= limit:
                    return tuple(out)
    return tuple(out)


def kind_of_document(vocab: Vocabulary, title: str, pages: tuple[str, ...]) -> str | None:
    """The kind a document names first: in its title, else in the first lines of page 1."""
    head = "\n".join(pages[0].splitlines()[:8]) if pages else ""
    for text in (title, head):
        for concept in vocab.concepts(text):
            if concept.startswith("@"):
                return concept[1:].replace("_", " ")
    return None


def document_facts(vocab: Vocabulary, extracted: Extracted, title: str = "") -> Facts:
    pages = extracted.pages
    found = issue_date(pages)
    return Facts(
        number=number_of(pages),
        date=found.value if found else None,
        date_page=found.page if found else None,
        date_text=found.text if found else None,
        signed=signature_evidence(pages, extracted.signature_field),
        placeholders=placeholders(pages),
        kind=kind_of_document(vocab, title, pages),
    )
