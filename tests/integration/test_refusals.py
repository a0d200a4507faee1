"""The smaller refusals of the security review, on both engines: clear messages, nothing
written, never a database error."""

from __future__ import annotations

import pytest

from wbk.errors import AnswersError, InvalidInput, PermissionDenied
from wbk.services.assessment import assessments, evidence
from wbk.services.people import people
from wbk.store.tables import Answer, Unit


def _rows(ws, table) -> int:
    with ws.db.read() as s:
        return s.query(table).count()


@pytest.mark.parametrize("value", ["Ya", "", None])
def test_an_unknown_code_is_refused_even_without_a_value(world, value):
    ws, a, agen = world["ws"], world["a"], world["actors"]["agen"]
    with pytest.raises(AnswersError, match="ZZZ"):
        assessments.set_answer(ws, agen, a, "ZZZ", value)
    with pytest.raises(AnswersError, match="ZZZ"):
        assessments.save_question(ws, agen, a, "ZZZ", value, narrative="catatan")
    with pytest.raises(AnswersError, match=r"P\.MP\.i\.a#nope"):
        assessments.set_answer(ws, agen, a, "P.MP.i.a#nope", value)
    assert _rows(ws, Answer) == 0


def test_an_area_limited_agen_cannot_add_or_retire_unlinked_documents(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    with pytest.raises(PermissionDenied):
        evidence.add_link(ws, act["agen"], a, [], "https://contoh.go.id/x", "Tanpa pertanyaan")
    ev = evidence.add_link(ws, act["koordinator"], a, [], "https://contoh.go.id/y", "Umum")
    with pytest.raises(PermissionDenied):
        evidence.retire(ws, act["agen"], ev.id)
    assert evidence.retire(ws, act["koordinator"], ev.id).retired


def test_a_400_character_unit_name_is_a_clear_message(ws, op):
    with pytest.raises(InvalidInput) as err:
        people.add_unit(ws, op, "PANJANG", "K" * 400)
    assert "300" in str(err.value) and "400" in str(err.value)
    assert _rows(ws, Unit) == 0
    assert people.add_unit(ws, op, "PAS", "K" * 300).name == "K" * 300
