"""A real ``streamlit run`` on loopback and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.data import read_demo
from tests.support.server import CHROMIUM_ARGS, start_app, stop_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI") == "true"


def _missing(what: str):
    if IN_CI:
        pytest.fail(f"{what} is required for the browser tests under CI=true")
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright")
    if not Path(CHROMIUM).exists():
        _missing("chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Where screenshots go: ``$WBK_TEST_ARTIFACTS`` when set (CI keeps them), else pytest's
    temporary directory; never the repository."""
    wanted = os.environ.get("WBK_TEST_ARTIFACTS")
    path = Path(wanted) if wanted else tmp_path_factory.mktemp("artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def demo_app(tmp_path):
    data_dir = tmp_path / "data"
    read_demo(data_dir)
    proc, url = start_app(data_dir)
    yield url
    stop_app(proc)
