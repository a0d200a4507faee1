"""Use cases for surveys: import IKM responses, keep results per unit and period, link them
as evidence for P.PP.iv, and enter IPAK / IPKP values for the result component."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

import numpy as np
from sqlalchemy import select

from wbk.errors import InvalidInput
from wbk.formats.simple_docs import simple_pdf
from wbk.i18n import fmt_number, t
from wbk.services.assessment import assessments, evidence
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.services.views import AnswerView
from wbk.store.tables import Evidence, SurveyResult
from wbk.surveys import ikm
from wbk.surveys.ikm import (  # noqa: F401 - what the Survei page shows, through this service
    BANDS,
    ELEMENT_NAMES,
    ELEMENTS,
    WEIGHTS,
    category_label,
    sample_size,
    survey_points,
)
from wbk.surveys.responses import Responses, default_mapping, read_table, to_responses

IKM_CODES = ["P.PP.iv.a", "P.PP.iv.b", "P.PP.iv.c"]
SURVEY_ITEMS = {"ipak": "H.I.a", "ipkp": "H.II.a"}


@dataclass(frozen=True, slots=True)
class StoredResult:
    id: int
    period: str
    service: str
    respondents: int
    weights: str
    result: ikm.IkmResult
    created_at: datetime


@dataclass
class IkmComputation:
    responses: Responses
    overall: ikm.IkmResult
    by_service: dict[str, ikm.IkmResult]
    by_period: dict[str, ikm.IkmResult]


def compute_ikm(
    data: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    service_column: str | None = None,
    date_column: str | None = None,
    weights: str = "exact",
    skip_invalid: bool = False,
) -> IkmComputation:
    """Read and validate a responses file and compute the IKM (nothing stored)."""
    if weights not in ikm.WEIGHTS:
        raise InvalidInput("invalid.weights", weights=weights)
    responses = to_responses(
        read_table(data, filename), mapping, service_column, date_column, skip_invalid=skip_invalid
    )
    by_service = (
        ikm.compute_groups(responses.answers, responses.service, weights)
        if responses.service is not None
        else {}
    )
    by_period = (
        ikm.compute_groups(responses.answers, responses.period, weights)
        if responses.period is not None
        else {}
    )
    return IkmComputation(responses, ikm.compute(responses.answers, weights), by_service, by_period)


@dataclass(frozen=True, slots=True)
class FileColumns:
    """What a responses file holds before it is mapped: rows, column names, a first guess."""

    rows: int
    columns: list[str]
    defaults: dict[str, str]


def file_columns(data: bytes, filename: str) -> FileColumns:
    """Read a responses file's columns (for the mapping step), refusing an unreadable file."""
    frame = read_table(data, filename)
    columns = list(map(str, frame.columns))
    return FileColumns(len(frame), columns, default_mapping(columns))


def _summary_pdf(computation: IkmComputation, period: str, lang: str) -> tuple[str, bytes]:
    overall = computation.overall
    lines = [
        t(
            "ikm.summary",
            lang=lang,
            index=fmt_number(overall.index, 3, lang),
            ikm=fmt_number(overall.ikm, lang=lang),
            category=overall.category,
            label=ikm.category_label(overall.category, lang),
        ),
        t("ikm.title", lang=lang, respondents=overall.respondents),
    ]
    lines += [
        f"{e.element} {ikm.ELEMENT_NAMES[e.element]}: NRR {fmt_number(e.nrr, 3, lang)}"
        for e in overall.elements
    ]
    lines += [
        f"{name}: {fmt_number(r.ikm, lang=lang)} ({r.category}, n={r.respondents})"
        for name, r in computation.by_service.items()
    ]
    title = t("ikm.report_title", lang=lang, period=period)
    return title, simple_pdf(title, lines)


def save_ikm(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    computation: IkmComputation,
    period: str,
    lang: str = "id",
) -> StoredResult:
    """Store the overall and per-service results of a period with a summary PDF as evidence
    for P.PP.iv, in one transaction. Saving a period again replaces its results, and the
    summary becomes a new revision of the same document (never a duplicate)."""
    period = period.strip()
    if not period:
        raise InvalidInput("invalid.period")
    title, pdf = _summary_pdf(computation, period, lang)
    info, sha = evidence.store_file(ws, io.BytesIO(pdf), f"{title}.pdf")
    overall = computation.overall
    with ws.db.write() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "evidence.write", unit_chain(s, a.unit_id), "PP")
        previous = (
            s.execute(
                select(SurveyResult).where(
                    SurveyResult.unit_id == a.unit_id,
                    SurveyResult.kind == "ikm",
                    SurveyResult.period == period,
                )
            )
            .scalars()
            .all()
        )
        old_doc = next((r.evidence_id for r in previous if r.evidence_id is not None), None)
        if old_doc is not None and _same_assessment_doc(s, old_doc, a.id):
            doc = evidence.insert_revision(ws, s, actor, old_doc, info, sha)
        else:
            doc = evidence.insert_file(ws, s, actor, a.id, IKM_CODES, info, sha, title=title)
        for row in previous:
            s.delete(row)
        s.flush()
        now = datetime.now(UTC)
        stored = []
        for service, result in [("", overall), *computation.by_service.items()]:
            row = SurveyResult(
                unit_id=a.unit_id,
                assessment_id=a.id,
                kind="ikm",
                period=period,
                service=service,
                respondents=result.respondents,
                sums=[int(e.nrr * result.respondents) for e in result.elements],
                weights=result.weights,
                ikm=float(result.ikm),
                category=result.category,
                evidence_id=doc.id,
                created_by=actor.name,
                created_at=now,
            )
            s.add(row)
            stored.append(row)
        s.flush()
        audit.record(
            s,
            actor,
            "survey.ikm",
            "survey_result",
            stored[0].id,
            {"replaced": len(previous)} if previous else None,
            {
                "period": period,
                "respondents": overall.respondents,
                "ikm": float(overall.ikm),
                "category": overall.category,
                "weights": overall.weights,
                "evidence": doc.id,
            },
        )
        return _view(stored[0])


def _same_assessment_doc(s, evidence_id: int, assessment_id: int) -> bool:
    ev = s.get(Evidence, evidence_id)
    return ev is not None and ev.assessment_id == assessment_id and ev.retired_at is None


def _view(row: SurveyResult) -> StoredResult:
    result = ikm.from_sums(list(row.sums), row.respondents, row.weights)
    return StoredResult(
        row.id, row.period, row.service, row.respondents, row.weights, result, row.created_at
    )


def ikm_history(ws: Workspace, actor: Actor, assessment_id: int) -> list[StoredResult]:
    """Every stored IKM result of the assessment's unit, oldest period first."""
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        rows = s.execute(
            select(SurveyResult)
            .where(
                SurveyResult.unit_id == a.unit_id,
                SurveyResult.kind == "ikm",
            )
            .order_by(SurveyResult.period, SurveyResult.service, SurveyResult.id)
        ).scalars()
        return [_view(r) for r in rows]


def survey_index(
    data: bytes, filename: str, columns: list[str], skip_invalid: bool = False
) -> tuple[Fraction, int]:
    """An IPAK/IPKP-style index (0..4) from raw answers: the mean of the item means."""
    if not columns:
        raise InvalidInput("invalid.no_items")
    items = tuple(columns)
    responses = to_responses(
        read_table(data, filename), {c: c for c in items}, skip_invalid=skip_invalid, elements=items
    )
    sums = responses.answers.astype(np.int64).sum(axis=0)
    n = responses.answers.shape[0]
    index = sum((Fraction(int(x), n) for x in sums), Fraction(0)) / len(items)
    return index, n


def set_survey_value(
    ws: Workspace, actor: Actor, assessment_id: int, which: str, index: Fraction | float | str
) -> AnswerView:
    """Enter the IPAK or IPKP value (0..4) as the answer of H.I.a / H.II.a (audited)."""
    if which not in SURVEY_ITEMS:
        raise InvalidInput("invalid.survey", which=which)
    if isinstance(index, Fraction):
        index = fmt_number(index, 4, "en")
    return assessments.set_answer(ws, actor, assessment_id, SURVEY_ITEMS[which], str(index))
