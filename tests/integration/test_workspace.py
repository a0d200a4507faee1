"""The workspace on SQLite and PostgreSQL: answers with locking, evidence, notes, audit."""

from __future__ import annotations

import io
from datetime import date
from fractions import Fraction

import pytest
from pypdf import PdfWriter
from sqlalchemy import select, text

from wbk.errors import AnswersError, Conflict, PermissionDenied
from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments, evidence, notes
from wbk.services.core import integrity
from wbk.store.tables import AuditEvent


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 200)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_migrations_are_idempotent(ws):
    ws.db.migrate()
    ws.db.migrate()
    with ws.db.read() as s:
        assert s.execute(text("select count(*) from audit_head")).scalar() == 1


def test_answers_score_and_three_tiers(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "ya")
    assessments.set_answer(ws, act["koordinator"], a, "H.I.a", "3.6")
    assessments.set_answer(ws, act["tpi"], a, "P.MP.i.a", "Tidak", tier="tpi")
    _, self_card, _ = assessments.score_assessment(ws, act["pimpinan"], a, "self")
    _, tpi_card, _ = assessments.score_assessment(ws, act["pimpinan"], a, "tpi")
    assert self_card.questions["P.MP.i.a"].value == 1
    assert self_card.results["ipak"].score == Fraction("15.75")
    assert tpi_card.questions["P.MP.i.a"].value == 0
    stored = assessments.answers_of(ws, act["pimpinan"], a)
    assert stored["P.MP.i.a"].value == "Ya"  # canonical form
    assert stored["P.MP.i.a"].updated_by == "agen"


def test_optimistic_locking_names_who_changed_it(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    first = assessments.set_answer(ws, act["agen"], a, "P.MP.i.b", "B", expected_version=0)
    assert first.version == 1
    # two people loaded version 1; koordinator saves first
    assessments.set_answer(ws, act["koordinator"], a, "P.MP.i.b", "A", expected_version=1)
    with pytest.raises(Conflict) as info:
        assessments.set_answer(ws, act["agen"], a, "P.MP.i.b", "C", expected_version=1)
    assert "koordinator" in info.value.message("en")
    assert assessments.answers_of(ws, act["agen"], a)["P.MP.i.b"].value == "A"
    with pytest.raises(Conflict):  # "I think nobody answered yet" but someone did
        assessments.set_answer(ws, act["agen"], a, "P.MP.i.b", "C", expected_version=0)


def test_invalid_answer_refused_and_nothing_written(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    with pytest.raises(AnswersError):
        assessments.set_answer(ws, act["agen"], a, "P.MP.i.b", "E")
    rows = [AnswerRow("P.MP.i.a", "Ya", 2), AnswerRow("P.MP.i.b", "Z", 3)]
    with pytest.raises(AnswersError) as info:
        answer_import.import_answers(ws, act["koordinator"], a, rows)
    assert info.value.problems[0].line == 3
    assert assessments.answers_of(ws, act["agen"], a) == {}


def test_locked_assessment_refuses_every_change(world):
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya")
    view = assessments.set_status(ws, act["koordinator"], a, "locked")
    assert view.status == "locked"
    with pytest.raises(Conflict):
        assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Tidak")
    with pytest.raises(Conflict):
        evidence.add_file(ws, act["agen"], a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk.pdf")
    with pytest.raises(Conflict):
        notes.add_note(ws, act["tpi"], a, "P.MP.i.a", "Lengkapi SK")
    assessments.set_status(ws, op, a, "draft")  # only an administrator unlocks
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Tidak")


def test_evidence_revisions_links_and_retire(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    ev = evidence.add_file(
        ws,
        act["agen"],
        a,
        ["P.MP.i.a", "P.MP.ii.a"],
        io.BytesIO(pdf_bytes()),
        "SK Tim ZI.pdf",
        title="SK Tim ZI",
        document_date=date(2026, 1, 5),
    )
    assert ev.codes == ["P.MP.i.a", "P.MP.ii.a"]
    assert ev.latest.revision == 1 and ev.latest.media_type == "application/pdf"
    assert len(ev.latest.sha256) == 64 and ev.latest.uploaded_by == "agen"
    v2 = evidence.add_revision(ws, act["agen"], ev.id, io.BytesIO(pdf_bytes(2)), "SK v2.pdf")
    assert [r.revision for r in v2.revisions] == [1, 2]
    assert v2.revisions[0].sha256 == ev.latest.sha256  # the first revision is untouched
    assert ws.blobs.exists(ev.latest.sha256) and ws.blobs.exists(v2.latest.sha256)
    used = evidence.where_used(ws, act["pimpinan"], ev.latest.sha256)
    assert used == [(a, ev.id, ["P.MP.i.a", "P.MP.ii.a"])]
    evidence.retire(ws, act["koordinator"], ev.id)
    assert evidence.list_evidence(ws, act["pimpinan"], a) == []
    kept = evidence.list_evidence(ws, act["pimpinan"], a, include_retired=True)
    assert kept[0].retired and len(kept[0].revisions) == 2


def test_identical_files_are_stored_once(world):
    ws, a, b, act = world["ws"], world["a"], world["b"], world["actors"]
    data = pdf_bytes()  # the same file in two units' assessments: one blob
    e1 = evidence.add_file(ws, act["agen"], a, ["P.MP.i.a"], io.BytesIO(data), "a.pdf")
    e2 = evidence.add_file(ws, act["agen_b"], b, ["P.MP.i.b"], io.BytesIO(data), "b.pdf")
    assert e1.latest.sha256 == e2.latest.sha256
    assert list(ws.blobs.names()) == [e1.latest.sha256]


def test_refused_upload_leaves_no_row_and_no_file(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    from wbk.uploads import UploadRefused

    with pytest.raises(UploadRefused) as info:
        evidence.add_file(
            ws,
            act["agen"],
            a,
            ["P.MP.i.a"],
            io.BytesIO(b"MZ\x90\x00" + b"\x00" * 500),
            "laporan.pdf",
        )
    assert "laporan.pdf" in info.value.message("en") or "not allowed" in info.value.message("en")
    assert evidence.list_evidence(ws, act["agen"], a, include_retired=True) == []
    assert list(ws.blobs.names()) == []
    assert list(ws.blobs.staging_dir().iterdir()) == []


def test_warnings_wrong_year_expired_and_missing_evidence(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    evidence.add_file(
        ws,
        act["agen"],
        a,
        ["P.MP.i.a"],
        io.BytesIO(pdf_bytes()),
        "lama.pdf",
        document_date=date(2024, 3, 1),
    )
    evidence.add_file(
        ws,
        act["agen"],
        a,
        ["P.MP.ii.a"],
        io.BytesIO(pdf_bytes(2)),
        "sk.pdf",
        document_date=date(2026, 2, 1),
        valid_until=date(2026, 6, 30),
    )
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya")
    assessments.set_answer(ws, act["agen"], a, "P.MP.iii.a", "B")
    warnings = evidence.evidence_warnings(ws, act["pimpinan"], a, today=date(2026, 8, 1))
    got = {(w.kind, w.code) for w in warnings}
    assert got == {
        ("wrong_year", "P.MP.i.a"),
        ("expired", "P.MP.ii.a"),
        ("no_evidence", "P.MP.iii.a"),
    }


def test_review_notes_flow(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    note = notes.add_note(
        ws,
        act["tpi"],
        a,
        "P.MP.i.b",
        "Mekanisme pemilihan belum ada",
        severity="tinggi",
        owner="agen",
        due_date=date(2026, 4, 30),
    )
    assert (note.status, note.owner) == ("open", "agen")
    ev = evidence.add_file(ws, act["agen"], a, ["P.MP.i.b"], io.BytesIO(pdf_bytes()), "m.pdf")
    answered = notes.respond(
        ws, act["agen"], note.id, "Sudah disusun", ev.id, expected_version=note.version
    )
    assert (answered.status, answered.closing_evidence_id) == ("answered", ev.id)
    with pytest.raises(PermissionDenied):
        notes.set_note_status(ws, act["agen"], note.id, "closed")
    closed = notes.set_note_status(ws, act["tpi"], note.id, "closed")
    assert closed.status == "closed"
    with pytest.raises(Conflict):
        notes.respond(ws, act["agen"], note.id, "lagi", expected_version=note.version)


def test_every_change_is_audited_in_one_chain(world):
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    with ws.db.read() as s:
        before = s.execute(select(AuditEvent.seq)).scalars().all()
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya")
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Tidak")
    with ws.db.read() as s:
        events = s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
    assert len(events) == len(before) + 2
    last = events[-1]
    assert (last.actor, last.action, last.entity_id) == ("agen", "answer.set", f"{a}:self:P.MP.i.a")
    assert '"value":"Ya"' in last.before and '"value":"Tidak"' in last.after
    assert last.prev_hash == events[-2].hash
    assert integrity.verify(ws, op).ok


def test_verify_finds_altered_missing_orphan_and_tampered_audit(world):
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    e1 = evidence.add_file(ws, act["agen"], a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "a.pdf")
    e2 = evidence.add_file(ws, act["agen"], a, ["P.MP.i.b"], io.BytesIO(pdf_bytes(2)), "b.pdf")
    assert integrity.verify(ws, op).ok
    p1 = ws.blobs.path_of(e1.latest.sha256)
    p1.chmod(0o644)
    p1.write_bytes(p1.read_bytes() + b"x")
    ws.blobs.path_of(e2.latest.sha256).unlink()
    orphan = ws.blobs.root / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir()
    orphan.write_bytes(b"stray")
    with ws.db.write() as s:
        s.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = 3"))
    report = integrity.verify(ws, op)
    kinds = sorted(k for k, _ in report.problems)
    assert kinds == ["altered", "audit", "missing"]
    assert report.orphans == ["ab" + "0" * 62]  # reported apart: a leftover, not corruption


def test_deleting_the_last_audit_event_is_detected(world):
    ws, op = world["ws"], world["op"]
    with ws.db.write() as s:
        last = s.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).scalar()
        s.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": last})
    problems = integrity.verify(ws, op).problems
    assert problems and problems[0][0] == "audit"
