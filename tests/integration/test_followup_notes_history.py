"""Per-question history from the audit trail, replies under review notes, due counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from wbk.errors import Conflict, PermissionDenied
from wbk.services.assessment import assessments, history, note_threads, notes
from wbk.services.people import people
from wbk.services.plan import tasks
from wbk.services.yearly import carry
from wbk.store.tables import Base


def test_the_migration_builds_the_tables_the_code_uses(ws):
    with ws.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    names = ("note_reply", "unit_branding", "'email'", "ix_audit_event_entity_id")
    mine = [d for d in diff if any(x in repr(d) for x in names)]
    assert mine == []


# --- history ------------------------------------------------------------------------------------


def test_history_names_who_changed_what_from_what_to_what(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.b", "C", narrative="SK belum ada")
    assessments.set_answer(ws, act["koordinator"], a, "P.MP.i.b", "A", narrative="SK belum ada")
    assessments.set_answer(ws, act["koordinator"], a, "P.MP.i.b", "A", narrative="SK terbit")
    assessments.set_answer(ws, act["tpi"], a, "P.MP.i.b", "B", tier="tpi")
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya")  # another question
    assessments.set_answer(ws, act["agen"], a, "R.MP.i.a#agen", "12")

    got = history.question_history(ws, act["pimpinan"], a, "P.MP.i.b")
    assert [(e.tier, e.actor, e.before, e.after, e.narrative_changed) for e in got] == [
        ("tpi", "tpi", None, "B", False),
        ("self", "koordinator", "A", "A", True),
        ("self", "koordinator", "C", "A", False),
        ("self", "agen", None, "C", True),
    ]
    assert got[1].narrative == "SK terbit"
    assert all(e.kind == "set" for e in got)
    assert got[0].at >= got[-1].at

    inputs = history.question_history(ws, act["koordinator"], a, "R.MP.i.a")
    assert [(e.code, e.after) for e in inputs] == [("R.MP.i.a#agen", "12")]
    assert history.question_history(ws, act["koordinator"], a, "P.MP.ii.a") == []


def test_history_uses_display_names_and_needs_read_access(world):
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    people.add_user(ws, op, "sri", "Sri Wahyuni", "rahasia-123", "agen", "A", None)
    sri = people.actor_for(ws, "sri")
    assessments.set_answer(ws, sri, a, "P.TT.i.a", "B")
    (entry,) = history.question_history(ws, act["tpi"], a, "P.TT.i.a")
    assert (entry.who, entry.actor) == ("Sri Wahyuni", "sri")
    with pytest.raises(PermissionDenied):
        history.question_history(ws, act["agen_b"], a, "P.TT.i.a")


def test_history_shows_carried_and_confirmed_answers(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya", narrative="SK 2026")
    new = carry.create_from(ws, act["koordinator"], "A", 2027, a).assessment.id
    carry.confirm(ws, act["agen"], new, ["P.MP.i.a"])
    got = history.question_history(ws, act["koordinator"], new, "P.MP.i.a")
    assert [(e.kind, e.after) for e in got] == [("confirm", None), ("carry", "Ya")]
    assert got[1].source_year == 2026 and got[1].narrative == "SK 2026"


# --- threads ------------------------------------------------------------------------------------


def _note(world, owner="agen", due=None):
    return notes.add_note(
        world["ws"],
        world["actors"]["tpi"],
        world["a"],
        "P.MP.i.b",
        "Mana SK-nya?",
        "tinggi",
        owner,
        due,
    )


def test_a_note_grows_a_thread_of_replies(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    n = _note(world)
    note_threads.add_reply(ws, act["agen"], n.id, "SK sedang ditandatangani.")
    note_threads.add_reply(ws, act["tpi"], n.id, "Unggah setelah terbit.")
    threads = note_threads.list_replies(ws, act["pimpinan"], a)
    assert [(r.author, r.text) for r in threads[n.id]] == [
        ("agen", "SK sedang ditandatangani."),
        ("tpi", "Unggah setelah terbit."),
    ]
    with pytest.raises(PermissionDenied):  # another unit's agen
        note_threads.add_reply(ws, act["agen_b"], n.id, "?")
    with pytest.raises(PermissionDenied):  # read-only role
        note_threads.add_reply(ws, act["pimpinan"], n.id, "?")
    notes.set_note_status(ws, act["tpi"], n.id, "closed")
    with pytest.raises(Conflict):
        note_threads.add_reply(ws, act["agen"], n.id, "lagi")
    with pytest.raises(PermissionDenied):
        note_threads.list_replies(ws, act["agen_b"], a)


def test_notes_in_work_order_and_due_counts(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    today = date.today()
    later = _note(world, "agen", today + timedelta(days=5))
    late = _note(world, "agen", today - timedelta(days=2))
    none = _note(world, "koordinator", None)
    answered = _note(world, "agen", today - timedelta(days=9))
    notes.respond(ws, act["agen"], answered.id, "sudah")
    items = notes.list_notes(ws, act["agen"], a)
    order = [n.id for n in note_threads.work_order(items, today)]
    assert order == [late.id, later.id, none.id, answered.id]

    assert note_threads.due_counts(ws, act["agen"], a) == {"notes": 2, "plan": 0}
    assert note_threads.due_counts(ws, act["tpi"], a)["notes"] == 1  # answered, to review
    assert note_threads.due_counts(ws, act["pimpinan"], a) == {"notes": 0, "plan": 0}
    tasks.create_tasks(ws, act["koordinator"], a, [tasks.NewTask("P.MP.i.a", "Ya", "agen", today)])
    tomorrow = today + timedelta(days=1)
    assert note_threads.due_counts(ws, act["agen"], a, tomorrow)["plan"] == 1
    assert note_threads.due_counts(ws, act["agen"], a, today)["plan"] == 0
