"""Portofolio: every unit below a parent unit for one year, scored in bulk.

Each assessment's figures come from ``scores`` (kept while its answers, catalog and the
scoring code are unchanged; computed in bulk otherwise). They equal the ones the single
assessment's screens show (``assessments.score_assessment``): the same answer rules, the
same TPI fallback (the TPI's answer where it scored, the unit's elsewhere).

Read by a koordinator, pimpinan, tpi or admin of the parent unit or of a unit above it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from wbk.catalog import DEFAULT_CATALOG_ID
from wbk.catalog.contract import portalrb_kategori
from wbk.errors import InvalidInput, PermissionDenied
from wbk.scoring.thresholds import predicate_lines
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, unit_chain
from wbk.services.people.people import unit_by_code
from wbk.services.portalrb import requirements
from wbk.services.portfolio import scores
from wbk.services.portfolio.model import Portfolio, UnitRow
from wbk.store.tables import Assessment, ReviewNote, ReviewVerdict, Unit
from wbk.store.tables.portalrb import Proposal

EFFORT_LIMIT = 200  # the planner's effort is computed for at most this many rows at once


# --- who may read ---------------------------------------------------------------------------


def may_read(actor: Actor, chain: list[int]) -> bool:
    """A portfolio reader on the unit ``chain[0]`` or a unit above it."""
    return actor.can("portfolio.read", chain)


def _require_reader(actor: Actor, chain: list[int], code: str) -> None:
    if not may_read(actor, chain):
        raise PermissionDenied("portfolio.denied", actor=actor.name, unit=code)


def parent_units(ws: Workspace, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the units with units below them whose portfolio the actor may read,
    the ones nearest the top first."""
    with ws.db.read() as s:
        units = s.execute(select(Unit.id, Unit.code, Unit.name, Unit.parent_id)).all()
        parents = {u.id: u.parent_id for u in units}
        with_children = {u.parent_id for u in units if u.parent_id is not None}
        out = []
        for u in units:
            if u.id not in with_children:
                continue
            chain = unit_chain(s, u.id, parents)
            if may_read(actor, chain):
                out.append((len(chain), u.code, u.name))
    return [(code, name) for _, code, name in sorted(out)]


# --- building -------------------------------------------------------------------------------


def build_portfolio(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    year: int | None = None,
    today: date | None = None,
) -> Portfolio:
    """Every unit below ``unit_code`` (at any depth) with its figures for ``year`` (default:
    this year), read in one transaction."""
    today = today or date.today()
    year = year or today.year
    if not 2000 <= year <= 2100:
        raise InvalidInput("invalid.year", year=year)
    keep: list[dict] = []
    with ws.db.read() as s, scores.no_cycle_collection():
        p = read_portfolio(ws, s, actor, unit_code, year, today, keep)
    scores.save(ws, keep)  # after the read: the figures it computed, for the next one
    return p


def read_portfolio(
    ws: Workspace,
    s: Session,
    actor: Actor,
    unit_code: str,
    year: int,
    today: date,
    keep: list[dict] | None = None,
) -> Portfolio:
    """``build_portfolio`` inside a transaction the caller holds (figures computed afresh are
    appended to ``keep`` for ``scores.save``)."""
    parent = unit_by_code(s, unit_code)
    units = {u.id: u for u in s.execute(select(Unit.id, Unit.code, Unit.name, Unit.parent_id))}
    parents = {uid: u.parent_id for uid, u in units.items()}
    _require_reader(actor, unit_chain(s, parent.id, parents), parent.code)

    children: dict[int, list[int]] = defaultdict(list)
    for uid, u in units.items():
        if u.parent_id is not None:
            children[u.parent_id].append(uid)
    below: list[int] = []
    group_of: dict[int, int] = {}
    for top in children.get(parent.id, []):
        # a child with units of its own is a group (a Kanwil below a ministry); leaves
        # directly below the parent form the parent's group
        group = top if children.get(top) else parent.id
        stack = [top]
        seen = {parent.id}
        while stack:
            uid = stack.pop()
            if uid in seen:
                continue
            seen.add(uid)
            below.append(uid)
            group_of[uid] = group
            stack.extend(children.get(uid, []))
    tree = _tree_cte(parent.id)

    assessed = s.execute(
        select(
            Assessment.id,
            Assessment.unit_id,
            Assessment.status,
            Assessment.deadline,
            Assessment.catalog_id,
        ).where(Assessment.year == year, Assessment.unit_id.in_(select(tree.c.id)))
    ).all()
    in_year = select(Assessment.id).where(
        Assessment.year == year, Assessment.unit_id.in_(select(tree.c.id))
    )
    by_catalog: dict[str, list] = defaultdict(list)
    for a in assessed:
        by_catalog[a.catalog_id].append(a)

    scored: dict[int, dict[str, Any]] = {}
    for catalog_id, rows in by_catalog.items():
        catalog = ws.catalog(catalog_id)
        subset = select(Assessment.id).where(
            Assessment.id.in_(in_year), Assessment.catalog_id == catalog_id
        )
        scored.update(scores.score_group(s, catalog, [a.id for a in rows], subset, keep))

    notes = dict(
        s.execute(
            select(ReviewNote.assessment_id, func.count())
            .where(ReviewNote.assessment_id.in_(in_year), ReviewNote.status != "closed")
            .group_by(ReviewNote.assessment_id)
        ).all()
    )
    hijau = _hijau_shares(s, in_year)
    proposals = {
        p.unit_id: p
        for p in s.execute(
            select(Proposal.unit_id, Proposal.predicate, Proposal.afirmasi, Proposal.reason).where(
                Proposal.year == year, Proposal.unit_id.in_(select(tree.c.id))
            )
        )
    }

    chains = {uid: unit_chain(s, uid, parents) for uid in below}
    predicates = {uid: p.predicate for uid, p in proposals.items()}
    met = requirements.summaries(s, year, chains, predicates)

    by_unit = {a.unit_id: a for a in assessed}
    out: list[UnitRow] = []
    for uid in below:
        u = units[uid]
        g = units[group_of[uid]]
        base = dict(
            unit=u.code,
            name=u.name,
            parent=units[u.parent_id].code if u.parent_id in units else None,
            group=g.code,
            group_name=g.name,
            year=year,
            requirements=met.get(uid),
        )
        p = proposals.get(uid)
        if p is not None:
            base["proposal"] = portalrb_kategori(p.predicate, p.afirmasi)
            base["proposal_reason"] = p.reason
        a = by_unit.get(uid)
        if a is not None:
            base.update(
                assessment_id=a.id,
                status=a.status,
                open_notes=int(notes.get(a.id, 0)),
                hijau_share=hijau.get(a.id),
                days_left=(a.deadline - today).days if a.deadline else None,
                **scored.get(a.id, {}),
            )
        out.append(UnitRow(**base))
    out.sort(key=lambda r: (r.total is None, -(r.total or 0.0), r.unit))
    first = ws.catalog(next(iter(by_catalog))) if by_catalog else None
    return Portfolio(
        parent=parent.code,
        parent_name=parent.name,
        year=year,
        rows=out,
        areas=tuple(first.area_codes) if first else (),
        # without an assessment the lines are those of the catalog a new one would use
        lines=predicate_lines(first or ws.catalog(DEFAULT_CATALOG_ID)),
    )


def _hijau_shares(s: Session, in_year) -> dict[int, float]:
    """The share of ``hijau`` questions of each assessment's pre-review as last computed (the
    cached verdicts), in one query; an assessment never reviewed has no entry."""
    return {
        aid: int(green) / count
        for aid, count, green in s.execute(
            select(
                ReviewVerdict.assessment_id,
                func.count(),
                func.sum(case((ReviewVerdict.verdict == "hijau", 1), else_=0)),
            )
            .where(ReviewVerdict.assessment_id.in_(in_year))
            .group_by(ReviewVerdict.assessment_id)
        )
        if count
    }


def _tree_cte(root_id: int):
    """The ids of every unit below ``root_id`` (recursive, cycles cut at depth 32)."""
    base = (
        select(Unit.id, Unit.parent_id, literal(1).label("depth"))
        .where(Unit.parent_id == root_id)
        .cte("below", recursive=True)
    )
    return base.union_all(
        select(Unit.id, Unit.parent_id, (base.c.depth + 1).label("depth"))
        .join(base, Unit.parent_id == base.c.id)
        .where(base.c.depth < 32)
    )
