"""API tokens for PortalRB: created for a unit (reaching it and the units below), shown once
and stored only as a SHA-256 hash, listed, revoked; resolved on every request to a read-only
principal limited to that unit tree; every fetch recorded in the audit trail."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wbk.errors import Conflict, InvalidInput, NotFound, WbkError
from wbk.i18n import t
from wbk.services.core import audit
from wbk.services.core.actor import Actor, Grant
from wbk.services.core.workspace import Workspace, require, unit_chain, unit_parents
from wbk.services.people.people import unit_by_code
from wbk.store.tables import Unit
from wbk.store.tables.portalrb import ApiToken

PREFIX = "wbkrb_"  # recognisable in a leaked log or a secret scanner
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
# A token reads like a pimpinan of its unit: read-only, and the role reaches every unit below
# (actor.INHERITED). It has no other grant, so every write service refuses it.
TOKEN_ROLE = "pimpinan"
ANONYMOUS = Actor(name="api:anonymous")  # a request whose token could not be resolved
LINK_ACTOR = Actor(name="api:bukti-dukung")  # a signed evidence link (no token)


class TokenRefused(WbkError):
    """A request without a usable token: missing, unknown, revoked or expired (HTTP 401)."""

    key = "portalrb_api.token.refused"

    @property
    def reason(self) -> str:
        return self.params.get("reason", "unknown")

    def message(self, lang: str | None = None) -> str:
        return t(f"portalrb_api.token.refused_{self.reason}", lang=lang, **self.params)


@dataclass(frozen=True, slots=True)
class TokenView:
    name: str
    unit_code: str
    expires_on: date | None
    created_by: str
    created_at: datetime
    revoked_by: str | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    status: str  # active | expired | revoked

    def to_dict(self) -> dict[str, Any]:
        def iso(v):
            return v.isoformat(timespec="seconds") if isinstance(v, datetime) else v

        return {
            "name": self.name,
            "unit": self.unit_code,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "status": self.status,
            "created_by": self.created_by,
            "created_at": iso(self.created_at),
            "revoked_by": self.revoked_by,
            "revoked_at": iso(self.revoked_at),
            "last_used_at": iso(self.last_used_at),
        }


@dataclass(frozen=True, slots=True)
class CreatedToken:
    """A new token: ``secret`` is shown to its creator once and never stored."""

    view: TokenView
    secret: str


@dataclass(frozen=True, slots=True)
class Principal:
    """Who an API request acts as: one token, limited to its unit and the units below."""

    token_id: int
    name: str
    unit_id: int
    unit_code: str
    actor: Actor


def _now() -> datetime:
    return datetime.now(UTC)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _status(row: ApiToken, today: date) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_on is not None and row.expires_on < today:
        return "expired"
    return "active"


def _view(row: ApiToken, unit_code: str, today: date) -> TokenView:
    return TokenView(
        row.name,
        unit_code,
        row.expires_on,
        row.created_by,
        row.created_at,
        row.revoked_by,
        row.revoked_at,
        row.last_used_at,
        _status(row, today),
    )


def _state(row: ApiToken, unit_code: str) -> dict[str, Any]:
    return {
        "name": row.name,
        "unit": unit_code,
        "unit_id": row.unit_id,
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
        "revoked": row.revoked_at is not None,
    }


def create_token(
    ws: Workspace,
    actor: Actor,
    name: str,
    unit_code: str,
    expires_on: date | None = None,
    today: date | None = None,
) -> CreatedToken:
    """A new token for ``unit_code`` (an admin, or a koordinator of that unit or one above).
    ``expires_on`` is the last day it works; None: until revoked."""
    today = today or date.today()
    name = (name or "").strip()
    if not NAME.match(name):
        raise InvalidInput("portalrb_api.token.bad_name", name=name)
    if expires_on is not None and expires_on < today:
        raise InvalidInput("portalrb_api.token.expired_date", date=expires_on.isoformat())
    secret = PREFIX + secrets.token_urlsafe(32)
    with ws.db.write() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "token.manage", unit_chain(s, unit.id))
        taken = s.execute(
            select(ApiToken.id).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
        ).scalar()
        if taken is not None:
            raise Conflict("portalrb_api.token.name_taken", name=name)
        row = ApiToken(
            name=name,
            token_hash=token_hash(secret),
            unit_id=unit.id,
            expires_on=expires_on,
            created_by=actor.name,
            created_at=_now(),
        )
        s.add(row)
        s.flush()
        audit.record(s, actor, "token.create", "api_token", row.id, None, _state(row, unit.code))
        return CreatedToken(_view(row, unit.code, today), secret)


def list_tokens(ws: Workspace, actor: Actor, today: date | None = None) -> list[TokenView]:
    """The tokens of the units the actor manages tokens for, newest first (revoked ones too:
    they stay in the record)."""
    today = today or date.today()
    with ws.db.read() as s:
        parents = unit_parents(s)
        codes = dict(s.execute(select(Unit.id, Unit.code)).all())
        rows = s.execute(select(ApiToken).order_by(ApiToken.id.desc())).scalars().all()
        return [
            _view(r, codes[r.unit_id], today)
            for r in rows
            if actor.can("token.manage", unit_chain(s, r.unit_id, parents))
        ]


def revoke_token(ws: Workspace, actor: Actor, name: str, today: date | None = None) -> TokenView:
    """Revoke the active token called ``name``: the next request with it is refused (401)."""
    today = today or date.today()
    with ws.db.write() as s:
        row = s.execute(
            select(ApiToken).where(ApiToken.name == name.strip(), ApiToken.revoked_at.is_(None))
        ).scalar()
        if row is None:
            raise NotFound("portalrb_api.token.unknown", name=name)
        require(actor, "token.manage", unit_chain(s, row.unit_id))
        code = s.get(Unit, row.unit_id).code
        before = _state(row, code)
        row.revoked_at, row.revoked_by = _now(), actor.name
        audit.record(s, actor, "token.revoke", "api_token", row.id, before, _state(row, code))
        return _view(row, code, today)


# --- requests --------------------------------------------------------------------------------


def principal_in(s: Session, secret: str | None, today: date) -> Principal:
    """The principal of a bearer token, inside the caller's read transaction; TokenRefused
    (``reason``: missing, unknown, revoked, expired) when it cannot act."""
    if not secret:
        raise TokenRefused(reason="missing")
    row = s.execute(select(ApiToken).where(ApiToken.token_hash == token_hash(secret))).scalar()
    if row is None:
        raise TokenRefused(reason="unknown")
    status = _status(row, today)
    if status != "active":
        raise TokenRefused(reason=status, name=row.name)
    unit = s.get(Unit, row.unit_id)
    actor = Actor(name=f"token:{row.name}", grants=(Grant(row.unit_id, TOKEN_ROLE),))
    return Principal(row.id, row.name, row.unit_id, unit.code, actor)


def resolve_token(ws: Workspace, secret: str | None, today: date | None = None) -> Principal:
    """``principal_in`` in its own read transaction."""
    with ws.db.read() as s:
        return principal_in(s, secret, today or date.today())


def record_fetch(
    ws: Workspace,
    principal: Principal | None,
    endpoint: str,
    unit: str | None,
    status: int,
    detail: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> None:
    """One API fetch in the audit trail (token, endpoint, unit, HTTP status), and the token's
    last use. ``actor`` names a caller without a token (an unknown token, a signed link)."""
    who = principal.actor if principal is not None else (actor or ANONYMOUS)
    after = {
        "token": principal.name if principal is not None else None,
        "endpoint": endpoint,
        "unit": unit,
        "status": status,
        **(detail or {}),
    }
    with ws.db.write() as s:
        if principal is not None:
            s.execute(
                update(ApiToken)
                .where(ApiToken.id == principal.token_id)
                .values(last_used_at=_now())
                .execution_options(synchronize_session=False)
            )
        entity_id = principal.token_id if principal is not None else None
        audit.record(s, who, "api.fetch", "api_token", entity_id, None, after)


def token_units(ws: Workspace, actor: Actor) -> list[str]:
    """The codes of the units the actor may make a token for (a koordinator's units and the
    units below them; every unit for an admin)."""
    with ws.db.read() as s:
        parents = unit_parents(s)
        units = s.execute(select(Unit.id, Unit.code).order_by(Unit.code)).all()
        return [
            code for uid, code in units if actor.can("token.manage", unit_chain(s, uid, parents))
        ]
