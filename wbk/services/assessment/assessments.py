"""Use cases for assessments and their answers (three tiers, optimistic locking, scoring)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wbk.catalog import DEFAULT_CATALOG_ID, Catalog
from wbk.errors import AnswersError, Conflict, InvalidInput
from wbk.scoring import AnswerRow, AnswerSet, ScoreCard, parse_answers
from wbk.scoring.answers import BadAnswer, check_stored, stored_item
from wbk.services.assessment.context import load_context
from wbk.services.core import audit
from wbk.services.core.abilities import TRANSITIONS
from wbk.services.core.actor import Actor, check_tier
from wbk.services.core.workspace import (
    Workspace,
    get_assessment,
    require,
    unit_chain,
    unit_parents,
    writable_assessment,
)
from wbk.services.people.people import unit_by_code
from wbk.services.views import AnswerView, AssessmentView, answer_view
from wbk.store.tables import Answer, Assessment, Unit

STATUSES = ("draft", "submitted", "reviewed", "locked")


def _now() -> datetime:
    return datetime.now(UTC)


def _view(s: Session, a: Assessment) -> AssessmentView:
    unit = s.get(Unit, a.unit_id)
    return AssessmentView(
        a.id, unit.code, unit.name, a.year, a.catalog_id, a.status, a.deadline, unit.id
    )


def default_deadline(year: int) -> date:
    """When the year's LKE is due unless the unit sets its own date: 31 May, before the
    proposal window of the evaluation (PermenPANRB 90/2021)."""
    return date(year, 5, 31)


def new_assessment(
    s: Session,
    actor: Actor,
    unit: Unit,
    year: int,
    catalog_id: str,
    deadline: date | None = None,
    source: Assessment | None = None,
) -> Assessment:
    """Add the unit's assessment of ``year`` (a draft, due by ``default_deadline`` unless
    ``deadline`` is given; ``source``: the earlier year it is carried from), audited. The
    caller has checked the right to create it; a second one for the same year is a Conflict."""
    exists = s.execute(
        select(Assessment.id).where(Assessment.unit_id == unit.id, Assessment.year == year)
    ).scalar()
    if exists is not None:
        raise Conflict("conflict.assessment", unit=unit.code, year=year, id=exists)
    row = Assessment(
        unit_id=unit.id,
        year=year,
        catalog_id=catalog_id,
        status="draft",
        deadline=deadline or default_deadline(year),
        created_at=_now(),
        created_by=actor.name,
        source_assessment_id=source.id if source is not None else None,
    )
    s.add(row)
    s.flush()
    state = {"unit": unit.code, "year": year, "catalog": catalog_id, "status": "draft"}
    if source is not None:
        state["source"] = source.id
    audit.record(s, actor, "assessment.create", "assessment", row.id, None, state)
    return row


def create_assessment(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    year: int,
    catalog_id: str = DEFAULT_CATALOG_ID,
    deadline: date | None = None,
) -> AssessmentView:
    if not 2000 <= year <= 2100:
        raise InvalidInput("invalid.year", year=year)
    ws.catalog(catalog_id)  # refuse an unknown or broken catalog up front
    with ws.db.write() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "assessment.create", unit_chain(s, unit.id))
        row = new_assessment(s, actor, unit, year, catalog_id, deadline)
        return _view(s, row)


def get_assessment_view(ws: Workspace, actor: Actor, assessment_id: int) -> AssessmentView:
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        return _view(s, a)


def list_assessments(ws: Workspace, actor: Actor) -> list[AssessmentView]:
    with ws.db.read() as s:
        rows = s.execute(select(Assessment).order_by(Assessment.year.desc())).scalars().all()
        parents = unit_parents(s)
        units = {u.id: u for u in s.execute(select(Unit)).scalars()}
        return [
            AssessmentView(
                a.id,
                units[a.unit_id].code,
                units[a.unit_id].name,
                a.year,
                a.catalog_id,
                a.status,
                a.deadline,
            )
            for a in rows
            if actor.can("read", unit_chain(s, a.unit_id, parents))
        ]


def set_status(ws: Workspace, actor: Actor, assessment_id: int, status: str) -> AssessmentView:
    if status not in STATUSES:
        raise InvalidInput("invalid.status", status=status, statuses=", ".join(STATUSES))
    with ws.db.write() as s:
        a = get_assessment(s, assessment_id)
        action = TRANSITIONS.get((a.status, status))
        if action is None:
            raise InvalidInput("invalid.transition", current=a.status, status=status)
        require(actor, action, unit_chain(s, a.unit_id))
        before = a.status
        a.status = status
        audit.record(
            s,
            actor,
            "assessment.status",
            "assessment",
            a.id,
            {"status": before},
            {"status": status},
        )
        return _view(s, a)


def _check_code(catalog: Catalog, code: str) -> None:
    """Refuse a code that names no question or input, even when the value is empty."""
    try:
        stored_item(catalog, code)
    except BadAnswer as exc:
        raise AnswersError([exc.problem]) from None


def _check_value(catalog: Catalog, code: str, value: str) -> str:
    """Validate one stored answer; returns the canonical text (``ya`` -> ``Ya``)."""
    try:
        return check_stored(catalog, code, value).text
    except BadAnswer as exc:
        raise AnswersError([exc.problem]) from None


def canonical_answer(catalog: Catalog, code: str, value: str) -> str:
    """The stored form of a valid answer (``ya`` -> ``Ya``, ``12.0`` -> ``12``)."""
    return _check_value(catalog, code, value.strip())


def write_answer_row(
    s: Session,
    actor: Actor,
    a: Assessment,
    tier: str,
    code: str,
    value: str | None,
    narrative: str | None,
    expected_version: int | None,
) -> AnswerView:
    row = s.execute(
        select(Answer).where(Answer.assessment_id == a.id, Answer.tier == tier, Answer.code == code)
    ).scalar_one_or_none()
    now = _now()
    entity_id = f"{a.id}:{tier}:{code}"
    if row is None:
        if expected_version not in (None, 0):
            raise Conflict("conflict.answer_gone", code=code)
        row = Answer(
            assessment_id=a.id,
            tier=tier,
            code=code,
            value=value,
            narrative=narrative,
            version=1,
            updated_by=actor.name,
            updated_at=now,
        )
        try:
            with s.begin_nested():
                s.add(row)
        except IntegrityError:
            raise Conflict("conflict.answer", code=code, by="?", at="?") from None
        audit.record(
            s,
            actor,
            "answer.set",
            "answer",
            entity_id,
            None,
            {"value": value, "narrative": narrative, "version": 1},
        )
    else:
        if expected_version is not None and expected_version != row.version:
            raise Conflict(
                "conflict.answer",
                code=code,
                by=row.updated_by,
                at=row.updated_at.strftime("%d/%m/%Y %H:%M UTC"),  # stored in UTC
            )
        if row.value == value and row.narrative == narrative:
            if row.carried_from is not None:  # saving a carried answer unchanged confirms it
                confirm_rows(s, actor, a.id, [row])
            return answer_view(row)
        before = {"value": row.value, "narrative": row.narrative, "version": row.version}
        updated = s.execute(
            update(Answer)
            .where(Answer.id == row.id, Answer.version == row.version)
            .values(
                value=value,
                narrative=narrative,
                version=row.version + 1,
                updated_by=actor.name,
                updated_at=now,
                carried_from=None,  # a changed carried answer is the unit's own now
            )
            .returning(Answer)  # the row as written, in the same statement
            .execution_options(synchronize_session=False, populate_existing=True)
        ).scalar_one_or_none()
        if updated is None:
            raise Conflict("conflict.answer", code=code, by="?", at="?")
        row = updated
        audit.record(
            s,
            actor,
            "answer.set",
            "answer",
            entity_id,
            before,
            {"value": value, "narrative": narrative, "version": row.version},
        )
    return answer_view(row)


def confirm_rows(s: Session, actor: Actor, assessment_id: int, rows: list[Answer]) -> list[str]:
    """Mark carried answers as the unit's own (value and version unchanged: confirming is not
    an edit, so it never conflicts with someone typing); one audit event. Returns the codes."""
    rows = [r for r in rows if r.carried_from is not None]
    if not rows:
        return []
    codes = sorted(r.code for r in rows)
    years = sorted({r.carried_from for r in rows})
    for r in rows:
        r.carried_from = None
    s.flush()
    audit.record(
        s,
        actor,
        "answer.confirm",
        "assessment",
        assessment_id,
        {"codes": codes, "carried_from": years},
        {"codes": codes, "carried_from": None},
    )
    return codes


def set_answer(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    code: str,
    value: str | None,
    tier: str = "self",
    narrative: str | None = None,
    expected_version: int | None = None,
) -> AnswerView:
    """Write one answer. ``expected_version``: the version the writer saw (0 = none yet);
    if someone changed it since, Conflict names who and when. None skips the check."""
    check_tier(tier)
    code = code.strip()
    with ws.db.write() as s:
        a = get_assessment(s, assessment_id)  # held, so the checks below find it loaded
        area = ws.catalog(a.catalog_id).area_of(code)
        a = writable_assessment(s, actor, assessment_id, f"answer.{tier}", area)
        catalog = ws.catalog(a.catalog_id)
        text = (value or "").strip()
        canonical = _check_value(catalog, code, text) if text else None
        _check_code(catalog, code)
        return write_answer_row(s, actor, a, tier, code, canonical, narrative, expected_version)


def answers_of(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
) -> dict[str, AnswerView]:
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        rows = s.execute(
            select(Answer).where(Answer.assessment_id == a.id, Answer.tier == tier)
        ).scalars()
        return {r.code: answer_view(r) for r in rows}


def score_assessment(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
) -> tuple[Catalog, ScoreCard, AnswerSet]:
    """The ScoreCard of one tier of an assessment, from its stored answers (for ``tpi``: the
    TPI's answer where it scored, the unit's elsewhere, as on every screen)."""
    check_tier(tier)
    ctx = load_context(ws, actor, assessment_id)
    return ctx.catalog, ctx.card(tier), ctx.answer_set(tier)


def save_question(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    code: str,
    value: str | None,
    narrative: str | None = None,
    counts: dict[str, str] | None = None,
    tier: str = "self",
    versions: dict[str, int] | None = None,
) -> dict[str, AnswerView]:
    """Save one question as the page shows it, in one transaction: its answer (or, for a
    percentage question, its count inputs) and its narrative. ``versions`` holds the version
    the writer saw of each row (0 = none yet); any newer row is a Conflict and nothing is saved."""
    check_tier(tier)
    versions = versions or {}
    with ws.db.write() as s:
        a = get_assessment(s, assessment_id)  # held, so the checks below find it loaded
        area = ws.catalog(a.catalog_id).area_of(code)
        a = writable_assessment(s, actor, assessment_id, f"answer.{tier}", area)
        catalog = ws.catalog(a.catalog_id)
        text = (value or "").strip()
        _check_code(catalog, code)
        base_value = _check_value(catalog, code, text) if text and not counts else None
        out = {
            code: write_answer_row(
                s, actor, a, tier, code, base_value, narrative or None, versions.get(code)
            )
        }
        for name, raw in (counts or {}).items():
            input_code = f"{code}#{name}"
            raw = (raw or "").strip()
            canonical = _check_value(catalog, input_code, raw) if raw else None
            out[input_code] = write_answer_row(
                s, actor, a, tier, input_code, canonical, None, versions.get(input_code)
            )
        if counts:
            rows = [AnswerRow(f"{code}#{n}", v) for n, v in counts.items() if (v or "").strip()]
            if rows:
                parse_answers(catalog, rows)  # every input present and consistent
        return out
