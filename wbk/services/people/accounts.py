"""Managing accounts after they exist: list users with their roles, revoke a role, deactivate
and reactivate, reset a password (administrators), and change one's own password."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.errors import InvalidInput, NotFound, PermissionDenied
from wbk.services.core import audit
from wbk.services.core.actor import KOORDINATOR_GRANTS, Actor
from wbk.services.core.workspace import Workspace, require, unit_chain, unit_parents
from wbk.services.people.auth import end_user_sessions
from wbk.services.people.people import unit_by_code
from wbk.store.tables import RoleGrant, Unit, UserAccount

_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class RoleView:
    role: str
    unit_code: str | None  # None: every unit (system administrator)
    areas: tuple[str, ...] | None
    source: str  # local | idp


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    display_name: str
    active: bool
    has_password: bool
    roles: list[RoleView]
    email: str | None = None  # where reminders go


@dataclass(frozen=True, slots=True)
class AdminAbilities:
    """What the Admin page may offer this user (the page only draws it)."""

    system: bool  # units, integrity, backup, deactivate, reset passwords
    manage_people: bool  # list people, grant and revoke roles (admin, koordinator)


def admin_abilities(actor: Actor) -> AdminAbilities:
    system = actor.can("system", [])
    return AdminAbilities(system, system or actor.can_somewhere("people.list"))


def _user(s: Session, username: str) -> UserAccount:
    user = s.execute(select(UserAccount).where(UserAccount.username == username)).scalar()
    if user is None:
        raise NotFound("notfound.user", username=username)
    return user


def list_users(ws: Workspace, actor: Actor) -> list[UserView]:
    """Every account an administrator manages; a koordinator sees the people with a role on
    the units they coordinate."""
    with ws.db.read() as s:
        parents = unit_parents(s)
        codes = dict(s.execute(select(Unit.id, Unit.code)).all())
        grants: dict[int, list[RoleGrant]] = {}
        for g in s.execute(select(RoleGrant).order_by(RoleGrant.id)).scalars():
            grants.setdefault(g.user_id, []).append(g)
        admin = actor.can("user.manage", []) and actor.can("system", [])

        def visible(user_id: int) -> bool:
            if admin:
                return True
            return any(
                g.unit_id is not None
                and actor.can("user.manage", unit_chain(s, g.unit_id, parents))
                for g in grants.get(user_id, [])
            )

        out = []
        for u in s.execute(select(UserAccount).order_by(UserAccount.username)).scalars():
            if not visible(u.id):
                continue
            out.append(
                UserView(
                    u.id,
                    u.username,
                    u.display_name,
                    u.active,
                    u.password_hash is not None,
                    email=u.email,
                    roles=[
                        RoleView(
                            g.role,
                            codes.get(g.unit_id) if g.unit_id else None,
                            tuple(g.areas) if g.areas else None,
                            g.source,
                        )
                        for g in grants.get(u.id, [])
                    ],
                )
            )
        return out


def own_email(ws: Workspace, actor: Actor) -> str | None:
    """The signed-in person's own reminder address."""
    if actor.user_id is None:
        return None
    with ws.db.read() as s:
        return s.execute(select(UserAccount.email).where(UserAccount.id == actor.user_id)).scalar()


def revoke_role(
    ws: Workspace, actor: Actor, username: str, role: str, unit_code: str | None
) -> None:
    """Take one role away; it stops working on the user's next click."""
    with ws.db.write() as s:
        user = _user(s, username)
        unit = unit_by_code(s, unit_code) if unit_code else None
        chain = unit_chain(s, unit.id) if unit else []
        require(actor, "user.manage", chain)
        manager = actor.operator or actor.can("unit.manage", chain)
        if not manager and (role not in KOORDINATOR_GRANTS or unit is None):
            raise PermissionDenied(
                "perm.denied", actor=actor.name, action=f"revoke {role}", area="-"
            )
        unit_filter = RoleGrant.unit_id == unit.id if unit else RoleGrant.unit_id.is_(None)
        grant = s.execute(
            select(RoleGrant).where(
                RoleGrant.user_id == user.id, RoleGrant.role == role, unit_filter
            )
        ).scalar()
        if grant is None:
            raise NotFound("notfound.grant", username=username, role=role, unit=unit_code or "*")
        before = {"role": role, "unit": unit_code, "areas": grant.areas, "source": grant.source}
        s.delete(grant)
        audit.record(s, actor, "role.revoke", "user", user.id, before, None)


def set_active(ws: Workspace, actor: Actor, username: str, active: bool) -> None:
    """Deactivate (every session ends at once; nothing is deleted) or reactivate an account."""
    with ws.db.write() as s:
        require(actor, "system", [])
        user = _user(s, username)
        if actor.user_id == user.id and not active:
            raise InvalidInput("invalid.deactivate_self")
        if user.active == active:
            return
        user.active = active
        if not active:
            end_user_sessions(s, user.id)
        audit.record(
            s, actor, "user.active", "user", user.id, {"active": not active}, {"active": active}
        )


def reset_password(ws: Workspace, actor: Actor, username: str, password: str) -> None:
    """An administrator sets a new password; the user's sessions end."""
    if len(password) < 8:
        raise InvalidInput("invalid.password_short")
    with ws.db.write() as s:
        require(actor, "system", [])
        user = _user(s, username)
        user.password_hash = _hasher.hash(password)
        end_user_sessions(s, user.id)
        audit.record(s, actor, "user.password_reset", "user", user.id, None, {"by": actor.name})


def change_password(ws: Workspace, actor: Actor, current: str, new: str) -> None:
    """Everyone may change their own password, knowing the current one."""
    if len(new) < 8:
        raise InvalidInput("invalid.password_short")
    if actor.user_id is None:
        raise InvalidInput("invalid.session")
    with ws.db.write() as s:
        user = s.get(UserAccount, actor.user_id)
        if user is None or not user.active:
            raise NotFound("notfound.user", username=actor.name)
        try:
            ok = user.password_hash is not None and _hasher.verify(user.password_hash, current)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            raise InvalidInput("invalid.current_password")
        user.password_hash = _hasher.hash(new)
        audit.record(s, actor, "user.password_change", "user", user.id, None, {})
