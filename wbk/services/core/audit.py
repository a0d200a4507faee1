"""The tamper-evident audit trail: append one hash-chained event per change, and check the chain."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.services.core.actor import Actor
from wbk.store.tables import AuditEvent, AuditHead

GENESIS = "0" * 64


def _json(data: Any) -> str | None:
    if data is None:
        return None
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def event_hash(
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None,
    before: str | None,
    after: str | None,
    prev_hash: str,
    rows: str | None = None,
) -> str:
    fields = [seq, at, actor, action, entity, entity_id, before, after, prev_hash]
    if rows is not None:  # the row digests (events from before them hash as they did)
        fields.append(rows)
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: Any,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append an event in the caller's transaction; the head row lock keeps the chain linear.

    The transaction's last event waits in the session until ``finish`` (the write's last
    step) gives it the row digests: so it is inserted once, with its final hash, and the head
    is written once per transaction."""
    pending = session.info.pop("audit_event", None)
    if pending is not None:  # an earlier event of this transaction: final now
        session.add(pending)
    state = session.info.get("audit_head")
    if state is None:
        head = session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update()
        ).scalar_one()
        session.info["audit_head_row"] = head  # held: finish moves it without a statement
        state = (head.seq, head.hash)
    seq, prev = state[0] + 1, state[1]
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    b, a = _json(before), _json(after)
    eid = None if entity_id is None else str(entity_id)
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor.name,
        action=action,
        entity=entity,
        entity_id=eid,
        before=b,
        after=a,
        prev_hash=prev,
    )
    _authenticate(session, event)
    session.info["audit_head"] = (seq, event.hash)  # witnessed once the transaction commits
    session.info["audit_event"] = event  # the transaction's last event: it gets the row digests
    return event


def finish(session: Session, rows: str | None = None) -> None:
    """Write the transaction's last event (with ``rows``, the digests of the rows the
    transaction touched, when given) and move the head to it. Nothing when no event waits."""
    event = session.info.pop("audit_event", None)
    if event is None:
        return
    if rows is not None:
        event.rows = rows
        _authenticate(session, event)
    session.add(event)
    head = session.info.get("audit_head_row") or session.get(AuditHead, 1)
    head.seq, head.hash = event.seq, event.hash
    session.info["audit_head"] = (event.seq, event.hash)


def _authenticate(session: Session, event: AuditEvent) -> None:
    """The event's hash over all its fields, and its code under the session's audit key."""
    event.hash = event_hash(
        event.seq,
        event.at,
        event.actor,
        event.action,
        event.entity,
        event.entity_id,
        event.before,
        event.after,
        event.prev_hash,
        event.rows,
    )
    key = session.info.get("audit_key")
    event.mac = mac(key, event.hash) if key else None


def mac(key: bytes, digest: str) -> str:
    """The event's authentication: HMAC-SHA-256 of its hash with the audit key."""
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


def check_chain(session: Session, key: bytes | None = None) -> list[str]:
    """Problems in the chain: a changed, removed or reordered event, an event the audit key
    does not authenticate, or a head that disagrees. Without the key nothing can be
    authenticated, and that is a problem too."""
    problems: list[str] = []
    if key is None:
        problems.append(
            "audit: the events cannot be authenticated: no audit key (WBK_AUDIT_KEY, "
            "WBK_AUDIT_KEY_FILE or keys/audit-hmac.key in the data directory)"
        )
    prev, expected_seq = GENESIS, 1
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        if ev.seq != expected_seq:
            problems.append(f"audit: event {expected_seq} missing (found {ev.seq})")
            expected_seq = ev.seq
        if ev.prev_hash != prev:
            problems.append(f"audit: event {ev.seq} does not follow the event before it")
        digest = event_hash(
            ev.seq,
            ev.at,
            ev.actor,
            ev.action,
            ev.entity,
            ev.entity_id,
            ev.before,
            ev.after,
            ev.prev_hash,
            ev.rows,
        )
        if digest != ev.hash:
            problems.append(f"audit: event {ev.seq} was altered")
        elif key is not None and not (ev.mac and hmac.compare_digest(ev.mac, mac(key, ev.hash))):
            problems.append(f"audit: event {ev.seq} is not authenticated")
        prev, expected_seq = ev.hash, expected_seq + 1
    head = session.get(AuditHead, 1)
    if head is None or head.hash != prev or head.seq != expected_seq - 1:
        problems.append("audit: the chain's last event was removed or the head was altered")
    return problems
