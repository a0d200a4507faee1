"""Per-question history, read from the audit trail: who changed an answer (or one input of a
percentage question), from what to what, when, in which tier, and whether the penjelasan
changed; carried answers and their confirmation appear as their own entries.

Events read (see ``wbk.services.assessment.assessments`` and ``wbk.services.yearly.carry``):
``answer.set`` on ``answer`` ``<assessment>:<tier>:<code>`` (before/after carry value and
narrative), ``answer.confirm`` on ``assessment`` ``<assessment>`` (the codes confirmed) and
``assessment.carry`` on ``assessment`` ``<assessment>`` (the answers written from last year).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from wbk.services.core.actor import TIERS, Actor
from wbk.services.core.workspace import Workspace, get_assessment, require, unit_chain
from wbk.store.tables import AuditEvent, UserAccount


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    actor: str  # as recorded: a username or cli:<login>
    who: str  # the person's display name where known
    kind: str  # set | confirm | carry
    tier: str  # self | tpi | tpn
    code: str  # the question, or ``CODE#input`` for one input of a percentage question
    before: str | None  # the value before (None: unanswered)
    after: str | None
    narrative_changed: bool
    narrative: str | None  # the penjelasan after the change
    source_year: int | None = None  # for carried answers: the year they came from


def _load(text: str | None) -> dict:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _mine(code: str, candidate: str) -> bool:
    return candidate == code or candidate.startswith(code + "#")


def question_history(
    ws: Workspace, actor: Actor, assessment_id: int, code: str
) -> list[HistoryEntry]:
    """Every recorded change to ``code`` (and its inputs) in this assessment, newest first.
    Whoever may read the assessment may read its history."""
    base = code.split("#", 1)[0]
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        item = ws.catalog(a.catalog_id).items.get(base)
        codes = [base]
        if item is not None and item.formula is not None:
            codes += [f"{base}#{i.name}" for i in item.formula.inputs]
        # exact names, so the index on audit_event.entity_id finds them
        ids = [f"{a.id}:{tier}:{c}" for tier in TIERS for c in codes]
        rows = (
            s.execute(
                select(AuditEvent)
                .where(
                    or_(
                        and_(
                            AuditEvent.entity_id.in_(ids),
                            AuditEvent.action == "answer.set",
                            AuditEvent.entity == "answer",
                        ),
                        and_(
                            AuditEvent.action.in_(("answer.confirm", "assessment.carry")),
                            AuditEvent.entity_id == str(a.id),
                            AuditEvent.entity == "assessment",
                        ),
                    )
                )
                .order_by(AuditEvent.seq.desc())
            )
            .scalars()
            .all()
        )
        names = {
            u: d
            for u, d in s.execute(
                select(UserAccount.username, UserAccount.display_name).where(
                    UserAccount.username.in_({r.actor for r in rows})
                )
            )
        }
    out: list[HistoryEntry] = []
    for ev in rows:
        before, after = _load(ev.before), _load(ev.after)
        who = names.get(ev.actor) or ev.actor
        if ev.action == "answer.set":
            parts = (ev.entity_id or "").split(":", 2)
            if len(parts) != 3 or parts[0] != str(a.id) or not _mine(base, parts[2]):
                continue
            out.append(
                HistoryEntry(
                    _at(ev.at),
                    ev.actor,
                    who,
                    "set",
                    parts[1],
                    parts[2],
                    before.get("value"),
                    after.get("value"),
                    (before.get("narrative") or None) != (after.get("narrative") or None),
                    after.get("narrative"),
                )
            )
        elif ev.action == "answer.confirm":
            years = before.get("carried_from") or []
            for c in before.get("codes") or []:
                if _mine(base, c):
                    out.append(
                        HistoryEntry(
                            _at(ev.at),
                            ev.actor,
                            who,
                            "confirm",
                            "self",
                            c,
                            None,
                            None,
                            False,
                            None,
                            years[0] if len(years) == 1 else None,
                        )
                    )
        else:  # assessment.carry: the answers written from last year's assessment
            for item in after.get("answers") or []:
                c, value, narrative = [*list(item), None, None, None][:3]
                if isinstance(c, str) and _mine(base, c):
                    out.append(
                        HistoryEntry(
                            _at(ev.at),
                            ev.actor,
                            who,
                            "carry",
                            "self",
                            c,
                            None,
                            value,
                            bool(narrative),
                            narrative,
                            after.get("source_year"),
                        )
                    )
    return out
