"""A process reads the validated catalog from its compiled JSON copy, never an outdated one."""

from __future__ import annotations

import shutil

import pytest

from wbk.catalog import loader
from wbk.errors import CatalogError
from wbk.settings import get_settings


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WBK_CACHE_DIR", str(tmp_path / "cache"))
    get_settings.cache_clear()
    loader._cache.clear()
    yield tmp_path / "cache" / "catalogs"
    get_settings.cache_clear()
    loader._cache.clear()


def shipped_copy(tmp_path):
    path = tmp_path / "lke.yaml"
    shutil.copy(loader.catalog_path(loader.DEFAULT_CATALOG_ID, loader.CRITERIA_DIR), path)
    return path


def test_the_second_load_reads_the_copy_and_equals_the_first(tmp_path, cache, monkeypatch):
    path = shipped_copy(tmp_path)
    first = loader.load_catalog(path)
    assert len(list(cache.glob("*.json"))) == 1
    loader._cache.clear()

    def no_yaml(*args, **kwargs):
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr(loader, "parse_catalog", no_yaml)
    again = loader.load_catalog(path)
    assert again == first
    assert again.items["R.MP.i.a"].formula == first.items["R.MP.i.a"].formula is not None


def test_a_changed_yaml_is_parsed_and_checked_again(tmp_path, cache):
    path = shipped_copy(tmp_path)
    loader.load_catalog(path)
    loader._cache.clear()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: lke-zi-2021", "id: [broken", 1), encoding="utf-8")
    with pytest.raises(CatalogError):
        loader.load_catalog(path)


def test_a_damaged_copy_is_ignored(tmp_path, cache):
    path = shipped_copy(tmp_path)
    first = loader.load_catalog(path)
    (copy,) = cache.glob("*.json")
    copy.write_text('{"id": "half a cat', encoding="utf-8")
    loader._cache.clear()
    assert loader.load_catalog(path) == first


def test_off_keeps_no_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("WBK_CACHE_DIR", "off")
    get_settings.cache_clear()
    loader._cache.clear()
    try:
        loader.load_catalog(shipped_copy(tmp_path))
        assert loader._compiled_path(b"x") is None
    finally:
        get_settings.cache_clear()
        loader._cache.clear()
