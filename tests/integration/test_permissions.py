"""Every service write x every role: allowed or refused exactly as specified."""

from __future__ import annotations

import io
import itertools

import pytest

from tests.integration.test_workspace import pdf_bytes
from wbk.errors import PermissionDenied
from wbk.services.assessment import assessments, evidence, notes
from wbk.services.core import backups, integrity
from wbk.services.people import people
from wbk.store.tables import Assessment

ACTORS = ["admin", "koordinator", "agen", "pimpinan", "tpi", "agen_b"]

# Written from the issue, not from the code: who may do what on unit A (agen limited to MP).
EXPECTED = {
    "add unit": {"admin"},
    "add agen to A": {"admin", "koordinator"},
    "add tpi to A": {"admin"},
    "create assessment for A": {"admin", "koordinator"},
    "submit to TPI": {"admin", "koordinator"},
    "mark reviewed": {"tpi"},
    "lock": {"admin", "koordinator"},
    "unlock": {"admin"},
    "answer self, area MP": {"admin", "koordinator", "agen"},
    "answer self, area SDM": {"admin", "koordinator"},
    # results (survey values, capaian kinerja) need an agen given the result area explicitly
    "answer self, result item": {"admin", "koordinator"},
    "answer tpi tier": {"tpi"},
    "answer tpn tier": {"admin"},
    "upload evidence, area MP": {"admin", "koordinator", "agen"},
    "upload evidence, area SDM": {"admin", "koordinator"},
    "retire evidence, area MP": {"admin", "koordinator", "agen"},
    "write TPI note": {"tpi"},
    "respond to note, area MP": {"admin", "koordinator", "agen"},
    "close note": {"tpi"},
    "verify": {"admin"},
    "backup": {"admin"},
    "read score": {"admin", "koordinator", "agen", "pimpinan", "tpi"},
}


def operations(world, tmp_path):
    ws, a, op = world["ws"], world["a"], world["op"]
    counter = itertools.count()
    note = notes.add_note(ws, op, a, "P.MP.i.a", "Lengkapi")
    ev = evidence.add_file(ws, op, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes(90)), "x.pdf")

    def force(status):
        with ws.db.write() as session:
            session.get(Assessment, a).status = status

    def status(target, start):
        def run(actor):
            force(start)
            try:
                assessments.set_status(ws, actor, a, target)
            finally:
                force("draft")

        return run

    def fresh_evidence(actor):
        e = evidence.add_file(
            ws, op, a, ["P.MP.iv.a"], io.BytesIO(pdf_bytes(next(counter) + 1)), "r.pdf"
        )
        evidence.retire(ws, actor, e.id)

    return {
        "add unit": lambda u: people.add_unit(ws, u, f"U{next(counter)}", "Unit", "KW"),
        "add agen to A": lambda u: people.add_user(
            ws, u, f"ag{next(counter)}", role="agen", unit_code="A"
        ),
        "add tpi to A": lambda u: people.add_user(
            ws, u, f"tp{next(counter)}", role="tpi", unit_code="A"
        ),
        "create assessment for A": lambda u: assessments.create_assessment(
            ws, u, "A", 2030 + next(counter)
        ),
        "submit to TPI": status("submitted", "draft"),
        "mark reviewed": status("reviewed", "submitted"),
        "lock": status("locked", "draft"),
        "unlock": status("draft", "locked"),
        "answer self, area MP": lambda u: assessments.set_answer(ws, u, a, "P.MP.i.a", "Ya"),
        "answer self, area SDM": lambda u: assessments.set_answer(ws, u, a, "P.SDM.i.a", "Ya"),
        "answer self, result item": lambda u: assessments.set_answer(ws, u, a, "H.I.a", "3.5"),
        "answer tpi tier": lambda u: assessments.set_answer(ws, u, a, "P.MP.i.a", "Ya", "tpi"),
        "answer tpn tier": lambda u: assessments.set_answer(ws, u, a, "P.MP.i.a", "Ya", "tpn"),
        "upload evidence, area MP": lambda u: evidence.add_file(
            ws, u, a, ["P.MP.i.b"], io.BytesIO(pdf_bytes(next(counter) + 1)), "e.pdf"
        ),
        "upload evidence, area SDM": lambda u: evidence.add_file(
            ws, u, a, ["P.SDM.i.a"], io.BytesIO(pdf_bytes(next(counter) + 1)), "e.pdf"
        ),
        "retire evidence, area MP": fresh_evidence,
        "write TPI note": lambda u: notes.add_note(ws, u, a, "P.MP.ii.a", "Catatan"),
        "respond to note, area MP": lambda u: notes.respond(ws, u, note.id, "Sudah", ev.id),
        "close note": lambda u: notes.set_note_status(ws, u, note.id, "closed"),
        "verify": lambda u: integrity.verify(ws, u),
        "backup": lambda u: backups.backup(ws, u, tmp_path / f"b{next(counter)}.zip"),
        "read score": lambda u: assessments.score_assessment(ws, u, a),
    }


def test_permission_matrix(world, tmp_path):
    ops = operations(world, tmp_path)
    assert set(ops) == set(EXPECTED)
    actual: dict[str, set[str]] = {}
    for name, run in ops.items():
        allowed = set()
        for actor_name in ACTORS:
            try:
                run(world["actors"][actor_name])
            except PermissionDenied:
                continue
            allowed.add(actor_name)
        actual[name] = allowed
    mismatches = {k: (actual[k], EXPECTED[k]) for k in EXPECTED if actual[k] != EXPECTED[k]}
    assert not mismatches


def test_agen_of_another_unit_cannot_touch_unit_a(world):
    ws, a, b, act = world["ws"], world["a"], world["b"], world["actors"]
    with pytest.raises(PermissionDenied):
        assessments.set_answer(ws, act["agen_b"], a, "P.MP.i.a", "Ya")
    assessments.set_answer(ws, act["agen_b"], b, "P.MP.i.a", "Ya")  # its own unit is fine
    with pytest.raises(PermissionDenied):
        assessments.answers_of(ws, act["agen_b"], a)
    listed = {v.id for v in assessments.list_assessments(ws, act["agen_b"])}
    assert listed == {b}
    assert {v.id for v in assessments.list_assessments(ws, act["tpi"])} == {a, b}  # Kanwil TPI


def test_pimpinan_can_read_but_not_write(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    assessments.score_assessment(ws, act["pimpinan"], a)
    evidence.list_evidence(ws, act["pimpinan"], a)
    notes.list_notes(ws, act["pimpinan"], a)
    for call in (
        lambda: assessments.set_answer(ws, act["pimpinan"], a, "P.MP.i.a", "Ya"),
        lambda: evidence.add_link(ws, act["pimpinan"], a, ["P.MP.i.a"], "https://x.go.id", "x"),
        lambda: assessments.set_status(ws, act["pimpinan"], a, "submitted"),
    ):
        with pytest.raises(PermissionDenied):
            call()
