"""Replay the audit trail: every audited write carries the state it wrote, so the chain alone
rebuilds the answers, role grants, evidence links and assessment statuses; ``verify`` compares
that with the tables and names every row that differs (a direct database edit)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.store.tables import Answer, Assessment, AuditEvent, EvidenceLink, RoleGrant

AnswerKey = tuple[int, str, str]  # assessment, tier, code
GrantKey = tuple[int, int | None, str]  # user, unit (None: every unit), role


@dataclass
class Derived:
    """The state the audit trail says the tables hold."""

    answers: dict[AnswerKey, tuple[str | None, str | None]] = field(default_factory=dict)
    grants: dict[GrantKey, tuple[str, ...] | None] = field(default_factory=dict)
    links: set[tuple[int, str]] = field(default_factory=set)
    statuses: dict[int, str] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)


def _load(text: str | None) -> dict:
    return json.loads(text) if text else {}


def _areas(value) -> tuple[str, ...] | None:
    return tuple(value) if value else None


def _unit_id(state: dict, units: dict[str, int]) -> int | None:
    if "unit_id" in state:
        return state["unit_id"]
    code = state.get("unit")
    return units.get(code) if code else None


def derive(s: Session) -> Derived:
    """Walk the chain in order and apply each event's recorded state."""
    d = Derived()
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000)
    for ev in s.execute(query).scalars():
        before, after = _load(ev.before), _load(ev.after)
        action = ev.action
        if action == "answer.set":
            aid, tier, code = ev.entity_id.split(":", 2)
            d.answers[(int(aid), tier, code)] = (after.get("value"), after.get("narrative"))
        elif action == "unit.add":
            d.units[after["code"]] = int(ev.entity_id)
        elif action in ("role.grant", "role.update"):
            key = (int(ev.entity_id), _unit_id(after, d.units), after["role"])
            d.grants[key] = _areas(after.get("areas"))
        elif action == "role.revoke":
            d.grants.pop((int(ev.entity_id), _unit_id(before, d.units), before["role"]), None)
        elif action in ("evidence.add", "evidence.add_link"):
            d.links |= {(int(ev.entity_id), c) for c in after.get("codes", [])}
        elif action == "evidence.link":
            d.links.add((int(ev.entity_id), after["code"]))
        elif action == "evidence.unlink":
            d.links.discard((int(ev.entity_id), before["code"]))
        elif action == "assessment.create":
            d.statuses[int(ev.entity_id)] = after.get("status", "draft")
        elif action == "assessment.status":
            d.statuses[int(ev.entity_id)] = after["status"]
        elif action == "assessment.carry":  # answers and links copied from the previous year
            aid = int(ev.entity_id)
            for code, value, narrative in after.get("answers", []):
                d.answers[(aid, "self", code)] = (value, narrative)
            d.links |= {(int(e), c) for e, c in after.get("links", [])}
    return d


def differences(s: Session) -> list[str]:
    """Every row whose stored state is not the state the audit trail recorded."""
    d = derive(s)
    out: list[str] = []

    stored = {
        (a.assessment_id, a.tier, a.code): (a.value, a.narrative)
        for a in s.execute(select(Answer)).scalars()
    }
    for key in sorted(stored.keys() | d.answers.keys(), key=str):
        have, want = stored.get(key), d.answers.get(key)
        if have != want:
            out.append(
                f"answer {key[0]}:{key[1]}:{key[2]}: table {_show(have)}, audit trail {_show(want)}"
            )

    grants = {
        (g.user_id, g.unit_id, g.role): _areas(g.areas)
        for g in s.execute(select(RoleGrant)).scalars()
    }
    for key in sorted(grants.keys() | d.grants.keys(), key=str):
        if key not in d.grants:
            out.append(f"role_grant user {key[0]} {key[2]}@{key[1]}: not in the audit trail")
        elif key not in grants:
            out.append(f"role_grant user {key[0]} {key[2]}@{key[1]}: missing from the table")
        elif grants[key] != d.grants[key]:
            out.append(
                f"role_grant user {key[0]} {key[2]}@{key[1]}: areas {grants[key]} in the "
                f"table, {d.grants[key]} in the audit trail"
            )

    links = {(e, c) for e, c in s.execute(select(EvidenceLink.evidence_id, EvidenceLink.code))}
    for e, c in sorted(links - d.links):
        out.append(f"evidence_link {e} {c}: not in the audit trail")
    for e, c in sorted(d.links - links):
        out.append(f"evidence_link {e} {c}: missing from the table")

    statuses = dict(s.execute(select(Assessment.id, Assessment.status)).all())
    for aid in sorted(statuses.keys() | d.statuses.keys()):
        if statuses.get(aid) != d.statuses.get(aid):
            out.append(
                f"assessment {aid} status: table {statuses.get(aid)}, "
                f"audit trail {d.statuses.get(aid)}"
            )
    return out


def _show(state: tuple[str | None, str | None] | None) -> str:
    if state is None:
        return "(no row)"
    value, narrative = state
    text = repr(value)
    if narrative:
        text += f" / {narrative[:40]!r}"
    return text
