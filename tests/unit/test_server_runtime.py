"""The server's settings that keep a click fast: Streamlit watches no source file (it walked
every imported module's folder on each new session, 60 % of a reload's server time), and the
long-lived heap is frozen after the first run so the full collection Streamlit runs after
every script run does not walk it again."""

from __future__ import annotations

import gc
import tomllib

import pytest

from tests.support.server import ROOT
from wbk.ui import heap


def test_the_served_app_watches_no_source_file():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["runOnSave"] is False


def test_the_first_run_freezes_the_long_lived_heap_once(monkeypatch):
    monkeypatch.setattr(heap, "_frozen", False)
    kept = [object() for _ in range(1000)]
    try:
        heap.freeze_once()
        assert gc.get_freeze_count() >= len(kept)  # what was alive is no longer walked
        monkeypatch.setattr(gc, "freeze", lambda: pytest.fail("frozen a second time"))
        heap.freeze_once()  # once per process
    finally:
        gc.unfreeze()
