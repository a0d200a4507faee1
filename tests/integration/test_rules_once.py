"""Rules written once in the services: the unit chain, the new assessment's deadline.
Each test fails when its rule goes (or a second copy of it drifts)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from wbk.services.assessment import assessments
from wbk.services.core.workspace import unit_chain
from wbk.services.people import people
from wbk.services.yearly import carry
from wbk.store.tables import Unit


def test_the_unit_chain_is_the_unit_and_its_ancestors_nearest_first(ws, op):
    people.add_unit(ws, op, "KW", "Kanwil", kind="kanwil")
    people.add_unit(ws, op, "KK", "Kankemenag", parent_code="KW")
    people.add_unit(ws, op, "KUA", "KUA", parent_code="KK")
    people.add_unit(ws, op, "KK2", "Kankemenag 2", parent_code="KW")
    with ws.db.read() as s:
        ids = {u.code: u.id for u in s.query(Unit)}
        assert unit_chain(s, ids["KUA"]) == [ids["KUA"], ids["KK"], ids["KW"]]
        assert unit_chain(s, ids["KK2"]) == [ids["KK2"], ids["KW"]]
        assert unit_chain(s, ids["KW"]) == [ids["KW"]]


def test_a_cycle_in_the_unit_tree_ends_the_chain(ws, op):
    people.add_unit(ws, op, "X", "X")
    people.add_unit(ws, op, "Y", "Y", parent_code="X")
    with ws.db.write() as s:
        ids = {u.code: u.id for u in s.query(Unit)}
        s.execute(update(Unit).where(Unit.id == ids["X"]).values(parent_id=ids["Y"]))
    with ws.db.read() as s:
        assert unit_chain(s, ids["Y"]) == [ids["Y"], ids["X"]]


def test_a_new_assessment_is_due_on_31_may_of_its_year_whichever_way_it_is_made(world):
    ws, op = world["ws"], world["op"]
    fresh = assessments.create_assessment(ws, op, "B", 2027)
    assert fresh.deadline == date(2027, 5, 31)
    carried = carry.create_from(ws, op, "A", 2027, world["a"])
    assert carried.assessment.deadline == date(2027, 5, 31)
    chosen = assessments.create_assessment(ws, op, "B", 2028, deadline=date(2028, 3, 1))
    assert chosen.deadline == date(2028, 3, 1)
