"""Signed, expiring links to a question's evidence page and its files (``bukti_dukung_unit``):
an HMAC over everything the link names, valid until the end of a UTC day."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from wbk.errors import WbkError
from wbk.services.core.keys import link_secret
from wbk.services.core.workspace import Workspace
from wbk.settings import Settings, api_url


class LinkRefused(WbkError):
    """An evidence link whose signature does not match or whose time has passed (HTTP 403)."""

    key = "portalrb_api.link.invalid"


class LinksUnavailable(WbkError):
    """No ``WBK_API_URL``: a link would have to take its host from the request (its Host
    header, which the caller chooses), so no link is made at all."""

    key = "portalrb_api.link.no_public_url"


# --- signing and checking ---------------------------------------------------------------------


def link_signature(secret: bytes, unit: str, year: int, code: str, expires: int) -> str:
    """HMAC-SHA256 over everything the link names, so no part of it can be changed."""
    message = f"bukti-dukung\n{unit}\n{year}\n{code}\n{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def link_expiry(now: datetime, days: int) -> int:
    """The end of the UTC day ``days`` from now, as a Unix time: every link made on one day
    reads the same, so two fetches of an unchanged unit give the same answers."""
    day = (now.astimezone(UTC) + timedelta(days=days)).date() + timedelta(days=1)
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def page_path(unit: str, year: int, code: str) -> str:
    return f"/bukti-dukung/{quote(unit, safe='')}/{year}/{quote(code, safe='')}"


def check_link(
    secret: bytes, unit: str, year: int, code: str, expires: int, signature: str, now: datetime
) -> None:
    """Refuse a link whose signature is not ours for exactly these parts, or that expired."""
    expected = link_signature(secret, unit, year, code, expires)
    given = (signature or "").lower().encode("utf-8")  # bytes: any text compares, unequal
    if not hmac.compare_digest(expected.encode("ascii"), given):
        raise LinkRefused("portalrb_api.link.invalid")
    if now.timestamp() > expires:
        when = datetime.fromtimestamp(expires, UTC).isoformat(timespec="seconds")
        raise LinkRefused("portalrb_api.link.expired", expired=when)


@dataclass(frozen=True, slots=True)
class Links:
    """Makes the signed link of each question's evidence page, all with one expiry."""

    base: str
    secret: bytes
    expires: int

    def query(self, unit: str, year: int, code: str) -> str:
        sig = link_signature(self.secret, unit, year, code, self.expires)
        return f"exp={self.expires}&sig={sig}"

    def page(self, unit: str, year: int, code: str) -> str:
        return f"{self.base}{page_path(unit, year, code)}?{self.query(unit, year, code)}"

    def file(self, unit: str, year: int, code: str, sha256: str) -> str:
        path = f"{page_path(unit, year, code)}/berkas/{sha256}"
        return f"{self.base}{path}?{self.query(unit, year, code)}"


def secret_of(ws: Workspace, cfg: Settings) -> bytes:
    return link_secret(ws.settings.data_dir, cfg.link_secret)


def public_base(cfg: Settings) -> str:
    """The API's public address (``WBK_API_URL``, else ``WBK_PUBLIC_URL``) without its trailing
    slash; LinksUnavailable when it is not set."""
    base = (api_url(cfg) or "").strip().rstrip("/")
    if not base:
        raise LinksUnavailable("portalrb_api.link.no_public_url", setting="WBK_API_URL")
    return base


def links(ws: Workspace, cfg: Settings, now: datetime) -> Links:
    """Links on the API's public address (LinksUnavailable without it)."""
    return Links(public_base(cfg), secret_of(ws, cfg), link_expiry(now, cfg.link_days))
