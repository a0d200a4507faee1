"""Verdicts and findings of the pre-review over documents made by the tests (pure code)."""

from __future__ import annotations

from datetime import date

from tests.support.review_corpus import NOTULEN, OLD_LETTER, SK, TEMPLATE, text_pdf
from wbk.catalog import get_catalog
from wbk.review.extract import extract
from wbk.review.facts import document_facts
from wbk.review.match import index_document, vocabulary
from wbk.review.terms import default_period, load_terms
from wbk.review.verdict import ReviewDocument, is_best_answer, review_question

CATALOG = get_catalog("lke-zi-2021")
TERMS = load_terms()
VOCAB = vocabulary(TERMS)
PERIOD = default_period(2026, date(2026, 5, 31), TERMS)
CODE = "P.MP.i.a"  # SK Tim Kerja ZI; undangan, daftar hadir, notulen rapat pembentukan tim


def doc(n: int, title: str, pages, typed=None, valid_until=None, ocr=None) -> ReviewDocument:
    ext = extract(text_pdf(pages), "application/pdf", f"{title}.pdf", ocr=ocr)
    return ReviewDocument(
        id=n,
        revision_id=100 + n,
        title=title,
        filename=f"{title.lower().replace(' ', '_')}.pdf",
        sha256=f"{n:064x}",
        typed_date=typed,
        valid_until=valid_until,
        source=ext.source,
        pages=ext.pages,
        facts=document_facts(VOCAB, ext, title),
    )


def review(docs, answer="Ya", dismissed=frozenset()):
    indexes = {d.id: index_document(VOCAB, d.id, d.title, d.filename, d.pages) for d in docs}
    q = CATALOG.questions[CODE]
    scale = CATALOG.items[CODE].scale
    return review_question(
        CODE, q.evidence, scale, answer, docs, indexes, VOCAB, PERIOD, frozenset(dismissed)
    )


def codes(r):
    return sorted((f.code, f.document) for f in r.findings)


def test_sk_and_notulen_carry_the_question():
    sk = doc(1, "SK Tim ZI", SK)
    assert sk.facts.number == "12 TAHUN 2026"
    assert sk.facts.date == date(2026, 1, 2) and sk.facts.date_page == 2
    assert sk.facts.signed == ("bsre",) and sk.facts.kind == "sk"
    r = review([sk, doc(2, "Notulen rapat", NOTULEN)])
    assert r.verdict == "hijau", codes(r)
    assert not r.unsupported_claim and r.findings == []
    first = r.expected[0].hits[0]
    assert (first.doc_id, first.page) == (1, None)  # the title names it
    assert r.expected[1].hits[0].doc_id == 2


def test_no_document_is_kosong_and_an_unsupported_claim():
    r = review([], answer="Ya")
    assert (r.verdict, r.unsupported_claim) == ("kosong", True)
    assert review([], answer="Tidak").unsupported_claim is False


def test_only_the_sk_leaves_the_minutes_missing():
    r = review([doc(1, "SK Tim ZI", SK)])
    assert r.verdict == "kuning"
    assert [(f.code, f.params) for f in r.findings] == [
        ("expected_missing", {"item": "undangan, daftar hadir, notulen rapat pembentukan tim"})
    ]


def test_a_letter_of_2019_is_outside_the_period():
    r = review([doc(3, "Surat edaran layanan", OLD_LETTER)])
    assert r.verdict == "merah" and r.unsupported_claim
    (f,) = [f for f in r.findings if f.code == "outside_period"]
    assert f.params == {"date": "2019-03-15", "start": "2025-01-01", "end": "2026-05-31"}
    assert f.document == 3 and f.source == "rule"


def test_a_template_is_flagged_and_unsigned():
    r = review([doc(4, "SK Tim Kerja ZI", TEMPLATE), doc(2, "Notulen rapat", NOTULEN)])
    assert r.verdict == "kuning"
    assert codes(r) == [("template_text", 4), ("unsigned", 4)]
    assert next(f for f in r.findings if f.code == "template_text").params == {
        "text": "[nama unit]"
    }


def test_unsigned_names_the_kind_as_people_write_it():
    from wbk.i18n import t

    r = review([doc(4, "SK Tim Kerja ZI", TEMPLATE), doc(2, "Notulen rapat", NOTULEN)])
    (f,) = [f for f in r.findings if f.code == "unsigned"]
    text = t("review.finding.unsigned", lang="id", document="SK Tim Kerja ZI", **f.params)
    assert text.startswith("SK Tim Kerja ZI: SK tanpa bukti tanda tangan")
    assert TERMS.label("notulen") == "Notulen" and TERMS.label("pakta integritas") == (
        "Pakta integritas"
    )


def test_typed_date_differs_and_expired():
    sk = doc(1, "SK Tim ZI", SK, typed=date(2026, 1, 3), valid_until=date(2026, 3, 1))
    r = review([sk, doc(2, "Notulen rapat", NOTULEN)])
    assert codes(r) == [("date_mismatch", 1), ("expired", 1)]
    mismatch = next(f for f in r.findings if f.code == "date_mismatch")
    assert mismatch.params == {"typed": "2026-01-03", "found": "2026-01-02"}


def test_a_dismissed_finding_stays_away_for_the_same_revision():
    docs = [doc(1, "SK Tim ZI", SK, typed=date(2026, 1, 3)), doc(2, "Notulen rapat", NOTULEN)]
    first = review(docs)
    assert first.verdict == "kuning"
    again = review(docs, dismissed={first.findings[0].key})
    assert again.verdict == "hijau" and again.dismissed[0].code == "date_mismatch"
    other_revision = [
        ReviewDocument(**{**docs[0].__dict__, "revision_id": 999}),
        docs[1],
    ]
    assert review(other_revision, dismissed={first.findings[0].key}).verdict == "kuning"


def test_unreadable_documents_are_merah():
    broken = ReviewDocument(1, 101, "SK Tim ZI", "sk.pdf", "0" * 64, None, None, "none", error="x")
    r = review([broken])
    assert r.verdict == "merah" and codes(r) == [("unreadable", 1)]
    waiting = ReviewDocument(1, 101, "SK Tim ZI", "sk.pdf", "0" * 64, None, None, "none", True)
    assert codes(review([waiting])) == [("needs_ocr", 1)]
    unread = ReviewDocument(1, 101, "SK Tim ZI", "sk.pdf", "0" * 64, None, None, None)
    assert review([unread]).findings == []


def test_best_answers():
    scales = CATALOG.scales
    assert is_best_answer(scales["ya_tidak"], "Ya") and not is_best_answer(scales["abc"], "B")
    assert is_best_answer(scales["abcde"], "a")
    assert not is_best_answer(scales["abcd"], None)
