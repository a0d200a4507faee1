"""What the acting user may do in one assessment, decided once from their roles and its status;
pages only draw what this says."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from wbk.catalog import Catalog
from wbk.services.core.actor import RULES, Actor

# status -> the statuses a move may lead to, and the action (permission) each needs
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "submitted"): "assessment.submit",
    ("submitted", "draft"): "assessment.submit",
    ("submitted", "reviewed"): "assessment.review",
    ("reviewed", "submitted"): "assessment.review",
    ("draft", "locked"): "assessment.lock",
    ("submitted", "locked"): "assessment.lock",
    ("reviewed", "locked"): "assessment.lock",
    ("locked", "draft"): "assessment.unlock",
}

# the way forward, one step at a time (moves back are the exceptions above)
STEPS = ("draft", "submitted", "reviewed", "locked")


def next_step(status: str) -> tuple[str, tuple[str, ...]] | None:
    """The next status on the way forward from ``status`` and the roles that move it there
    (None once locked)."""
    i = STEPS.index(status)
    if i + 1 == len(STEPS):
        return None
    target = STEPS[i + 1]
    roles = RULES[TRANSITIONS[(status, target)]]
    return target, tuple(r for r in ("koordinator", "tpi", "admin") if r in roles)


def is_back(status: str, target: str) -> bool:
    """Whether a move goes back along the steps (withdraw, reopen a review, unlock)."""
    return STEPS.index(target) < STEPS.index(status)


@dataclass(frozen=True, slots=True)
class Abilities:
    """What the acting user may change in one assessment."""

    tier: str | None  # the answer tier this user writes: self, tpi, or None (read-only)
    areas: frozenset[str | None]  # areas whose answers/evidence they may change (H: results)
    write_notes: bool  # write, assign, close TPI notes
    respond_notes: bool
    manage: bool  # coordinate: lock, snapshots, workbook import
    locked: bool
    transitions: tuple[str, ...] = ()  # statuses this user may move the assessment to now
    # (from, to) of the forward steps this user makes at a later status (a TPI in draft:
    # ("submitted", "reviewed")): why there is no button yet
    later: tuple[tuple[str, str], ...] = ()
    catalog: Catalog | None = field(default=None, compare=False, repr=False)  # question areas

    def can_edit(self, code: str) -> bool:
        if self.tier is None or self.locked or self.catalog is None:
            return False
        return self.catalog.area_of(code) in self.areas

    def editable(self, codes: Iterable[str]) -> list[str]:
        """The codes among ``codes`` this user may answer or attach evidence to."""
        return [c for c in codes if self.can_edit(c)]

    @property
    def can_upload(self) -> bool:
        """Add evidence documents (the unit's own tier, an area to work in, not locked)."""
        return self.tier == "self" and not self.locked and bool(self.areas)

    def can_change_document(self, codes: Iterable[str]) -> bool:
        """Revise, link or retire a document linked to ``codes`` (all of them in reach)."""
        codes = list(codes)
        if self.tier != "self" or self.locked:
            return False
        return all(self.can_edit(c) for c in codes) if codes else bool(self.areas)

    @property
    def can_import_workbook(self) -> bool:
        return self.tier == "self" and self.manage and not self.locked

    @property
    def can_write_notes(self) -> bool:
        return self.write_notes and not self.locked

    @property
    def can_respond_notes(self) -> bool:
        return self.respond_notes and not self.locked


def decide(actor: Actor, chain: list[int], status: str, catalog: Catalog) -> Abilities:
    """The abilities of ``actor`` on an assessment of the unit ``chain[0]`` in ``status``,
    whose questions are ``catalog``'s (its reform areas and the result items' area)."""
    tier = None
    if actor.can("answer.self", chain):
        tier = "self"
    elif actor.can("answer.tpi", chain):
        tier = "tpi"
    action = "answer.self" if tier == "self" else "answer.tpi"
    areas = frozenset(
        x
        for x in (*catalog.area_codes, catalog.results_area)
        if tier and actor.can(action, chain, x)
    )
    moves = tuple(
        to
        for (frm, to), needed in TRANSITIONS.items()
        if frm == status and actor.can(needed, chain)
    )
    later = tuple(
        (frm, to)
        for frm, to in pairwise(STEPS)
        if STEPS.index(frm) > STEPS.index(status) and actor.can(TRANSITIONS[(frm, to)], chain)
    )
    return Abilities(
        tier=tier,
        areas=areas,
        write_notes=actor.can("note.write", chain),
        respond_notes=actor.can("note.respond", chain),
        manage=actor.can("assessment.lock", chain),
        locked=status == "locked",
        transitions=moves,
        later=later,
        catalog=catalog,
    )
