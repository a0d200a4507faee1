"""One public address per audience: the app's for people (the kiosk form and its posters),
the API's for PortalRB (evidence links); both checked when a process starts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from wbk.errors import InvalidInput
from wbk.services.surveys import kiosk
from wbk.settings import Settings, address_warnings, api_url, app_url


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    for name in ("WBK_APP_URL", "WBK_API_URL", "WBK_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)


def test_the_poster_names_the_app_never_the_api(monkeypatch):
    monkeypatch.setenv("WBK_APP_URL", "https://zi.example.go.id/")
    monkeypatch.setenv("WBK_API_URL", "https://zi.example.go.id/api")
    cfg = Settings()
    assert kiosk.form_url("A", "s", settings=cfg) == "https://zi.example.go.id/survei?u=A&k=s"
    assert api_url(cfg) == "https://zi.example.go.id/api"


def test_an_older_deployment_keeps_its_api_address_but_not_on_posters(monkeypatch):
    monkeypatch.setenv("WBK_PUBLIC_URL", "https://zi.example.go.id/api")
    cfg = Settings()
    assert api_url(cfg) == "https://zi.example.go.id/api"  # evidence links as before
    assert app_url(cfg) is None
    with pytest.raises(InvalidInput) as refused:  # no poster at the API's address, nor localhost
        kiosk.form_url("A", "s", settings=cfg)
    assert "WBK_APP_URL" in refused.value.message("id")
    assert any("WBK_APP_URL is not set" in w for w in address_warnings(cfg))


def test_the_new_api_setting_wins_over_the_old_one(monkeypatch):
    monkeypatch.setenv("WBK_PUBLIC_URL", "https://old.example.go.id/api")
    monkeypatch.setenv("WBK_API_URL", "https://zi.example.go.id/api")
    assert api_url(Settings()) == "https://zi.example.go.id/api"


@pytest.mark.parametrize(
    "value",
    [
        "zi.example.go.id",  # no scheme: a poster would print a relative link
        "http://zi.example.go.id",  # plain http to another host
        "ftp://zi.example.go.id",
        "https://zi.example.go.id/?u=1",
        "https:///api",
    ],
)
def test_an_address_that_would_lead_nowhere_stops_the_process(monkeypatch, value):
    monkeypatch.setenv("WBK_APP_URL", value)
    with pytest.raises(ValidationError, match=r"app_url"):
        Settings()


def test_localhost_is_allowed_with_a_warning(monkeypatch):
    monkeypatch.setenv("WBK_APP_URL", "http://localhost:8501")
    monkeypatch.setenv("WBK_API_URL", "http://127.0.0.1:8600")
    warnings = address_warnings(Settings())
    assert len([w for w in warnings if "this machine only" in w]) == 2


def test_a_public_https_pair_gives_no_warning(monkeypatch):
    monkeypatch.setenv("WBK_APP_URL", "https://zi.example.go.id")
    monkeypatch.setenv("WBK_API_URL", "https://zi.example.go.id/api")
    assert address_warnings(Settings()) == []
