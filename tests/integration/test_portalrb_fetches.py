"""When PortalRB last fetched each proposed unit, on SQLite and PostgreSQL: the API's fetch
event records what the fetch gave (year, soals, answered, with evidence), the service reads
the last successful one back per proposal, and ``wbk proposal list`` shows it ("belum pernah
diambil" before the first)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration import test_proposals
from tests.integration.test_api import build_api_world, fetch_events
from tests.integration.test_workspace import pdf_bytes
from wbk.services.assessment import assessments, evidence
from wbk.services.portalrb import fetches

cli = test_proposals.cli  # the `wbk ...` fixture, on the test's workspace


@pytest.fixture
def api(world, catalog):
    return build_api_world(world, catalog)


def served_counts(body: dict) -> tuple[int, int, int]:
    """(soals, answered, with evidence) of a body as PortalRB received it."""
    answers = body["answers"]
    answered = sum(e["jawaban_unit"] is not None for e in answers)
    linked = sum(e["bukti_dukung_unit"] is not None for e in answers)
    return len(answers), answered, linked


def test_a_fetch_is_recorded_with_what_it_gave_and_read_back(api):
    c, auth, ws, koord = api["client"], api["auth"], api["ws"], api["koord"]
    before = fetches.last_fetches(ws, koord, 2026)
    assert [(f.unit_code, f.year, f.at) for f in before] == [("A", 2026, None), ("B", 2026, None)]
    assert before.of("A", 2026).message() == "belum pernah diambil"

    started = datetime.now(UTC)
    body = c.get("/lke/jawaban-unit/A", headers=auth).json()
    soals, answered, linked = served_counts(body)
    assert (soals, answered) == (127, 127) and 0 < linked < 127
    # the fetch's audit event keeps what it gave
    _, event = fetch_events(ws)[-1]
    assert {k: event[k] for k in ("unit", "status", "tahun", "soals", "answered", "evidence")} == {
        "unit": "A",
        "status": 200,
        "tahun": 2026,
        "soals": 127,
        "answered": 127,
        "evidence": linked,
    }

    last = fetches.last_fetches(ws, koord, 2026).of("A", 2026)
    assert (last.soals, last.answered, last.evidence, last.token) == (127, 127, linked, "portalrb")
    assert started - timedelta(seconds=1) <= last.at <= datetime.now(UTC)
    assert f"127 soal, 127 dijawab, {linked} dengan data dukung" in last.message()
    assert last.message().startswith("diambil ")
    assert fetches.last_fetches(ws, koord, 2026).of("B", 2026).at is None


def test_only_a_successful_fetch_of_the_answers_counts_and_the_last_one_wins(api):
    c, auth, ws, koord, op = api["client"], api["auth"], api["ws"], api["koord"], api["op"]
    b = api["b"]
    c.get("/pengusulan/unit-wbbm", headers=auth)  # the list names B: not a fetch of B
    c.get("/lke/jawaban-unit/B?tahun=2025", headers=auth)  # 404: B is proposed for 2026
    assert fetches.last_fetches(ws, koord).of("B", 2026).at is None

    first = served_counts(c.get("/lke/jawaban-unit/B", headers=auth).json())
    assert first == (127, 0, 0)
    # B answers a question with its evidence; PortalRB fetches again and gets one more of each
    assessments.set_answer(ws, op, b, "P.MP.i.a", "Ya")
    evidence.add_file(ws, op, b, ["P.MP.i.a"], io.BytesIO(pdf_bytes(1)), "SK.pdf", title="SK")
    second = served_counts(c.get("/lke/jawaban-unit/B", headers=api["auth_b"]).json())
    assert second == (127, 1, 1)
    c.get("/lke/jawaban-unit/B?tahun=dua", headers=auth)  # a later refused fetch changes nothing
    last = fetches.last_fetches(ws, koord).of("B", 2026)
    assert (last.soals, last.answered, last.evidence, last.token) == (127, 1, 1, "unit-b")
    assert "127 soal, 1 dijawab, 1 dengan data dukung" in last.message()


def test_each_reader_sees_its_own_proposals(api):
    c, ws = api["client"], api["ws"]
    c.get("/lke/jawaban-unit/A", headers=api["auth"])
    agen_b = api["actors"]["agen_b"]
    assert [f.unit_code for f in fetches.last_fetches(ws, agen_b)] == ["B"]
    assert [f.unit_code for f in fetches.last_fetches(ws, api["koord"], 2027)] == []


def test_proposal_list_shows_when_portalrb_last_fetched(api, cli):
    c, auth = api["client"], api["auth"]
    out = cli("proposal", "list", "--year", "2026").stdout
    assert out.count("PortalRB: belum pernah diambil") == 2

    _, answered, linked = served_counts(c.get("/lke/jawaban-unit/A", headers=auth).json())
    lines = cli("proposal", "list", "--year", "2026").stdout.splitlines()
    a_line = lines.index(next(line for line in lines if line.startswith("2026 A ")))
    fetched = lines[a_line + 1]
    assert fetched.startswith("  PortalRB: diambil ")
    assert fetched.endswith(f"127 soal, {answered} dijawab, {linked} dengan data dukung")
    assert "PortalRB: belum pernah diambil" in "\n".join(lines[a_line + 2 :] + lines[:a_line])

    listed = json.loads(cli("proposal", "list", "--year", "2026", "--json").stdout)
    by_unit = {p["unit"]: p["portalrb"] for p in listed}
    assert by_unit["B"] == {
        "diambil": None,
        "token": None,
        "soal": None,
        "dijawab": None,
        "bukti_dukung": None,
    }
    assert by_unit["A"]["diambil"] and (by_unit["A"]["soal"], by_unit["A"]["dijawab"]) == (
        127,
        answered,
    )
