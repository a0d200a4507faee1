"""The same bytes are one document per assessment: refused again on the same question, offered
for linking on another, stored again once the first is retired."""

from __future__ import annotations

import io

import pytest

from tests.integration.test_workspace import pdf_bytes
from wbk.errors import Conflict
from wbk.services.assessment import evidence

SQLITE = pytest.mark.parametrize("ws", ["sqlite"], indirect=True)  # no engine-specific SQL


def _docs(ws, actor, a):
    return [d for d in evidence.list_evidence(ws, actor, a) if not d.retired]


@SQLITE
def test_the_same_file_on_the_same_question_is_refused_naming_the_document(world):
    ws, a, agen = world["ws"], world["a"], world["actors"]["agen"]
    first = evidence.add_file(ws, agen, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk.pdf", "SK")
    with pytest.raises(Conflict) as refused:
        evidence.add_file(ws, agen, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk-lagi.pdf")
    assert f"sudah ada sebagai dokumen #{first.id}" in refused.value.message("id")
    assert not isinstance(refused.value, evidence.SameFileElsewhere)
    assert len(_docs(ws, agen, a)) == 1
    # other bytes are another document
    evidence.add_file(ws, agen, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes(2)), "sk2.pdf")
    assert len(_docs(ws, agen, a)) == 2


@SQLITE
def test_the_same_file_on_another_question_offers_the_existing_document(world):
    ws, a, agen = world["ws"], world["a"], world["actors"]["agen"]
    first = evidence.add_file(ws, agen, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk.pdf", "SK")
    with pytest.raises(evidence.SameFileElsewhere) as offered:
        evidence.add_file(ws, agen, a, ["P.MP.i.b"], io.BytesIO(pdf_bytes()), "sk.pdf")
    assert offered.value.evidence_id == first.id
    assert "P.MP.i.a" in offered.value.message("id")
    linked = evidence.link_question(ws, agen, offered.value.evidence_id, "P.MP.i.b")
    assert set(linked.codes) == {"P.MP.i.a", "P.MP.i.b"}
    assert len(_docs(ws, agen, a)) == 1


@SQLITE
def test_a_retired_document_or_another_assessment_does_not_block_the_file(world):
    ws, a, b = world["ws"], world["a"], world["b"]
    agen, koord, op = world["actors"]["agen"], world["actors"]["koordinator"], world["op"]
    first = evidence.add_file(ws, agen, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk.pdf")
    evidence.add_file(ws, op, b, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk.pdf")  # unit B
    evidence.retire(ws, koord, first.id)
    again = evidence.add_file(ws, agen, a, ["P.MP.i.a"], io.BytesIO(pdf_bytes()), "sk.pdf")
    assert again.id != first.id
