"""A unit's survey choices: whether its IKM may stand in for IPKP (H.II.a).

The regulation does not settle whether IKM may be used for IPKP, so it is off by default and
an explicit, audited choice of a koordinator of the unit (or above) or an admin. A value used
this way goes through ``survey_provenance.use_result`` (the audited answers path, a report PDF
as evidence) and its provenance line says it is IKM standing in for IPKP, marked uncertain."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import select

from wbk.errors import InvalidInput
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.services.people.people import unit_by_code
from wbk.services.surveys import provenance as prov
from wbk.services.surveys.kiosk import MANAGE
from wbk.store.tables import SurveyResult, Unit
from wbk.store.tables.surveyprefs import UnitSurveyPref
from wbk.surveys import ikm, perception
from wbk.surveys.ikm import survey_points
from wbk.surveys.instruments import Instrument, default_instrument

TARGET = "H.II.a"


def _stored_choice(s, unit_id: int) -> bool:
    row = s.get(UnitSurveyPref, unit_id)
    return bool(row and row.ikm_as_ipkp)


def ikm_as_ipkp(ws: Workspace, actor: Actor, unit_code: str) -> bool:
    """Whether the unit lets its IKM stand in for IPKP (False unless someone turned it on)."""
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "read", unit_chain(s, unit.id))
        return _stored_choice(s, unit.id)


def may_set(ws: Workspace, actor: Actor, unit_code: str) -> bool:
    """Whether ``actor`` may change the unit's choice (for the page: show the checkbox or not)."""
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        return actor.can(MANAGE, unit_chain(s, unit.id))


def set_ikm_as_ipkp(ws: Workspace, actor: Actor, unit_code: str, on: bool) -> bool:
    """Turn the choice on or off (a koordinator of the unit or above, or an admin; audited)."""
    on = bool(on)
    with ws.db.write() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, MANAGE, unit_chain(s, unit.id))
        row = s.get(UnitSurveyPref, unit.id)
        before = bool(row and row.ikm_as_ipkp)
        if row is None:
            row = UnitSurveyPref(unit_id=unit.id)
            s.add(row)
        row.ikm_as_ipkp = on
        row.set_by = actor.name
        row.set_at = datetime.now(UTC)
        s.flush()
        audit.record(
            s,
            actor,
            "survey.ikm_as_ipkp",
            "unit_survey_pref",
            unit.id,
            {"unit": unit.code, "ikm_as_ipkp": before},
            {"unit": unit.code, "ikm_as_ipkp": on},
        )
        return on


def _instrument() -> Instrument:
    """The SKM instrument, pointed at H.II.a for this one use (its index stays named IKM)."""
    skm = default_instrument("skm")
    return skm.model_copy(update={"target": TARGET, "version": f"{skm.version}+ipkp"})


def as_perception(result: ikm.IkmResult, inst: Instrument) -> perception.PerceptionResult:
    """The IKM (index on 1-4, before x25) in the shape of a perception result, its elements as
    items, marked uncertain because IKM standing in for IPKP is not settled."""
    items = tuple(
        perception.ItemScore(e.element, int(e.nrr * result.respondents), result.respondents)
        for e in result.elements
    )
    return perception.PerceptionResult(
        instrument=inst.id,
        version=inst.version,
        target=TARGET,
        scale=inst.scale_range,
        conversion_map="none",
        method="weighted_elements",
        respondents=result.respondents,
        items=items,
        scale_index=result.index,
        index=result.index,
        conversion=result.index * 25,
        points=survey_points(result.index),
        uncertain=(prov.STAND_IN,),
        alternative=result.index,
    )


def use_ikm_for_ipkp(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    period: str,
    expected_version: int | None = None,
    lang: str = "id",
) -> prov.ProvenanceView:
    """Write the unit's stored IKM index of ``period`` (1-4) as H.II.a, refused unless the unit
    chose to let IKM stand in for IPKP."""
    period = (period or "").strip()
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        unit = s.get(Unit, a.unit_id)
        if not _stored_choice(s, unit.id):
            raise InvalidInput("surveyprefs.refused", unit=unit.code)
        row = s.execute(
            select(SurveyResult).where(
                SurveyResult.unit_id == unit.id,
                SurveyResult.kind == "ikm",
                SurveyResult.period == period,
                SurveyResult.service == "",
            )
        ).scalar_one_or_none()
        if row is None:
            raise InvalidInput("surveyprefs.no_ikm", period=period)
        stored = ikm.from_sums(list(row.sums), row.respondents, row.weights)
        record = {
            "unit": unit.code,
            "period": row.period,
            "respondents": row.respondents,
            "sums": [int(x) for x in row.sums],
            "weights": row.weights,
        }
    sha = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    inst = _instrument()
    return prov.use_result(
        ws,
        actor,
        assessment_id,
        "ipkp",
        as_perception(stored, inst),
        inst,
        period,
        prov.IKM_SOURCE,
        "IKM",
        sha,
        expected_version,
        lang,
    )


def ikm_periods(ws: Workspace, actor: Actor, unit_code: str) -> list[str]:
    """The periods with a stored overall IKM result for the unit, oldest first."""
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "read", unit_chain(s, unit.id))
        return list(
            s.execute(
                select(SurveyResult.period)
                .where(
                    SurveyResult.unit_id == unit.id,
                    SurveyResult.kind == "ikm",
                    SurveyResult.service == "",
                )
                .order_by(SurveyResult.period)
            ).scalars()
        )
