"""Carry forward: start a unit's assessment for a new year from its previous one, in one
transaction and one audit event. Self answers and their penjelasan come along marked as
carried until someone confirms or changes them; documents come along as new rows pointing at
the same stored revisions (no file is copied); the TPI tier and the notes stay behind. With
another catalog version the migration map decides where each answer and link goes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from wbk.catalog import Catalog, available_catalogs
from wbk.catalog.migration import MigrationMap, load_migration
from wbk.errors import AnswersError, Conflict, InvalidInput
from wbk.scoring import AnswerRow, parse_answers
from wbk.scoring.tiers import base_code
from wbk.services.assessment.assessments import canonical_answer, confirm_rows, new_assessment
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import (
    Workspace,
    get_assessment,
    require,
    unit_chain,
    writable_assessment,
)
from wbk.services.people.people import unit_by_code
from wbk.services.views import AssessmentView
from wbk.store.tables import Answer, Assessment, Evidence, EvidenceLink, EvidenceRevision, Unit

# why an answer did not come along: a question nothing feeds, an answer the map resets (a new
# scale), a question the new catalog dropped, merged questions answered differently, a value
# the new catalog refuses, counts of a percentage question that no longer form a whole set
REASONS = ("new", "scale", "dropped", "merged", "invalid", "inputs")


@dataclass(frozen=True, slots=True)
class NotCarried:
    """An answer left behind, and why (``code`` in the new catalog; the old code for a
    dropped question)."""

    code: str
    reason: str
    source: str | None = None


@dataclass(frozen=True)
class CarryResult:
    assessment: AssessmentView
    source_id: int
    source_year: int
    questions: int  # questions answered from last year's answers
    narratives: int  # penjelasan carried
    rows: int  # answer rows written (questions, count inputs, narrative-only rows)
    documents: int
    links: int
    revisions: int  # revisions linked: the same stored files, none copied
    not_carried: list[NotCarried]


def _now() -> datetime:
    return datetime.now(UTC)


def catalog_ids(ws: Workspace) -> list[str]:
    """The catalog versions installed in this workspace's criteria directory."""
    return available_catalogs(ws.settings.criteria_dir)


def create_from(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    year: int,
    source_id: int,
    catalog_id: str | None = None,
    deadline: date | None = None,
) -> CarryResult:
    """A new assessment of ``unit_code`` for ``year`` that starts from assessment
    ``source_id`` (the same unit, an earlier year), under ``catalog_id`` (default: the
    source's catalog; another one needs a migration map)."""
    if not 2000 <= year <= 2100:
        raise InvalidInput("invalid.year", year=year)
    with ws.db.read() as s:
        source_catalog = get_assessment(s, source_id).catalog_id
    old = ws.catalog(source_catalog)
    new = ws.catalog(catalog_id or source_catalog)
    mapping = load_migration(old, new, ws.settings.criteria_dir)
    with ws.db.write() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "assessment.create", unit_chain(s, unit.id))
        src = get_assessment(s, source_id)
        if src.unit_id != unit.id:
            other = s.get(Unit, src.unit_id)
            raise InvalidInput("yearly.other_unit", id=src.id, unit=other.code, target=unit_code)
        if src.year >= year:
            raise InvalidInput("yearly.not_later", id=src.id, source_year=src.year, year=year)
        if src.catalog_id != old.id:  # changed between the read and this transaction
            raise Conflict("yearly.source_changed", id=src.id)
        row = new_assessment(s, actor, unit, year, new.id, deadline, source=src)
        return _carry(s, actor, src, row, old, new, mapping, unit)


def _carry(
    s: Session,
    actor: Actor,
    src: Assessment,
    row: Assessment,
    old: Catalog,
    new: Catalog,
    mapping: MigrationMap,
    unit: Unit,
) -> CarryResult:
    stored = {
        a.code: (a.value, a.narrative)
        for a in s.execute(
            select(Answer).where(Answer.assessment_id == src.id, Answer.tier == "self")
        ).scalars()
    }
    answers, missing = translate_answers(old, new, mapping, stored)
    now = _now()
    if answers:
        s.execute(
            insert(Answer),
            [
                {
                    "assessment_id": row.id,
                    "tier": "self",
                    "code": code,
                    "value": value,
                    "narrative": narrative,
                    "version": 1,
                    "updated_by": actor.name,
                    "updated_at": now,
                    "carried_from": src.year,
                }
                for code, (value, narrative) in answers.items()
            ],
        )
    documents, links, revisions = _carry_documents(s, actor, src, row, mapping, now)
    questions = {base_code(c) for c, (v, _) in answers.items() if v is not None}
    result = CarryResult(
        assessment=AssessmentView(
            row.id,
            unit.code,
            unit.name,
            row.year,
            row.catalog_id,
            row.status,
            row.deadline,
            unit.id,
        ),
        source_id=src.id,
        source_year=src.year,
        questions=len(questions),
        narratives=sum(1 for _, n in answers.values() if n),
        rows=len(answers),
        documents=len(documents),
        links=len(links),
        revisions=revisions,
        not_carried=missing,
    )
    audit.record(
        s,
        actor,
        "assessment.carry",
        "assessment",
        row.id,
        None,
        {
            "source": src.id,
            "source_year": src.year,
            "from_catalog": old.id,
            "catalog": new.id,
            "counts": {
                "questions": result.questions,
                "narratives": result.narratives,
                "rows": result.rows,
                "documents": result.documents,
                "links": result.links,
                "revisions": result.revisions,
                "not_carried": len(missing),
            },
            "not_carried": [[m.code, m.reason, m.source] for m in missing],
            # the state written, so the audit trail alone rebuilds it
            "answers": [[c, v, n] for c, (v, n) in answers.items()],
            "documents": documents,
            "links": links,
        },
    )
    return result


def _carry_documents(
    s: Session,
    actor: Actor,
    src: Assessment,
    row: Assessment,
    mapping: MigrationMap,
    now: datetime,
) -> tuple[list[list[int]], list[list], int]:
    """New document rows for every document in use last year, linked where the map sends
    their questions, holding the same revisions (same SHA-256: the store is not touched)."""
    docs = list(
        s.execute(
            select(Evidence)
            .where(Evidence.assessment_id == src.id, Evidence.retired_at.is_(None))
            .order_by(Evidence.id)
        ).scalars()
    )
    if not docs:
        return [], [], 0
    ids = select(Evidence.id).where(Evidence.assessment_id == src.id, Evidence.retired_at.is_(None))
    codes: dict[int, list[str]] = defaultdict(list)
    for eid, code in s.execute(
        select(EvidenceLink.evidence_id, EvidenceLink.code)
        .where(EvidenceLink.evidence_id.in_(ids))
        .order_by(EvidenceLink.evidence_id, EvidenceLink.code)
    ):
        codes[eid].append(code)
    revisions: dict[int, list[EvidenceRevision]] = defaultdict(list)
    for rev in s.execute(
        select(EvidenceRevision)
        .where(EvidenceRevision.evidence_id.in_(ids))
        .order_by(EvidenceRevision.evidence_id, EvidenceRevision.revision)
    ).scalars():
        revisions[rev.evidence_id].append(rev)
    copies = [
        Evidence(
            assessment_id=row.id,
            title=d.title,
            kind=d.kind,
            url=d.url,
            document_date=d.document_date,
            valid_until=d.valid_until,
            tags=d.tags,
            created_by=actor.name,
            created_at=now,
            carried_from_id=d.id,
        )
        for d in docs
    ]
    s.add_all(copies)
    s.flush()
    links: list[list] = []
    revision_rows = []
    for d, copy in zip(docs, copies, strict=True):
        targets = dict.fromkeys(t for c in codes[d.id] for t in mapping.targets.get(c, ()))
        links += [[copy.id, code] for code in targets]
        revision_rows += [
            {
                "evidence_id": copy.id,
                "revision": r.revision,
                "sha256": r.sha256,
                "size": r.size,
                "media_type": r.media_type,
                "filename": r.filename,
                "uploaded_by": r.uploaded_by,
                "uploaded_at": r.uploaded_at,
            }
            for r in revisions[d.id]
        ]
    if links:
        s.execute(insert(EvidenceLink), [{"evidence_id": e, "code": c} for e, c in links])
    if revision_rows:
        s.execute(insert(EvidenceRevision), revision_rows)
    documents = [[copy.id, d.id] for d, copy in zip(docs, copies, strict=True)]
    return documents, links, len(revision_rows)


def translate_answers(
    old: Catalog,
    new: Catalog,
    mapping: MigrationMap,
    stored: dict[str, tuple[str | None, str | None]],
) -> tuple[dict[str, tuple[str | None, str | None]], list[NotCarried]]:
    """Last year's self rows (code -> (answer, penjelasan)) as rows of the new catalog, and
    every answer left behind with its reason. Every carried value is valid in ``new``."""
    feeds: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    missing: list[NotCarried] = []
    for code, (value, narrative) in stored.items():
        if value is None and not narrative:
            continue
        targets = mapping.targets.get(code)
        if targets is None:  # a row the old catalog no longer knows
            missing.append(NotCarried(code, "invalid", code))
        elif not targets:
            if "#" not in code:
                missing.append(NotCarried(code, "dropped", code))
        elif not mapping.carried.get(code, False):
            if "#" not in code:
                missing += [NotCarried(t, "scale", code) for t in targets]
        else:
            for target in targets:
                feeds[target].append((code, value, narrative))

    out: dict[str, tuple[str | None, str | None]] = {}
    for code in sorted(feeds, key=_order(new)):
        sources = feeds[code]
        values = list(dict.fromkeys(v for _, v, _ in sources if v is not None))
        if len(values) > 1:
            missing.append(NotCarried(code, "merged", ", ".join(o for o, _, _ in sources)))
            continue
        narrative = "\n\n".join(dict.fromkeys(n for _, _, n in sources if n)) or None
        value = values[0] if values else None
        if value is not None:
            try:
                value = canonical_answer(new, code, value)
            except AnswersError:
                missing.append(NotCarried(code, "invalid", sources[0][0]))
                continue
        out[code] = (value, narrative)

    for code, item in new.items.items():  # counts only as a whole set
        if item.formula is None:
            continue
        names = [f"{code}#{i.name}" for i in item.formula.inputs]
        present = [n for n in names if n in out and out[n][0] is not None]
        if 0 < len(present) < len(names):
            for n in names:
                out.pop(n, None)
            missing.append(NotCarried(code, "inputs", ", ".join(present)))
    try:
        parse_answers(new, [AnswerRow(c, v) for c, (v, _) in out.items() if v is not None])
    except AnswersError as exc:  # a combination the new catalog refuses: leave those out
        for problem in exc.problems:
            bad = problem.params.get("code")
            if bad and bad in out:
                out.pop(bad)
                missing.append(NotCarried(bad, "invalid", None))
    missing += [NotCarried(c, "new") for c in mapping.new_codes if "#" not in c]
    missing.sort(key=lambda m: (_order(new)(m.code), m.reason))
    return out, missing


def _order(catalog: Catalog):
    """A sort key putting codes in LKE order (inputs after their question, unknown last)."""
    position = {c: i for i, c in enumerate(catalog.items)}

    def key(code: str) -> tuple[int, str]:
        return position.get(base_code(code), len(position)), code

    return key


def confirm(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    codes: list[str] | None = None,
    prefix: str | None = None,
) -> list[str]:
    """Confirm carried answers as the unit's own: the questions ``codes`` (with their count
    inputs), or every carried answer whose code starts with ``prefix`` (``P.MP.``: an area
    on the LKE page). Checks the right to answer in each area; returns the rows confirmed."""
    if not codes and not prefix:
        raise InvalidInput("yearly.confirm_what")
    with ws.db.write() as s:
        a = writable_assessment(s, actor, assessment_id, "answer.self")
        rows = list(
            s.execute(
                select(Answer).where(
                    Answer.assessment_id == a.id,
                    Answer.tier == "self",
                    Answer.carried_from.is_not(None),
                )
            ).scalars()
        )
        wanted = set(codes or [])
        rows = [
            r
            for r in rows
            if (wanted and base_code(r.code) in wanted) or (prefix and r.code.startswith(prefix))
        ]
        catalog = ws.catalog(a.catalog_id)
        for area in sorted({catalog.area_of(r.code) or "" for r in rows}):
            writable_assessment(s, actor, assessment_id, "answer.self", area or None)
        return confirm_rows(s, actor, a.id, rows)
