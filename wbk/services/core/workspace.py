"""The Workspace: database, blob store, settings and catalogs that every service works on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import Integer, bindparam, literal, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from wbk.blobs import BlobStore, open_blob_store
from wbk.catalog import Catalog, get_catalog, in_force
from wbk.errors import Conflict, NotFound, PermissionDenied
from wbk.services.core import digests, keys
from wbk.services.core.actor import Actor
from wbk.settings import Settings, get_settings
from wbk.store.database import Database, default_url
from wbk.store.tables import Assessment, AuditHead, Unit

WITNESS_EVERY = timedelta(days=1)
MAX_DEPTH = 32  # levels of the unit tree (instansi .. madrasah is five)


@dataclass
class Workspace:
    settings: Settings
    db: Database
    blobs: BlobStore
    last_witness: datetime | None = None  # when the audit head was last witnessed

    def witness(self, reason: str) -> dict | None:
        """Write the chain's head (seq, hash, time) beside the blobs, outside the database: a
        later cut-off of the audit tail then no longer matches what was witnessed."""
        with self.db.read() as s:
            head = s.get(AuditHead, 1)
            seq, digest = (head.seq, head.hash) if head is not None else (0, "")
        if seq == 0:
            return None
        return self._append_witness(seq, digest, reason)

    def witness_write(self, seq: int, digest: str) -> None:
        """Called after every committed write that appended to the audit trail: its head goes
        to the witness log at once, so no event can be cut off unwitnessed."""
        self._append_witness(seq, digest, "write")

    def _append_witness(self, seq: int, digest: str, reason: str) -> dict:
        record = {
            "seq": seq,
            "hash": digest,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "reason": reason,
        }
        self.blobs.append_witness(json.dumps(record, sort_keys=True))
        self.last_witness = datetime.now(UTC)
        return record

    def witness_if_due(self) -> None:
        """Witness at least daily: called when a workspace is opened (app, every command)."""
        now = datetime.now(UTC)
        if self.last_witness is None:
            records = self.blobs.witness_records()
            last = json.loads(records[-1])["at"] if records else None
            never = datetime.min.replace(tzinfo=UTC)
            self.last_witness = datetime.fromisoformat(last) if last else never
        if now - self.last_witness >= WITNESS_EVERY:
            self.witness("daily")

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_mb * 1_000_000

    def catalog(self, catalog_id: str) -> Catalog:
        """A catalog version from this workspace's criteria directory, with the per-area
        reading the workspace chose (``WBK_AREA_READING``)."""
        return in_force(get_catalog(catalog_id, self.settings.criteria_dir), self.settings)


def open_workspace(settings: Settings | None = None, migrate: bool = True) -> Workspace:
    """Open (and by default migrate) the workspace the settings point at."""
    settings = settings or get_settings()
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url or default_url(data_dir))
    if migrate:
        db.migrate()
    ws = Workspace(settings=settings, db=db, blobs=open_blob_store(settings.blob_url, data_dir))
    db.audit_key = _audit_key(ws)
    db.after_audited_commit.append(ws.witness_write)
    db.before_commit.append(digests.seal)
    if migrate:
        ws.witness_if_due()  # the chain head goes outside the database at least daily
    return ws


def _audit_key(ws: Workspace) -> bytes | None:
    """The audit key; a workspace whose trail is still empty gets one (a new workspace).
    An existing trail without a key is not given one here: ``wbk init`` does that, once, and
    records it (``integrity.adopt``); until then ``wbk verify`` cannot authenticate."""
    s = ws.settings
    key = keys.audit_key(Path(s.data_dir), s.audit_key, s.audit_key_file)
    if key is not None or s.audit_key:
        return key
    try:
        with ws.db.read() as session:
            head = session.get(AuditHead, 1)
    except SQLAlchemyError:  # not migrated (a schema check before migrating)
        return None
    if head is None or head.seq == 0:
        keys.create_audit_key(Path(s.data_dir), s.audit_key_file)
        return keys.audit_key(Path(s.data_dir), None, s.audit_key_file)
    return None


def ancestors(unit_id):
    """The unit and its ancestors as a recursive query (``id``, ``parent_id``, ``depth``, 0 for
    the unit itself): the one place the unit tree is walked in SQL. ``unit_id``: an id or a
    bound parameter."""
    base = (
        select(Unit.id, Unit.parent_id, literal(0).label("depth"))
        .where(Unit.id == unit_id)
        .cte("unit_chain", recursive=True)
    )
    return base.union_all(
        select(Unit.id, Unit.parent_id, (base.c.depth + 1).label("depth"))
        .join(base, Unit.id == base.c.parent_id)
        .where(base.c.depth < MAX_DEPTH)  # a cycle in the tree must not loop forever
    )


def unit_chain(
    session: Session,
    unit_id: int,
    parents: dict[int, int | None] | None = None,
) -> list[int]:
    """The unit and its ancestors, nearest first: one statement, or none when ``parents``
    (from ``unit_parents``) is given because many chains are needed."""
    chain: list[int] = []
    if parents is None:
        for uid in session.execute(_chain_query(), {"chain_unit": unit_id}).scalars():
            if uid in chain:
                break
            chain.append(uid)
        return chain
    current: int | None = unit_id
    while current is not None and current not in chain and len(chain) <= MAX_DEPTH:
        chain.append(current)
        current = parents.get(current)
    return chain


@cache
def _chain_query():
    """unit_chain's statement, built once (every write checks a chain)."""
    tree = ancestors(bindparam("chain_unit", type_=Integer))
    return select(tree.c.id).order_by(tree.c.depth)


def unit_parents(session: Session) -> dict[int, int | None]:
    """Every unit's parent, in one query."""
    return {uid: parent for uid, parent in session.execute(select(Unit.id, Unit.parent_id))}


def require(actor: Actor, action: str, chain: list[int], area: str | None = None) -> None:
    if not actor.can(action, chain, area):
        raise PermissionDenied("perm.denied", actor=actor.name, action=action, area=area or "-")


def get_assessment(session: Session, assessment_id: int) -> Assessment:
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound("notfound.assessment", id=assessment_id)
    return row


def writable_assessment(
    s: Session, actor: Actor, assessment_id: int, action: str, area: str | None = None
) -> Assessment:
    """The assessment, after checking the actor's right and that it is not locked."""
    a = get_assessment(s, assessment_id)
    require(actor, action, unit_chain(s, a.unit_id), area)
    if a.status == "locked":
        raise Conflict("conflict.locked", id=a.id)
    return a


def question_area(ws: Workspace, s: Session, assessment_id: int, code: str) -> str | None:
    """The area of a question (or count input, or result item) in the assessment's own
    catalog: what an area-limited right is checked against; None for an unknown code."""
    return ws.catalog(get_assessment(s, assessment_id).catalog_id).area_of(code)
