"""Who may do what, as a table: every role x action x place in the unit tree.

The expectations below are written out by hand from the product's roles (PRODUCT.md), not
read from ``actor.RULES``: the table is a second statement of the rules, so a change to one
of them (a role dropped from an action, a role no longer inherited) fails here at once.
"""

from __future__ import annotations

import pytest

from wbk.services.core.actor import RESULTS_AREA, ROLES, RULES, WHOLE, Actor, Grant

# The unit tree: a Kanwil (1) with two satker below it (2, 3); satker 2 has a KUA (4).
KANWIL, SATKER, SIBLING, KUA = 1, 2, 3, 4
PARENT = {KANWIL: None, SATKER: KANWIL, SIBLING: KANWIL, KUA: SATKER}


def chain(unit: int) -> list[int]:
    out = []
    current: int | None = unit
    while current is not None:
        out.append(current)
        current = PARENT[current]
    return out


# Every grant below is held on SATKER; the places are seen from there.
PLACES = {"own": SATKER, "child": KUA, "parent": KANWIL, "sibling": SIBLING}

# role -> the actions it may take on the unit it holds the grant on
ON_OWN_UNIT = {
    "admin": {
        "unit.manage",
        "user.manage",
        "assessment.create",
        "assessment.submit",
        "assessment.lock",
        "assessment.unlock",
        "answer.self",
        "answer.tpn",
        "evidence.write",
        "note.respond",
        "read",
        "system",
        "task.write",
        "proposal.write",
        "token.manage",
        "portfolio.read",
        "review.period",
    },
    "koordinator": {
        "user.manage",
        "assessment.create",
        "assessment.submit",
        "assessment.lock",
        "answer.self",
        "evidence.write",
        "note.respond",
        "read",
        "task.write",
        "proposal.write",
        "token.manage",
        "portfolio.read",
        "people.list",
        "task.own",
        "finding.decide",
        "review.period",
    },
    "agen": {"answer.self", "evidence.write", "note.respond", "read", "task.write", "task.own"},
    "pimpinan": {"read", "portfolio.read"},
    "tpi": {
        "assessment.review",
        "answer.tpi",
        "note.write",
        "read",
        "portfolio.read",
        "finding.decide",
        "review.period",
    },
}
# Roles that also act on every unit below the one they hold (an agen works in one unit).
REACHES_BELOW = {"admin", "koordinator", "pimpinan", "tpi"}


def expected(role: str, action: str, place: str) -> bool:
    if action not in ON_OWN_UNIT[role]:
        return False
    return place == "own" or (place == "child" and role in REACHES_BELOW)


def test_the_table_names_every_role_and_action():
    assert set(ON_OWN_UNIT) == set(ROLES)
    named = set().union(*ON_OWN_UNIT.values())
    assert named <= set(RULES)
    # an action no role may take would be dead: every action is somebody's
    assert set(RULES) == named


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(RULES))
@pytest.mark.parametrize("place", PLACES)
def test_role_action_place(role, action, place):
    actor = Actor(name="x", grants=(Grant(SATKER, role),))
    assert actor.can(action, chain(PLACES[place])) is expected(role, action, place)


@pytest.mark.parametrize("role", ROLES)
def test_a_grant_on_every_unit_reaches_every_place(role):
    actor = Actor(name="x", grants=(Grant(None, role),))
    for place, unit in PLACES.items():
        for action in RULES:
            assert actor.can(action, chain(unit)) is (action in ON_OWN_UNIT[role]), (place, action)


def test_an_agen_limited_to_areas_works_only_there():
    agen = Actor(name="a", grants=(Grant(SATKER, "agen", ("MP", "TT")),))
    here = chain(SATKER)
    for action in ("answer.self", "evidence.write", "note.respond", "task.write", "task.own"):
        assert agen.can(action, here, "MP")
        assert not agen.can(action, here, "SDM")
        assert not agen.can(action, here, RESULTS_AREA)  # the result items: only when listed
        assert not agen.can(action, here, WHOLE)  # a change about the whole assessment
    assert agen.can("read", here, "SDM")  # reading is not limited to areas


def test_an_agen_without_an_area_list_works_everywhere_but_the_results():
    agen = Actor(name="a", grants=(Grant(SATKER, "agen"),))
    here = chain(SATKER)
    assert agen.can("answer.self", here, "SDM")
    assert agen.can("evidence.write", here, WHOLE)
    assert not agen.can("answer.self", here, RESULTS_AREA)
    given = Actor(name="b", grants=(Grant(SATKER, "agen", ("H",)),))
    assert given.can("answer.self", here, RESULTS_AREA)


def test_an_area_list_limits_only_the_agen():
    koordinator = Actor(name="k", grants=(Grant(SATKER, "koordinator", ("MP",)),))
    assert koordinator.can("answer.self", chain(SATKER), "SDM")


def test_what_a_page_offers_anywhere():
    koordinator = Actor(name="k", grants=(Grant(KUA, "koordinator"),))
    pimpinan = Actor(name="p", grants=(Grant(SATKER, "pimpinan"),))
    assert koordinator.can_somewhere("proposal.write")
    assert koordinator.can_somewhere("people.list")
    assert not pimpinan.can_somewhere("proposal.write")
    assert not pimpinan.can_somewhere("people.list")
    assert Actor(name="cli:root", operator=True).can_somewhere("people.list")


def test_the_operator_may_do_everything():
    root = Actor(name="cli:root", operator=True)
    assert all(root.can(action, chain(SIBLING), "SDM") for action in RULES)
