"""Row digests: which tables carry state, the canonical digest of a row, and the triggers that
note every row a transaction touches.

Every table carries state and is covered unless it is listed here as something else: the
audit chain itself (checked by its hashes), a derived cache (``info={"cache": True}``,
recomputed, never trusted) or a transient counter (rate limits, failed sign-ins: rewritten on
every request, trusted by nothing). A new table is therefore covered by default; the
migration that creates it adds its triggers (``trigger_statements``), and
tests/integration/test_row_digests.py fails for a state table without them.

A row's digest is the SHA-256 of its columns as canonical JSON (sorted keys; times in UTC
without a zone, as the two engines return them differently; JSON columns with sorted keys),
so a backup taken on PostgreSQL verifies after a restore into SQLite.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Table

from wbk.store.tables import Base, is_cache

CHAIN = frozenset({"audit_event", "audit_head"})
TRANSIENT = frozenset({"login_throttle", "kiosk_hit"})  # the caches are marked in their tables
# columns rewritten on every request, left out of the digest (and of the update triggers)
VOLATILE = {"user_session": frozenset({"last_seen_at"})}


@cache
def state_tables() -> tuple[Table, ...]:
    """The tables whose rows every write records and ``verify`` checks, in dependency order."""
    return tuple(
        t
        for t in Base.metadata.sorted_tables
        if t.name not in CHAIN and t.name not in TRANSIENT and not is_cache(t)
    )


def pk_column(table: Table):
    (column,) = table.primary_key.columns
    return column


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 3.0 and 3 are the same stored number on both engines
    return value


def row_digest(table: Table, row: dict[str, Any]) -> str:
    """SHA-256 (hex) of the row's canonical JSON, volatile columns left out."""
    skip = VOLATILE.get(table.name, frozenset())
    plain = {k: _plain(v) for k, v in row.items() if k not in skip}
    text = json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def trigger_statements(dialect: str, tables: list[Table] | tuple[Table, ...]) -> list[str]:
    """DDL noting each inserted, updated (a column that counts) or deleted row of ``tables``
    in ``row_touch``: row-level triggers; on PostgreSQL one function for all, with the
    transaction's id, so concurrent writers each find their own rows."""
    out: list[str] = []
    if dialect == "postgresql":
        out.append(
            """
            CREATE OR REPLACE FUNCTION wbk_row_touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    INSERT INTO row_touch (txid, tbl, pk)
                    VALUES (txid_current(), TG_TABLE_NAME, to_jsonb(OLD) ->> TG_ARGV[0]);
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    INSERT INTO row_touch (txid, tbl, pk)
                    VALUES (txid_current(), TG_TABLE_NAME, to_jsonb(NEW) ->> TG_ARGV[0]);
                END IF;
                RETURN NULL;
            END
            $$
            """
        )
    for table in tables:
        pk = pk_column(table).name
        counted = [c.name for c in table.columns if c.name not in VOLATILE.get(table.name, ())]
        of = " OF " + ", ".join(counted) if table.name in VOLATILE else ""
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"row_touch_{table.name}_{event.lower()}"
            when = f"UPDATE{of}" if event == "UPDATE" else event
            if dialect == "postgresql":
                out.append(
                    f"CREATE TRIGGER {name} AFTER {when} ON {table.name} FOR EACH ROW "
                    f"EXECUTE FUNCTION wbk_row_touch('{pk}')"
                )
            else:
                rows = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}[event]
                body = " ".join(
                    f"INSERT INTO row_touch (txid, tbl, pk) VALUES (0, '{table.name}', {r}.{pk});"
                    for r in rows
                )
                out.append(f"CREATE TRIGGER {name} AFTER {when} ON {table.name} BEGIN {body} END")
    return out


def trigger_names(tables: list[Table] | tuple[Table, ...]) -> set[str]:
    return {
        f"row_touch_{t.name}_{event}" for t in tables for event in ("insert", "update", "delete")
    }
