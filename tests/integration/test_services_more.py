"""Services on both engines: roles down the unit tree, reads outside one's unit, saving a
percentage question, linking evidence and assigning notes."""

from __future__ import annotations

import io
import json
from datetime import date
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from tests.integration.test_workspace import pdf_bytes
from wbk.errors import AnswersError, Conflict, NotFound, PermissionDenied
from wbk.services.assessment import assessments, evidence, notes, reports
from wbk.services.people import people
from wbk.store.tables import Answer, AuditEvent


def audit_rows(ws, action: str | None = None) -> list[AuditEvent]:
    with ws.db.read() as s:
        q = select(AuditEvent).order_by(AuditEvent.seq)
        if action is not None:
            q = q.where(AuditEvent.action == action)
        rows = list(s.execute(q).scalars())
        s.expunge_all()
        return rows


def audit_count(ws) -> int:
    with ws.db.read() as s:
        return s.execute(select(func.count()).select_from(AuditEvent)).scalar()


# --- roles down the unit tree ---------------------------------------------------------------


@pytest.fixture
def tree(world):
    """``world`` plus people granted on the Kanwil, and an assessment of the Kanwil itself."""
    ws, op = world["ws"], world["op"]
    for name, role in (("kw_koord", "koordinator"), ("kw_pimp", "pimpinan"), ("kw_agen", "agen")):
        people.add_user(ws, op, name, password="rahasia-123", role=role, unit_code="KW")
    kw = assessments.create_assessment(ws, op, "KW", 2026).id
    actors = dict(world["actors"])
    actors.update({n: people.actor_for(ws, n) for n in ("kw_koord", "kw_pimp", "kw_agen")})
    return {**world, "kw": kw, "actors": actors}


def test_kanwil_koordinator_reaches_the_satker_below(tree):
    ws, a, act = tree["ws"], tree["a"], tree["actors"]
    koord = act["kw_koord"]
    assert assessments.get_assessment_view(ws, koord, a).unit_code == "A"
    assert {v.id for v in assessments.list_assessments(ws, koord)} == {a, tree["b"], tree["kw"]}
    assessments.set_answer(ws, koord, a, "P.MP.i.a", "Ya")
    assert assessments.answers_of(ws, koord, a)["P.MP.i.a"].updated_by == "kw_koord"
    assert assessments.set_status(ws, koord, a, "submitted").status == "submitted"
    created = assessments.create_assessment(ws, koord, "A", 2027)
    assert (created.unit_code, created.year) == ("A", 2027)


def test_kanwil_pimpinan_reads_the_satker_below_but_never_writes(tree):
    ws, a, act = tree["ws"], tree["a"], tree["actors"]
    pimp = act["kw_pimp"]
    assessments.set_answer(ws, tree["op"], a, "P.MP.i.a", "Ya")
    assert assessments.answers_of(ws, pimp, a)["P.MP.i.a"].value == "Ya"
    _, card, _ = assessments.score_assessment(ws, pimp, a)
    assert card.total == Fraction(1, 4)  # P.MP.i: 0.50 / 2 questions x 1
    evidence.list_evidence(ws, pimp, a)
    notes.list_notes(ws, pimp, a)
    for write in (
        lambda: assessments.set_answer(ws, pimp, a, "P.MP.i.b", "A"),
        lambda: assessments.set_status(ws, pimp, a, "submitted"),
        lambda: assessments.create_assessment(ws, pimp, "A", 2027),
        lambda: evidence.add_link(ws, pimp, a, ["P.MP.i.a"], "https://x.go.id", "x"),
    ):
        with pytest.raises(PermissionDenied):
            write()
    assert assessments.get_assessment_view(ws, pimp, a).status == "draft"


def test_a_grant_on_one_satker_reaches_neither_its_sibling_nor_the_kanwil(tree):
    ws, act = tree["ws"], tree["actors"]
    for name in ("koordinator", "pimpinan"):
        actor = act[name]  # granted on A
        for other in (tree["b"], tree["kw"]):
            with pytest.raises(PermissionDenied):
                assessments.get_assessment_view(ws, actor, other)
            with pytest.raises(PermissionDenied):
                assessments.answers_of(ws, actor, other)
        assert {v.id for v in assessments.list_assessments(ws, actor)} == {tree["a"]}
    with pytest.raises(PermissionDenied):
        assessments.set_answer(ws, act["koordinator"], tree["kw"], "P.MP.i.a", "Ya")
    with pytest.raises(PermissionDenied):
        assessments.create_assessment(ws, act["koordinator"], "B", 2027)


def test_an_agen_of_the_kanwil_works_in_the_kanwil_only(tree):
    ws, a, act = tree["ws"], tree["a"], tree["actors"]
    agen = act["kw_agen"]
    assessments.set_answer(ws, agen, tree["kw"], "P.MP.i.a", "Ya")  # its own unit
    with pytest.raises(PermissionDenied):
        assessments.set_answer(ws, agen, a, "P.MP.i.a", "Ya")
    with pytest.raises(PermissionDenied):
        assessments.answers_of(ws, agen, a)
    with pytest.raises(PermissionDenied):
        evidence.add_link(ws, agen, a, ["P.MP.i.a"], "https://x.go.id", "x")
    assert {v.id for v in assessments.list_assessments(ws, agen)} == {tree["kw"]}


# --- reads outside one's unit ---------------------------------------------------------------


def test_reads_from_another_unit_are_refused(world):
    ws, b, act, op = world["ws"], world["b"], world["actors"], world["op"]
    doc_b = evidence.add_file(ws, op, b, ["P.MP.i.a"], io.BytesIO(pdf_bytes(3)), "b.pdf")
    note_b = notes.add_note(ws, op, b, "P.MP.i.a", "Lengkapi SK")
    evidence.open_revision(ws, act["agen_b"], doc_b.id)[1].close()  # B's own agen may
    for name in ("agen", "koordinator", "pimpinan"):  # all granted on A
        actor = act[name]
        for read in (
            lambda actor=actor: evidence.open_revision(ws, actor, doc_b.id),
            lambda actor=actor: reports.report_data(ws, actor, b),
            lambda actor=actor: notes.list_notes(ws, actor, b),
            lambda actor=actor: assessments.answers_of(ws, actor, b),
            lambda actor=actor: evidence.list_evidence(ws, actor, b),
        ):
            with pytest.raises(PermissionDenied):
                read()
    assert [n.id for n in notes.list_notes(ws, act["agen_b"], b)] == [note_b.id]
    assert reports.report_data(ws, act["agen_b"], b).unit_code == "B"


def test_where_used_lists_only_the_units_one_may_read(world):
    ws, a, b, act, op = world["ws"], world["a"], world["b"], world["actors"], world["op"]
    data = pdf_bytes(2)
    in_a = evidence.add_file(ws, act["agen"], a, ["P.MP.i.a"], io.BytesIO(data), "sk.pdf")
    in_b = evidence.add_file(ws, act["agen_b"], b, ["P.TT.i.a"], io.BytesIO(data), "sk.pdf")
    sha = in_a.latest.sha256
    assert in_b.latest.sha256 == sha  # the same file, stored once
    assert evidence.where_used(ws, act["agen"], sha) == [(a, in_a.id, ["P.MP.i.a"])]
    assert evidence.where_used(ws, act["agen_b"], sha) == [(b, in_b.id, ["P.TT.i.a"])]
    assert evidence.where_used(ws, act["tpi"], sha) == [  # TPI on the Kanwil sees both
        (a, in_a.id, ["P.MP.i.a"]),
        (b, in_b.id, ["P.TT.i.a"]),
    ]
    assert evidence.where_used(ws, op, "0" * 64) == []


# --- a percentage question saved from its counts --------------------------------------------


def test_save_question_with_counts(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    before = audit_count(ws)
    saved = assessments.save_question(
        ws,
        act["agen"],
        a,
        "R.MP.i.a",
        None,
        "Sembilan perubahan oleh dua belas agen.",
        counts={"perubahan": "9", "agen": "12"},
    )
    assert set(saved) == {"R.MP.i.a", "R.MP.i.a#perubahan", "R.MP.i.a#agen"}
    stored = assessments.answers_of(ws, act["pimpinan"], a)
    assert stored["R.MP.i.a#perubahan"].value == "9"
    assert stored["R.MP.i.a#agen"].value == "12"
    assert stored["R.MP.i.a"].narrative == "Sembilan perubahan oleh dua belas agen."
    assert stored["R.MP.i.a"].value is None  # the ratio comes from the counts
    assert audit_count(ws) == before + 3  # narrative row and both inputs, each audited
    _, card, _ = assessments.score_assessment(ws, act["pimpinan"], a)
    q = card.questions["R.MP.i.a"]
    assert q.value == Fraction(3, 4)  # 9 changes / 12 agents = 75 %
    # R.MP.i weighs 2.00 over two questions: 1.00 a question x 0.75
    assert q.points == Fraction(3, 4)
    assert card.subareas["R.MP.i"].score == Fraction(3, 4)
    assert card.total == Fraction(3, 4)


def test_save_question_missing_count_saves_nothing(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    before = audit_count(ws)
    with pytest.raises(AnswersError) as info:
        assessments.save_question(
            ws,
            act["agen"],
            a,
            "R.MP.i.a",
            None,
            "Penjelasan",
            counts={"perubahan": "9", "agen": ""},
        )
    assert [p.key for p in info.value.problems] == ["answers.missing_inputs"]
    assert assessments.answers_of(ws, act["agen"], a) == {}  # not even the narrative
    assert audit_count(ws) == before


def test_save_question_refuses_a_stale_version_naming_who_changed_it(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    # both opened the empty question (version 0 of every row); koordinator saves first
    seen = {"R.MP.i.a": 0, "R.MP.i.a#perubahan": 0, "R.MP.i.a#agen": 0}
    assessments.save_question(
        ws,
        act["koordinator"],
        a,
        "R.MP.i.a",
        None,
        None,
        {"perubahan": "9", "agen": "12"},
        "self",
        seen,
    )
    before = audit_count(ws)
    with pytest.raises(Conflict) as info:
        assessments.save_question(
            ws, act["agen"], a, "R.MP.i.a", None, "x", {"perubahan": "3", "agen": "4"}, "self", seen
        )
    assert "koordinator" in info.value.message("en")
    stored = assessments.answers_of(ws, act["agen"], a)
    assert (stored["R.MP.i.a#perubahan"].value, stored["R.MP.i.a#agen"].value) == ("9", "12")
    assert audit_count(ws) == before


# --- linking evidence to questions ----------------------------------------------------------


def test_link_and_unlink_a_question(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    agen = act["agen"]  # MP only
    doc = evidence.add_file(ws, agen, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes(4)), "sk.pdf")

    def codes() -> list[str]:
        [view] = [d for d in evidence.list_evidence(ws, act["pimpinan"], a) if d.id == doc.id]
        return view.codes

    assert evidence.link_question(ws, agen, doc.id, "P.MP.ii.a").codes == ["P.MP.i.a", "P.MP.ii.a"]
    assert codes() == ["P.MP.i.a", "P.MP.ii.a"]
    [linked] = audit_rows(ws, "evidence.link")
    assert (linked.actor, linked.entity, linked.entity_id) == ("agen", "evidence", str(doc.id))
    assert json.loads(linked.after) == {"code": "P.MP.ii.a"}

    evidence.link_question(ws, agen, doc.id, "P.MP.ii.a")  # already linked: no second event
    assert len(audit_rows(ws, "evidence.link")) == 1

    assert evidence.unlink_question(ws, agen, doc.id, "P.MP.i.a").codes == ["P.MP.ii.a"]
    assert codes() == ["P.MP.ii.a"]
    [unlinked] = audit_rows(ws, "evidence.unlink")
    assert json.loads(unlinked.before) == {"code": "P.MP.i.a"} and unlinked.after is None

    before = audit_count(ws)
    with pytest.raises(PermissionDenied):  # SDM is outside the agen's areas
        evidence.link_question(ws, agen, doc.id, "P.SDM.i.a")
    assert codes() == ["P.MP.ii.a"] and audit_count(ws) == before
    with pytest.raises(PermissionDenied):  # an agen of another unit
        evidence.link_question(ws, act["agen_b"], doc.id, "P.MP.i.b")


# --- assigning a TPI note -------------------------------------------------------------------


def test_assign_note(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    note = notes.add_note(ws, act["tpi"], a, "P.MP.i.b", "Lampirkan notulen pemilihan tim")
    assert (note.owner, note.due_date) == (None, None)
    for name in ("koordinator", "agen", "pimpinan", "agen_b"):
        with pytest.raises(PermissionDenied):
            notes.assign_note(ws, act[name], note.id, "agen", date(2026, 6, 1))
    with pytest.raises(NotFound):
        notes.assign_note(ws, act["tpi"], note.id, "tidak-ada", date(2026, 6, 1))
    before = audit_count(ws)
    assigned = notes.assign_note(ws, act["tpi"], note.id, "agen", date(2026, 6, 1))
    assert (assigned.owner, assigned.due_date) == ("agen", date(2026, 6, 1))
    assert assigned.version == note.version + 1
    [listed] = notes.list_notes(ws, act["pimpinan"], a)
    assert (listed.owner, listed.due_date) == ("agen", date(2026, 6, 1))
    assert audit_count(ws) == before + 1
    event = audit_rows(ws)[-1]
    assert (event.actor, event.entity, event.entity_id) == ("tpi", "review_note", str(note.id))
    after = json.loads(event.after)
    assert after["owner_id"] == act["agen"].user_id and after["due_date"] == "2026-06-01"
    assert json.loads(event.before)["owner_id"] is None


def test_agen_cannot_save_a_question_outside_its_areas(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    with pytest.raises(PermissionDenied):
        assessments.save_question(
            ws, act["agen"], a, "R.SDM.iii.a", None, "x", {"sebelumnya": "8", "tahun_ini": "5"}
        )
    with ws.db.read() as s:
        assert s.execute(select(func.count()).select_from(Answer)).scalar() == 0
