"""A unit's letterhead for the report cover: its logo (PNG or JPEG, checked with Pillow, size
limited) and the letterhead lines under it. A unit without its own uses the nearest parent's
(a Kanwil's logo serves its satker). Set by an administrator or the unit's koordinator."""

from __future__ import annotations

import base64
import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from wbk.errors import InvalidInput, NotFound
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, require, unit_chain, unit_parents
from wbk.store.tables import Unit
from wbk.store.tables.followup import UnitBranding

MAX_LOGO_BYTES = 1_000_000
MAX_SIDE = 4000
MAX_LETTERHEAD = 600
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True, slots=True)
class Branding:
    unit_id: int
    unit_code: str
    media_type: str
    filename: str
    size: int
    width: int
    height: int
    letterhead: str | None
    content: bytes
    set_by: str
    set_at: datetime
    inherited: bool = False  # the logo of a unit above this one


def check_logo(data: bytes) -> tuple[str, int, int]:
    """The media type and size in pixels of a valid logo; refuses anything else plainly."""
    if not data:
        raise InvalidInput("followup.branding.empty")
    if len(data) > MAX_LOGO_BYTES:
        raise InvalidInput(
            "followup.branding.too_large",
            size_kb=len(data) // 1000,
            limit_kb=MAX_LOGO_BYTES // 1000,
        )
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt, (width, height) = img.format, img.size
                img.verify()  # structure and checksums
            with Image.open(io.BytesIO(data)) as img:
                img.load()  # the pixels decode
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("followup.branding.not_image") from None
    except (OSError, SyntaxError, ValueError):
        raise InvalidInput("followup.branding.damaged") from None
    if fmt not in FORMATS:
        raise InvalidInput("followup.branding.format", format=fmt or "?")
    if width > MAX_SIDE or height > MAX_SIDE or width < 8 or height < 8:
        raise InvalidInput(
            "followup.branding.dimensions", width=width, height=height, limit=MAX_SIDE
        )
    return FORMATS[fmt], width, height


def _unit(s, unit_code: str) -> Unit:
    unit = s.execute(select(Unit).where(Unit.code == unit_code)).scalar_one_or_none()
    if unit is None:
        raise NotFound("notfound.unit", code=unit_code)
    return unit


def set_logo(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    data: bytes,
    filename: str,
    letterhead: str | None = None,
) -> Branding:
    """Store (or replace) the unit's logo and letterhead text."""
    media_type, width, height = check_logo(data)
    text = (letterhead or "").strip() or None
    if text and len(text) > MAX_LETTERHEAD:
        raise InvalidInput("followup.branding.letterhead_long", limit=MAX_LETTERHEAD)
    sha = hashlib.sha256(data).hexdigest()
    name = (filename or "logo").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    with ws.db.write() as s:
        unit = _unit(s, unit_code)
        require(actor, "assessment.create", unit_chain(s, unit.id))
        row = s.get(UnitBranding, unit.id)
        before = None if row is None else {"sha256": row.sha256, "letterhead": row.letterhead}
        if row is None:
            row = UnitBranding(unit_id=unit.id)
            s.add(row)
        row.sha256, row.media_type, row.filename = sha, media_type, name
        row.size, row.width, row.height = len(data), width, height
        row.letterhead, row.content = text, base64.b64encode(data).decode("ascii")
        row.set_by, row.set_at = actor.name, datetime.now(UTC)
        s.flush()
        audit.record(
            s,
            actor,
            "unit.branding",
            "unit",
            unit.id,
            before,
            {"sha256": sha, "filename": name, "size": len(data), "letterhead": text},
        )
        return _view(row, unit.code)


def clear_logo(ws: Workspace, actor: Actor, unit_code: str) -> bool:
    """Remove the unit's own letterhead (a parent's applies again). False if it had none."""
    with ws.db.write() as s:
        unit = _unit(s, unit_code)
        require(actor, "assessment.create", unit_chain(s, unit.id))
        row = s.get(UnitBranding, unit.id)
        if row is None:
            return False
        audit.record(s, actor, "unit.branding", "unit", unit.id, {"sha256": row.sha256}, None)
        s.delete(row)
        return True


def _view(row: UnitBranding, unit_code: str, inherited: bool = False) -> Branding:
    return Branding(
        row.unit_id,
        unit_code,
        row.media_type,
        row.filename,
        row.size,
        row.width,
        row.height,
        row.letterhead,
        base64.b64decode(row.content or ""),
        row.set_by,
        row.set_at,
        inherited,
    )


def branding_in(s, unit_id: int) -> Branding | None:
    """The letterhead that applies to a unit (its own, else the nearest parent's), inside the
    caller's transaction; the caller has checked the right to read the unit."""
    return branding_for_chain(s, unit_chain(s, unit_id))


def branding_for_chain(s, chain: list[int] | tuple[int, ...]) -> Branding | None:
    """As ``branding_in`` for a unit chain already read (the unit first, then its parents)."""
    unit_id = chain[0]
    rows = {
        r.unit_id: r
        for r in s.execute(select(UnitBranding).where(UnitBranding.unit_id.in_(chain))).scalars()
    }
    for uid in chain:
        if uid in rows:
            code = s.execute(select(Unit.code).where(Unit.id == uid)).scalar_one()
            return _view(rows[uid], code, inherited=uid != unit_id)
    return None


def get_branding(ws: Workspace, actor: Actor, unit_code: str) -> Branding | None:
    """The letterhead that applies to a unit, for whoever may read the unit."""
    with ws.db.read() as s:
        unit = _unit(s, unit_code)
        require(actor, "read", unit_chain(s, unit.id))
        return branding_in(s, unit.id)


def brandable_units(ws: Workspace, actor: Actor) -> list[tuple[str, str]]:
    """The units whose letterhead the actor may set: (code, name), by code."""

    with ws.db.read() as s:
        parents = unit_parents(s)
        units = s.execute(select(Unit.id, Unit.code, Unit.name).order_by(Unit.code)).all()
        return [
            (code, name)
            for uid, code, name in units
            if actor.can("assessment.create", unit_chain(s, uid, parents))
        ]
