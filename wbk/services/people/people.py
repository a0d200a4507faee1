"""Use cases for units, user accounts, role grants and signing in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wbk.catalog import available_catalogs, get_catalog
from wbk.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from wbk.services.core import audit
from wbk.services.core.actor import KOORDINATOR_GRANTS, RESULTS_AREA, ROLES, Actor, Grant
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.store.tables import RoleGrant, Unit, UserAccount

UNIT_KINDS = ("kementerian", "instansi", "kanwil", "satker", "kankemenag", "kua", "madrasah")


def known_areas() -> tuple[str, ...]:
    """The areas a role may be limited to: every reform area of the installed catalogs, then
    ``H`` (the result items)."""

    codes: dict[str, None] = {}
    for catalog_id in available_catalogs():
        for code in get_catalog(catalog_id).area_codes:
            codes[code] = None
    return (*codes, RESULTS_AREA)


_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class UnitView:
    id: int
    code: str
    name: str
    kind: str
    parent_code: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def unit_by_code(session: Session, code: str) -> Unit:
    unit = session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
    if unit is None:
        raise NotFound("notfound.unit", code=code)
    return unit


def add_unit(
    ws: Workspace,
    actor: Actor,
    code: str,
    name: str,
    parent_code: str | None = None,
    kind: str = "satker",
) -> UnitView:
    code, name = code.strip(), name.strip()
    if not code or not name or len(code) > 64 or len(name) > 300:
        raise InvalidInput("invalid.unit", length=len(name))
    if kind not in UNIT_KINDS:
        raise InvalidInput("invalid.unit_kind", kind=kind, kinds=", ".join(UNIT_KINDS))
    with ws.db.write() as s:
        parent = unit_by_code(s, parent_code) if parent_code else None
        require(actor, "unit.manage", unit_chain(s, parent.id) if parent else [])
        if s.execute(select(Unit.id).where(Unit.code == code)).scalar() is not None:
            raise Conflict("conflict.unit", code=code)
        unit = Unit(
            code=code,
            name=name,
            kind=kind,
            parent_id=parent.id if parent else None,
            created_at=_now(),
        )
        s.add(unit)
        s.flush()
        audit.record(
            s,
            actor,
            "unit.add",
            "unit",
            unit.id,
            None,
            {"code": code, "name": name, "kind": kind, "parent": parent_code},
        )
        return UnitView(unit.id, code, name, kind, parent_code)


def list_units(ws: Workspace, actor: Actor) -> list[UnitView]:
    """Units the actor may read (all of them for an administrator)."""
    with ws.db.read() as s:
        units = s.execute(select(Unit).order_by(Unit.code)).scalars().all()
        codes = {u.id: u.code for u in units}
        parents = {u.id: u.parent_id for u in units}
        return [
            UnitView(u.id, u.code, u.name, u.kind, codes.get(u.parent_id))
            for u in units
            if actor.can("read", unit_chain(s, u.id, parents))
        ]


def _check_password(password: str | None) -> None:
    if password is not None and len(password) < 8:
        raise InvalidInput("invalid.password_short")


def new_user(
    s: Session,
    actor: Actor,
    username: str,
    display_name: str | None,
    password: str | None,
    lang: str = "id",
) -> UserAccount:
    """Create an account in the caller's transaction (audited); no role yet."""
    username = username.strip()
    if not username or len(username) > 120 or any(c.isspace() for c in username):
        raise InvalidInput("invalid.username", username=username)
    _check_password(password)
    if s.execute(select(UserAccount.id).where(UserAccount.username == username)).scalar():
        raise Conflict("conflict.user", username=username)
    user = UserAccount(
        username=username,
        display_name=(display_name or username).strip()[:200] or username,
        password_hash=_hasher.hash(password) if password else None,
        lang=lang,
        active=True,
        created_at=_now(),
    )
    s.add(user)
    s.flush()
    audit.record(
        s,
        actor,
        "user.add",
        "user",
        user.id,
        None,
        {"username": username, "display_name": user.display_name},
    )
    return user


def add_user(
    ws: Workspace,
    actor: Actor,
    username: str,
    display_name: str | None = None,
    password: str | None = None,
    role: str | None = None,
    unit_code: str | None = None,
    areas: list[str] | None = None,
    lang: str = "id",
) -> int:
    """A new account, with one role when given (both in one transaction)."""
    with ws.db.write() as s:
        if role is None:
            require(actor, "user.manage", [])
        user = new_user(s, actor, username, display_name, password, lang)
        if role is not None:
            grant_in_session(s, actor, user, role, unit_code, areas)
        return user.id


def grant_role(
    ws: Workspace,
    actor: Actor,
    username: str,
    role: str,
    unit_code: str | None,
    areas: list[str] | None = None,
) -> None:
    with ws.db.write() as s:
        user = s.execute(select(UserAccount).where(UserAccount.username == username)).scalar()
        if user is None:
            raise NotFound("notfound.user", username=username)
        grant_in_session(s, actor, user, role, unit_code, areas)


def grant_in_session(
    s: Session,
    actor: Actor,
    user: UserAccount,
    role: str,
    unit_code: str | None,
    areas: list[str] | None,
) -> None:
    if role not in ROLES:
        raise InvalidInput("invalid.role", role=role, roles=", ".join(ROLES))
    known = known_areas()
    bad = [a for a in areas or [] if a not in known]
    if bad:
        raise InvalidInput("invalid.areas", areas=", ".join(bad), known=", ".join(known))
    unit = unit_by_code(s, unit_code) if unit_code else None
    chain = unit_chain(s, unit.id) if unit else []
    require(actor, "user.manage", chain)
    # a koordinator manages the unit's own people, but cannot create admins or assessors
    manager = actor.operator or actor.can("unit.manage", chain)
    if not manager and (role not in KOORDINATOR_GRANTS or unit is None):
        raise PermissionDenied("perm.denied", actor=actor.name, action=f"grant {role}", area="-")
    if unit is None and role != "admin":
        raise InvalidInput("invalid.role_needs_unit", role=role)
    try:
        with s.begin_nested():
            g = RoleGrant(
                user_id=user.id,
                unit_id=unit.id if unit else None,
                role=role,
                areas=list(areas) if areas else None,
            )
            s.add(g)
    except IntegrityError:
        raise Conflict("conflict.grant", username=user.username, role=role) from None
    audit.record(
        s,
        actor,
        "role.grant",
        "user",
        user.id,
        None,
        {"role": role, "unit": unit_code, "areas": areas},
    )


def _actor(s: Session, user: UserAccount) -> Actor:
    grants = s.execute(select(RoleGrant).where(RoleGrant.user_id == user.id)).scalars()
    return Actor(
        name=user.username,
        user_id=user.id,
        grants=tuple(Grant(g.unit_id, g.role, tuple(g.areas) if g.areas else None) for g in grants),
        display_name=user.display_name,
    )


def actor_for(ws: Workspace, username: str) -> Actor:
    """The Actor for a stored, active user, with every role grant as stored now."""
    with ws.db.read() as s:
        user = s.execute(select(UserAccount).where(UserAccount.username == username)).scalar()
        if user is None or not user.active:
            raise NotFound("notfound.user", username=username)
        return _actor(s, user)


def actor_by_id(ws: Workspace, user_id: int | None) -> Actor | None:
    """The Actor of a signed-in user as stored now (roles resolved afresh); None when the
    account no longer exists or was deactivated."""
    if user_id is None:
        return None
    with ws.db.read() as s:
        user = s.get(UserAccount, user_id)
        if user is None or not user.active:
            return None
        return _actor(s, user)


def count_users(ws: Workspace) -> int:
    with ws.db.read() as s:
        return len(s.execute(select(UserAccount.id)).all())


def set_language(ws: Workspace, actor: Actor, lang: str) -> None:
    """Remember a user's language choice (not audited: a preference, not a record)."""
    if lang not in ("id", "en"):
        raise InvalidInput("invalid.lang", lang=lang)
    if actor.user_id is None:
        return
    with ws.db.write() as s:
        user = s.get(UserAccount, actor.user_id)
        if user is not None:
            user.lang = lang


def user_language(ws: Workspace, username: str) -> str:
    with ws.db.read() as s:
        lang = s.execute(select(UserAccount.lang).where(UserAccount.username == username)).scalar()
        return lang or "id"


def usernames(ws: Workspace, actor: Actor, assessment_id: int) -> list[str]:
    """People with a role on the assessment's unit (to pick a note owner)."""

    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        chain = unit_chain(s, a.unit_id)
        require(actor, "read", chain)
        rows = s.execute(
            select(UserAccount.username)
            .join(RoleGrant, RoleGrant.user_id == UserAccount.id)
            .where(RoleGrant.unit_id.in_(chain))
            .distinct()
            .order_by(UserAccount.username)
        ).scalars()
        return list(rows)
