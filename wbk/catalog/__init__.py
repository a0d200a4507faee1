"""LKE criteria catalogs: the pydantic model, the YAML loader and its consistency rules."""

from wbk.catalog.contract import PORTALRB_KATEGORI, PORTALRB_PREDICATES
from wbk.catalog.loader import (
    DEFAULT_CATALOG_ID,
    available_catalogs,
    get_catalog,
    load_catalog,
    parse_catalog,
)
from wbk.catalog.model import Catalog, Question, ResultGroup, ResultItem, Scale, ScoredItem
from wbk.catalog.reading import in_force, stricter_in_force

__all__ = [
    "DEFAULT_CATALOG_ID",
    "PORTALRB_KATEGORI",
    "PORTALRB_PREDICATES",
    "Catalog",
    "Question",
    "ResultGroup",
    "ResultItem",
    "Scale",
    "ScoredItem",
    "available_catalogs",
    "get_catalog",
    "in_force",
    "load_catalog",
    "parse_catalog",
    "stricter_in_force",
]
