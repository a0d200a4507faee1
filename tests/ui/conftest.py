"""AppTest fixtures: a demo workspace copied per test, and a signed-in app per role."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.data import read_demo
from wbk.services import demo
from wbk.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
PASSWORD = demo.DEMO_PASSWORD


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "data"
    read_demo(path)  # the page's background reader then has nothing to do while a test clicks
    return path


@pytest.fixture
def data_dir(demo_dir, tmp_path, monkeypatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_dir, target)
    monkeypatch.setenv("WBK_DATA_DIR", str(target))
    monkeypatch.delenv("WBK_DATABASE_URL", raising=False)
    monkeypatch.delenv("WBK_LANG", raising=False)
    get_settings.cache_clear()
    yield target
    get_settings.cache_clear()


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def sign_in(username: str, password: str = PASSWORD) -> AppTest:
    at = new_app()
    at.run()
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app_as(data_dir):
    return sign_in
