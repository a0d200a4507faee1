"""An assessment's pre-review: the verdict of each question over its linked documents.

Verdicts are a cache (``review_verdict``) computed from the documents, their texts, the
unit's answers, people's decisions, the period and the terms; ``review_state`` keeps a
digest of those inputs, so a review with nothing changed reads the stored verdicts.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wbk.errors import InvalidInput
from wbk.review.facts import Facts, kind_of_document
from wbk.review.match import index_document, vocabulary
from wbk.review.terms import Period, Terms, default_period, load_terms
from wbk.review.verdict import ReviewDocument, review_question
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.services.review import queue
from wbk.services.review.views import AssessmentReview
from wbk.store.tables import (
    Answer,
    Assessment,
    Evidence,
    EvidenceLink,
    EvidenceRevision,
    ReviewDecision,
    ReviewPeriod,
    ReviewState,
    ReviewText,
    ReviewVerdict,
)

WAIT_SECONDS = 600.0


@dataclass
class _Inputs:
    assessment: Assessment
    period: Period
    docs: list[tuple[Evidence, EvidenceRevision | None, list[str]]]
    texts: dict[str, ReviewText]
    answers: dict[str, str | None]
    decisions: dict[str, ReviewDecision]


def period_of(s: Session, a: Assessment, terms: Terms) -> Period:
    own = s.get(ReviewPeriod, a.id)
    if own is not None:
        return Period(own.start, own.end, False)
    return default_period(a.year, a.deadline, terms)


def _documents(s: Session, assessment_id: int):
    evidence = list(
        s.execute(
            select(Evidence)
            .where(Evidence.assessment_id == assessment_id, Evidence.retired_at.is_(None))
            .order_by(Evidence.id)
        ).scalars()
    )
    ids = [e.id for e in evidence]
    latest: dict[int, EvidenceRevision] = {}
    links: dict[int, list[str]] = {}
    if ids:
        for rev in s.execute(
            select(EvidenceRevision)
            .where(EvidenceRevision.evidence_id.in_(ids))
            .order_by(EvidenceRevision.revision)
        ).scalars():
            latest[rev.evidence_id] = rev
        for eid, code in s.execute(
            select(EvidenceLink.evidence_id, EvidenceLink.code).where(
                EvidenceLink.evidence_id.in_(ids)
            )
        ):
            links.setdefault(eid, []).append(code)
    return [(e, latest.get(e.id), sorted(links.get(e.id, []))) for e in evidence]


def _inputs(s: Session, a: Assessment, terms: Terms) -> _Inputs:
    docs = _documents(s, a.id)
    texts = queue.texts(s, {rev.sha256 for _, rev, _ in docs if rev is not None})
    answers = {
        code: value
        for code, value in s.execute(
            select(Answer.code, Answer.value).where(
                Answer.assessment_id == a.id, Answer.tier == "self"
            )
        )
    }
    decisions = {
        d.finding_key: d
        for d in s.execute(
            select(ReviewDecision).where(ReviewDecision.assessment_id == a.id)
        ).scalars()
    }
    return _Inputs(a, period_of(s, a, terms), docs, texts, answers, decisions)


def _digest(inputs: _Inputs, terms: Terms) -> str:
    a = inputs.assessment
    parts = {
        "catalog": a.catalog_id,
        "terms": terms.digest,
        "reader": queue.READER,
        "period": [inputs.period.start.isoformat(), inputs.period.end.isoformat()],
        "docs": [
            [
                e.id,
                e.title,
                e.kind,
                str(e.document_date),
                str(e.valid_until),
                rev.id if rev else None,
                codes,
                (inputs.texts[rev.sha256].stamp if rev and rev.sha256 in inputs.texts else None),
            ]
            for e, rev, codes in inputs.docs
        ],
        "answers": sorted(inputs.answers.items()),
        "decisions": sorted(inputs.decisions),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _review_document(e: Evidence, rev, text: ReviewText | None, vocab) -> ReviewDocument:
    if e.kind != "file" or rev is None:  # a link: nothing wbk can read
        return ReviewDocument(
            e.id, 0, e.title, e.url or "", "", e.document_date, e.valid_until, "none",
            error="link",
        )  # fmt: skip
    if text is None:
        return ReviewDocument(
            e.id, rev.id, e.title, rev.filename, rev.sha256, e.document_date, e.valid_until, None
        )
    pages = tuple(text.pages or ())
    facts = Facts.from_json(text.facts or {}) if text.facts else None
    if facts is not None:  # the kind the title names wins over the text's
        kind = kind_of_document(vocab, e.title, ()) or facts.kind
        facts = replace(facts, kind=kind)
    return ReviewDocument(
        e.id,
        rev.id,
        e.title,
        rev.filename,
        rev.sha256,
        e.document_date,
        e.valid_until,
        text.source,
        text.needs_ocr,
        text.error,
        pages,
        facts,
    )


def _document_json(d: ReviewDocument, period: Period, text: ReviewText | None) -> dict:
    facts = d.facts
    return {
        "id": d.id,
        "title": d.title,
        "filename": d.filename,
        "sha256": d.sha256 or None,
        "text_source": d.source or "none",
        "read": d.source is not None,
        "needs_ocr": d.needs_ocr,
        "pages": len(d.pages),
        "number": facts.number if facts else None,
        "date": facts.date.isoformat() if facts and facts.date else None,
        "date_page": facts.date_page if facts else None,
        "signed": list(facts.signed) if facts else [],
        "in_period": d.in_period(period),
        "kind": facts.kind if facts else None,
        "seconds": text.seconds if text is not None else None,
    }


def _compute(ws: Workspace, inputs: _Inputs, terms: Terms) -> tuple[list[dict], list[dict]]:
    vocab = vocabulary(terms)
    catalog = ws.catalog(inputs.assessment.catalog_id)
    docs: dict[int, ReviewDocument] = {}
    texts: dict[int, ReviewText | None] = {}
    by_code: dict[str, list[ReviewDocument]] = {}
    for e, rev, codes in inputs.docs:
        text = inputs.texts.get(rev.sha256) if rev is not None else None
        docs[e.id] = _review_document(e, rev, text, vocab)
        texts[e.id] = text
        for code in codes:
            by_code.setdefault(code, []).append(docs[e.id])
    indexes = {
        d.id: index_document(vocab, d.id, d.title, d.filename, d.pages)
        for d in docs.values()
        if d.readable
    }
    dismissed = frozenset(k for k, d in inputs.decisions.items() if d.decision == "dismiss")
    questions = []
    for code, item in catalog.items.items():
        spec = catalog.questions.get(code)
        expected = spec.evidence if spec is not None else _result_evidence(catalog, code)
        review = review_question(
            code,
            expected,
            item.scale,
            inputs.answers.get(code),
            by_code.get(code, []),
            indexes,
            vocab,
            inputs.period,
            dismissed,
        )
        questions.append(review.to_json() | {"area": item.area or catalog.hasil.code})
    documents = [_document_json(d, inputs.period, texts[d.id]) for d in docs.values()]
    return questions, documents


def _result_evidence(catalog, code: str) -> list[str]:
    for group in catalog.hasil.groups:
        for item in group.items:
            if item.code == code:
                return list(item.evidence)
    return []


def _now() -> datetime:
    return datetime.now(UTC)


def enqueue_missing(ws: Workspace, assessment_id: int) -> set[str]:
    """Queue every file of the assessment whose text is not known; the files it waits for."""
    with ws.db.read() as s:
        docs = _documents(s, assessment_id)
        files = {rev.sha256: rev for _, rev, _ in docs if rev is not None}
        known = set(queue.texts(s, set(files)))
        missing = set(files) - known
        waiting = queue.pending(s, missing) if missing else 0
    if missing and waiting < len(missing):
        with ws.db.write() as s:
            for sha in sorted(missing):
                queue.enqueue(s, sha, files[sha].media_type, files[sha].filename)
    return missing


def progress(ws: Workspace, actor: Actor, assessment_id: int) -> tuple[int, int]:
    """(files read, files linked) of an assessment: what a progress bar shows."""
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        shas = {rev.sha256 for _, rev, _ in _documents(s, a.id) if rev is not None}
        return len(queue.texts(s, shas)), len(shas)


def review_assessment(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    question: str | None = None,
    wait: bool = True,
    timeout: float = WAIT_SECONDS,
) -> AssessmentReview:
    """Review what is not reviewed yet. ``wait``: read the files still queued (helping the
    other workers) before answering; otherwise answer at once with ``pending`` set."""
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        if question is not None and question not in ws.catalog(a.catalog_id).items:
            raise InvalidInput("invalid.question", code=question)
    missing = enqueue_missing(ws, assessment_id)
    if wait and missing:
        deadline = time.monotonic() + timeout
        while True:
            queue.work(ws)
            with ws.db.read() as s:
                if not queue.pending(s, missing) or time.monotonic() > deadline:
                    break
            time.sleep(0.2)  # another worker holds the rest
    result = current_review(ws, actor, assessment_id)
    if question is not None:
        result.questions = [q for q in result.questions if q["code"] == question]
    return result


def current_review(ws: Workspace, actor: Actor, assessment_id: int) -> AssessmentReview:
    """The review as the texts read so far give it (stored verdicts when nothing changed)."""
    terms = load_terms(ws.settings.criteria_dir)
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        chain = unit_chain(s, a.unit_id)
        require(actor, "read", chain)
        inputs = _inputs(s, a, terms)
        digest = _digest(inputs, terms)
        state = s.get(ReviewState, a.id)
        files = {rev.sha256 for _, rev, _ in inputs.docs if rev is not None}
        pending = len(files - set(inputs.texts))
        stored = None
        if state is not None and state.digest == digest:
            stored = [
                json.loads(p)
                for p in s.execute(
                    select(ReviewVerdict.payload)
                    .where(ReviewVerdict.assessment_id == a.id)
                    .order_by(ReviewVerdict.code)
                ).scalars()
            ]
    questions, documents = _compute(ws, inputs, terms) if stored is None else (None, None)
    if stored is not None:
        order = {code: i for i, code in enumerate(ws.catalog(a.catalog_id).items)}
        questions = sorted(stored, key=lambda q: order.get(q["code"], len(order)))
        documents = _documents_only(ws, inputs, terms)
    elif pending == 0:
        _save(ws, a.id, digest, inputs.period, questions)
    decisions = {
        k: {
            "decision": d.decision,
            "reason": d.reason,
            "note_id": d.note_id,
            "by": d.decided_by,
            "code": d.code,
        }
        for k, d in inputs.decisions.items()
    }
    open_ = a.status != "locked"
    return AssessmentReview(
        a.id, inputs.period, questions, documents, decisions, pending, len(files),
        can_decide=open_ and actor.can("finding.decide", chain),
        can_set_period=open_ and actor.can("review.period", chain),
    )  # fmt: skip


def _documents_only(ws: Workspace, inputs: _Inputs, terms: Terms) -> list[dict]:
    vocab = vocabulary(terms)
    out = []
    for e, rev, _ in inputs.docs:
        text = inputs.texts.get(rev.sha256) if rev is not None else None
        out.append(_document_json(_review_document(e, rev, text, vocab), inputs.period, text))
    return out


def _save(ws: Workspace, assessment_id: int, digest: str, period: Period, questions) -> None:
    with ws.db.write() as s:
        s.execute(delete(ReviewVerdict).where(ReviewVerdict.assessment_id == assessment_id))
        s.add_all(
            ReviewVerdict(
                assessment_id=assessment_id,
                code=q["code"],
                area=q["area"],
                verdict=q["verdict"],
                unsupported=q["unsupported_claim"],
                payload=json.dumps(q, sort_keys=True),
            )
            for q in questions
        )
        state = s.get(ReviewState, assessment_id)
        if state is None:
            state = ReviewState(assessment_id=assessment_id)
            s.add(state)
        state.digest, state.reviewed_at = digest, _now()
        state.period_start, state.period_end = period.start, period.end
