"""Whose address a request is: X-Forwarded-For believed only from a trusted proxy
(``WBK_TRUSTED_PROXIES``), read from the right; and ``wbk api`` leaves the header to wbk."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from wbk.cli import app
from wbk.services.core.clients import client_address, parse_address
from wbk.settings import Settings

LOCAL = "127.0.0.1,::1"


def test_from_anyone_else_the_header_is_ignored():
    for forged in ("192.0.2.1", "127.0.0.1", "10.0.0.1, 192.0.2.1", None):
        assert client_address("198.51.100.20", forged, LOCAL) == "198.51.100.20"
    # with no proxy trusted at all, even the local proxy's header counts for nothing
    assert client_address("127.0.0.1", "203.0.113.9", "") == "127.0.0.1"


def test_from_a_trusted_proxy_the_right_most_untrusted_entry():
    assert client_address("127.0.0.1", "203.0.113.9", LOCAL) == "203.0.113.9"
    assert client_address("::1", "203.0.113.9", LOCAL) == "203.0.113.9"
    # whatever the client put on the left is not believed
    assert client_address("127.0.0.1", "192.0.2.66, 203.0.113.9", LOCAL) == "203.0.113.9"
    # a chain of trusted proxies (networks too), over several headers
    trusted = "127.0.0.1, 10.0.0.0/8"
    chain = ["192.0.2.66, 203.0.113.9", "10.2.0.1", "10.1.0.1"]
    assert client_address("127.0.0.1", chain, trusted) == "203.0.113.9"
    # a proxy in another machine, named by network
    assert client_address("10.0.0.5", "203.0.113.9", "10.0.0.0/24") == "203.0.113.9"


def test_what_cannot_be_read_leaves_the_last_trusted_hop():
    assert client_address("127.0.0.1", None, LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", "", LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", "bukan-alamat", LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", "203.0.113.9, unknown", LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", "10.0.0.2, 10.0.0.1", "127.0.0.1,10.0.0.0/8") == "10.0.0.2"
    assert client_address(None, "203.0.113.9", LOCAL) is None
    assert client_address("testclient", "203.0.113.9", LOCAL) is None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("203.0.113.9:51234", "203.0.113.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        (' "203.0.113.9" ', "203.0.113.9"),
        ("unknown", None),
        ("", None),
    ],
)
def test_addresses_as_proxies_write_them(text, address):
    found = parse_address(text)
    assert (str(found) if found else None) == address


def test_the_setting_takes_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("WBK_TRUSTED_PROXIES", " 127.0.0.1, ::1 ;10.0.0.0/8 ")
    assert Settings().trusted_proxies == "127.0.0.1,::1,10.0.0.0/8"
    assert Settings(trusted_proxies="").trusted_proxies == ""
    with pytest.raises(ValidationError, match="proksi"):
        Settings(trusted_proxies="127.0.0.1, proksi.local")


def test_wbk_api_leaves_x_forwarded_for_to_wbk(monkeypatch):
    """uvicorn's own proxy headers would believe the header from 127.0.0.1 whatever
    WBK_TRUSTED_PROXIES says; ``wbk api`` turns them off."""
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    result = CliRunner().invoke(app, ["api", "--port", "8611"])
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is False and seen["port"] == 8611
