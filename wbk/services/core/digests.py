"""Every write leaves the digest of each row it inserted, changed or deleted in its audit
event; ``verify`` recomputes the digest of every row of every state table and names each row
that differs from the latest digest the trail holds: a row changed, inserted or deleted
outside wbk (an SQL statement, a forged session, a token moved to another unit).

The database's triggers note the touched rows (``row_touch``, see wbk/store/rowdigest.py);
``seal`` runs just before each write commits, reads them, and gives the transaction's last
audit event their digests (or appends a ``rows.write`` event when the write audited nothing
else, as a session's sign-in does). One mechanism for every table: no rule per action.
"""

from __future__ import annotations

import json
from functools import cache

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.store.rowdigest import pk_column, row_digest, state_tables
from wbk.store.tables import AuditEvent, RowTouch

WRITER = Actor(name="wbk", operator=True)  # the author of a write that audited nothing else
_MISSING = object()


def _this_transaction(session: Session):
    """The row_touch rows of this transaction (SQLite has one writer, and each write starts by
    emptying the table)."""
    if session.get_bind().dialect.name == "postgresql":
        return RowTouch.txid == func.txid_current()
    return text("1 = 1")


def seal(session: Session) -> None:
    """Record the digests of the rows this transaction touched (a write's last step)."""
    session.flush()  # every change written, and so noted by the triggers
    touched: dict[str, set[str]] = {}
    for tbl, pk in session.execute(
        delete(RowTouch).where(_this_transaction(session)).returning(RowTouch.tbl, RowTouch.pk)
    ):
        touched.setdefault(tbl, set()).add(pk)
    if not touched or session.info.get("skip_digests"):  # a restore: rows come with a trail
        audit.finish(session)
        return
    entries = digests(session, touched)
    if session.info.get("audit_event") is None:
        audit.record(session, WRITER, "rows.write", "rows", None, None, {})
    audit.finish(session, json.dumps(entries, separators=(",", ":")))


def digests(session: Session, touched: dict[str, set[str]]) -> list[list]:
    """[table, primary key, digest or None when the row is gone] for the ``touched`` rows."""
    tables = _by_name()
    entries: list[list] = []
    for name in sorted(touched):
        table = tables.get(name)
        if table is None:
            continue
        pkc = pk_column(table)
        keys = sorted(touched[name])
        found: dict[str, str] = {}
        for start in range(0, len(keys), 1000):
            chunk = [pkc.type.python_type(k) for k in keys[start : start + 1000]]
            for row in session.execute(select(table).where(pkc.in_(chunk))):
                m = dict(row._mapping)
                found[str(m[pkc.name])] = row_digest(table, m)
        entries += [[name, k, found.get(k)] for k in keys]
    return entries


@cache
def _by_name() -> dict:
    return {t.name: t for t in state_tables()}


def baseline(session: Session, actor: Actor) -> int:
    """An event with the digest of every row there is (a trail from before row digests)."""
    entries: list[list] = []
    for table in state_tables():
        pkc = pk_column(table)
        for row in session.execute(select(table).execution_options(yield_per=2000)):
            m = dict(row._mapping)
            entries.append([table.name, str(m[pkc.name]), row_digest(table, m)])
    audit.record(session, actor, "rows.baseline", "rows", None, None, {"rows": len(entries)})
    audit.finish(session, json.dumps(entries, separators=(",", ":")))
    return len(entries)


def differences(session: Session) -> list[str]:
    """Every row of every state table whose digest is not the latest one the trail holds."""
    latest: dict[tuple[str, str], str | None] = {}
    out: list[str] = []
    query = (
        select(AuditEvent.seq, AuditEvent.rows)
        .where(AuditEvent.rows.is_not(None))
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=200)
    )
    for seq, rows in session.execute(query):
        try:
            for tbl, pk, digest in json.loads(rows):
                latest[(str(tbl), str(pk))] = digest
        except (ValueError, TypeError):
            out.append(f"event {seq}: its row digests cannot be read")
    for table in state_tables():
        pkc = pk_column(table)
        seen: set[str] = set()
        for row in session.execute(select(table).execution_options(yield_per=2000)):
            m = dict(row._mapping)
            pk = str(m[pkc.name])
            seen.add(pk)
            want = latest.get((table.name, pk), _MISSING)
            if want is _MISSING:
                out.append(f"{table.name} {pk}: written outside wbk (no digest in the trail)")
            elif want is None:
                out.append(f"{table.name} {pk}: deleted in the trail, still in the table")
            elif want != row_digest(table, m):
                out.append(f"{table.name} {pk}: changed outside wbk")
        gone = sorted(
            pk for (tbl, pk), d in latest.items() if tbl == table.name and d and pk not in seen
        )
        out += [f"{table.name} {pk}: deleted outside wbk" for pk in gone]
    return out
