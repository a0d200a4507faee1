"""The year comparison: this assessment beside the unit's previous year's, each scored with its
own catalog (total, components, areas, every gate, the questions that moved), and what the
carry-over still asks of the unit (answers to confirm, documents to renew)."""

from __future__ import annotations

import logging
from fractions import Fraction

from wbk.catalog import Catalog, get_catalog
from wbk.catalog.migration import MigrationError, MigrationMap, load_migration
from wbk.errors import AnswersError, CatalogError
from wbk.reports.docx_compare import COMPONENTS, GatePair, Moved, ScorePair, YearComparison
from wbk.scoring import AnswerRow, ScoreCard, parse_answers, score
from wbk.scoring.tiers import base_code
from wbk.services.assessment.context import AssessmentContext
from wbk.services.yearly.previous import PreviousYear

ZERO = Fraction(0)
log = logging.getLogger("wbk.yearly")


def unconfirmed(ctx: AssessmentContext) -> list[str]:
    """Questions (base codes, LKE order) with a carried answer nobody confirmed or changed."""
    carried = {base_code(c) for c, a in ctx.answers.get("self", {}).items() if a.carried_from}
    return [c for c in ctx.catalog.items if c in carried]


def carried_year(ctx: AssessmentContext, code: str) -> int | None:
    """The year a question's answer was carried from while it awaits confirmation."""
    rows = ctx.answers.get("self", {})
    years = [a.carried_from for c, a in rows.items() if base_code(c) == code and a.carried_from]
    return min(years) if years else None


def documents_to_renew(ctx: AssessmentContext) -> tuple[int, int]:
    """(carried documents to renew, carried documents without a date) in use."""
    renew = sum(1 for d in ctx.documents if "renew" in d.warnings)
    undated = sum(1 for d in ctx.documents if "undated" in d.warnings)
    return renew, undated


def compare_years(ctx: AssessmentContext) -> YearComparison | None:
    """This year's self assessment beside the previous year's (None when the unit has none);
    last year is scored with its own catalog, questions matched through the migration map
    when the catalogs differ."""
    prev = ctx.previous_year
    if prev is None:
        return None
    if "comparison" not in prev._cache:
        prev._cache["comparison"] = _compare(ctx, prev)
    return prev._cache["comparison"]


def _compare(ctx: AssessmentContext, prev: PreviousYear) -> YearComparison:
    renew, undated = documents_to_renew(ctx)
    base = {
        "previous_year": prev.year,
        "current_year": ctx.assessment.year,
        "previous_id": prev.id,
        "previous_catalog": prev.catalog_id,
        "current_catalog": ctx.catalog.id,
        "unconfirmed": len(unconfirmed(ctx)),
        "renew": renew,
        "undated": undated,
    }
    try:
        old_cat = ctx.catalog if prev.catalog_id == ctx.catalog.id else get_catalog(prev.catalog_id)
    except CatalogError as exc:
        log.warning("previous catalog %s unreadable: %s", prev.catalog_id, exc)
        return YearComparison(**base, catalog_missing=True)
    old_card, new_card = _score(old_cat, prev.rows), ctx.card("self")
    mapping = _mapping(old_cat, ctx.catalog)
    up, down = _moved(old_cat, old_card, ctx.catalog, new_card, mapping)
    return YearComparison(
        **base,
        components=[_pair(k, old_card.components, new_card.components) for k in COMPONENTS],
        areas=[
            _pair(a, old_card.areas, new_card.areas)
            for a in dict.fromkeys([*ctx.catalog.area_codes, *old_cat.area_codes])
        ],
        gates=_gates(old_card, new_card),
        verdicts=[
            (
                pid,
                old_card.verdicts[pid].passed if pid in old_card.verdicts else None,
                new_card.verdicts[pid].passed if pid in new_card.verdicts else None,
            )
            for pid in dict.fromkeys([*new_card.verdicts, *old_card.verdicts])
        ],
        up=up,
        down=down,
        mapped=mapping is not None and not mapping.identity,
    )


def _score(catalog: Catalog, rows: dict[str, str]) -> ScoreCard:
    """Last year's ScoreCard from its stored answers; a row its catalog no longer reads (a
    hand-edited catalog) is left out rather than failing the whole screen."""
    answer_rows = [AnswerRow(c, v) for c, v in rows.items()]
    try:
        answers = parse_answers(catalog, answer_rows)
    except AnswersError as exc:
        bad = {p.params.get("code") for p in exc.problems}
        bad |= {base_code(c) for c in bad if c}
        answers = parse_answers(
            catalog, [r for r in answer_rows if r.code not in bad and base_code(r.code) not in bad]
        )
    return score(catalog, answers.values)


def _mapping(old: Catalog, new: Catalog) -> MigrationMap | None:
    try:
        return load_migration(old, new)
    except MigrationError as exc:
        log.info("no usable map %s -> %s: %s", old.id, new.id, exc.key)
        return None


def _pair(key: str, old: dict, new: dict) -> ScorePair:
    a, b = old.get(key), new.get(key)
    return ScorePair(
        key,
        a.score if a else None,
        b.score if b else None,
        a.weight if a else None,
        b.weight if b else None,
    )


def _gates(old: ScoreCard, new: ScoreCard) -> list[GatePair]:
    out = []
    for pid in dict.fromkeys([*new.verdicts, *old.verdicts]):
        before = {g.id: g for g in old.verdicts[pid].gates} if pid in old.verdicts else {}
        after = {g.id: g for g in new.verdicts[pid].gates} if pid in new.verdicts else {}
        for gid in dict.fromkeys([*after, *before]):
            a, b = before.get(gid), after.get(gid)
            out.append(
                GatePair(
                    pid,
                    gid,
                    a.value if a else None,
                    a.minimum if a else None,
                    a.passed if a else None,
                    b.value if b else None,
                    b.minimum if b else None,
                    b.passed if b else None,
                    applies=(b or a).applies,
                    uncertain=(b or a).uncertain,
                )
            )
    return out


def _moved(
    old_cat: Catalog,
    old: ScoreCard,
    new_cat: Catalog,
    new: ScoreCard,
    mapping: MigrationMap | None,
) -> tuple[list[Moved], list[Moved]]:
    """Questions whose value rose or fell (an unanswered question counts as 0), each matched
    to the one old question it comes from (same code, renamed, or one part of a split)."""
    up: list[Moved] = []
    down: list[Moved] = []
    for code, score_now in new.questions.items():
        if mapping is not None:
            sources = [c for c in mapping.sources_of(code) if "#" not in c]
        else:
            sources = [code] if code in old.questions else []
        if len(sources) != 1 or sources[0] not in old.questions:
            continue
        score_then = old.questions[sources[0]]
        before, after = score_then.value or ZERO, score_now.value or ZERO
        if before == after:
            continue
        moved = Moved(
            code,
            sources[0],
            new_cat.items[code].text,
            score_then.value,
            score_now.value,
            score_then.points,
            score_now.points,
        )
        (up if after > before else down).append(moved)
    up.sort(key=lambda m: -m.delta)
    down.sort(key=lambda m: m.delta)
    return up, down
