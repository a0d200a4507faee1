"""The portfolio's figures per assessment: scored in bulk, kept in ``score_cache``.

An assessment's figures (totals, gates, areas, the questions its own tier answered) depend on
its answers, its catalog and the scoring code only. They are kept with the assessment's
answer change count (``answer_rev``, moved by the database's triggers on every write to
``answer``) and a stamp of the catalog and the code; a kept row is used only while both are
unchanged, so a changed answer, a new catalog file or an upgraded wbk is never read stale.
The stale and the missing are scored together: one query fetches every answer (both tiers)
of those assessments and the batch scorer (``wbk.scoring.batch``) scores them at once, with
the same answer rules and the same TPI fallback as the single assessment's screens.

Evidence coverage is not kept: evidence changes without touching the answers, so it is
counted on each read from the links and the answered questions.
"""

from __future__ import annotations

import gc
import hashlib
import json
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from wbk.catalog import Catalog
from wbk.catalog.loader import source_digest
from wbk.scoring.batch import BatchResult, BatchScorer
from wbk.scoring.bulk_values import RECORD, TierValues, ValueReader
from wbk.scoring.tiers import tpi_effective_values
from wbk.services.core.workspace import Workspace
from wbk.store.tables import Answer, AnswerRev, Evidence, EvidenceLink, ScoreCache

Figures = dict[str, Any]
_TUPLES = ("failing_gates", "tpi_failing_gates")  # JSON gives lists back

_SCORERS: dict[int, tuple[BatchScorer, ValueReader, str]] = {}


def scorer_for(catalog: Catalog) -> tuple[BatchScorer, ValueReader, str]:
    """The batch scorer of a catalog (its weight matrix is built once per process), the reader
    that remembers the value of every distinct answer it has seen, and the catalog's stamp."""
    found = _SCORERS.get(id(catalog))
    if found is None or found[0].catalog is not catalog:
        scorer = BatchScorer(catalog)
        stamp = hashlib.sha256(_code_digest() + catalog.model_dump_json().encode()).hexdigest()
        found = _SCORERS[id(catalog)] = (scorer, ValueReader(catalog, scorer.codes), stamp)
    return found


@cache
def _code_digest() -> bytes:
    """The scoring code's own digest: the figures change when it does."""
    wbk = Path(__file__).resolve().parents[2]
    return source_digest([*(wbk / "scoring").glob("*.py"), Path(__file__)])


def score_group(
    s: Session, catalog: Catalog, ids: list[int], subset: Select, keep: list[dict] | None = None
) -> dict[int, Figures]:
    """Figures of the assessments ``ids`` (all on ``catalog``; ``subset`` selects the same
    ids), evidence coverage included.

    Kept figures are used where still valid; the others are computed, and appended to ``keep``
    (rows of ``score_cache``) for the caller to save once its read has ended."""
    scorer, reader, stamp = scorer_for(catalog)
    # the counts first: figures computed from answers newer than the count read here are
    # kept under the older count, and so computed again next time, never read stale
    revs = dict(
        s.execute(
            select(AnswerRev.assessment_id, AnswerRev.rev).where(
                AnswerRev.assessment_id.in_(subset)
            )
        ).all()
    )
    kept: dict[int, Figures] = {}
    for aid, rev, row_stamp, payload in s.execute(
        select(
            ScoreCache.assessment_id, ScoreCache.rev, ScoreCache.stamp, ScoreCache.payload
        ).where(ScoreCache.assessment_id.in_(subset))
    ):
        if row_stamp == stamp and rev == revs.get(aid, 0):
            figures = _load(payload)
            if figures is not None:
                kept[aid] = figures
    stale = [aid for aid in ids if aid not in kept]
    # most of them stale (a first read): every answer of the subset in one scan; else by id
    among = subset if len(stale) > len(ids) // 2 else None
    fresh = _compute(s, catalog, scorer, reader, stale, among) if stale else {}
    if keep is not None:
        keep.extend(
            {"assessment_id": aid, "rev": revs.get(aid, 0), "stamp": stamp, "payload": _dump(f)}
            for aid, f in fresh.items()
        )
    out = {**kept, **fresh}
    _coverage(s, reader, out, subset)
    return out


def save(ws: Workspace, rows: list[dict]) -> None:
    """Keep freshly computed figures (best effort: a cache that fails to save is computed
    again next time, and nothing else depends on it)."""
    if not rows:
        return
    try:
        with ws.db.cache_write() as s:
            for chunk in _chunks(rows):
                s.execute(ws.db.upsert(ScoreCache, chunk, ("assessment_id",)))
    except SQLAlchemyError:
        pass


@contextmanager
def no_cycle_collection():
    """The cycle collector paused while thousands of rows are built: they hold no cycles, and
    each of its passes would walk every object of the process (a fifth of a 5,000-unit read)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _chunks(items: list, size: int = 2000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _dump(figures: Figures) -> str:
    return json.dumps(figures, separators=(",", ":"))


_KEYS = frozenset(
    (
        *("total", "pengungkit", "hasil", "tpi_total", "tpi_pengungkit", "overclaim"),
        *("wbk_passed", "wbbm_passed", "tpi_wbk_passed", "answered", "answered_mask", "areas"),
        *_TUPLES,
    )
)


def _load(payload: str) -> Figures | None:
    """Kept figures, or None when the row is not what ``_dump`` wrote (then they are computed
    again: a cache is never trusted further than it can be read)."""
    try:
        figures = json.loads(payload)
        if not isinstance(figures, dict) or set(figures) != _KEYS:
            return None
        for key in _TUPLES:
            figures[key] = tuple(figures[key])
    except (ValueError, TypeError):
        return None
    return figures


def _compute(
    s: Session,
    catalog: Catalog,
    scorer: BatchScorer,
    reader: ValueReader,
    ids: list[int],
    among: Select | None = None,
) -> dict[int, Figures]:
    """Figures of ``ids``, their answers read by id, or from ``among`` (a superset)."""
    row_of = {aid: r for r, aid in enumerate(ids)}
    n = len(ids)
    # a columnar read, one query for both tiers (one scan of the answers): each distinct
    # answer of a tier once, with the ids of the assessments that gave it, packed as 8 hex
    # digits each; numpy turns them into rows without a Python step per answer row
    answers: dict[str, list[tuple[str, str]]] = {"self": [], "tpi": []}
    packed: dict[str, list[str]] = {"self": [], "tpi": []}
    hex_id = _hex_id(s)
    for chunk in [among] if among is not None else _chunks(ids):
        for tier, code, value, blob in s.execute(
            select(Answer.tier, Answer.code, Answer.value, _packer(s, "")(hex_id))
            .where(
                Answer.tier.in_(tuple(answers)),
                Answer.value.is_not(None),
                Answer.assessment_id.in_(chunk),
            )
            .group_by(Answer.tier, Answer.code, Answer.value)
        ):
            answers[tier].append((code, value))
            packed[tier].append(blob)
    known = np.array(ids, dtype=np.int64)
    order = np.argsort(known)
    known_sorted = known[order]
    tiers = {}
    for tier, blobs in packed.items():
        aids = np.frombuffer(bytes.fromhex("".join(blobs)), dtype=">u4").astype(np.int64)
        at = np.minimum(np.searchsorted(known_sorted, aids), n - 1)
        # an assessment of ``among`` outside ``ids`` goes to a spare row n, dropped after
        rows = np.where(known_sorted[at] == aids, order[at], n)
        read = reader.read_columns(n + 1, answers[tier], [len(b) // 8 for b in blobs], rows)
        tiers[tier] = TierValues(read.values[:n], read.answered[:n])
    own = scorer.score(tiers["self"].values)
    merged, tpi_scored = tpi_effective_values(tiers["self"], tiers["tpi"])
    tpi = scorer.score(merged)

    area_cols = [(a, scorer.nodes.index(a)) for a in catalog.area_codes]
    area_weight = {a: scorer.matrix[:, k].sum() for a, k in area_cols}
    low, high = catalog.lower_predicate, catalog.higher_predicate
    wbk_failing = _failing(scorer, own, low)
    tpi_failing = _failing(scorer, tpi, low)
    answered = tiers["self"].answered

    out: dict[int, Figures] = {}
    total, peng, hasil = own.column("total"), own.column("pengungkit"), own.column("hasil")
    t_total, t_peng = tpi.column("total"), tpi.column("pengungkit")
    for aid, r in row_of.items():
        has_tpi = bool(tpi_scored[r])
        out[aid] = {
            "total": _round(total[r]),
            "pengungkit": _round(peng[r]),
            "hasil": _round(hasil[r]),
            "tpi_total": _round(t_total[r]) if has_tpi else None,
            "tpi_pengungkit": _round(t_peng[r]) if has_tpi else None,
            "overclaim": _round(total[r] - t_total[r]) if has_tpi else None,
            "wbk_passed": bool(own.passed[low][r]) if low in own.passed else False,
            "wbbm_passed": bool(own.passed[high][r]) if high in own.passed else False,
            "failing_gates": wbk_failing[r],
            "tpi_failing_gates": tpi_failing[r] if has_tpi else (),
            "tpi_wbk_passed": bool(tpi.passed[low][r]) if has_tpi else None,
            "answered": int(answered[r].sum()),
            "answered_mask": _mask(np.flatnonzero(answered[r]).tolist()),
            "areas": {
                a: round(100 * float(own.scores[r, k] / area_weight[a]), 2)
                if area_weight[a]
                else 0.0
                for a, k in area_cols
            },
        }
    return out


def _mask(columns: list[int]) -> str:
    """Question columns (``reader.codes`` order) as a hex bit mask."""
    bits = 0
    for k in columns:
        bits |= 1 << k
    return format(bits, "x")


def _coverage(s: Session, reader: ValueReader, figures: dict[int, Figures], subset: Select) -> None:
    """Each assessment's share of answered questions with live evidence linked (None when
    nothing is answered), set as ``evidence_coverage``; ``answered_mask`` is dropped."""
    linked: dict[int, int] = {}
    index = reader.index
    for aid, blob in s.execute(
        select(Evidence.assessment_id, _packer(s)(EvidenceLink.code))
        .join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
        .where(Evidence.retired_at.is_(None), Evidence.assessment_id.in_(subset))
        .group_by(Evidence.assessment_id)
    ):
        linked[aid] = int(
            _mask([k for k in map(index.get, (blob or "").split(RECORD)) if k is not None]), 16
        )
    for aid, f in figures.items():
        answered = int(f.pop("answered_mask"), 16)
        n = answered.bit_count()
        with_evidence = (answered & linked.get(aid, 0)).bit_count()
        f["evidence_coverage"] = round(with_evidence / n, 4) if n else None


def _packer(s: Session, separator: str = RECORD):
    """The string aggregate of the session's engine: ``string_agg`` (PostgreSQL) or
    ``group_concat`` (SQLite), joining with ``separator``."""
    if s.get_bind().dialect.name == "postgresql":
        return lambda expr: func.string_agg(expr, separator)
    return lambda expr: func.group_concat(expr, separator)


def _hex_id(s: Session):
    """An assessment id as 8 hex digits (ids stay far below 2**32), in the session's engine."""
    if s.get_bind().dialect.name == "postgresql":
        return func.lpad(func.to_hex(Answer.assessment_id), 8, "0")
    return func.printf("%08x", Answer.assessment_id)


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
