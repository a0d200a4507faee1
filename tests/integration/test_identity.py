"""Identity that follows changes: throttled and audited sign-in, roles resolved afresh,
revoke / deactivate / reset, OIDC reconciliation, and a single first administrator."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from wbk.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from wbk.services.assessment import assessments
from wbk.services.people import accounts, auth, people
from wbk.store.tables import AuditEvent, LoginThrottle

PASSWORD = "rahasia-123"  # the world fixture's password


def audit_actions(ws, action: str) -> list[AuditEvent]:
    with ws.db.read() as s:
        return list(
            s.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
            ).scalars()
        )


@pytest.fixture
def still_clock(monkeypatch):
    """Sign-ins at one instant: a throttle's 1 s delay does not run out while argon2 works
    on a loaded machine (the delay is measured from the attempt's start)."""
    instant = datetime.now(UTC)
    monkeypatch.setattr(auth, "_now", lambda: instant)


def test_passwords_are_argon2_hashed_and_checked(world):
    ws = world["ws"]
    with ws.db.read() as s:
        stored = s.execute(text("SELECT password_hash FROM user_account WHERE username='agen'"))
        assert stored.scalar().startswith("$argon2id$")
    assert auth.authenticate(ws, "agen", PASSWORD).name == "agen"
    assert auth.authenticate(ws, "agen", "salah-sekali") is None
    assert auth.authenticate(ws, "nobody", PASSWORD) is None


def test_every_sign_in_is_in_the_audit_trail(world):
    ws = world["ws"]
    auth.authenticate(ws, "agen", "salah-sekali", client="10.0.0.7")
    auth.authenticate(ws, "siapa", "apa-saja-123", client="10.0.0.7")
    auth.authenticate(ws, "agen", PASSWORD, client="10.0.0.7")
    failed = audit_actions(ws, "auth.failed")
    assert [(e.actor, '"client":"10.0.0.7"' in e.after) for e in failed] == [
        ("agen", True),
        ("siapa", True),
    ]
    assert [e.actor for e in audit_actions(ws, "auth.login")] == ["agen"]


def test_unknown_account_does_the_same_password_work(world, monkeypatch):
    """An unknown user and a wrong password both run one argon2 computation, so the answer
    time does not tell which accounts exist."""
    ws = world["ws"]
    calls = []
    real = auth._hasher

    class Spy:
        def hash(self, password):
            calls.append("hash")
            return real.hash(password)

        def verify(self, stored, password):
            calls.append("verify")
            return real.verify(stored, password)

        def check_needs_rehash(self, stored):
            return real.check_needs_rehash(stored)

    monkeypatch.setattr(auth, "_hasher", Spy())
    auth.authenticate(ws, "agen", "salah-sekali")
    auth.authenticate(ws, "tidak-ada", "salah-sekali")
    assert calls == ["verify", "hash"]


def test_repeated_failures_throttle_the_account_with_a_growing_delay(world, still_clock):
    ws = world["ws"]
    for _ in range(auth.FREE_FAILURES["pair"] - 1):
        assert auth.authenticate(ws, "agen", "salah-sekali", client="203.0.113.9") is None
    with ws.db.read() as s:
        row = s.get(LoginThrottle, "pair:203.0.113.9|agen")
        assert row.failures == 4 and row.blocked_until is None
    # the 5th: 1 s delay
    assert auth.authenticate(ws, "agen", "salah-sekali", client="203.0.113.9") is None
    with pytest.raises(auth.LoginThrottled) as info:
        # even the right password must wait
        auth.authenticate(ws, "agen", PASSWORD, client="203.0.113.9")
    assert "detik" in info.value.message("id")
    # the delay doubles with each further failure once it has passed
    with ws.db.write() as s:
        s.execute(update(LoginThrottle).values(blocked_until=None))
    auth.authenticate(ws, "agen", "salah-sekali", client="203.0.113.9")
    with ws.db.read() as s:
        row = s.get(LoginThrottle, "pair:203.0.113.9|agen")
        delay = row.blocked_until.replace(tzinfo=UTC) - row.last_failure_at.replace(tzinfo=UTC)
    assert delay == timedelta(seconds=2)
    # a success (after the wait) clears the pair's counter; the account's fades with time
    with ws.db.write() as s:
        s.execute(update(LoginThrottle).values(blocked_until=None))
    assert auth.authenticate(ws, "agen", PASSWORD, client="203.0.113.9").name == "agen"
    with ws.db.read() as s:
        assert s.get(LoginThrottle, "pair:203.0.113.9|agen") is None
        assert s.get(LoginThrottle, "user:agen").failures == 6


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(world, still_clock):
    """Someone guessing agen's password from one address holds up that address only."""
    ws = world["ws"]
    for _ in range(auth.FREE_FAILURES["pair"]):
        assert auth.authenticate(ws, "agen", "salah-sekali", client="203.0.113.9") is None
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(ws, "agen", PASSWORD, client="203.0.113.9")
    assert auth.authenticate(ws, "agen", PASSWORD, client="198.51.100.1").name == "agen"


def test_a_spray_from_many_addresses_locks_the_account(world, still_clock):
    """One account guessed from many addresses, a few times each: the account's own, slower
    allowance across every address holds it."""
    ws = world["ws"]
    for i in range(20):  # FREE_FAILURES["user"]: no address is held up before the 20th
        assert auth.authenticate(ws, "agen", f"tebakan-{i}", client=f"203.0.113.{i}") is None
    with ws.db.read() as s:
        row = s.get(LoginThrottle, "user:agen")
        assert row.failures == 20 and row.blocked_until is not None
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(ws, "agen", PASSWORD, client="198.51.100.1")


def test_without_an_address_a_spray_is_held_like_one_address(world, still_clock):
    """Sign-ins whose address is unknown share one allowance: guessing across accounts
    without an address is as slow as from one address; a known address is not held up."""
    ws = world["ws"]
    for i in range(auth.FREE_FAILURES["client"]):
        assert auth.authenticate(ws, f"tebak{i}", "salah-sekali") is None
    with ws.db.read() as s:
        assert s.get(LoginThrottle, "client:?").failures == auth.FREE_FAILURES["client"]
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(ws, "koordinator", PASSWORD)
    assert auth.authenticate(ws, "koordinator", PASSWORD, client="198.51.100.1") is not None


def test_one_client_guessing_many_accounts_is_throttled(world, still_clock):
    ws = world["ws"]
    for i in range(auth.FREE_FAILURES["client"]):
        auth.authenticate(ws, f"tebak{i}", "salah-sekali", client="203.0.113.9")
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(ws, "koordinator", PASSWORD, client="203.0.113.9")
    assert auth.authenticate(ws, "koordinator", PASSWORD, client="198.51.100.1") is not None


def test_a_revoked_role_stops_working_on_the_next_resolution(world):
    ws, act = world["ws"], world["actors"]
    uid = act["agen"].user_id
    before = people.actor_by_id(ws, uid)
    assessments.set_answer(ws, before, world["a"], "P.MP.i.a", "Ya")
    accounts.revoke_role(ws, act["admin"], "agen", "agen", "A")
    after = people.actor_by_id(ws, uid)
    assert after is not None and after.grants == ()
    with pytest.raises(PermissionDenied):
        assessments.set_answer(ws, after, world["a"], "P.MP.i.a", "Tidak")
    revoked = audit_actions(ws, "role.revoke")
    assert revoked[-1].entity_id == str(uid) and '"role":"agen"' in revoked[-1].before


def test_a_koordinator_revokes_only_what_it_may_grant(world):
    ws, act = world["ws"], world["actors"]
    with pytest.raises(PermissionDenied):
        accounts.revoke_role(ws, act["koordinator"], "tpi", "tpi", "KW")
    accounts.revoke_role(ws, act["koordinator"], "pimpinan", "pimpinan", "A")
    with pytest.raises(NotFound):
        accounts.revoke_role(ws, act["koordinator"], "pimpinan", "pimpinan", "A")


def test_deactivation_ends_access_and_sessions_reactivation_restores(world):
    ws, act = world["ws"], world["actors"]
    token = auth.start_session(ws, act["agen"], idle_hours=8)
    assert auth.resume_session(ws, token, 8).name == "agen"
    with pytest.raises(PermissionDenied):
        accounts.set_active(ws, act["koordinator"], "agen", False)  # administrators only
    accounts.set_active(ws, act["admin"], "agen", False)
    assert people.actor_by_id(ws, act["agen"].user_id) is None
    assert auth.resume_session(ws, token, 8) is None
    assert auth.authenticate(ws, "agen", PASSWORD) is None
    with pytest.raises(InvalidInput):
        accounts.set_active(ws, act["admin"], "admin", False)  # not oneself
    accounts.set_active(ws, act["admin"], "agen", True)
    assert auth.authenticate(ws, "agen", PASSWORD).name == "agen"
    assert auth.resume_session(ws, token, 8) is None  # an ended session stays ended
    assert [e.after for e in audit_actions(ws, "user.active")] == [
        '{"active":false}',
        '{"active":true}',
    ]


def test_password_reset_and_own_change(world):
    ws, act = world["ws"], world["actors"]
    with pytest.raises(PermissionDenied):
        accounts.reset_password(ws, act["koordinator"], "agen", "baru-sekali-1")
    with pytest.raises(InvalidInput):
        accounts.reset_password(ws, act["admin"], "agen", "pendek")
    accounts.reset_password(ws, act["admin"], "agen", "baru-sekali-1")
    assert auth.authenticate(ws, "agen", PASSWORD) is None
    me = auth.authenticate(ws, "agen", "baru-sekali-1")
    with pytest.raises(InvalidInput):
        accounts.change_password(ws, me, "salah-sekali", "lebih-baru-2")
    accounts.change_password(ws, me, "baru-sekali-1", "lebih-baru-2")
    assert auth.authenticate(ws, "agen", "lebih-baru-2").name == "agen"
    assert len(audit_actions(ws, "user.password_reset")) == 1
    assert len(audit_actions(ws, "user.password_change")) == 1


def test_sessions_expire_when_idle_and_end_on_sign_out(world):
    ws, act = world["ws"], world["actors"]
    token = auth.start_session(ws, act["pimpinan"], idle_hours=8)
    assert auth.resume_session(ws, "bukan-token", 8) is None
    from wbk.store.tables import UserSession

    with ws.db.write() as s:
        s.execute(update(UserSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert auth.resume_session(ws, token, 8) is None
    token = auth.start_session(ws, act["pimpinan"], idle_hours=8)
    auth.end_session(ws, token)
    assert auth.resume_session(ws, token, 8) is None


def test_oidc_login_reconciles_roles_from_the_claim(world):
    ws, op = world["ws"], world["op"]
    actor = auth.sign_in_oidc(ws, "siti@kemenag.go.id", "Siti", ["agen@A:MP,TT", "tpi@KW"])
    assert {(g.role, g.areas) for g in actor.grants} == {("agen", ("MP", "TT")), ("tpi", None)}
    people.grant_role(ws, op, "siti@kemenag.go.id", "pimpinan", "B")  # granted in wbk
    again = auth.sign_in_oidc(ws, "siti@kemenag.go.id", "Siti", ["agen@A:MP"])
    # the claim no longer gives tpi: removed; agen's areas follow the claim; the role granted
    # in wbk stays
    assert {(g.role, g.areas) for g in again.grants} == {
        ("agen", ("MP",)),
        ("pimpinan", None),
    }
    assert auth.authenticate(ws, "siti@kemenag.go.id", "") is None  # no password login


def test_oidc_claim_with_an_unknown_unit_changes_nothing(world):
    ws = world["ws"]
    auth.sign_in_oidc(ws, "budi@kemenag.go.id", "Budi", ["agen@A"])
    with pytest.raises(NotFound) as info:
        auth.sign_in_oidc(ws, "budi@kemenag.go.id", "Budi", ["agen@A", "tpi@TIDAK-ADA"])
    assert "TIDAK-ADA" in info.value.message("id")
    roles = {(g.role, g.unit_id) for g in people.actor_for(ws, "budi@kemenag.go.id").grants}
    assert len(roles) == 1  # still only the agen role
    with pytest.raises(NotFound):
        auth.sign_in_oidc(ws, "baru@kemenag.go.id", "Baru", ["tpi@TIDAK-ADA"])
    with pytest.raises(NotFound):
        people.actor_for(ws, "baru@kemenag.go.id")  # not created
    with pytest.raises(InvalidInput):
        auth.sign_in_oidc(ws, "x@y.id", None, "raja@A")


def test_concurrent_first_admin_requests_create_one_admin(ws):
    results: list[str] = []
    start = threading.Barrier(8)

    def attempt(i: int) -> None:
        start.wait()
        try:
            auth.create_first_admin(ws, f"admin{i}", "rahasia-admin-1", "Admin")
            results.append("created")
        except Conflict:
            results.append("refused")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["created"] + ["refused"] * 7
    assert people.count_users(ws) == 1
    with pytest.raises(Conflict):
        auth.create_first_admin(ws, "lagi", "rahasia-admin-1", "Admin")
