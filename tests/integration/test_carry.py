"""Carry forward on SQLite and PostgreSQL: the new year starts from last year's answers and
documents, marked until confirmed; carried documents are judged against the new year; the
dashboard and the report compare the two years."""

from __future__ import annotations

import io
import json
from datetime import date
from fractions import Fraction

import pytest
from docx import Document
from sqlalchemy import select

from tests.integration.test_workspace import pdf_bytes
from wbk.errors import Conflict, InvalidInput, PermissionDenied
from wbk.services.assessment import assessments, evidence, notes, reports
from wbk.services.assessment.context import load_context
from wbk.services.assessment.dashboard import dashboard
from wbk.services.yearly import carry
from wbk.services.yearly import compare as yearly
from wbk.store.tables import AuditEvent

TODAY = date(2027, 3, 1)  # a day in the new year's cycle


@pytest.fixture
def last_year(world):
    """Assessment A of 2026 as last year, carried to 2027:

    self answers: P.MP.i.a Ya (+ penjelasan), P.MP.i.b B, R.MP.i.a from counts 9 / 12
                  (+ penjelasan), P.TT.i.a C, H.I.a 3.6; the TPI answered P.MP.i.a Tidak
    documents:  sk    -> P.MP.i.a   dated 2026-01-08                       (last year's date)
                sop   -> P.TT.i.a   dated 2027-01-05                       (fine in 2027)
                pakta -> P.MP.ii.a  dated 2026-01-10, valid to 2026-12-31  (expired in 2027)
                foto  -> P.MP.iv.a  no date at all                         (date unknown)
                situs -> P.PP.i.a   a link dated 2027-01-15                (fine in 2027)
                lama  -> P.MP.i.b   retired                                (not carried)
    a TPI note on P.MP.i.b
    """
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    agen, koord = act["agen"], act["koordinator"]
    assessments.set_answer(ws, agen, a, "P.MP.i.a", "Ya", narrative="SK Tim ZI Nomor 12/2026")
    assessments.set_answer(ws, agen, a, "P.MP.i.b", "B")
    assessments.save_question(
        ws, agen, a, "R.MP.i.a", None, "Satu agen satu perubahan", {"perubahan": "9", "agen": "12"}
    )
    assessments.set_answer(ws, koord, a, "P.TT.i.a", "C")
    assessments.set_answer(ws, koord, a, "H.I.a", "3.6")
    assessments.set_answer(ws, act["tpi"], a, "P.MP.i.a", "Tidak", tier="tpi")
    notes.add_note(ws, act["tpi"], a, "P.MP.i.b", "Lampirkan notulen")

    def add(codes, n, **dates):
        return evidence.add_file(ws, op, a, codes, io.BytesIO(pdf_bytes(n)), f"d{n}.pdf", **dates)

    docs = {
        "sk": add(["P.MP.i.a"], 1, document_date=date(2026, 1, 8)),
        "sop": add(["P.TT.i.a"], 2, document_date=date(2027, 1, 5)),
        "pakta": add(
            ["P.MP.ii.a"], 3, document_date=date(2026, 1, 10), valid_until=date(2026, 12, 31)
        ),
        "foto": add(["P.MP.iv.a"], 4),
        "situs": evidence.add_link(
            ws, op, a, ["P.PP.i.a"], "https://ptsp.example.go.id", "Situs PTSP", date(2027, 1, 15)
        ),
        "lama": add(["P.MP.i.b"], 5, document_date=date(2026, 1, 9)),
    }
    evidence.add_revision(ws, op, docs["sk"].id, io.BytesIO(pdf_bytes(6)), "sk-rev2.pdf")
    evidence.retire(ws, op, docs["lama"].id)
    return {**world, "docs": docs}


def _carry(last_year, actor_name="koordinator"):
    ws, a = last_year["ws"], last_year["a"]
    return carry.create_from(ws, last_year["actors"][actor_name], "A", 2027, a)


def _events(ws, assessment_id, actions=None):
    with ws.db.read() as s:
        q = select(AuditEvent).where(
            AuditEvent.entity == "assessment", AuditEvent.entity_id == str(assessment_id)
        )
        rows = s.execute(q.order_by(AuditEvent.seq)).scalars().all()
        return [e for e in rows if actions is None or e.action in actions]


def test_answers_come_along_equal_and_unconfirmed(last_year):
    ws, a, op = last_year["ws"], last_year["a"], last_year["op"]
    result = _carry(last_year)
    new = result.assessment.id
    # questions: P.MP.i.a, P.MP.i.b, R.MP.i.a (by its counts), P.TT.i.a, H.I.a
    assert (result.questions, result.narratives, result.not_carried) == (5, 2, [])
    before = assessments.answers_of(ws, op, a, "self")
    after = assessments.answers_of(ws, op, new, "self")
    assert {c: (v.value, v.narrative) for c, v in after.items()} == {
        c: (v.value, v.narrative) for c, v in before.items()
    }
    assert result.rows == len(after) == 7  # 5 questions, R.MP.i.a's two counts
    assert {v.carried_from for v in after.values()} == {2026}
    assert {v.version for v in after.values()} == {1}

    ctx = load_context(ws, last_year["actors"]["pimpinan"], new, TODAY)
    assert yearly.unconfirmed(ctx) == ["P.MP.i.a", "P.MP.i.b", "P.TT.i.a", "R.MP.i.a", "H.I.a"]
    assert ctx.answers.get("tpi", {}) == {}  # the TPI's own tier stays behind
    assert ctx.notes == []  # and so do its notes
    # scored like last year: 0.25 + 0.125 + 0.75 + 0.33/3 + 15.75 (H.I.a 3.6/4 x 17.5)
    assert ctx.card("self").total == Fraction("16.985")
    assert ctx.assessment.year == 2027 and ctx.assessment.catalog_id == "lke-zi-2021"


def test_documents_are_linked_not_copied(last_year):
    ws, a, op, docs = last_year["ws"], last_year["a"], last_year["op"], last_year["docs"]
    blobs_before = sorted(ws.blobs.names())
    result = _carry(last_year)
    assert sorted(ws.blobs.names()) == blobs_before  # no file written or copied
    # five documents in use (the retired one stays), sk with its two revisions
    assert (result.documents, result.links, result.revisions) == (5, 5, 5)
    old = {d.title: d for d in evidence.list_evidence(ws, op, a)}
    new = {d.title: d for d in evidence.list_evidence(ws, op, result.assessment.id)}
    assert set(new) == set(old) == {"d1.pdf", "d2.pdf", "d3.pdf", "d4.pdf", "Situs PTSP"}
    for title, doc in new.items():
        was = old[title]
        assert doc.id != was.id and doc.carried_from == was.id
        assert doc.codes == was.codes
        assert [(r.revision, r.sha256, r.filename) for r in doc.revisions] == [
            (r.revision, r.sha256, r.filename) for r in was.revisions
        ]
        assert (doc.document_date, doc.valid_until, doc.url) == (
            was.document_date,
            was.valid_until,
            was.url,
        )
    sk = new["d1.pdf"]
    assert [r.filename for r in sk.revisions] == ["d1.pdf", "sk-rev2.pdf"]
    latest, stream = evidence.open_revision(ws, op, sk.id)
    assert latest.revision == 2
    with stream:
        assert stream.read() == pdf_bytes(6)  # the same stored file, read through the new row
    assert docs["lama"].id not in {d.carried_from for d in new.values()}


def test_carried_documents_are_checked_against_the_new_year(last_year):
    ws, act = last_year["ws"], last_year["actors"]
    new = _carry(last_year).assessment.id
    ctx = load_context(ws, act["pimpinan"], new, TODAY)
    kinds = {d.title: d.warnings for d in ctx.documents}
    assert kinds == {
        "d1.pdf": ["wrong_year", "renew"],  # dated 2026, the year is now 2027
        "d2.pdf": [],  # dated 2027: kept as it is
        "d3.pdf": ["wrong_year", "expired", "renew"],  # valid until 31 Dec 2026
        "d4.pdf": ["undated"],  # neither a date nor a validity
        "Situs PTSP": [],
    }
    ids = {d.title: d.id for d in ctx.documents}
    flagged = sorted(
        (w.kind, w.code, w.evidence_id, w.detail)
        for w in dashboard(ws, act["pimpinan"], new, TODAY).warnings
        if w.kind in ("renew", "undated")
    )
    assert flagged == [
        ("renew", "P.MP.i.a", ids["d1.pdf"], "2026-01-08"),  # renew for its date
        ("renew", "P.MP.ii.a", ids["d3.pdf"], "2026-12-31"),  # renew for its expiry
        ("undated", "P.MP.iv.a", ids["d4.pdf"], ""),
    ]
    assert yearly.documents_to_renew(ctx) == (2, 1)
    # the same documents in last year's assessment keep last year's verdicts
    old = load_context(ws, act["pimpinan"], last_year["a"], date(2026, 6, 1))
    assert {d.title: d.warnings for d in old.documents}["d4.pdf"] == []


def test_one_audit_event_names_the_source_and_the_counts(last_year):
    ws, a = last_year["ws"], last_year["a"]
    result = _carry(last_year)
    new = result.assessment.id
    events = _events(ws, new)
    assert [e.action for e in events] == ["assessment.create", "assessment.carry"]
    after = json.loads(events[1].after)
    assert after["source"] == a and after["source_year"] == 2026
    assert after["counts"] == {
        "questions": 5,
        "narratives": 2,
        "rows": 7,
        "documents": 5,
        "links": 5,
        "revisions": 5,
        "not_carried": 0,
    }
    # the state written is in the event, so the trail alone rebuilds it
    assert ["P.MP.i.a", "Ya", "SK Tim ZI Nomor 12/2026"] in after["answers"]
    assert len(after["links"]) == 5 and len(after["documents"]) == 5
    assert json.loads(events[0].after)["source"] == a
    assert events[1].actor == "koordinator"


def test_saving_or_confirming_marks_an_answer_as_the_units_own(last_year):
    ws, act = last_year["ws"], last_year["actors"]
    new = _carry(last_year).assessment.id
    agen, koord = act["agen"], act["koordinator"]

    def unconfirmed():
        return yearly.unconfirmed(load_context(ws, act["pimpinan"], new, TODAY))

    # a changed answer is the unit's own: a new version, no longer carried
    changed = assessments.set_answer(ws, agen, new, "P.MP.i.b", "A")
    assert (changed.version, changed.carried_from) == (2, None)
    # saving the same answer again confirms it without a new version
    same = assessments.set_answer(ws, koord, new, "H.I.a", "3.6")
    assert (same.version, same.carried_from) == (1, None)
    assert unconfirmed() == ["P.MP.i.a", "P.TT.i.a", "R.MP.i.a"]
    # confirming a percentage question confirms its counts too
    assert carry.confirm(ws, agen, new, ["R.MP.i.a"]) == [
        "R.MP.i.a",
        "R.MP.i.a#agen",
        "R.MP.i.a#perubahan",
    ]
    # an agen for MP confirms its area, not another one
    with pytest.raises(PermissionDenied):
        carry.confirm(ws, agen, new, ["P.TT.i.a"])
    assert carry.confirm(ws, agen, new, prefix="P.MP.") == ["P.MP.i.a"]
    assert unconfirmed() == ["P.TT.i.a"]
    assert carry.confirm(ws, koord, new, prefix="P.MP.") == []  # nothing left there
    confirms = _events(ws, new, {"answer.confirm"})
    assert [json.loads(e.after)["codes"] for e in confirms] == [
        ["H.I.a"],
        ["R.MP.i.a", "R.MP.i.a#agen", "R.MP.i.a#perubahan"],
        ["P.MP.i.a"],
    ]
    # confirming changes no answer: values and versions stay
    view = assessments.answers_of(ws, koord, new)["P.MP.i.a"]
    assert (view.value, view.version, view.carried_from) == ("Ya", 1, None)
    with pytest.raises(InvalidInput):
        carry.confirm(ws, koord, new)


def test_who_may_carry_and_from_what(last_year):
    ws, a, act = last_year["ws"], last_year["a"], last_year["actors"]
    for name in ("pimpinan", "agen", "tpi"):
        with pytest.raises(PermissionDenied):
            _carry(last_year, name)
    with pytest.raises(InvalidInput) as other:  # unit B's 2026 assessment cannot start A's
        carry.create_from(ws, act["admin"], "A", 2027, last_year["b"])
    assert other.value.key == "yearly.other_unit"
    with pytest.raises(InvalidInput) as earlier:
        carry.create_from(ws, act["koordinator"], "A", 2025, a)
    assert earlier.value.key == "yearly.not_later"
    _carry(last_year)
    with pytest.raises(Conflict):  # 2027 exists now
        _carry(last_year)
    assessments.set_status(ws, act["koordinator"], a, "locked")
    new = carry.create_from(ws, act["koordinator"], "A", 2028, a)  # a locked source is read only
    assert new.questions == 5


def test_the_dashboard_compares_the_two_years(last_year):
    ws, act = last_year["ws"], last_year["actors"]
    new = _carry(last_year).assessment.id
    assessments.set_answer(ws, act["agen"], new, "P.MP.i.b", "A")  # B 0.5 -> A 1
    assessments.set_answer(ws, act["koordinator"], new, "P.TT.i.a", "D")  # C 0.33 -> D 0
    board = dashboard(ws, act["pimpinan"], new, TODAY)
    cmp = yearly.compare_years(board.context)
    assert (cmp.previous_year, cmp.current_year, cmp.previous_id) == (2026, 2027, last_year["a"])
    scores = {p.key: (p.previous, p.current) for p in cmp.components + cmp.areas}
    # 2026: 0.25 + 0.125 + 0.75 + 0.11 + 15.75 = 16.985; 2027: P.MP.i.b +0.125, P.TT.i.a -0.11
    assert scores["total"] == (Fraction("16.985"), Fraction("17.000"))
    assert scores["pengungkit"] == (Fraction("1.235"), Fraction("1.25"))
    assert scores["hasil"] == (Fraction("15.75"), Fraction("15.75"))
    # MP: P.MP 0.25 + 0.125 and R.MP 0.75 = 1.125; then 0.25 + 0.25 + 0.75 = 1.25
    assert scores["MP"] == (Fraction("1.125"), Fraction("1.25"))
    assert scores["TT"] == (Fraction("0.11"), Fraction(0))
    gates = {(g.predicate, g.gate): g for g in cmp.gates}
    total = gates[("WBK", "total")]
    assert (total.previous, total.current, total.current_minimum) == (
        Fraction("16.985"),
        Fraction(17),
        Fraction(75),
    )
    assert (total.previous_passed, total.current_passed) == (False, False)
    ipak = gates[("WBK", "ipak")]
    assert (ipak.previous_passed, ipak.current_passed) == (True, True)  # 15.75 >= 15.75
    assert len(cmp.gates) == len(board.card.verdicts["WBK"].gates) + len(
        board.card.verdicts["WBBM"].gates
    )
    # moved: P.MP.i.b 0.125 -> 0.25 points (0.5/2 per unit); P.TT.i.a 0.11 -> 0 (1.0/3)
    assert [(m.code, m.previous, m.current, m.delta) for m in cmp.up] == [
        ("P.MP.i.b", Fraction(1, 2), Fraction(1), Fraction(1, 8))
    ]
    assert [(m.code, m.delta) for m in cmp.down] == [("P.TT.i.a", -Fraction("0.11"))]
    # P.MP.i.a, R.MP.i.a and H.I.a still as carried; two documents to renew, one undated
    assert (cmp.unconfirmed, cmp.renew, cmp.undated) == (3, 2, 1)


def test_no_comparison_without_an_earlier_year(last_year):
    ws, act = last_year["ws"], last_year["actors"]
    board = dashboard(ws, act["pimpinan"], last_year["a"], TODAY)
    assert yearly.compare_years(board.context) is None


def test_the_report_has_the_comparison_chapter(last_year):
    ws, act = last_year["ws"], last_year["actors"]
    new = _carry(last_year).assessment.id
    assessments.set_answer(ws, act["agen"], new, "P.MP.i.b", "A")
    data = reports.report_data(ws, act["koordinator"], new)
    assert data.comparison is not None and data.comparison.previous_year == 2026
    doc = Document(io.BytesIO(reports.word_report(ws, act["koordinator"], new)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Dibanding tahun lalu (2026)" in headings
    assert "Naik (1 pertanyaan)" in headings and "Turun (0 pertanyaan)" in headings
    cells = {c.text for table in doc.tables for row in table.rows for c in row.cells}
    assert {"P.MP.i.b", "16,99", "17,11", "+0,13"} <= cells  # total 16.985 -> 17.11 (+0.125)
    assert reports.report_data(ws, act["tpi"], new, "tpi").comparison is None
