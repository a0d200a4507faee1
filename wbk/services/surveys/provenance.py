"""Use a computed IPAK / IPKP for H.I.a / H.II.a: the value goes into the assessment through
the answers write path (permission, lock, optimistic version, audit), a survey report PDF is
attached as evidence of that question, and where the value came from (period, respondents,
an imported file or the counter's responses and their SHA-256) is kept as its provenance."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from wbk.errors import InvalidInput
from wbk.formats.simple_docs import simple_pdf
from wbk.i18n import fmt_number, t
from wbk.services.assessment import assessments, evidence
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import (
    Workspace,
    get_assessment,
    question_area,
    require,
    unit_chain,
    writable_assessment,
)
from wbk.services.surveys import kiosk_results
from wbk.services.surveys.origins import (  # noqa: F401 - the provenance's public names
    FILE_SOURCE,
    IKM_SOURCE,
    KIOSK_SOURCE,
    STAND_IN,
    TARGETS,
    ProvenanceView,
    provenance_view,
)
from wbk.store.tables import Answer, Unit
from wbk.store.tables.kiosk import SurveyProvenance
from wbk.surveys import perception
from wbk.surveys.instruments import (
    DEFAULT_FOR_TARGET,
    Instrument,
    InstrumentItem,
    default_instrument,
)


def _which(which: str) -> str:
    if which not in TARGETS:
        raise InvalidInput("invalid.survey", which=which)
    return TARGETS[which]


def instrument_for(which: str) -> Instrument:
    return default_instrument(DEFAULT_FOR_TARGET[_which(which)])


def _report_pdf(
    result: perception.PerceptionResult,
    inst: Instrument,
    period: str,
    source: str,
    source_hash: str,
    unit_name: str,
    lang: str,
) -> tuple[str, bytes]:
    index_name = inst.index or inst.id.upper()
    title = t("kiosk.report.title", lang=lang, index=index_name, period=period)
    lines = [
        unit_name,
        t("kiosk.report.instrument", lang=lang, name=inst.display_name(lang), version=inst.version),
        t("kiosk.report.respondents", lang=lang, n=result.respondents),
        t("kiosk.report.source", lang=lang, source=source, sha=source_hash),
        "",
    ]
    for item in result.items:
        mean = "-" if item.mean is None else fmt_number(item.mean, 3, lang)
        lines.append(
            f"{item.code}  {mean}  (n={item.answers})  {inst.item_text(item.code, lang)}"[:110]
        )
    lines += [
        "",
        t(
            "kiosk.report.index",
            lang=lang,
            index=index_name,
            value=fmt_number(result.index, 3, lang),
            conversion=fmt_number(result.conversion, 2, lang),
            points=fmt_number(result.points, 2, lang),
        ),
    ]
    lines += [f"* {note}"[:110] for note in perception.uncertain_notes(result, lang)]
    if STAND_IN in result.uncertain:
        lines.append(f"* {t('surveyprefs.uncertain', lang=lang)}"[:110])
    return title, simple_pdf(title, lines)


def use_result(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    which: str,
    result: perception.PerceptionResult,
    inst: Instrument,
    period: str,
    source: str,
    source_name: str,
    source_hash: str,
    expected_version: int | None = None,
    lang: str = "id",
) -> ProvenanceView:
    """Write ``result.index`` into H.I.a (ipak) or H.II.a (ipkp) with its provenance and a
    survey report as evidence, in one transaction."""
    code = _which(which)
    if inst.target != code:
        raise InvalidInput("kiosk.wrong_instrument", instrument=inst.id, code=code)
    period = (period or "").strip()
    if not period:
        raise InvalidInput("invalid.period")
    value = fmt_number(result.index, 4, "en").replace(",", "")
    with ws.db.read() as s:
        unit_name = s.get(Unit, get_assessment(s, assessment_id).unit_id).name
    origin = t("kiosk.provenance.kiosk", lang=lang) if source == KIOSK_SOURCE else source_name
    title, pdf = _report_pdf(result, inst, period, origin, source_hash, unit_name, lang)
    info, sha = evidence.store_file(ws, io.BytesIO(pdf), f"{title}.pdf")
    with ws.db.write() as s:
        area = question_area(ws, s, assessment_id, code)
        a = writable_assessment(s, actor, assessment_id, "answer.self", area)
        canonical = assessments.canonical_answer(ws.catalog(a.catalog_id), code, value)
        answer = assessments.write_answer_row(
            s, actor, a, "self", code, canonical, None, expected_version
        )
        doc = evidence.insert_file(ws, s, actor, a.id, [code], info, sha, title=title)
        row = SurveyProvenance(
            assessment_id=a.id,
            code=code,
            value=canonical,
            period=period,
            respondents=result.respondents,
            source=source,
            source_name=source_name[:300],
            source_hash=source_hash,
            instrument=f"{inst.id}@{inst.version}",
            uncertain=list(result.uncertain) or None,
            evidence_id=doc.id,
            answer_version=answer.version,
            created_by=actor.name,
            created_at=datetime.now(UTC),
        )
        s.add(row)
        s.flush()
        audit.record(s, actor, "survey.provenance", "survey_provenance", row.id, None, _state(row))
        return provenance_view(row, answer.value, answer.version)


def _state(row: SurveyProvenance) -> dict[str, Any]:
    return {
        "assessment": row.assessment_id,
        "code": row.code,
        "value": row.value,
        "period": row.period,
        "respondents": row.respondents,
        "source": row.source,
        "source_name": row.source_name,
        "source_hash": row.source_hash,
        "instrument": row.instrument,
        "uncertain": row.uncertain,
        "evidence": row.evidence_id,
        "answer_version": row.answer_version,
    }


def use_file(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    which: str,
    data: bytes,
    filename: str,
    period: str,
    mapping: dict[str, str] | None = None,
    items: list[str] | None = None,
    skip_invalid: bool = False,
    expected_version: int | None = None,
    lang: str = "id",
) -> ProvenanceView:
    """Compute IPAK / IPKP from an imported responses file (the instrument's item columns, as
    ``wbk ipak`` / ``wbk ipkp`` read them) and use it, the file's SHA-256 as provenance."""
    inst = instrument_for(which)
    if items and len(items) != len(inst.codes):
        inst = _columns_instrument(inst, items)
    computation = perception.compute_file(
        data, filename, inst, mapping=mapping, items=items, skip_invalid=skip_invalid
    )
    return use_result(
        ws,
        actor,
        assessment_id,
        which,
        computation.overall,
        inst,
        period,
        FILE_SOURCE,
        filename,
        hashlib.sha256(data).hexdigest(),
        expected_version,
        lang,
    )


def _columns_instrument(inst: Instrument, columns: list[str]) -> Instrument:
    """The instrument's scale and arithmetic over the chosen columns instead of its items (a
    unit's own, shorter questionnaire); its version names the column count."""
    items = [
        InstrumentItem(code=f"Q{n}", text=str(column)[:300])
        for n, column in enumerate(columns, start=1)
    ]
    return inst.model_copy(update={"items": items, "version": f"{inst.version}+{len(items)}q"})


def use_kiosk(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    which: str,
    period: str,
    expected_version: int | None = None,
    lang: str = "id",
) -> ProvenanceView:
    """Compute IPAK / IPKP from the counter's responses of ``period`` and use it; the
    provenance hash is the SHA-256 of that instrument's CSV export for the period."""
    inst = instrument_for(which)
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        unit_code = s.get(Unit, a.unit_id).code
    rows = kiosk_results.stored_rows(ws, actor, unit_code, period)
    header, body = kiosk_results.table(rows, inst.id)
    if not body:
        raise InvalidInput("kiosk.no_responses", period=period)
    _, groups = kiosk_results.compute(rows)
    result = groups[inst.id].overall
    sha = hashlib.sha256(kiosk_results.csv_bytes(header, body)).hexdigest()
    return use_result(
        ws,
        actor,
        assessment_id,
        which,
        result,
        inst,
        period,
        KIOSK_SOURCE,
        KIOSK_SOURCE,
        sha,
        expected_version,
        lang,
    )


def provenance_for(ws: Workspace, actor: Actor, assessment_id: int) -> dict[str, ProvenanceView]:
    """The latest provenance of each survey value of the assessment (H.I.a, H.II.a), marked
    ``current`` while the answer still holds the value written."""
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        rows = s.execute(
            select(SurveyProvenance)
            .where(SurveyProvenance.assessment_id == a.id)
            .order_by(SurveyProvenance.id)
        ).scalars()
        latest = {r.code: r for r in rows}
        answers = {
            r.code: r
            for r in s.execute(
                select(Answer).where(
                    Answer.assessment_id == a.id,
                    Answer.tier == "self",
                    Answer.code.in_(list(latest) or [""]),
                )
            ).scalars()
        }
        out = {}
        for code, row in latest.items():
            ans = answers.get(code)
            out[code] = provenance_view(
                row, ans.value if ans else None, ans.version if ans else None
            )
        return out


def perception_notes(result: perception.PerceptionResult, lang: str | None = None) -> list[str]:
    """Why a computed IPAK / IPKP is marked ``*`` (for the pages, which do not compute)."""
    return perception.uncertain_notes(result, lang)
