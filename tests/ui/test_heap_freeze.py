"""The app freezes its long-lived heap after its first complete run, and only then: later
runs leave the garbage collector alone (``wbk/ui/heap.py``)."""

from __future__ import annotations

import gc

from tests.ui.conftest import new_app
from wbk.ui import heap


def test_the_first_complete_run_freezes_the_heap_once(data_dir, monkeypatch):
    freezes = []
    monkeypatch.setattr(heap, "_frozen", False)
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1))
    at = new_app()
    at.run()
    assert not at.exception
    assert freezes == [1]
    at.run()
    new_app().run()  # another browser: still the one freeze of this process
    assert freezes == [1]
