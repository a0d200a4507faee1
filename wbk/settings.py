"""Runtime settings from the environment (WBK_*), with the embedded defaults.

A plain pydantic model reads the flat ``WBK_<FIELD>`` variables itself: pydantic-settings did
the same in 60 ms of import (its dotenv, secrets, cloud and CLI sources), an eighth of the
half second ``wbk score`` may take (docs/benchmarks.md). Values given in code win over the
environment, as they did there; names are matched in any case; values are validated by
pydantic (``true``/``1``/``yes`` for a flag, a number for a number).
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

ENV_PREFIX = "WBK_"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, data: Any) -> Any:
        """The WBK_* variables of the process, under the values passed in code."""
        if not isinstance(data, dict):
            return data
        n = len(ENV_PREFIX)
        env = {
            key[n:].lower(): value
            for key, value in os.environ.items()
            if key.upper().startswith(ENV_PREFIX) and key[n:].lower() in cls.model_fields
        }
        return {**env, **data}

    data_dir: Path = Path("evidence")
    database_url: str | None = None
    blob_url: str | None = None
    criteria_dir: Path | None = None
    # validated catalogs kept as JSON, so a process skips the YAML (default: $XDG_CACHE_HOME/wbk
    # or ~/.cache/wbk); "off" keeps none
    cache_dir: Path | None = None
    lang: Literal["id", "en"] = "id"
    # which per-area minimum decides the verdict: "regulation" (the combined area, as
    # PermenPANRB 90/2021 Bab III A and the LKE workbook read it) or "strict" (also each
    # Pemenuhan and Reform area on its own: stricter than the regulation, an internal target)
    area_reading: Literal["regulation", "strict"] = "regulation"
    max_upload_mb: int = 50
    # larger backups and binders are written to the data directory and fetched from there
    # (or with the CLI): the app process never holds more than this in memory for a download
    max_download_mb: int = 200
    # the Ed25519 key that signs backups (default <data dir>/keys/backup-signing.pem); set it
    # when several app processes share one workspace
    backup_key: Path | None = None
    # the key that authenticates every audit event (HMAC-SHA-256), kept beside the backup key
    # and never in the database or a backup: base64 of 32 bytes in the environment, or a file
    # (default <data dir>/keys/audit-hmac.key, made for a new workspace and by wbk init)
    audit_key: str | None = None
    audit_key_file: Path | None = None
    oidc_roles_claim: str = "wbk_roles"
    # a sign-in survives a reload and a new tab until this long without activity
    session_idle_hours: float = 8.0
    # outgoing mail for ``wbk remind`` (no host: reminders are not sent)
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_ssl: bool = False  # implicit TLS (port 465) instead of STARTTLS
    smtp_from: str | None = None
    smtp_timeout: float = 30.0
    # the weekday the koordinator digest goes out (0 = Monday ... 6 = Sunday)
    remind_digest_weekday: int = 0
    # the addresses per audience behind the reverse proxy (docs/operations.md): the app's, for
    # people (the kiosk form and its posters, the reminders' link), and the API's, for PortalRB
    # (the signed evidence links, the root path `wbk api` serves under). WBK_PUBLIC_URL is the
    # API's address of earlier releases, still read when WBK_API_URL is not set.
    app_url: str | None = None
    api_url: str | None = None
    public_url: str | None = None
    # signs PortalRB's evidence links; without it a random secret is made once in <data dir>/keys/
    link_secret: str | None = None
    link_days: int = 30  # how long a signed evidence link stays valid
    # PortalRB API calls per token and minute (and per address for calls without a token)
    api_rate_per_minute: int = 120
    # the reverse proxies whose X-Forwarded-For is believed, comma-separated addresses or
    # networks (e.g. "127.0.0.1,::1"); from any other peer its own address is the client's
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        """Each entry an address or a network: a typo stops the process at start, rather than
        leaving a proxy untrusted (or trusting one by mistake) in silence."""
        entries = [e.strip() for e in value.replace(";", ",").split(",") if e.strip()]
        for entry in entries:
            ipaddress.ip_network(entry, strict=False)  # ValueError names the entry
        return ",".join(entries)

    @field_validator("app_url", "api_url", "public_url")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        """An absolute http(s) address without query or fragment; plain http only on this
        machine (a warning at start, see ``address_warnings``): a typo stops the process at
        start rather than printing posters or links that lead nowhere."""
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an absolute https:// address")
        if parts.query or parts.fragment:
            raise ValueError(f"{value!r} has a query or fragment: give the base address only")
        if parts.scheme == "http" and not _loopback(parts.hostname):
            raise ValueError(f"{value!r} is plain http on another host: use https://")
        return value.strip().rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_url(settings: Settings) -> str | None:
    """The app's public address (``WBK_APP_URL``): what people open (the kiosk form, posters,
    the reminders' link); None when it is not set."""
    return settings.app_url


def api_url(settings: Settings) -> str | None:
    """The API's public address (``WBK_API_URL``, else ``WBK_PUBLIC_URL`` of earlier
    releases): what PortalRB fetches and its evidence links name; None when neither is set."""
    return settings.api_url or settings.public_url


def address_warnings(settings: Settings) -> list[str]:
    """What a process says at start about its public addresses: one not set, or one on this
    machine only (fine for a trial, useless on a poster or to PortalRB)."""
    found = []
    for name, value in (("WBK_APP_URL", app_url(settings)), ("WBK_API_URL", api_url(settings))):
        if not value:
            found.append(f"{name} is not set")
        elif _loopback(urlsplit(value).hostname or ""):
            found.append(f"{name}={value} is on this machine only: nobody else can open it")
    if settings.app_url and api_url(settings) and settings.app_url == api_url(settings):
        found.append("WBK_APP_URL and WBK_API_URL are the same: the proxy routes /api/* apart")
    return found


def cache_dir(settings: Settings) -> Path | None:
    """Where derived files are kept (``WBK_CACHE_DIR``, else the XDG cache), None when "off"."""
    if settings.cache_dir is not None:
        return None if str(settings.cache_dir) == "off" else settings.cache_dir
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "wbk"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once; pass them down from here."""
    return Settings()
