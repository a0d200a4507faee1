"""The types of ``/lke/jawaban-unit/{unit_id}`` against PortalRB's guide ("Panduan Teknis API
Integrasi ZI" 1.0.0, table "Field answers[]"), on SQLite and PostgreSQL: a real response for
the demo unit (options, counts and survey indexes answered, by the unit and the TPI) and the
OpenAPI document both give every answer field as a string or null."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from wbk.api import create_app
from wbk.services import demo
from wbk.services.assessment import assessments
from wbk.services.core.actor import operator
from wbk.services.people import people
from wbk.services.portalrb import proposals, tokens

# The guide's tables, written out by hand from the guide (docs/reference: PortalRB README),
# never derived from wbk's own models: field -> the JSON types it allows.
GUIDE_ANSWER_FIELDS = {
    "soal_id": {"integer"},
    "jawaban_unit": {"string", "null"},  # "A/B/C/D atau nilai numerik tergantung jenis soal"
    "jawaban_tpi": {"string", "null"},
    "catatan_unit": {"string", "null"},
    "bukti_dukung_unit": {"string", "null"},
    "catatan_tpi": {"string", "null"},
}
GUIDE_BODY_FIELDS = {
    "unit_id": {"string"},
    "nama_unit": {"string"},
    "tahun": {"integer"},
    "answers": {"array"},
}
PUBLIC = "https://zi.example.go.id/api"
YEAR = 2026


def json_type(value) -> str:
    """The JSON type of a decoded value, as JSON Schema names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def schema_types(prop: dict) -> set[str]:
    """The JSON types an OpenAPI property allows (``type``, or each branch of ``anyOf``)."""
    if "anyOf" in prop:
        return set().union(*(schema_types(p) for p in prop["anyOf"]))
    if "type" in prop:
        kinds = prop["type"]
        return set(kinds) if isinstance(kinds, list) else {kinds}
    raise AssertionError(f"a property without a type: {prop}")


@pytest.fixture
def demo_api(ws):
    """The demo workspace with its unit proposed for WBK, the TPI's own counts and survey
    index beside the unit's, and a token on the Kanwil."""
    demo.create_demo(ws, year=YEAR, today=date(YEAR, 3, 1))
    op = operator("tester")
    a = assessments.list_assessments(ws, op)[0].id
    tpi = people.actor_for(ws, "tpi")
    for code, value in (("R.MP.i.a#agen", "12"), ("R.MP.i.a#perubahan", "8"), ("H.I.a", "3,55")):
        assessments.set_answer(ws, tpi, a, code, value, tier="tpi")
    proposals.set_proposal(ws, op, "KK-CONTOH", YEAR, "WBK", reason="uji")
    token = tokens.create_token(ws, op, "portalrb", "KW-CONTOH")
    cfg = ws.settings.model_copy(update={"public_url": PUBLIC})
    client = TestClient(create_app(ws, cfg))
    return {"ws": ws, "client": client, "auth": {"Authorization": f"Bearer {token.secret}"}}


def test_a_real_response_has_the_guides_types(demo_api, catalog):
    response = demo_api["client"].get("/lke/jawaban-unit/KK-CONTOH", headers=demo_api["auth"])
    assert response.status_code == 200
    body = response.json()
    assert {k: json_type(v) for k, v in body.items()} == {
        k: next(iter(v)) for k, v in GUIDE_BODY_FIELDS.items()
    }
    kinds = {s.soal_id: s.kind for s in catalog.soals}
    answered: dict[str, set[str]] = {"jawaban_unit": set(), "jawaban_tpi": set()}
    for entry in body["answers"]:
        assert set(entry) == set(GUIDE_ANSWER_FIELDS)
        for field, allowed in GUIDE_ANSWER_FIELDS.items():
            assert json_type(entry[field]) in allowed, (entry["soal_id"], field, entry[field])
        for field, seen in answered.items():
            if entry[field] is not None:
                seen.add(kinds[entry["soal_id"]])
    # the response carries every kind of answer, so every kind was checked
    assert answered["jawaban_unit"] == {"option", "count", "index"}
    assert answered["jawaban_tpi"] == {"option", "count", "index"}
    by_id = {e["soal_id"]: e for e in body["answers"]}
    # soal 88/89: the counts of R.MP.i.a, 125: IPAK (the TPI typed it with a decimal comma)
    assert (by_id[88]["jawaban_unit"], by_id[89]["jawaban_unit"]) == ("12", "9")
    assert (by_id[88]["jawaban_tpi"], by_id[89]["jawaban_tpi"]) == ("12", "8")
    assert by_id[125]["jawaban_tpi"] == "3.55"
    ipak = by_id[125]["jawaban_unit"]
    assert "." in ipak and "e" not in ipak.lower() and 0 <= float(ipak) <= 4


def test_the_openapi_document_has_the_guides_types(demo_api):
    schemas = demo_api["client"].get("/openapi.json").json()["components"]["schemas"]
    answer = schemas["SoalAnswer"]["properties"]
    assert {f: schema_types(answer[f]) for f in answer} == GUIDE_ANSWER_FIELDS
    assert set(schemas["SoalAnswer"]["required"]) == set(GUIDE_ANSWER_FIELDS)
    body = schemas["UnitAnswers"]["properties"]
    assert {f: schema_types(body[f]) for f in body} == GUIDE_BODY_FIELDS
