"""The sign-in page counts failures against the browser's address: behind the reverse proxy
(which Streamlit reports as no address at all) the address is X-Forwarded-For's, from a proxy
in WBK_TRUSTED_PROXIES only."""

from __future__ import annotations

import pytest
import streamlit
from sqlalchemy import select
from streamlit.runtime.context import StreamlitHeaders

from tests.ui.conftest import PASSWORD, new_app
from wbk.services.core.workspace import open_workspace
from wbk.settings import Settings, get_settings
from wbk.store.tables import LoginThrottle
from wbk.ui import session


class FakeContext:
    """``st.context`` of one browser connection: Streamlit gives None as the address of a
    connection from 127.0.0.1 (the proxy's), and the request's headers."""

    def __init__(self, ip: str | None, forwarded: str | None = None) -> None:
        self.ip_address = ip
        pairs = [("host", "zi.example.go.id")]
        if forwarded is not None:
            pairs.append(("x-forwarded-for", forwarded))
        self.headers = StreamlitHeaders(pairs)
        self.cookies: dict[str, str] = {}


@pytest.fixture
def trusting(monkeypatch):
    def trust(proxies: str) -> None:
        monkeypatch.setenv("WBK_TRUSTED_PROXIES", proxies)
        get_settings.cache_clear()

    yield trust
    get_settings.cache_clear()


def connect(monkeypatch, ip: str | None, forwarded: str | None = None) -> None:
    monkeypatch.setattr(streamlit, "context", FakeContext(ip, forwarded))


def test_the_address_behind_the_proxy(monkeypatch, trusting):
    trusting("127.0.0.1,::1")
    connect(monkeypatch, None, "203.0.113.9")  # through the proxy on this machine
    assert session.client_address() == "203.0.113.9"
    connect(monkeypatch, None)  # from this machine, nobody forwarded
    assert session.client_address() == "127.0.0.1"
    connect(monkeypatch, "198.51.100.20", "192.0.2.1")  # not from a proxy: the header is forged
    assert session.client_address() == "198.51.100.20"
    trusting("10.0.0.0/24")  # a proxy on another machine
    connect(monkeypatch, "10.0.0.5", "192.0.2.1, 203.0.113.9")
    assert session.client_address() == "203.0.113.9"
    trusting("")  # no proxy trusted: the header counts for nothing
    connect(monkeypatch, None, "203.0.113.9")
    assert session.client_address() == "127.0.0.1"
    monkeypatch.setattr(streamlit, "context", object())  # no browser request at all
    assert session.client_address() is None


def throttle_keys(data_dir) -> set[str]:
    ws = open_workspace(Settings(data_dir=data_dir))
    try:
        with ws.db.read() as s:
            return set(s.execute(select(LoginThrottle.key)).scalars())
    finally:
        ws.db.dispose()


def attempt(at, username: str, password: str):
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def test_failures_through_the_proxy_are_held_per_address(data_dir, monkeypatch, trusting):
    trusting("127.0.0.1")
    connect(monkeypatch, None, "203.0.113.9")
    at = new_app()
    at.run()
    for _ in range(5):
        attempt(at, "agen", "salah-sekali")
        assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    assert {"client:203.0.113.9", "pair:203.0.113.9|agen", "user:agen"} <= throttle_keys(data_dir)
    attempt(at, "agen", PASSWORD)  # that address must wait, with a plain message
    assert not at.exception
    assert "Terlalu banyak percobaan masuk" in at.error[0].value
    assert "user_id" not in at.session_state
    connect(monkeypatch, None, "198.51.100.1")  # the owner, from elsewhere, is not held up
    other = new_app()
    other.run()
    attempt(other, "agen", PASSWORD)
    assert not other.exception and other.session_state["user_id"] is not None
