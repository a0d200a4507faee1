"""Signing in: passwords (throttled, audited, same time for an unknown account), the
organisation's OIDC login (roles reconciled from its claim), the first administrator, and
server-side browser sessions that end the moment a user is deactivated or signs out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from wbk.errors import Conflict, InvalidInput, NotFound, WbkError
from wbk.services.core import audit
from wbk.services.core.actor import ROLES, Actor, operator
from wbk.services.core.workspace import Workspace
from wbk.services.people.people import actor_by_id, grant_in_session, known_areas, new_user
from wbk.store.tables import LoginThrottle, RoleGrant, Unit, UserAccount, UserSession

_hasher = PasswordHasher()
# Failures allowed before a delay starts. ``pair``: one account from one address (its owner
# mistyping; another address is not held up by it). ``client``: one address across accounts
# (a whole office may sit behind one address). ``user``: one account from every address
# together (a spray from many addresses), slower than the pair. A sign-in whose address is
# unknown counts against one shared address, ``client:?``: a spray without addresses is
# held to the rate of one address.
FREE_FAILURES = {"pair": 5, "client": 20, "user": 20}
UNKNOWN_CLIENT = "?"
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)  # a quiet hour wipes the slate


class LoginThrottled(WbkError):
    """Too many failed sign-ins for this account or from this address; wait and retry."""

    key = "signin.throttled"


@dataclass(frozen=True, slots=True)
class SignIn:
    """A successful sign-in: who, and the browser session token (shown to the browser once)."""

    actor: Actor
    token: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone columns: they were written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _keys(username: str, client: str | None) -> list[tuple[str, str]]:
    """The throttle rows a sign-in counts against, the account and address pair first."""
    user = username.strip().lower()
    where = (client or "").strip()[:64] or UNKNOWN_CLIENT
    return [
        ("pair", f"pair:{where}|{user[:128]}"),
        ("client", f"client:{where}"),
        ("user", f"user:{user[:180]}"),
    ]


def _check_throttle(s: Session, keys: list[tuple[str, str]], now: datetime) -> None:
    for _, key in keys:
        row = s.get(LoginThrottle, key)
        until = _aware(row.blocked_until) if row is not None else None
        if until is not None and until > now:
            raise LoginThrottled("signin.throttled", seconds=int((until - now).total_seconds()) + 1)


def _record_failure(s: Session, keys: list[tuple[str, str]], now: datetime) -> None:
    for kind, key in keys:
        row = s.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            s.add(row)
        elif now - _aware(row.last_failure_at) > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        over = row.failures - FREE_FAILURES[kind]
        if over >= 0:  # 1 s, 2 s, 4 s ... up to 15 minutes
            row.blocked_until = now + min(timedelta(seconds=2**over), MAX_DELAY)


def authenticate(
    ws: Workspace, username: str, password: str, client: str | None = None
) -> Actor | None:
    """The Actor when the password is right, else None. Throttled with a growing delay
    (``LoginThrottled``) per account and address, per address, and per account from all
    addresses (``FREE_FAILURES``); ``client`` None counts as one shared unknown address.
    A success clears its account and address pair only. Every attempt is in the audit trail;
    an unknown or deactivated account costs the same time as a wrong password."""
    username = username.strip()
    keys = _keys(username, client)
    now = _now()
    with ws.db.read() as s:
        _check_throttle(s, keys, now)
        user = s.execute(select(UserAccount).where(UserAccount.username == username)).scalar()
        stored = user.password_hash if user is not None and user.active else None
        user_id = user.id if user is not None else None
    ok = False
    if stored is None:
        _hasher.hash(password or "-")  # spend the time a real check takes
    else:
        try:
            ok = _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            ok = False
    with ws.db.write() as s:
        who = Actor(name=username[:160] or "?", user_id=user_id)
        if not ok:
            _record_failure(s, keys, now)
            audit.record(
                s,
                who,
                "auth.failed",
                "user",
                user_id,
                None,
                {"username": username, "client": client},
            )
            return None
        s.execute(delete(LoginThrottle).where(LoginThrottle.key == keys[0][1]))
        if _hasher.check_needs_rehash(stored):
            s.get(UserAccount, user_id).password_hash = _hasher.hash(password)
        audit.record(s, who, "auth.login", "user", user_id, None, {"client": client})
    return actor_by_id(ws, user_id)


def accounts_with_password(ws: Workspace, usernames: list[str], password: str) -> list[str]:
    """The active accounts among ``usernames`` that still sign in with ``password`` (the demo
    banner: a publicly known password is live)."""
    with ws.db.read() as s:
        rows = s.execute(
            select(UserAccount.username, UserAccount.password_hash).where(
                UserAccount.username.in_(usernames), UserAccount.active.is_(True)
            )
        ).all()
    probe = hashlib.sha256(password.encode("utf-8")).hexdigest()
    found = []
    for username, stored in rows:
        if stored and _matches(stored, password, probe):
            found.append(username)
    return sorted(found)


_checked: dict[tuple[str, str], bool] = {}  # (stored hash, sha256 of the probe) -> match


def _matches(stored: str, password: str, probe: str) -> bool:
    """argon2 costs tens of ms: a stored hash is checked against a probe once per process (a
    new password is a new hash, so the answer cannot go stale)."""
    key = (stored, probe)
    if key not in _checked:
        try:
            _checked[key] = _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            _checked[key] = False
    return _checked[key]


def create_first_admin(ws: Workspace, username: str, password: str, display_name: str) -> Actor:
    """The first-run path: only while no account exists; the new user is a system admin. The
    count is checked inside the write transaction, so concurrent requests create one admin."""
    if len(password) < 8:
        raise InvalidInput("invalid.password_short")
    first_run = operator("first-run")
    with ws.db.write() as s:
        if s.execute(select(func.count(UserAccount.id))).scalar_one() > 0:
            raise Conflict("conflict.first_admin")
        user = new_user(s, first_run, username, display_name or username, password)
        grant_in_session(s, first_run, user, "admin", None, None)
        user_id = user.id
    return actor_by_id(ws, user_id)


def parse_role_claim(values: list[str] | str | None) -> list[tuple[str, str | None, list[str]]]:
    """Roles from an OIDC claim: ``admin``, ``tpi@KW-JT``, ``agen@KK-SMG:MP,TT``."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [v for v in values.replace(";", " ").split() if v]
    out = []
    for value in values:
        head, _, areas = str(value).partition(":")
        role, _, unit = head.partition("@")
        role = role.strip().lower()
        if role not in ROLES:
            raise InvalidInput("invalid.role", role=role, roles=", ".join(ROLES))
        area_list = [a.strip().upper() for a in areas.split(",") if a.strip()]
        known = known_areas()
        bad = [a for a in area_list if a not in known]
        if bad:
            raise InvalidInput("invalid.areas", areas=", ".join(bad), known=", ".join(known))
        if role != "admin" and not unit.strip():
            raise InvalidInput("invalid.role_needs_unit", role=role)
        out.append((role, unit.strip() or None, area_list))
    return out


def sign_in_oidc(
    ws: Workspace, username: str, display_name: str | None, role_claim: list[str] | str | None
) -> Actor:
    """The Actor for an organisation (OIDC) login, its roles reconciled in one transaction:
    roles the claim gives are created or updated (marked as coming from the identity
    provider), roles it no longer gives that came from it are removed; roles granted in wbk
    stay. A claim naming an unknown unit is refused and changes nothing."""
    username = username.strip()
    roles = parse_role_claim(role_claim)
    provisioner = operator("oidc")
    with ws.db.write() as s:
        units: dict[str, int] = {}
        for _, unit_code, _ in roles:
            if unit_code is not None and unit_code not in units:
                uid = s.execute(select(Unit.id).where(Unit.code == unit_code)).scalar()
                if uid is None:
                    raise NotFound("signin.oidc_unknown_unit", unit=unit_code, username=username)
                units[unit_code] = uid
        user = s.execute(select(UserAccount).where(UserAccount.username == username)).scalar()
        if user is None:
            if not roles:
                raise NotFound("notfound.user", username=username)
            user = new_user(s, provisioner, username, display_name or username, None)
        if not user.active:
            raise NotFound("notfound.user", username=username)
        wanted = {
            (role, units.get(unit) if unit else None): sorted(areas) or None
            for role, unit, areas in roles
        }
        current = {
            (g.role, g.unit_id): g
            for g in s.execute(select(RoleGrant).where(RoleGrant.user_id == user.id)).scalars()
        }
        for key, grant in current.items():
            if grant.source != "idp":
                continue
            if key not in wanted:
                s.delete(grant)
                audit.record(
                    s,
                    provisioner,
                    "role.revoke",
                    "user",
                    user.id,
                    {"role": grant.role, "unit_id": grant.unit_id, "areas": grant.areas},
                    {"source": "idp"},
                )
            elif (grant.areas or None) != wanted[key]:
                state = {"role": grant.role, "unit_id": grant.unit_id}
                before = state | {"areas": grant.areas}
                grant.areas = wanted[key]
                after = state | {"areas": grant.areas, "source": "idp"}
                audit.record(s, provisioner, "role.update", "user", user.id, before, after)
        for (role, unit_id), areas in wanted.items():
            if (role, unit_id) in current:
                continue
            s.add(RoleGrant(user_id=user.id, unit_id=unit_id, role=role, areas=areas, source="idp"))
            audit.record(
                s,
                provisioner,
                "role.grant",
                "user",
                user.id,
                None,
                {"role": role, "unit_id": unit_id, "areas": areas, "source": "idp"},
            )
        audit.record(s, Actor(name=username, user_id=user.id), "auth.login_oidc", "user", user.id)
        user_id = user.id
    return actor_by_id(ws, user_id)


# --- browser sessions -------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(ws: Workspace, actor: Actor, idle_hours: float, client: str | None = None) -> str:
    """A new browser session for a signed-in user; returns the token (kept only hashed)."""
    if actor.user_id is None:
        raise InvalidInput("invalid.session")
    token = secrets.token_urlsafe(32)
    now = _now()
    with ws.db.write() as s:
        s.add(
            UserSession(
                token_hash=_token_hash(token),
                user_id=actor.user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=idle_hours),
                client=(client or "")[:64] or None,
            )
        )
    return token


def resume_session(ws: Workspace, token: str, idle_hours: float) -> Actor | None:
    """The Actor of a live session token, extending its idle timeout; None when the token is
    unknown, ended, expired, or its user is deactivated."""
    if not token:
        return None
    now = _now()
    digest = _token_hash(token)
    with ws.db.read() as s:  # most runs only read: no write lock per rerun
        row = s.execute(select(UserSession).where(UserSession.token_hash == digest)).scalar()
        if row is None or row.ended_at is not None or _aware(row.expires_at) <= now:
            return None
        user = s.get(UserAccount, row.user_id)
        active = user is not None and user.active
        stale = now - _aware(row.last_seen_at) > timedelta(minutes=1)
        user_id = row.user_id
    if not active or stale:
        with ws.db.write() as s:
            values = (
                {"ended_at": now}
                if not active
                else {"last_seen_at": now, "expires_at": now + timedelta(hours=idle_hours)}
            )
            s.execute(
                update(UserSession)
                .where(UserSession.token_hash == digest, UserSession.ended_at.is_(None))
                .values(**values)
            )
        if not active:
            return None
    return actor_by_id(ws, user_id)


def end_session(ws: Workspace, token: str) -> None:
    """Sign out: the token stops working everywhere at once."""
    with ws.db.write() as s:
        s.execute(
            update(UserSession)
            .where(UserSession.token_hash == _token_hash(token), UserSession.ended_at.is_(None))
            .values(ended_at=_now())
        )


def end_user_sessions(s: Session, user_id: int) -> None:
    """End every session of a user (deactivation, password reset), in the caller's transaction."""
    s.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=_now())
    )
