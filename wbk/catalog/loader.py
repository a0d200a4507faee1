"""Load a criteria catalog from YAML, exactly (decimals stay decimals), and refuse a broken one."""

from __future__ import annotations

import threading
from pathlib import Path

from pydantic import ValidationError

from wbk.catalog.exact_yaml import BadYaml, load_exact_yaml
from wbk.catalog.model import Catalog
from wbk.catalog.validate import check_catalog
from wbk.errors import CatalogError

DEFAULT_CATALOG_ID = "lke-zi-2021"


def _shipped_criteria() -> Path:
    """The catalogs shipped with the code: ``criteria/`` of the repository, installed as the
    package ``wbk.criteria`` (see setup.py), so a non-editable install finds them too."""
    import wbk.criteria

    return Path(wbk.criteria.__file__).resolve().parent


CRITERIA_DIR = _shipped_criteria()


_cache: dict[tuple[str, float], Catalog] = {}
_lock = threading.Lock()


def criteria_dir() -> Path:
    from wbk.settings import get_settings

    return get_settings().criteria_dir or CRITERIA_DIR


def catalog_path(catalog_id: str, directory: Path | None = None) -> Path:
    return (directory or criteria_dir()) / f"{catalog_id}.yaml"


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The catalog at ``path`` (default: the LKE ZI 2021 catalog), validated; cached by mtime."""
    p = Path(path) if path is not None else catalog_path(DEFAULT_CATALOG_ID)
    try:
        key = (str(p.resolve()), p.stat().st_mtime)
    except OSError as exc:
        raise CatalogError(
            "catalog.not_found", file=str(p), reason=exc.strerror or str(exc)
        ) from None
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    catalog = parse_catalog(p.read_bytes(), source=str(p))
    with _lock:
        _cache[key] = catalog
    return catalog


def get_catalog(catalog_id: str, directory: Path | None = None) -> Catalog:
    """The catalog with this version id, from the criteria directory (or ``directory``)."""
    path = catalog_path(catalog_id, directory)
    catalog = load_catalog(path)
    if catalog.id != catalog_id:
        raise CatalogError(
            "catalog.invalid",
            file=str(path),
            item="id",
            rule=f"{catalog.id} != {catalog_id}",
        )
    return catalog


def available_catalogs(directory: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (directory or criteria_dir()).glob("*.yaml"))


def parse_catalog(data: bytes | str, source: str = "<catalog>") -> Catalog:
    """Parse and validate catalog text; any problem raises CatalogError naming file, item, rule."""
    try:
        raw = load_exact_yaml(data)
    except BadYaml as exc:
        raise CatalogError(
            "catalog.invalid", file=source, item=exc.where, rule=exc.problem
        ) from None
    if not isinstance(raw, dict):
        raise CatalogError("catalog.invalid", file=source, item="/", rule="not a mapping")
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        item = _describe_loc(raw, first["loc"])
        raise CatalogError(
            "catalog.invalid",
            file=source,
            item=item,
            rule=first["msg"],
            more=len(exc.errors()) - 1,
        ) from None
    problems = check_catalog(catalog)
    if problems:
        item, key, params = problems[0]
        raise CatalogError(
            "catalog.invalid",
            file=source,
            item=item,
            rule_key=key,
            rule_params=params,
            more=len(problems) - 1,
            problems=problems,
        )
    return catalog


def _describe_loc(raw: object, loc: tuple) -> str:
    """A readable path to a pydantic error, naming the nearest item code on the way."""
    parts: list[str] = []
    node = raw
    label = ""
    for step in loc:
        parts.append(f"[{step}]" if isinstance(step, int) else f".{step}")
        try:
            node = node[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict):
            code = node.get("code") or node.get("id")
            if isinstance(code, str):
                label = code
    path = "".join(parts).lstrip(".")
    return f"{label} ({path})" if label else path
