"""The demo workspace says so while its published password still opens an account."""

from __future__ import annotations

import streamlit as st

from tests.ui.conftest import new_app
from wbk.services import demo
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import accounts
from wbk.settings import Settings


def _banner(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_banner_names_the_accounts_with_the_known_password(data_dir):
    st.cache_data.clear()
    at = new_app()
    at.run()
    assert "kata sandi diketahui umum" in _banner(at)
    assert "koordinator" in _banner(at)

    ws = open_workspace(Settings(data_dir=data_dir))
    for username, *_ in demo.DEMO_USERS:
        accounts.reset_password(ws, operator("t"), username, "rahasia-baru-2026")
    ws.db.dispose()
    st.cache_data.clear()
    at = new_app()
    at.run()
    assert "diketahui umum" not in _banner(at)
