"""Portofolio: every unit below a parent unit for one year, scored in bulk.

One query fetches every answer (both tiers) of the units' assessments of that year; the
batch scorer (``wbk.scoring.batch``) scores them all at once. The figures equal the ones the
single assessment's screens show (``assessments.score_assessment``): the same answer rules,
the same TPI fallback (the TPI's answer where it scored, the unit's elsewhere).

Read by a koordinator, pimpinan, tpi or admin of the parent unit or of a unit above it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from wbk.catalog import DEFAULT_CATALOG_ID, Catalog
from wbk.catalog.contract import portalrb_kategori
from wbk.errors import InvalidInput, PermissionDenied
from wbk.scoring.batch import BatchResult, BatchScorer
from wbk.scoring.bulk_values import FIELD, RECORD, ValueReader
from wbk.scoring.thresholds import predicate_lines
from wbk.scoring.tiers import tpi_effective_values
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, unit_chain
from wbk.services.people.people import unit_by_code
from wbk.services.portfolio.model import Portfolio, UnitRow
from wbk.store.tables import Answer, Assessment, Evidence, EvidenceLink, ReviewNote, Unit
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

_SCORERS: dict[int, tuple[BatchScorer, ValueReader]] = {}


def scorer_for(catalog: Catalog) -> tuple[BatchScorer, ValueReader]:
    """The batch scorer of a catalog (its weight matrix is built once per process) and the
    reader that remembers the value of every distinct answer it has seen."""
    found = _SCORERS.get(id(catalog))
    if found is None or found[0].catalog is not catalog:
        scorer = BatchScorer(catalog)
        found = _SCORERS[id(catalog)] = (scorer, ValueReader(catalog, scorer.codes))
    return found


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
    with ws.db.read() as s:
        return read_portfolio(ws, s, actor, unit_code, year, today)


def read_portfolio(
    ws: Workspace, s: Session, actor: Actor, unit_code: str, year: int, today: date
) -> Portfolio:
    """``build_portfolio`` inside a transaction the caller holds."""
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
        scored.update(_score_group(s, catalog, [a.id for a in rows], in_year, catalog_id))

    notes = dict(
        s.execute(
            select(ReviewNote.assessment_id, func.count())
            .where(ReviewNote.assessment_id.in_(in_year), ReviewNote.status != "closed")
            .group_by(ReviewNote.assessment_id)
        ).all()
    )
    proposals = {
        p.unit_id: p
        for p in s.execute(
            select(Proposal.unit_id, Proposal.predicate, Proposal.afirmasi, Proposal.reason).where(
                Proposal.year == year, Proposal.unit_id.in_(select(tree.c.id))
            )
        )
    }

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


def _score_group(
    s: Session, catalog: Catalog, ids: list[int], in_year, catalog_id: str
) -> dict[int, dict[str, Any]]:
    """Scores of the assessments ``ids`` (all on ``catalog``): one answer query per tier."""
    scorer, reader = scorer_for(catalog)
    row_of = {aid: r for r, aid in enumerate(ids)}
    subset = select(Assessment.id).where(
        Assessment.id.in_(in_year), Assessment.catalog_id == catalog_id
    )
    agg = _packer(s)
    # one query for both tiers (one scan of the answers); each assessment's rows of a tier
    # come packed in one string
    packed: dict[str, list[tuple[int, str]]] = {"self": [], "tpi": []}
    for aid, tier, blob in s.execute(
        select(Answer.assessment_id, Answer.tier, agg(Answer.code + FIELD + Answer.value))
        .where(
            Answer.tier.in_(tuple(packed)),
            Answer.value.is_not(None),
            Answer.assessment_id.in_(subset),
        )
        .group_by(Answer.assessment_id, Answer.tier)
    ):
        packed[tier].append((row_of[aid], blob))
    tiers = {tier: reader.read_packed(len(ids), rows) for tier, rows in packed.items()}
    own = scorer.score(tiers["self"].values)
    merged, tpi_scored = tpi_effective_values(tiers["self"], tiers["tpi"])
    tpi = scorer.score(merged)

    covered = np.zeros_like(tiers["self"].answered)
    index = reader.index
    for aid, blob in s.execute(
        select(Evidence.assessment_id, agg(EvidenceLink.code))
        .join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
        .where(Evidence.retired_at.is_(None), Evidence.assessment_id.in_(subset))
        .group_by(Evidence.assessment_id)
    ):
        ks = [k for k in map(index.get, (blob or "").split(RECORD)) if k is not None]
        covered[row_of[aid], ks] = True
    answered = tiers["self"].answered
    n_answered = answered.sum(axis=1)
    with_evidence = (answered & covered).sum(axis=1)

    area_cols = [(a, scorer.nodes.index(a)) for a in catalog.area_codes]
    area_weight = {a: scorer.matrix[:, k].sum() for a, k in area_cols}
    low, high = catalog.lower_predicate, catalog.higher_predicate
    wbk_failing = _failing(scorer, own, low)
    tpi_failing = _failing(scorer, tpi, low)

    out: dict[int, dict[str, Any]] = {}
    total, peng, hasil = own.column("total"), own.column("pengungkit"), own.column("hasil")
    t_total, t_peng = tpi.column("total"), tpi.column("pengungkit")
    for aid, r in row_of.items():
        has_tpi = bool(tpi_scored[r])
        self_total = _round(total[r])
        tpi_total = _round(t_total[r]) if has_tpi else None
        out[aid] = {
            "total": self_total,
            "pengungkit": _round(peng[r]),
            "hasil": _round(hasil[r]),
            "tpi_total": tpi_total,
            "tpi_pengungkit": _round(t_peng[r]) if has_tpi else None,
            "overclaim": _round(total[r] - t_total[r]) if has_tpi else None,
            "wbk_passed": bool(own.passed[low][r]) if low in own.passed else False,
            "wbbm_passed": bool(own.passed[high][r]) if high in own.passed else False,
            "failing_gates": wbk_failing[r],
            "tpi_failing_gates": tpi_failing[r] if has_tpi else (),
            "tpi_wbk_passed": bool(tpi.passed[low][r]) if has_tpi else None,
            "answered": int(n_answered[r]),
            "evidence_coverage": (
                round(float(with_evidence[r]) / float(n_answered[r]), 4) if n_answered[r] else None
            ),
            "areas": {
                a: round(100 * float(own.scores[r, k] / area_weight[a]), 2)
                if area_weight[a]
                else 0.0
                for a, k in area_cols
            },
        }
    return out


def _packer(s: Session):
    """The string aggregate of the session's engine: ``string_agg`` (PostgreSQL) or
    ``group_concat`` (SQLite), joining with ``RECORD``."""
    if s.get_bind().dialect.name == "postgresql":
        return lambda expr: func.string_agg(expr, RECORD)
    return lambda expr: func.group_concat(expr, RECORD)


def _failing(scorer: BatchScorer, result: BatchResult, predicate: str) -> list[tuple[str, ...]]:
    """Per row: the applicable gates of ``predicate`` it fails, by gate id (``area:R.MP``)."""
    if predicate not in result.gate_passed:
        return [() for _ in range(result.scores.shape[0])]
    names = np.array(result.gates[predicate], dtype=object)
    applies = np.array([g[3] for g in scorer._gates[predicate]], dtype=bool)
    failing = ~result.gate_passed[predicate] & applies
    rows, cols = np.nonzero(failing)  # row-major: each row's gates in the gates' order
    ends = np.searchsorted(rows, np.arange(1, failing.shape[0] + 1))
    found = names[cols].tolist()
    out, start = [], 0
    for end in ends.tolist():
        out.append(tuple(found[start:end]))
        start = end
    return out


def _round(value: float) -> float:
    """Full precision less the float noise (74.00000000000001 -> 74.0)."""
    return round(float(value), 6)
