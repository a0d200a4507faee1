"""Matching the catalog's expected documents against a document's title, file name and text:
Indonesian stemming (PySastrawi), the synonym groups of the terms file, fuzzy words
(rapidfuzz) for what OCR misreads.

A text becomes *concepts*: the stem of every word that is not a stopword, plus ``@name`` for
every synonym phrase it contains (``surat keputusan`` -> ``@sk``). An expected item
("undangan, daftar hadir, notulen rapat pembentukan tim") is split at commas and slashes
into alternatives; it is found when one alternative is: its first concept (the kind of
document) present and at least half of its other concepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from wbk.review.terms import Terms

WORD = re.compile(r"[a-z0-9]+")
FUZZY_MIN_LEN = 5
FUZZY_SCORE = 86
SNIPPET = 120


@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The root of an Indonesian word ("pembentukan" -> "bentuk"); numbers stay."""
    if word.isdigit() or len(word) < 4:
        return word
    return _stemmer().stem(word) or word


@dataclass(frozen=True)
class Vocabulary:
    """The terms compiled for matching: one pattern finds every synonym phrase."""

    terms: Terms
    phrase_of: dict[str, str]  # phrase -> canonical
    pattern: re.Pattern | None

    def concepts(self, text: str) -> list[str]:
        """The concepts of ``text`` in order (phrases as ``@name``, other words as stems)."""
        lower = text.lower()
        out: list[str] = []
        covered: list[tuple[int, int]] = []
        if self.pattern is not None:
            for m in self.pattern.finditer(lower):
                out.append("@" + self.phrase_of[m.group(1)].replace(" ", "_"))
                covered.append(m.span(1))
        ordered = [(s, c) for (s, _), c in zip(covered, out, strict=True)]
        for m in WORD.finditer(lower):
            if any(a <= m.start() < b for a, b in covered):
                continue
            w = m.group(0)
            if len(w) < 3 or w in self.terms.stopwords:
                continue
            ordered.append((m.start(), stem(w)))
        ordered.sort()
        return [c for _, c in ordered]


_VOCABULARIES: dict[str, Vocabulary] = {}


def vocabulary(terms: Terms) -> Vocabulary:
    """The compiled terms (once per terms file)."""
    if terms.digest not in _VOCABULARIES:
        _VOCABULARIES[terms.digest] = _compile(terms)
    return _VOCABULARIES[terms.digest]


def _compile(terms: Terms) -> Vocabulary:
    phrase_of = {p: canon for canon, phrases in terms.groups.items() for p in phrases}
    if not phrase_of:
        return Vocabulary(terms, phrase_of, None)
    alternatives = "|".join(re.escape(p) for p in sorted(phrase_of, key=len, reverse=True))
    return Vocabulary(terms, phrase_of, re.compile(rf"(?<![a-z0-9])({alternatives})(?![a-z0-9])"))


@dataclass
class DocumentIndex:
    """A document's concepts, line by line: ``page`` None for the title and file name."""

    doc_id: int
    lines: list[tuple[int | None, str, frozenset[str]]] = field(default_factory=list)
    all: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # raw lower-case words, for fuzzy matching


def index_document(
    vocab: Vocabulary, doc_id: int, title: str, filename: str, pages: tuple[str, ...]
) -> DocumentIndex:
    index = DocumentIndex(doc_id)
    name = re.sub(r"\.[a-z0-9]{2,4}$", "", filename.lower()).replace("_", " ").replace("-", " ")
    sources: list[tuple[int | None, str]] = [(None, title), (None, name)]
    for number, page in enumerate(pages, start=1):
        sources.extend((number, line) for line in page.splitlines() if line.strip())
    for page, line in sources:
        concepts = frozenset(vocab.concepts(line))
        if concepts:
            index.lines.append((page, line.strip(), concepts))
            index.all |= concepts
            index.words.update(WORD.findall(line.lower()))
    return index


@dataclass(frozen=True)
class Hit:
    doc_id: int
    page: int | None
    snippet: str


def split_item(item: str) -> list[str]:
    """The alternatives of an expected item: "undangan/daftar hadir/notulen rapat" -> three."""
    plain = re.sub(r"\([^)]*\)", " ", item)
    return [p.strip() for p in re.split(r"[,/;]|\bdan\b|\batau\b", plain) if p.strip()]


def _present(vocab: Vocabulary, concept: str, index: DocumentIndex) -> bool:
    if concept in index.all:
        return True
    from rapidfuzz import fuzz, process

    if concept.startswith("@"):
        words = [p for p in vocab.terms.groups[concept[1:].replace("_", " ")] if " " not in p]
    else:
        words = [concept]
    for w in words:
        if len(w) >= FUZZY_MIN_LEN and process.extractOne(
            w, index.words, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE
        ):
            return True
    return False


def find_alternative(vocab: Vocabulary, concepts: list[str], index: DocumentIndex) -> Hit | None:
    if not concepts:
        return None
    head, rest = concepts[0], concepts[1:]
    if not _present(vocab, head, index):
        return None
    found = [c for c in rest if _present(vocab, c, index)]
    if len(found) * 2 < len(rest):
        return None
    wanted = {head, *found}
    page, line, _ = max(
        index.lines, key=lambda entry: (len(wanted & entry[2]), head in entry[2], -(entry[0] or 0))
    )
    snippet = line if len(line) <= SNIPPET else line[: SNIPPET - 1] + "…"
    return Hit(index.doc_id, page, snippet)


def find_item(vocab: Vocabulary, item: str, indexes: list[DocumentIndex]) -> list[Hit]:
    """Where ``item`` is found: at most one hit per document (the best line)."""
    alternatives = [vocab.concepts(part) for part in split_item(item)]
    hits = []
    for index in indexes:
        for concepts in alternatives:
            hit = find_alternative(vocab, concepts, index)
            if hit is not None:
                hits.append(hit)
                break
    return hits
