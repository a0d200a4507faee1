"""The server's long-lived objects kept out of the garbage collector's way.

Streamlit runs a full collection (``gc.collect(2)``) after every script run. With the
modules, the catalogs and the workspace loaded, that walk took about 0.25 s per click on a
2-core machine, holding the interpreter while the browser waited for the page. After the
first run, everything alive is long-lived: it is moved once into the permanent generation
(``gc.freeze``), so later collections walk only what each run creates."""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_once() -> None:
    """Collect the first run's garbage, then freeze what is left (once per process)."""
    global _frozen
    if _frozen:
        return
    with _lock:
        if _frozen:
            return
        gc.collect()
        gc.freeze()
        _frozen = True
