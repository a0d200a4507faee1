"""The app's own reading worker: one daemon thread per process, started on first use, so
an upload is read while people keep working (the page never waits for it)."""

from __future__ import annotations

import threading

from wbk.services.core.workspace import Workspace
from wbk.services.review import queue

_lock = threading.Lock()
_started: dict[int, threading.Thread] = {}


def ensure_worker(ws: Workspace) -> None:
    """Start the background worker of this process for ``ws`` (once)."""
    with _lock:
        thread = _started.get(id(ws))
        if thread is not None and thread.is_alive():
            return
        stop = threading.Event()
        thread = threading.Thread(
            target=queue.run_worker, args=(ws, stop), name="wbk-review", daemon=True
        )
        thread.start()
        _started[id(ws)] = thread
