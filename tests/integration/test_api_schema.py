"""Schemathesis against the API's own /openapi.json (in-process, the ASGI app): generated
requests, with and without the token, never get a 5xx or a body outside the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.integration.test_api import build_api_world


@pytest.fixture
def api_built(world, catalog):
    return build_api_world(world, catalog, per_minute=100_000)


@pytest.fixture
def api_schema(api_built):
    return schemathesis.openapi.from_asgi("/openapi.json", api_built["client"].app)


CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def test_no_server_error_and_no_schema_violation(api_schema, api_built):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:
        # the token on the endpoints that take one (without it every answer is a documented
        # 401); the evidence links carry their signature instead
        token = operation.path.startswith(("/pengusulan", "/lke"))
        headers = dict(api_built["auth"]) if token else {}

        @given(case=operation.as_strategy())
        @settings(
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            case.call_and_validate(headers=headers, checks=CHECKS)  # noqa: B023 (run at once)

        fuzz()


def test_the_schema_names_the_guides_fields(api_schema):
    raw = api_schema.raw_schema
    props = raw["components"]["schemas"]
    assert set(props["SoalAnswer"]["properties"]) == {
        "soal_id",
        "jawaban_unit",
        "jawaban_tpi",
        "catatan_unit",
        "bukti_dukung_unit",
        "catatan_tpi",
    }
    assert set(props["UnitAnswers"]["properties"]) == {"unit_id", "nama_unit", "tahun", "answers"}
    assert set(props["UnitProposed"]["properties"]) == {"id", "nama", "kategori", "afirmasi"}
    assert set(props["ErrorBody"]["properties"]) == {"error", "code", "message"}
    paths = raw["paths"]
    assert {"/pengusulan/unit-wbk", "/pengusulan/unit-wbbm", "/lke/jawaban-unit/{unit_id}"} <= set(
        paths
    )
    statuses = set(paths["/lke/jawaban-unit/{unit_id}"]["get"]["responses"])
    # 503: the answers' evidence links need WBK_PUBLIC_URL
    assert statuses == {"200", "401", "403", "404", "422", "429", "500", "503"}
    assert raw["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
