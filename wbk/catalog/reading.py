"""Which per-area minimum decides the verdict: the regulation's (the combined area, as the
catalog's predicates say) or the stricter reading a workspace may choose as an internal
target (``WBK_AREA_READING=strict``: each Pemenuhan and Reform area must also reach it)."""

from __future__ import annotations

import threading
from typing import Any

from wbk.catalog.model import Catalog

STRICT = "both"  # every area reading decides: the combined area and each part's area
_variants: dict[int, tuple[Catalog, Catalog]] = {}
_lock = threading.Lock()


def in_force(catalog: Catalog, settings: Any) -> Catalog:
    """``catalog`` as the workspace reads it: itself, or (strict) one kept copy whose
    predicates use every reading, so caches keyed by the catalog stay valid."""
    if getattr(settings, "area_reading", "regulation") != "strict":
        return catalog
    with _lock:
        found = _variants.get(id(catalog))
        if found is None or found[0] is not catalog:
            found = _variants[id(catalog)] = (catalog, catalog.with_area_reading(STRICT))
    return found[1]


def stricter_in_force(catalog: Catalog) -> bool:
    """Whether a gate stricter than the regulation decides some verdict of ``catalog``."""
    return any(
        p.area_reading in (g.reading, STRICT)
        for p in catalog.predicates
        for g in p.gates
        if g.stricter and g.reading
    )
