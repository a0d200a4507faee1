"""Load a criteria catalog from YAML, exactly (decimals stay decimals), and refuse a broken one."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from functools import cache
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
    data = p.read_bytes()
    compiled = _compiled_path(data)
    catalog = _read_compiled(compiled)
    if catalog is None:
        catalog = parse_catalog(data, source=str(p))
        _write_compiled(compiled, catalog)
    with _lock:
        _cache[key] = catalog
    return catalog


# --- the compiled copy ------------------------------------------------------------------------
# Reading the YAML and validating it takes about 60 ms of every process that scores; the
# validated catalog written as JSON reads back in 2 ms. Its name is the SHA-256 of the YAML
# and of this package's code (the model, the loader, the rules), so a changed file or a new
# version of wbk never reads an old copy. A copy that cannot be read or written is ignored.


def source_digest(files) -> bytes:
    """SHA-256 over source files (names and contents, in name order): what a kept copy of
    something the code derived is named by, so a new version of that code never reads it."""
    h = hashlib.sha256()
    for source in sorted(files):
        h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.digest()


@cache
def _code_digest() -> bytes:
    return source_digest(Path(__file__).parent.glob("*.py"))


def _compiled_path(data: bytes) -> Path | None:
    from wbk.settings import cache_dir, get_settings

    root = cache_dir(get_settings())
    if root is None:
        return None
    return root / "catalogs" / f"{hashlib.sha256(_code_digest() + data).hexdigest()}.json"


def _read_compiled(path: Path | None) -> Catalog | None:
    if path is None:
        return None
    try:
        return Catalog.model_validate_json(path.read_bytes())
    except (OSError, ValueError):  # none yet, unreadable, or not a catalog: parse the YAML
        return None


def _write_compiled(path: Path | None, catalog: Catalog) -> None:
    if path is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(catalog.model_dump_json().encode())
        os.replace(tmp, path)  # whole or not at all, for processes starting side by side
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


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


NOT_CATALOGS = ("proposal-requirements-", "evidence-terms")  # other data kept beside them


def available_catalogs(directory: Path | None = None) -> list[str]:
    return sorted(
        p.stem
        for p in (directory or criteria_dir()).glob("*.yaml")
        if not p.stem.startswith(NOT_CATALOGS)
    )


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
