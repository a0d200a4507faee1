"""The PortalRB API's limits on SQLite and PostgreSQL: the rate limit is counted in the
database (every process shares it), X-Forwarded-For is believed only from a trusted proxy,
and requests that prove nothing are counted per address and minute instead of being an
audit event each."""

from __future__ import annotations

import json
import threading

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.integration.test_api import build_api_world, error_of, fetch_events
from wbk.api import create_app
from wbk.api.ratelimit import RateLimiter
from wbk.services.core.workspace import open_workspace
from wbk.services.portalrb import traffic
from wbk.store.tables import ApiRate, ApiRefusal, AuditEvent

BAD = {"Authorization": "Bearer wbkrb_tebakan"}


def refused_events(ws) -> list[dict]:
    with ws.db.read() as s:
        rows = s.execute(
            select(AuditEvent).where(AuditEvent.action == "api.refused").order_by(AuditEvent.seq)
        ).scalars()
        return [{"actor": e.actor, "entity_id": e.entity_id, **json.loads(e.after)} for e in rows]


def refusal_counts(ws) -> dict[tuple[str, str, int], int]:
    with ws.db.read() as s:
        rows = s.execute(select(ApiRefusal)).scalars()
        return {(r.client, r.endpoint, r.status): r.hits for r in rows}


def client_at(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def same_database(ws):
    """The workspace as another process opens it: its own engine on the same database."""
    return open_workspace(ws.settings, migrate=False)


# --- one allowance, whichever process answers ----------------------------------------------------


def test_the_rate_limit_is_shared_by_every_process(world, catalog):
    api = build_api_world(world, catalog, per_minute=4)
    other_ws = same_database(api["ws"])
    try:
        # a second API process: its own workspace, engine and limiter
        other = TestClient(create_app(other_ws, api["cfg"], RateLimiter(4, clock=api["clock"])))
        clients = [api["client"], other, api["client"], other]
        statuses = [c.get("/pengusulan/unit-wbk", headers=api["auth"]).status_code for c in clients]
        assert statuses == [200] * 4
        limited = other.get("/pengusulan/unit-wbk", headers=api["auth"])
        error_of(limited, 429, "RATE_LIMITED")
        again = api["client"].get("/pengusulan/unit-wbk", headers=api["auth"])
        error_of(again, 429, "RATE_LIMITED")
        # the window is the clock's minute: it ends at 1020 (the clock stands at 1000)
        assert limited.headers["retry-after"] == "20"
        api["clock"].now += 20
        assert other.get("/pengusulan/unit-wbk", headers=api["auth"]).status_code == 200
    finally:
        other_ws.db.dispose()


def test_counting_at_once_from_two_engines_loses_no_request(world):
    """Eight threads over two engines take 100 requests of a 60-a-minute allowance: exactly
    60 are let through (an atomic insert-or-increment, not read-then-write)."""
    ws = world["ws"]
    other = same_database(ws)
    allowed: list[int] = []
    lock = threading.Lock()

    def run(w) -> None:
        mine = sum(1 for _ in range(12) if traffic.take(w, "token:9", 60, 1000.0) == 0)
        with lock:
            allowed.append(mine)

    try:
        threads = [threading.Thread(target=run, args=(w,)) for w in [ws, other] * 4]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert sum(allowed) == 60
        with ws.db.read() as s:
            assert s.get(ApiRate, (16, "token:9")).hits == 96
    finally:
        other.db.dispose()


def test_fixed_windows_and_what_is_kept_of_them(world):
    ws = world["ws"]
    assert [traffic.take(ws, "token:1", 3, 1000.0 + i) for i in range(4)] == [0, 0, 0, 17]
    assert traffic.take(ws, "token:2", 3, 1003.5) == 0  # another caller has its own minute
    assert traffic.take(ws, "token:1", 3, 1019.2) == 1  # whole seconds, rounded up
    assert traffic.take(ws, "token:1", 3, 1020.0) == 0  # the next minute starts afresh
    traffic.take(ws, "token:1", 3, 1200.0)  # minutes later: the past counts are gone
    with ws.db.read() as s:
        assert [(r.minute, r.bucket) for r in s.execute(select(ApiRate)).scalars()] == [
            (20, "token:1")
        ]


# --- whose address -----------------------------------------------------------------------------


def test_forwarded_for_counts_only_from_a_trusted_proxy(world, catalog):
    api = build_api_world(world, catalog, per_minute=2, trusted_proxies="127.0.0.1, 10.0.0.0/8")
    app, ws = api["client"].app, api["ws"]
    proxy = client_at(app, "127.0.0.1")

    def via_proxy(forwarded: str):
        return proxy.get("/lke/jawaban-unit/A", headers={**BAD, "X-Forwarded-For": forwarded})

    # behind the proxy each client has its own allowance: the right-most untrusted entry
    assert [via_proxy("203.0.113.1").status_code for _ in range(3)] == [401, 401, 429]
    assert via_proxy("203.0.113.2").status_code == 401
    # what the client wrote to the left of the proxies' entries is not believed
    assert via_proxy("198.51.100.99, 203.0.113.2, 10.1.2.3").status_code == 401
    assert via_proxy("198.51.100.98, 203.0.113.2").status_code == 429
    # from anyone else the header is ignored: rotating it changes nothing
    direct = client_at(app, "198.51.100.20")
    statuses = [
        direct.get("/lke/jawaban-unit/A", headers={**BAD, "X-Forwarded-For": f"192.0.2.{i}"})
        for i in range(4)
    ]
    assert [r.status_code for r in statuses] == [401, 401, 429, 429]
    assert refusal_counts(ws) == {
        ("203.0.113.1", "/lke/jawaban-unit", 401): 2,
        ("203.0.113.1", "/lke/jawaban-unit", 429): 1,
        ("203.0.113.2", "/lke/jawaban-unit", 401): 2,
        ("203.0.113.2", "/lke/jawaban-unit", 429): 1,
        ("198.51.100.20", "/lke/jawaban-unit", 401): 2,
        ("198.51.100.20", "/lke/jawaban-unit", 429): 2,
    }
    # a token's requests are counted against the token, wherever they come from
    assert direct.get("/pengusulan/unit-wbk", headers=api["auth"]).status_code == 200


# --- requests that prove nothing ---------------------------------------------------------------


def test_a_flood_without_a_token_is_one_counted_event_per_address_and_minute(world, catalog):
    api = build_api_world(world, catalog)
    app, ws, clock = api["client"].app, api["ws"], api["clock"]
    before = len(fetch_events(ws))
    one, two = client_at(app, "203.0.113.7"), client_at(app, "2001:db8::7")
    for _ in range(30):
        error_of(one.get("/lke/jawaban-unit/A", headers=BAD), 401, "UNAUTHORIZED")
    for _ in range(5):
        one.get("/pengusulan/unit-wbk")  # no token at all
        one.get("/bukti-dukung/A/2026/P.MP.i.a?exp=1&sig=palsu")  # a forged link
    two.get("/lke/jawaban-unit/A?tahun=dua")  # malformed, without a token
    assert len(fetch_events(ws)) == before  # none is an event of its own
    assert refused_events(ws) == []  # the minute is not over
    clock.now += 120  # two minutes on, the first request of any caller writes them
    assert api["client"].get("/pengusulan/unit-wbk", headers=api["auth"]).status_code == 200
    events = refused_events(ws)
    assert [(e["actor"], e["entity_id"], e["count"]) for e in events] == [
        ("api:anonymous", "2001:db8::7", 1),
        ("api:anonymous", "203.0.113.7", 40),
    ]
    assert events[1]["minute"] == "1970-01-01T00:16:00+00:00"
    assert events[1]["requests"] == [
        {"endpoint": "/bukti-dukung", "status": 403, "count": 5},
        {"endpoint": "/lke/jawaban-unit", "status": 401, "count": 30},
        {"endpoint": "/pengusulan/unit-wbk", "status": 401, "count": 5},
    ]
    assert events[0]["requests"] == [{"endpoint": "/lke/jawaban-unit", "status": 422, "count": 1}]
    assert refusal_counts(ws) == {}  # summed up, then deleted
    # the next minute's refusals are the next event
    one.get("/lke/jawaban-unit/A", headers=BAD)
    clock.now += 120
    api["client"].get("/pengusulan/unit-wbk", headers=api["auth"])
    assert [e["count"] for e in refused_events(ws)] == [1, 40, 1]


def test_a_valid_link_and_a_token_are_still_audited_one_by_one(world, catalog):
    api = build_api_world(world, catalog)
    c = api["client"]
    body = c.get("/lke/jawaban-unit/A", headers=api["auth"]).json()
    link = body["answers"][0]["bukti_dukung_unit"].removeprefix("https://zi.example.go.id/api")
    assert c.get(link).status_code == 200
    error_of(c.get("/lke/jawaban-unit/A?tahun=1999", headers=api["auth"]), 422, "VALIDATION_ERROR")
    events = [(who, e["endpoint"], e["status"]) for who, e in fetch_events(api["ws"])]
    assert events == [
        ("token:portalrb", "/lke/jawaban-unit", 200),
        ("api:bukti-dukung", "/bukti-dukung", 200),
        ("token:portalrb", "/lke/jawaban-unit", 422),
    ]


def test_malformed_requests_count_against_the_allowance(world, catalog):
    api = build_api_world(world, catalog, per_minute=2)
    c, auth = api["client"], api["auth"]
    for _ in range(2):
        error_of(c.get("/pengusulan/unit-wbk?tahun=dua", headers=auth), 422, "VALIDATION_ERROR")
    error_of(c.get("/pengusulan/unit-wbk?tahun=dua", headers=auth), 429, "RATE_LIMITED")
    error_of(c.get("/pengusulan/unit-wbk", headers=auth), 429, "RATE_LIMITED")
    statuses = [e["status"] for _, e in fetch_events(api["ws"])]
    assert statuses == [422, 422, 429, 429]
