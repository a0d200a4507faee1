"""The Workspace: database, blob store, settings and catalogs that every service works on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.blobs import BlobStore, open_blob_store
from wbk.catalog import Catalog, get_catalog
from wbk.errors import NotFound, PermissionDenied
from wbk.services.core.actor import Actor
from wbk.settings import Settings, get_settings
from wbk.store.database import Database, default_url
from wbk.store.tables import Assessment, Unit


@dataclass
class Workspace:
    settings: Settings
    db: Database
    blobs: BlobStore
    last_witness: datetime | None = None  # when the audit head was last witnessed

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_mb * 1_000_000

    def catalog(self, catalog_id: str) -> Catalog:
        """A catalog version from this workspace's criteria directory."""
        return get_catalog(catalog_id, self.settings.criteria_dir)


def open_workspace(settings: Settings | None = None, migrate: bool = True) -> Workspace:
    """Open (and by default migrate) the workspace the settings point at."""
    settings = settings or get_settings()
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url or default_url(data_dir))
    if migrate:
        db.migrate()
    ws = Workspace(settings=settings, db=db, blobs=open_blob_store(settings.blob_url, data_dir))
    if migrate:
        from wbk.services.core.integrity import witness_if_due

        witness_if_due(ws)  # the chain head goes outside the database at least daily
    return ws


def unit_chain(
    session: Session,
    unit_id: int,
    parents: dict[int, int | None] | None = None,
) -> list[int]:
    """The unit and its ancestors, nearest first (``parents`` from ``unit_parents`` saves a
    query per step when many chains are needed)."""
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        if parents is not None:
            current = parents.get(current)
        else:
            current = session.execute(select(Unit.parent_id).where(Unit.id == current)).scalar()
    return chain


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


def area_of(code: str) -> str | None:
    """``P.MP.i.a`` or ``R.MP.i.a#agen`` -> ``MP``; result items (``H.I.a``) -> ``H``;
    anything else (not a question code) -> None."""
    parts = code.split("#", 1)[0].split(".")
    if len(parts) >= 4 and parts[0] in ("P", "R"):
        return parts[1]
    return "H" if parts[0] == "H" and len(parts) >= 3 else None
