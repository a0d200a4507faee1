"""Shared fixtures: the real LKE ZI 2021 catalog and answer builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from wbk.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parents[1]
CATALOG_FILE = ROOT / "criteria" / "lke-zi-2021.yaml"

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(CATALOG_FILE)


def best_answers(catalog: Catalog) -> dict[str, str]:
    out = {}
    for code, item in catalog.items.items():
        if item.scale.kind == "option":
            out[code] = item.scale.options[0].key
        elif item.scale.kind == "ratio":
            out[code] = "100%"
        else:
            out[code] = str(item.scale.maximum)
    return out


def worst_answers(catalog: Catalog) -> dict[str, str]:
    out = {}
    for code, item in catalog.items.items():
        if item.scale.kind == "option":
            out[code] = item.scale.options[-1].key
        elif item.scale.kind == "ratio":
            out[code] = "0%"
        else:
            out[code] = str(item.scale.minimum)
    return out
