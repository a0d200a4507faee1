"""The pre-review end to end on both engines: a corpus of generated documents is uploaded,
read (text and OCR), matched and judged; people accept and dismiss findings."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest

from tests.support.review_corpus import (
    DOCX_REPORT,
    NOTULEN,
    OLD_LETTER,
    SCANNED_SK,
    SK,
    TEMPLATE,
    docx_file,
    scan_pdf,
    text_pdf,
)
from wbk.errors import PermissionDenied
from wbk.review.extract import ocr_available
from wbk.services.assessment import assessments, evidence, notes
from wbk.services.review import decisions, reviews


@pytest.fixture(autouse=True)
def _tesseract():
    if not ocr_available():
        if os.environ.get("CI") == "true":
            pytest.fail("tesseract-ocr with tesseract-ocr-ind is required under CI=true")
        pytest.skip("tesseract-ocr-ind not installed")


def upload(ws, actor, assessment, codes, data, name, title, **kw):
    return evidence.add_file(ws, actor, assessment, codes, io.BytesIO(data), name, title, **kw)


def finding_codes(q):
    return sorted((f["code"], f["document"]) for f in q["findings"])


def test_a_corpus_is_read_matched_and_judged(world):
    ws, op, a, b = world["ws"], world["op"], world["a"], world["b"]
    sk = upload(ws, op, a, ["P.MP.i.a"], text_pdf(SK), "sk_tim_zi.pdf", "SK Tim Kerja ZI")
    notulen_pdf = text_pdf(NOTULEN)
    minutes = upload(
        ws, op, a, ["P.MP.i.a", "P.MP.i.b"], notulen_pdf, "notulen.pdf", "Notulen pembentukan"
    )
    assert minutes.codes == ["P.MP.i.a", "P.MP.i.b"]
    letter = upload(ws, op, a, ["P.MP.ii.a"], text_pdf(OLD_LETTER), "se.pdf", "Surat edaran")
    report = upload(
        ws,
        op,
        a,
        ["P.MP.iii.b"],
        docx_file(DOCX_REPORT),
        "laporan_monev.docx",
        "Laporan monev triwulan I",
        document_date=date(2026, 3, 30),
    )
    assessments.set_answer(ws, op, a, "P.MP.i.a", "Ya")
    assessments.set_answer(ws, op, a, "P.MP.ii.a", "Ya")
    # an upload queues its file at once: before any review, nothing is read yet
    assert reviews.progress(ws, op, a) == (0, 4)

    r = reviews.review_assessment(ws, world["actors"]["pimpinan"], a)
    assert r.pending == 0
    out = r.to_json()
    assert out["period"] == {"start": "2025-01-01", "end": "2026-05-31"}
    q = {x["code"]: x for x in out["questions"]}
    docs = {d["id"]: d for d in out["documents"]}

    assert q["P.MP.i.a"]["verdict"] == "hijau" and q["P.MP.i.a"]["findings"] == []
    assert [e["found"] for e in q["P.MP.i.a"]["expected"]] == [True, True]
    assert docs[sk.id] | {"sha256": None} == {
        "id": sk.id,
        "title": "SK Tim Kerja ZI",
        "sha256": None,
        "text_source": "text",
        "pages": 2,
        "number": "12 TAHUN 2026",
        "date": "2026-01-02",
        "signed": ["bsre"],
        "in_period": True,
    }
    assert q["P.MP.i.b"]["verdict"] == "kuning"
    assert {f["code"] for f in q["P.MP.i.b"]["findings"]} == {"expected_missing"}
    assert (q["P.MP.ii.a"]["verdict"], q["P.MP.ii.a"]["unsupported_claim"]) == ("merah", True)
    assert finding_codes(q["P.MP.ii.a"]) == [("outside_period", letter.id)]
    assert docs[letter.id]["in_period"] is False and docs[letter.id]["date"] == "2019-03-15"
    assert q["P.MP.iii.b"]["verdict"] == "kuning"
    assert finding_codes(q["P.MP.iii.b"]) == [
        ("date_mismatch", report.id),
        ("expected_missing", None),
    ]
    assert q["P.MP.iii.b"]["expected"][0]["documents"][0]["id"] == report.id
    assert q["P.MP.iv.a"]["verdict"] == "kosong"
    assert out["summary"]["hijau"] == 1 and sum(out["summary"].values()) == len(out["questions"])
    message = q["P.MP.ii.a"]["findings"][0]
    assert message["source"] == "rule" and "2019-03-15" in message["message"]

    # the same bytes for the other unit: known already, nothing to read again
    minutes_b = upload(ws, op, b, ["P.MP.i.b"], notulen_pdf, "notulen-b.pdf", "Notulen rapat B")
    assert reviews.progress(ws, op, b) == (1, 1)

    # unit B: a template and a scanned SK (OCR) beside the minutes
    template = upload(ws, op, b, ["P.MP.i.a"], text_pdf(TEMPLATE), "sk_draft.pdf", "SK Tim ZI")
    scan = upload(ws, op, b, ["P.MP.i.a"], scan_pdf(SCANNED_SK), "scan.pdf", "Pindaian SK 15")
    # the same minutes again, for another question, are refused as a copy: linked instead
    with pytest.raises(evidence.SameFileElsewhere):
        upload(ws, op, b, ["P.MP.i.a"], notulen_pdf, "notulen-b2.pdf", "Notulen rapat")
    evidence.link_question(ws, op, minutes_b.id, "P.MP.i.a")
    rb = reviews.review_assessment(ws, op, b, question="P.MP.i.a")
    (qb,) = rb.to_json()["questions"]
    assert qb["verdict"] == "kuning"
    assert finding_codes(qb) == [("template_text", template.id), ("unsigned", template.id)]
    scanned = rb.document(scan.id)
    assert (scanned["text_source"], scanned["date"], scanned["signed"]) == (
        "ocr",
        "2026-02-09",
        ["ttd"],
    )
    sk_hits = {h["id"]: h for h in qb["expected"][0]["documents"]}
    assert sk_hits[scan.id]["page"] == 1 and "TIM KERJA" in sk_hits[scan.id]["snippet"]

    # people decide: an agen may not, the TPI turns one into a note, the koordinator
    # dismisses the other; the question then turns hijau
    keys = {f["code"]: f["key"] for f in rb.question("P.MP.i.a")["findings"]}
    with pytest.raises(PermissionDenied):
        decisions.dismiss(ws, world["actors"]["agen_b"], b, "P.MP.i.a", keys["unsigned"], "x")
    note_id = decisions.accept(ws, world["actors"]["tpi"], b, "P.MP.i.a", keys["template_text"])
    (note,) = notes.list_notes(ws, op, b)
    assert note.id == note_id and note.code == "P.MP.i.a" and "[nama unit]" in note.text
    decisions.dismiss(ws, op, b, "P.MP.i.a", keys["unsigned"], "ditandatangani basah")
    after = reviews.review_assessment(ws, op, b, question="P.MP.i.a")
    (qa,) = after.questions
    assert [f["code"] for f in qa["findings"]] == ["template_text"]  # accepted: still true
    assert [f["code"] for f in qa["dismissed"]] == ["unsigned"]
    assert after.decisions[keys["template_text"]]["note_id"] == note_id

    # nothing changed: the stored verdicts come back as they were
    again = reviews.review_assessment(ws, op, a)
    assert again.to_json() == out
