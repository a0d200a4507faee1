"""Where the survey values H.I.a and H.II.a came from (period, respondents, file or counter,
hash): the view, and the survey feature's part of a screen's context (``read_origins``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.i18n import t
from wbk.store.tables import Answer, Assessment
from wbk.store.tables.kiosk import SurveyProvenance

TARGETS = {"ipak": "H.I.a", "ipkp": "H.II.a"}


KIOSK_SOURCE = "kiosk"


FILE_SOURCE = "file"


IKM_SOURCE = "ikm"  # the unit's IKM standing in for IPKP (its own choice; see survey_prefs)


STAND_IN = "ikm_for_ipkp"  # the uncertain reason kept with such a value


@dataclass(frozen=True, slots=True)
class ProvenanceView:
    code: str
    value: str
    period: str
    respondents: int
    source: str  # file | kiosk
    source_name: str  # the file's name, or "kiosk" for the counter's responses
    source_hash: str
    instrument: str  # id@version
    uncertain: tuple[str, ...]
    evidence_id: int | None
    created_by: str
    created_at: datetime
    current: bool  # the answer still holds the value written (no one changed it since)

    def describe(self, lang: str | None = None) -> str:
        """One line for the LKE page, the dashboard and the report."""
        if self.source == IKM_SOURCE:
            text = t(
                "surveyprefs.provenance",
                lang=lang,
                period=self.period,
                n=self.respondents,
                sha=self.source_hash[:12],
            )
            if not self.current:
                text += " " + t("kiosk.provenance.changed", lang=lang)
            return text
        source = (
            t("kiosk.provenance.kiosk", lang=lang)
            if self.source == KIOSK_SOURCE
            else t("kiosk.provenance.file", lang=lang, name=self.source_name)
        )
        text = t(
            "kiosk.provenance.line",
            lang=lang,
            period=self.period,
            n=self.respondents,
            source=source,
            sha=self.source_hash[:12],
            instrument=self.instrument,
        )
        if self.uncertain:
            text += " *"
        if not self.current:
            text += " " + t("kiosk.provenance.changed", lang=lang)
        return text


def provenance_view(
    row: SurveyProvenance, value: str | None, version: int | None
) -> ProvenanceView:
    return ProvenanceView(
        row.code,
        row.value,
        row.period,
        row.respondents,
        row.source,
        row.source_name,
        row.source_hash,
        row.instrument,
        tuple(row.uncertain or ()),
        row.evidence_id,
        row.created_by,
        row.created_at,
        value == row.value and version == row.answer_version,
    )


def read_origins(session: Session, assessment: Assessment) -> dict[str, ProvenanceView]:
    """The survey values' provenance in the screen's transaction, one statement (the reader's
    right on the unit was checked for this assessment)."""
    rows = session.execute(
        select(SurveyProvenance, Answer.value, Answer.version)
        .outerjoin(
            Answer,
            (Answer.assessment_id == SurveyProvenance.assessment_id)
            & (Answer.tier == "self")
            & (Answer.code == SurveyProvenance.code),
        )
        .where(SurveyProvenance.assessment_id == assessment.id)
        .order_by(SurveyProvenance.id)
    ).all()
    return {row.code: provenance_view(row, value, version) for row, value, version in rows}
