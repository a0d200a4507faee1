"""Who is acting, and what their roles allow: the permission rules live here, nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, field

from wbk.catalog.model import RESULTS_AREA  # the result items: an area an agen is given by name
from wbk.errors import InvalidInput

ROLES = ("admin", "koordinator", "agen", "pimpinan", "tpi")
TIERS = ("self", "tpi", "tpn")


def check_tier(tier: str) -> None:
    """Refuse a tier that is not one of ``TIERS``, naming the ones there are."""
    if tier not in TIERS:
        raise InvalidInput("invalid.tier", tier=tier, tiers=", ".join(TIERS))


# action -> roles that may perform it (on the unit, subject to area limits for agen)
RULES: dict[str, frozenset[str]] = {
    "unit.manage": frozenset({"admin"}),
    "user.manage": frozenset({"admin", "koordinator"}),
    "assessment.create": frozenset({"admin", "koordinator"}),
    "assessment.submit": frozenset({"admin", "koordinator"}),
    "assessment.review": frozenset({"tpi"}),
    "assessment.lock": frozenset({"admin", "koordinator"}),
    "assessment.unlock": frozenset({"admin"}),
    "answer.self": frozenset({"admin", "koordinator", "agen"}),
    "answer.tpi": frozenset({"tpi"}),
    "answer.tpn": frozenset({"admin"}),
    "evidence.write": frozenset({"admin", "koordinator", "agen"}),
    "note.write": frozenset({"tpi"}),
    # the pre-review's findings: accept one as a TPI note, dismiss one
    "finding.decide": frozenset({"tpi", "koordinator"}),
    # the pre-review's period of an assessment (its setup: an admin may set it too)
    "review.period": frozenset({"admin", "koordinator", "tpi"}),
    "note.respond": frozenset({"admin", "koordinator", "agen"}),
    "read": frozenset(ROLES),
    "system": frozenset({"admin"}),
    "task.write": frozenset({"admin", "koordinator", "agen"}),  # plan tasks, effort overrides
    # PortalRB: propose a unit (checked on the units above it), manage the API tokens
    "proposal.write": frozenset({"admin", "koordinator"}),
    "token.manage": frozenset({"admin", "koordinator"}),
    # the portfolio of the units below (every role that reaches sub-units; an agen does not)
    "portfolio.read": frozenset({"admin", "koordinator", "pimpinan", "tpi"}),
    # the Admin page's people table (a system administrator has it through "system")
    "people.list": frozenset({"koordinator"}),
    # who may be given a plan task (an agen only for the areas of their grant)
    "task.own": frozenset({"agen", "koordinator"}),
}
WHOLE = "*"  # a change that is not about one area (a document linked to no question)
AREA_LIMITED = frozenset(
    {"answer.self", "evidence.write", "note.respond", "task.write", "task.own"}
)
# Roles whose grant may list the areas they work in (the others reach every area).
AREA_ROLES = frozenset({"agen"})
# Roles that reach the sub-units of the unit they are granted on. An agen works in one unit.
INHERITED = frozenset({"admin", "koordinator", "pimpinan", "tpi"})
# What a koordinator may grant on the units they coordinate.
KOORDINATOR_GRANTS = frozenset({"agen", "pimpinan"})


@dataclass(frozen=True, slots=True)
class Grant:
    unit_id: int | None  # None: every unit (system administrator)
    role: str
    areas: tuple[str, ...] | None = None  # for agen: only these areas (MP, TT, ...)


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting person: ``name`` is what the audit trail records (``budi``, ``cli:root``)."""

    name: str
    user_id: int | None = None
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    operator: bool = False  # the local command-line operator: full rights, recorded as cli:<login>
    display_name: str | None = None  # the person's name as shown in the app

    def roles_on(self, unit_chain: list[int]) -> list[Grant]:
        """Grants that apply to the first unit of ``unit_chain`` (unit, parent, grandparent...)."""
        unit = unit_chain[0] if unit_chain else None
        out = []
        for g in self.grants:
            if (
                g.unit_id is None
                or g.unit_id == unit
                or (g.role in INHERITED and g.unit_id in unit_chain)
            ):
                out.append(g)
        return out

    def can(self, action: str, unit_chain: list[int], area: str | None = None) -> bool:
        """Whether a grant allows ``action`` on the unit ``unit_chain[0]``.

        ``area`` narrows area-limited actions: a reform area (``MP``..``PP``), ``H`` for the
        result items, ``*`` for the whole assessment (e.g. a document linked to no question),
        or None when the action is not about one area.
        """
        if self.operator:
            return True
        return any(allows(g, action, area) for g in self.roles_on(unit_chain))

    def can_somewhere(self, action: str) -> bool:
        """Whether some grant allows ``action`` on some unit (what a page offers at all; the
        unit in reach is checked when the action is taken)."""
        return self.operator or any(allows(g, action, None) for g in self.grants)


def allows(grant: Grant, action: str, area: str | None = None) -> bool:
    """Whether one grant's role may take ``action`` (in ``area``, for area-limited actions)
    on a unit the grant reaches."""
    if grant.role not in RULES[action]:
        return False
    if action in AREA_LIMITED and grant.role in AREA_ROLES:
        return _area_reached(grant, area)
    return True


def _area_reached(grant: Grant, area: str | None) -> bool:
    """An agen works in the reform areas of their grant (all six when none are listed); the
    result items (survey values, capaian kinerja) only when ``H`` is listed explicitly, and
    whole-assessment changes only without an area limit."""
    if area is None:
        return True
    if area == RESULTS_AREA:
        return grant.areas is not None and RESULTS_AREA in grant.areas
    if area == WHOLE:
        return grant.areas is None
    return grant.areas is None or area in grant.areas


def operator(login: str) -> Actor:
    return Actor(name=f"cli:{login}", operator=True)


# The pages each role sees; a page missing here does not exist for that role.
_WORK = ("dashboard", "assessment", "plan", "evidence", "notes", "surveys", "reports")
PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "admin": (*_WORK, "portfolio", "admin"),
    "koordinator": (*_WORK, "portfolio", "admin"),
    "agen": _WORK,
    "pimpinan": (*_WORK, "portfolio"),
    "tpi": ("dashboard", "assessment", "evidence", "notes", "surveys", "reports", "portfolio"),
}
PAGE_ORDER = (
    "dashboard",
    "assessment",
    "plan",
    "evidence",
    "notes",
    "surveys",
    "reports",
    "portfolio",
    "account",
    "admin",
)


def visible_pages(actor: Actor) -> list[str]:
    roles = {g.role for g in actor.grants} | ({"admin"} if actor.operator else set())
    allowed = {p for r in roles for p in PAGES_BY_ROLE.get(r, ())} | {"account"}
    return [p for p in PAGE_ORDER if p in allowed]
