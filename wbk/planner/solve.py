"""The cheapest plan that passes every gate (or the best total within a budget), as a small
mixed-integer program solved by HiGHS, then re-checked with the exact engine.

Every score is linear in the question values, so with one binary variable per move ("raise
question q to answer k", at most one per question) each gate is one linear constraint: the
gains of the chosen moves inside the gate's scope must cover the gate's shortfall. The solver
works in floats; every plan it returns is rebuilt exactly (Fractions) and scored with
``wbk.scoring.score``. A plan the engine rejects (a float edge) is cut off and the program
solved again, so no reported plan fails a gate it claims to pass.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from wbk.catalog.model import Catalog
from wbk.errors import WbkError
from wbk.planner.efforts import effort_model
from wbk.planner.model import Blocker, Plan, Standing, Step
from wbk.planner.moves import ZERO, Current, Layout, Move, layout_of, moves_of
from wbk.scoring import score
from wbk.scoring.answers import AnswerSet, value_of
from wbk.scoring.scorecard import ScoreCard

# A gate's float row may sit this far (relative) below its exact minimum: a plan exactly on
# the edge (total 75) must stay feasible for the solver; the exact re-check rejects the rest.
SLACK = 1e-7
MAX_CUTS = 25
# mip_rel_gap 0: the true optimum, not one within 0.01 %. The rest is speed, measured with
# bench/bench_planner.py: on programs this small HiGHS spends most of its time in presolve
# and root heuristics that rarely pay off (about 1.7x faster without them). scipy passes
# options it does not list to HiGHS verbatim (with a warning, silenced around the call), and
# HiGHS ignores an option it lacks, so an older HiGHS solves the same program.
OPTIONS = {
    "mip_rel_gap": 0.0,
    "presolve": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_root_reduced_cost": False,
}
# Efforts are scaled to integers when their common denominator keeps the sums exact in a
# float, which makes "no more effort than the optimum" an exact constraint.
MAX_SCALED = 2**40


class PlanError(WbkError):
    """A target or budget the planner cannot accept."""

    key = "plan.invalid"


class PlanVerificationError(RuntimeError):
    """The solver kept returning plans the exact engine rejects: a bug, never an output."""


Row = tuple[np.ndarray, float, float]  # coefficients, lower bound, upper bound


@dataclass(slots=True)
class _Problem:
    layout: Layout
    answers: AnswerSet
    target: str
    currents: dict[str, Current]
    moves: list[Move]
    efforts: list[Fraction]  # exact effort of each move
    scaled: np.ndarray  # efforts as the solver sees them (integers when ``scale`` is set)
    scale: int | None
    gains: np.ndarray
    groups: list[list[int]]  # move indices of each question with more than one move
    gate_rows: list[Row] = field(default_factory=list)
    cards: dict[tuple[int, ...], ScoreCard] = field(default_factory=dict)

    def card(self, chosen: Sequence[int]) -> ScoreCard:
        """The exact ScoreCard of the answers with these moves applied (memoised)."""
        key = tuple(sorted(chosen))
        if key not in self.cards:
            values = dict(self.answers.values)
            for i in key:
                values[self.moves[i].code] = self.moves[i].value
            self.cards[key] = score(self.layout.catalog, values)
        return self.cards[key]

    def passes(self, chosen: Sequence[int]) -> bool:
        return self.card(chosen).verdicts[self.target].passed

    def effort(self, chosen: Sequence[int]) -> Fraction:
        return sum((self.efforts[i] for i in chosen), ZERO)

    def gain(self, chosen: Sequence[int]) -> Fraction:
        return sum((self.moves[i].gain for i in chosen), ZERO)


def plan(
    catalog: Catalog,
    answers: AnswerSet,
    target: str | None = None,
    efforts: Mapping[str, object] | None = None,
    budget: Fraction | int | str | None = None,
) -> Plan:
    """Without ``budget``: the least total effort that passes every gate of ``target`` (by
    default the catalog's lower predicate, WBK) that applies under the catalog's
    ``area_reading``; among plans of equal effort the higher total. With ``budget``: the
    highest total reachable within that effort (the least effort among equal totals), and
    which gates it passes.

    ``efforts``: a question's effort per level (default 1), checked by
    ``planner.efforts.effort_model`` (an EffortError names each bad entry). Result items never
    move. A question moves only up: unanswered ones start from their worst answer.
    """
    target = target or catalog.lower_predicate
    if target not in catalog.predicate_ids:
        raise PlanError(
            "plan.unknown_target",
            target=target,
            targets=", ".join(p.id for p in catalog.predicates),
        )
    cap = parse_budget(budget)
    per_level = effort_model(catalog, efforts)
    p = _problem(layout_of(catalog), answers, target, per_level, cap)
    before = p.card([])
    blockers = _blockers(p)
    if cap is not None:
        chosen = _budget_plan(p, cap)
    elif blockers:
        chosen = []
    else:
        p.gate_rows = _gate_rows(p, before)
        chosen = _cheapest_plan(p)
    return _report(p, chosen, blockers, cap)


def parse_budget(budget: Fraction | int | str | None) -> Fraction | None:
    """A budget as typed (``12``, ``7,5``) or given; a negative or non-number is a PlanError."""
    if budget is None:
        return None
    text = str(budget).strip().replace(",", ".")
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise PlanError("plan.bad_budget", budget=str(budget)) from None
    if value < 0:
        raise PlanError("plan.bad_budget", budget=str(budget))
    return value


def _problem(
    layout: Layout,
    answers: AnswerSet,
    target: str,
    efforts: Mapping[str, Fraction],
    cap: Fraction | None,
) -> _Problem:
    moves: list[Move] = []
    currents: dict[str, Current] = {}
    groups: list[list[int]] = []
    for code in layout.changeable:
        current, options = moves_of(layout, code, answers)
        currents[code] = current
        if len(options) > 1:
            groups.append(list(range(len(moves), len(moves) + len(options))))
        moves.extend(options)
    exact = [m.levels * Fraction(efforts.get(m.code, 1)) for m in moves]
    scale = _scale(exact, cap)
    factor = scale if scale is not None else 1
    scaled = np.array([float(e * factor) for e in exact])
    gains = np.array([float(m.gain) for m in moves])
    return _Problem(layout, answers, target, currents, moves, exact, scaled, scale, gains, groups)


def _scale(efforts: Sequence[Fraction], cap: Fraction | None) -> int | None:
    """A common denominator turning every effort (and the budget) into an integer, or None
    when those integers would outgrow a float's exact range."""
    scale = 1
    for e in [*efforts, *([cap] if cap is not None else [])]:
        scale = math.lcm(scale, e.denominator)
    biggest = float(sum(efforts, ZERO)) + float(cap or 0)
    return scale if scale * max(biggest, 1.0) < MAX_SCALED else None


def _blockers(p: _Problem) -> list[Blocker]:
    """Applicable gates that fail even with every changeable question at its best."""
    best = [i for g in _question_moves(p) for i in g[-1:]]
    changeable = set(p.layout.changeable)
    items = p.layout.catalog.items
    out: list[Blocker] = []
    gates = p.card(best).verdicts[p.target].gates
    for scope, gate in zip(p.layout.gates[p.target], gates, strict=True):
        if not gate.applies or gate.passed:
            continue
        if scope.items & changeable:
            kind = "best"
        elif all(items[c].scale.kind == "index" for c in scope.items):
            kind = "survey"
        else:
            kind = "result"
        out.append(Blocker(gate.id, gate.value, gate.minimum, kind))
    return out


def _question_moves(p: _Problem) -> list[list[int]]:
    """Move indices per question, best move last (moves are generated best-last)."""
    out: dict[str, list[int]] = {}
    for i, m in enumerate(p.moves):
        out.setdefault(m.code, []).append(i)
    return [sorted(ix, key=lambda i: p.moves[i].value) for ix in out.values()]


def _gate_rows(p: _Problem, before: ScoreCard) -> list[Row]:
    """One row per applicable gate that fails now: gains inside its scope >= shortfall.

    Gates over the same questions (total and pengungkit, when no result item can move) give
    the same row; only the largest shortfall of those is kept.
    """
    rows: dict[bytes, Row] = {}
    codes = [m.code for m in p.moves]
    for scope, gate in zip(p.layout.gates[p.target], before.verdicts[p.target].gates, strict=True):
        if gate.id != scope.id:
            raise PlanVerificationError(f"gate order differs: {gate.id} vs {scope.id}")
        if not gate.applies or gate.passed:
            continue  # gains are never negative: a passing gate keeps passing
        inside = np.fromiter((c in scope.items for c in codes), dtype=bool, count=len(codes))
        need = float(gate.minimum - gate.value)
        row = (np.where(inside, p.gains, 0.0), need - SLACK * max(1.0, need), np.inf)
        key = inside.tobytes()
        if key not in rows or rows[key][1] < row[1]:
            rows[key] = row
    return list(rows.values())


def _solve(
    p: _Problem,
    objective: np.ndarray,
    extra: list[Row],
    accept: Callable[[list[int]], bool],
) -> list[int] | None:
    """Minimise ``objective`` over the moves under the gate rows and ``extra``; a solution
    ``accept`` rejects is cut off and the program solved again. None: no plan fits."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # loaded when a plan is made

    n = len(p.moves)
    if n == 0:
        return [] if accept([]) else None
    rows = [*p.gate_rows, *((_indicator(n, g), -np.inf, 1.0) for g in p.groups), *extra]
    for _ in range(MAX_CUTS):
        constraints = []
        if rows:
            matrix = np.vstack([r for r, _, _ in rows])
            lower = np.array([lo for _, lo, _ in rows])
            constraints.append(LinearConstraint(matrix, lower, [hi for _, _, hi in rows]))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Unrecognized options detected")
            result = milp(
                objective,
                constraints=constraints,
                integrality=np.ones(n),
                bounds=Bounds(0, 1),
                options=OPTIONS,
            )
        if result.status == 2:
            return None
        if result.x is None:
            raise PlanVerificationError(f"solver failed: {result.message}")
        chosen = [int(i) for i in np.flatnonzero(result.x > 0.5)]
        if accept(chosen):
            return chosen
        # No-good cut: forbid exactly this selection (sum over it - sum over the rest <= k-1).
        row = -np.ones(n)
        row[chosen] = 1.0
        rows.append((row, -np.inf, len(chosen) - 1.0))
    raise PlanVerificationError("no plan passed the exact re-check")


def _indicator(n: int, indices: Sequence[int]) -> np.ndarray:
    row = np.zeros(n)
    row[list(indices)] = 1.0
    return row


def _cap_row(p: _Problem, effort: Fraction) -> Row:
    """Effort at most ``effort``: exact in scaled integers (half a unit of room); otherwise a
    float tolerance, which every caller re-checks exactly."""
    if p.scale is not None:
        return (p.scaled, -np.inf, math.floor(effort * p.scale) + 0.5)
    return (p.scaled, -np.inf, float(effort) * (1 + 1e-12) + 1e-12)


def _cheapest_plan(p: _Problem) -> list[int]:
    """Stage 1: the least effort that passes every gate. Stage 2: the effort held at that
    optimum, the highest total gain."""
    first = _solve(p, p.scaled, [], p.passes)
    if first is None:  # every gate passes at best, so a plan exists: a solver failure
        raise PlanVerificationError("no plan found although every gate can pass")
    least = p.effort(first)
    second = _solve(
        p, -p.gains, [_cap_row(p, least)], lambda c: p.effort(c) <= least and p.passes(c)
    )
    if second is None or p.gain(second) < p.gain(first):
        return first
    return second


def _budget_plan(p: _Problem, cap: Fraction) -> list[int]:
    """Stage 1: the highest total gain within ``cap``. Stage 2: the least effort keeping that
    gain. Gates are not constraints here; the report says which pass."""
    first = _solve(p, -p.gains, [_cap_row(p, cap)], lambda c: p.effort(c) <= cap)
    if first is None:
        return []
    best = p.gain(first)
    floor = float(best) - SLACK * max(1.0, float(best))
    second = _solve(
        p,
        p.scaled,
        [(p.gains, floor, np.inf)],
        lambda c: p.effort(c) <= cap and p.gain(c) >= best,
    )
    return first if second is None else second


def _report(p: _Problem, chosen: list[int], blockers: list[Blocker], cap: Fraction | None) -> Plan:
    order = p.layout.order
    chosen = sorted(chosen, key=lambda i: order[p.moves[i].code])
    items = p.layout.catalog.items
    for i in chosen:  # the answer a user will write must score exactly the planned value
        m = p.moves[i]
        if value_of(items[m.code], m.to_answer)[0] != m.value:
            raise PlanVerificationError(f"{m.code}: {m.to_answer!r} does not score {m.value}")
    before, after = p.card([]), p.card(chosen)
    verdict = after.verdicts[p.target]
    if cap is None and not blockers and not verdict.passed:
        raise PlanVerificationError("the planned answers fail a gate")
    steps = [
        Step(
            code=p.moves[i].code,
            from_answer=p.currents[p.moves[i].code].answer,
            to_answer=p.moves[i].to_answer,
            gain=after.questions[p.moves[i].code].points - before.questions[p.moves[i].code].points,
            effort=p.efforts[i],
            levels=p.moves[i].levels,
        )
        for i in chosen
    ]
    applicable = [g for g in verdict.gates if g.applies]
    return Plan(
        target=p.target,
        feasible=verdict.passed,
        effort=p.effort(chosen),
        steps=steps,
        before=_standing(before, p.target),
        after=_standing(after, p.target),
        blocking=[b.gate for b in blockers],
        blockers=blockers,
        gates_passed=[g.id for g in applicable if g.passed],
        gates_failing=[g.id for g in applicable if not g.passed],
        budget=cap,
        answers={p.moves[i].code: p.moves[i].to_answer for i in chosen},
        catalog_id=p.layout.catalog.id,
    )


def _standing(card: ScoreCard, target: str) -> Standing:
    c = card.components
    return Standing(c["total"].score, c["pengungkit"].score, card.verdicts[target].passed)
