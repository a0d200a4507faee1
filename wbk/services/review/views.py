"""What the pre-review says about one assessment, as the pages and ``wbk review`` read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from wbk.i18n import t
from wbk.reports.data import PreReviewCell, PreReviewColumn
from wbk.review.terms import Period
from wbk.review.verdict import VERDICTS


@dataclass
class AssessmentReview:
    """What the review says about one assessment. ``questions``: one dict per question as
    ``QuestionReview.to_json`` gives it; ``pending``: files still to be read."""

    assessment_id: int
    period: Period
    questions: list[dict]
    documents: list[dict]
    decisions: dict[str, dict] = field(default_factory=dict)
    pending: int = 0
    total_files: int = 0
    can_decide: bool = False  # the reader may accept and dismiss findings
    can_set_period: bool = False  # the reader may set the assessment's review period

    def summary(self) -> dict[str, int]:
        out = dict.fromkeys(VERDICTS, 0)
        for q in self.questions:
            out[q["verdict"]] += 1
        return out

    def question(self, code: str) -> dict | None:
        return next((q for q in self.questions if q["code"] == code), None)

    def document(self, doc_id: int | None) -> dict | None:
        return next((d for d in self.documents if d["id"] == doc_id), None)

    def message(self, finding: dict, lang: str | None = None) -> str:
        doc = self.document(finding.get("document"))
        params = dict(finding.get("params") or {})
        params["document"] = doc["title"] if doc else "-"
        return t(f"review.finding.{finding['code']}", lang=lang, **params)

    def report_column(self, lang: str | None = None, reasons: int = 2) -> PreReviewColumn:
        """The kertas kerja's pre-review column: each question's verdict, claim, and its
        first ``reasons`` findings in ``lang``."""
        cells = {}
        for q in self.questions:
            shown = tuple(self.message(f, lang) for f in q["findings"][:reasons])
            more = len(q["findings"]) - len(shown)
            if more > 0:
                shown += (t("review.report.more", lang=lang, count=more),)
            cells[q["code"]] = PreReviewCell(q["verdict"], q["unsupported_claim"], shown)
        return PreReviewColumn(cells, self.pending)

    def to_json(self) -> dict:
        """The JSON of ``wbk review --json`` (docs/review.md)."""
        questions = []
        for q in self.questions:
            questions.append(
                {
                    "code": q["code"],
                    "answer": q["answer"],
                    "verdict": q["verdict"],
                    "unsupported_claim": q["unsupported_claim"],
                    "expected": q["expected"],
                    "findings": [
                        {
                            "code": f["code"],
                            "document": f["document"],
                            "page": f["page"],
                            "message": self.message(f),
                            "source": f["source"],
                        }
                        for f in q["findings"]
                    ],
                }
            )
        documents = [
            {k: d[k] for k in ("id", "title", "sha256", "text_source", "pages", "number")}
            | {"date": d["date"], "signed": d["signed"], "in_period": d["in_period"]}
            for d in self.documents
        ]
        return {
            "assessment": self.assessment_id,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "summary": self.summary(),
            "questions": questions,
            "documents": documents,
        }
