"""The survey form at the service counter: kiosk keys (per unit and period, stored as a hash,
created and revoked by a koordinator of the unit or an admin, audited) and the public
submissions they allow.

A key is not a login: it only adds responses for its own unit and period. Submissions are
rate limited per key and per browser session through a counter in the database (every app
process shares it); a filled honeypot field is accepted without a word, not stored and not
counted (a bot must not use up the allowance of the people at the counter); a response
outside the unit's service hours is kept and flagged. Every text and its type is checked here
against the column it goes into, so both engines refuse the same input with one message. No
personal data is asked: the demographics of PermenPANRB 14/2017 are optional codes. Single
responses are not written to the audit chain (a busy counter would flood it); keys are."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, func, select

from wbk.errors import Conflict, InvalidInput, NotFound, WbkError
from wbk.i18n import t
from wbk.services.core import audit
from wbk.services.core.actor import RULES, Actor
from wbk.services.core.workspace import Workspace, require, unit_chain
from wbk.services.people.people import unit_by_code
from wbk.settings import Settings, app_url, get_settings
from wbk.store.tables import Unit
from wbk.store.tables.kiosk import KioskHit, KioskKey, KioskResponse
from wbk.surveys.instruments import Instrument, default_instrument

INSTRUMENTS = ("skm", "spkp", "spak")
RATE_PER_MINUTE = 30
WINDOW = timedelta(minutes=1)
# who may manage kiosk keys: a koordinator of the unit (or above) and an admin
MANAGE = "survey.kiosk" if "survey.kiosk" in RULES else "token.manage"
# Optional demographics (PermenPANRB 14/2017 lists age, sex, education and occupation)
AGE_GROUPS = ("u20", "20_29", "30_39", "40_49", "50_59", "60p")
SEXES = ("L", "P")
EDUCATION = ("sd", "smp", "sma", "diploma", "s1", "s2")
OCCUPATIONS = ("pns", "tni", "polri", "swasta", "wirausaha", "lainnya")
DEMOGRAPHICS = {
    "age_group": AGE_GROUPS,
    "sex": SEXES,
    "education": EDUCATION,
    "occupation": OCCUPATIONS,
}
HONEYPOT = "website"  # a form field people never see; bots fill it in
# The longest texts the tables hold (a service name is stored with every response).
SERVICE_MAX = KioskResponse.__table__.c.service.type.length
LABEL_MAX = KioskKey.__table__.c.label.type.length
DEFAULT_HOURS = {"days": [1, 2, 3, 4, 5], "open": "08:00", "close": "16:00", "tz": "Asia/Jakarta"}
PERIOD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,31}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class KeyRefused(WbkError):
    """A form link whose key is unknown, revoked or for another unit."""

    key = "kiosk.refused"


class RateLimited(WbkError):
    """Too many submissions in a minute from one key or one browser."""

    key = "kiosk.rate_limited"


@dataclass(frozen=True, slots=True)
class KeyView:
    id: int
    unit_code: str
    period: str
    label: str
    instruments: tuple[str, ...]
    services: tuple[str, ...]
    hours: dict[str, Any] | None
    created_by: str
    created_at: datetime
    revoked_by: str | None
    revoked_at: datetime | None
    responses: int

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class CreatedKey:
    """A new key: ``secret`` goes into the form link and poster; only its hash is stored."""

    view: KeyView
    secret: str


@dataclass(frozen=True, slots=True)
class KioskForm:
    """What the public form shows for a valid key (nothing about who made it)."""

    unit_code: str
    unit_name: str
    period: str
    instruments: tuple[Instrument, ...]
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Submitted:
    stored: bool  # False for a filled honeypot (the sender is thanked all the same)
    outside_hours: bool
    response_id: int | None


def _now() -> datetime:
    return datetime.now(UTC)


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def session_hash(client_session: str | None) -> str | None:
    if not client_session:
        return None
    return hashlib.sha256(("kiosk-session:" + client_session).encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def instrument(name: str) -> Instrument:
    return default_instrument(name)


def _day(value: object) -> int | None:
    """An ISO weekday given as a whole number (``3`` or ``"3"``), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _clean_hours(hours: dict[str, Any] | None) -> dict[str, Any] | None:
    if hours is None:
        return None
    if not isinstance(hours, Mapping):
        raise InvalidInput("kiosk.bad_hours_form")
    given = hours.get("days", DEFAULT_HOURS["days"])
    found = [_day(d) for d in given] if isinstance(given, list | tuple) else [None]
    if None in found:
        raise InvalidInput("kiosk.bad_days")
    days = sorted(set(found))
    opens = str(hours.get("open", DEFAULT_HOURS["open"])).strip()
    closes = str(hours.get("close", DEFAULT_HOURS["close"])).strip()
    tz = str(hours.get("tz", DEFAULT_HOURS["tz"])).strip()
    if not days or any(d < 1 or d > 7 for d in days):
        raise InvalidInput("kiosk.bad_days")
    if not HHMM.match(opens) or not HHMM.match(closes) or closes <= opens:
        raise InvalidInput("kiosk.bad_hours", open=opens, close=closes)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("kiosk.bad_tz", tz=tz) from None
    return {"days": days, "open": opens, "close": closes, "tz": tz}


def outside_hours(hours: dict[str, Any] | None, at: datetime) -> bool:
    """Whether ``at`` falls outside the service hours (never, when no hours are set)."""
    if not hours:
        return False
    local = at.astimezone(ZoneInfo(hours.get("tz", "Asia/Jakarta")))
    opens = time.fromisoformat(hours["open"])
    closes = time.fromisoformat(hours["close"])
    if local.isoweekday() not in hours["days"]:
        return True
    return not opens <= local.time().replace(tzinfo=None) < closes


def _view(row: KioskKey, unit_code: str, responses: int = 0) -> KeyView:
    return KeyView(
        row.id,
        unit_code,
        row.period,
        row.label,
        tuple(row.instruments),
        tuple(row.services),
        row.hours,
        row.created_by,
        row.created_at,
        row.revoked_by,
        row.revoked_at,
        responses,
    )


def _state(row: KioskKey, unit_code: str) -> dict[str, Any]:
    return {
        "unit": unit_code,
        "period": row.period,
        "label": row.label,
        "instruments": list(row.instruments),
        "services": list(row.services),
        "hours": row.hours,
        "revoked": row.revoked_at is not None,
    }


def _names(values: object) -> bool:
    """A list of texts (a single text is not: it would be read letter by letter)."""
    return isinstance(values, list | tuple) and all(isinstance(v, str) for v in values)


def _text(value: str, limit: int, too_long: str) -> str:
    """One line of user text with its spaces tidied; InvalidInput ``too_long`` past ``limit``
    characters (the column's length: nothing is cut short in silence)."""
    text = " ".join(value.split())
    if len(text) > limit:
        raise InvalidInput(too_long, length=len(text), limit=limit, start=text[:40] + "…")
    return text


def create_key(
    ws: Workspace,
    actor: Actor,
    unit_code: str,
    period: str,
    label: str = "",
    instruments: list[str] | tuple[str, ...] = INSTRUMENTS,
    services: list[str] | tuple[str, ...] = (),
    hours: dict[str, Any] | None = None,
) -> CreatedKey:
    """A new form key for ``unit_code`` and ``period`` (a koordinator of the unit or an admin).
    ``hours`` None: no service hours, nothing is flagged."""
    period = period.strip() if isinstance(period, str) else ""
    if not PERIOD.match(period):
        raise InvalidInput("kiosk.bad_period", period=period)
    if not _names(instruments):
        raise InvalidInput("kiosk.bad_instruments", known=", ".join(INSTRUMENTS))
    chosen = [i for i in INSTRUMENTS if i in set(instruments)]
    unknown = sorted(set(instruments) - set(INSTRUMENTS))
    if unknown or not chosen:
        raise InvalidInput("kiosk.bad_instruments", known=", ".join(INSTRUMENTS))
    if not _names(services):
        raise InvalidInput("kiosk.bad_services")
    names: list[str] = []
    for name in services:
        name = _text(name, SERVICE_MAX, "kiosk.service_too_long")
        if name and name not in names:
            names.append(name)
    hours = _clean_hours(hours)
    if label is not None and not isinstance(label, str):
        raise InvalidInput("kiosk.bad_label")
    label = _text(label or "", LABEL_MAX, "kiosk.label_too_long") or period
    secret = secrets.token_urlsafe(12)
    with ws.db.write() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, MANAGE, unit_chain(s, unit.id))
        # one live key per unit and period, checked in the write transaction that adds it
        live = s.execute(
            select(KioskKey.label).where(
                KioskKey.unit_id == unit.id,
                KioskKey.period == period,
                KioskKey.revoked_at.is_(None),
            )
        ).first()
        if live is not None:
            raise Conflict("flows.key_exists", period=period, label=live.label)
        row = KioskKey(
            unit_id=unit.id,
            period=period,
            label=label,
            key_hash=key_hash(secret),
            instruments=chosen,
            services=names,
            hours=hours,
            created_by=actor.name,
            created_at=_now(),
        )
        s.add(row)
        s.flush()
        audit.record(
            s, actor, "survey.key_create", "kiosk_key", row.id, None, _state(row, unit.code)
        )
        return CreatedKey(_view(row, unit.code), secret)


def list_keys(ws: Workspace, actor: Actor, unit_code: str) -> list[KeyView]:
    """The unit's keys, newest first (revoked ones too), with their response counts."""
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "read", unit_chain(s, unit.id))
        counts = dict(
            s.execute(
                select(KioskResponse.key_id, func.count())
                .where(KioskResponse.unit_id == unit.id)
                .group_by(KioskResponse.key_id)
            ).all()
        )
        rows = s.execute(
            select(KioskKey).where(KioskKey.unit_id == unit.id).order_by(KioskKey.id.desc())
        ).scalars()
        return [_view(r, unit.code, int(counts.get(r.id, 0))) for r in rows]


def can_manage(ws: Workspace, actor: Actor, unit_code: str) -> bool:
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        return actor.can(MANAGE, unit_chain(s, unit.id))


def revoke_key(ws: Workspace, actor: Actor, key_id: int) -> KeyView:
    """Revoke a key: the form link stops working at once (the responses stay)."""
    with ws.db.write() as s:
        row = s.get(KioskKey, key_id)
        if row is None:
            raise NotFound("kiosk.unknown_key", id=key_id)
        code = s.get(Unit, row.unit_id).code
        require(actor, MANAGE, unit_chain(s, row.unit_id))
        if row.revoked_at is None:
            before = _state(row, code)
            row.revoked_at, row.revoked_by = _now(), actor.name
            s.flush()
            audit.record(
                s, actor, "survey.key_revoke", "kiosk_key", row.id, before, _state(row, code)
            )
        return _view(row, code)


def _resolve(s, unit_code: str, secret: str) -> tuple[KioskKey, Unit]:
    """The live key for this link; any mismatch is one refusal that says nothing more."""
    if not secret or not unit_code or len(secret) > 200:
        raise KeyRefused()
    row = s.execute(select(KioskKey).where(KioskKey.key_hash == key_hash(secret))).scalar()
    if row is None or row.revoked_at is not None:
        raise KeyRefused()
    unit = s.get(Unit, row.unit_id)
    if unit is None or unit.code != unit_code.strip():
        raise KeyRefused()
    return row, unit


def form_for(ws: Workspace, unit_code: str, secret: str) -> KioskForm:
    """What the public form shows for a link, or KeyRefused."""
    with ws.db.read() as s:
        row, unit = _resolve(s, unit_code, secret)
        return KioskForm(
            unit.code,
            unit.name,
            row.period,
            tuple(instrument(n) for n in row.instruments),
            tuple(row.services),
        )


def _validate(row: KioskKey, form: dict[str, Any]) -> dict[str, Any]:
    service = form.get("service")
    if service is not None and not isinstance(service, str):
        raise InvalidInput("kiosk.bad_service", kind=type(service).__name__)
    service = _text(service or "", SERVICE_MAX, "kiosk.service_too_long")
    if row.services and service not in row.services:
        raise InvalidInput("kiosk.pick_service")
    if not service:
        service = "-"
    given = form.get("answers") or {}
    if not isinstance(given, Mapping):
        raise InvalidInput("kiosk.bad_answers", kind=type(given).__name__)
    answers: dict[str, int] = {}
    allowed = {}
    for name in row.instruments:
        inst = instrument(name)
        for code in inst.codes:
            allowed[code] = inst
    for code, value in given.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        inst = allowed.get(code) if isinstance(code, str) else None
        if inst is None:
            raise InvalidInput("kiosk.unknown_item", code=str(code)[:40])
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidInput("kiosk.bad_answer", code=code)
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            raise InvalidInput("kiosk.bad_answer", code=code) from None
        lo, hi = inst.scale_range
        if (number != value and str(number) != str(value).strip()) or not lo <= number <= hi:
            raise InvalidInput("kiosk.bad_answer", code=code)
        answers[code] = number
    if not answers:
        raise InvalidInput("kiosk.no_answers")
    if "skm" in row.instruments:
        missing = [c for c in instrument("skm").codes if c not in answers]
        if missing:  # the IKM needs all nine elements of a questionnaire
            raise InvalidInput("kiosk.skm_incomplete", items=", ".join(missing))
    demographics = {}
    for field, allowed_values in DEMOGRAPHICS.items():
        value = form.get(field) or None
        if value is not None and (not isinstance(value, str) or value not in allowed_values):
            raise InvalidInput("kiosk.bad_choice")
        demographics[field] = value
    return {"service": service, "answers": answers, **demographics}


def submit(
    ws: Workspace,
    unit_code: str,
    key: str,
    form: dict[str, Any],
    client_session: str | None = None,
    now: datetime | None = None,
    limit: int = RATE_PER_MINUTE,
) -> Submitted:
    """Add one response through a form link. Refuses an unusable key (KeyRefused), a form
    that does not fit the key's instruments, or whose texts are too long or of the wrong type
    (InvalidInput), and the submission past ``limit`` within a minute for the key or the
    browser session (RateLimited). A filled honeypot is thanked like a person and leaves no
    trace: neither a response nor a hit against the key's or the session's allowance."""
    now = now or _now()
    if not isinstance(form, Mapping):
        raise InvalidInput("kiosk.bad_form", kind=type(form).__name__)
    honeypot = bool(str(form.get(HONEYPOT) or "").strip())
    with ws.db.read() as s:
        row, _ = _resolve(s, unit_code, key)
        clean = None if honeypot else _validate(row, form)
    if clean is None:
        return Submitted(False, False, None)
    sess = session_hash(client_session)
    with ws.db.write() as s:
        row, unit = _resolve(s, unit_code, key)  # revoked meanwhile: refused
        cutoff = now - WINDOW
        s.execute(delete(KioskHit).where(KioskHit.at <= cutoff))
        buckets = [f"key:{row.id}"] + ([f"session:{sess}"] if sess else [])
        for bucket in buckets:
            used = s.execute(
                select(func.count())
                .select_from(KioskHit)
                .where(KioskHit.bucket == bucket, KioskHit.at > cutoff)
            ).scalar_one()
            if used >= limit:
                raise RateLimited(limit=limit)
        s.add_all(KioskHit(bucket=b, at=now) for b in buckets)
        flagged = outside_hours(row.hours, now)
        response = KioskResponse(
            key_id=row.id,
            unit_id=unit.id,
            period=row.period,
            submitted_at=now,
            outside_hours=flagged,
            session_hash=sess,
            **clean,
        )
        s.add(response)
        s.flush()
        return Submitted(True, flagged, response.id)


# --- the form's link and its poster -------------------------------------------------------------


def public_address(settings: Settings | None = None) -> str | None:
    """The address visitors' phones reach the app at (``WBK_APP_URL``), or None."""
    return app_url(settings or get_settings()) or None


def form_url(
    unit_code: str, secret: str, base_url: str | None = None, settings: Settings | None = None
) -> str:
    """The public form's address: ``<base>/survei?u=<unit>&k=<key>``; the base is
    ``base_url``, else the app's public address (``WBK_APP_URL``); never the API's (the proxy
    sends /api/* to the API, which has no form). Without either there is no address a
    visitor's phone can open (a printed localhost link is useless): refused, saying how."""
    base = base_url or public_address(settings)
    if not base:
        raise InvalidInput("flows.no_public_url")
    return f"{base.rstrip('/')}/survei?{urlencode({'u': unit_code, 'k': secret})}"


def poster(unit_name: str, url: str, lang: str = "id") -> tuple[bytes, bytes]:
    """A printable A4 poster with the form's QR code: (PNG, PDF)."""
    from wbk.formats.qr_poster import poster as make

    return make(
        url,
        t("kiosk.ui.poster_title", lang=lang),
        [unit_name, t("kiosk.ui.poster_text", lang=lang)],
    )
