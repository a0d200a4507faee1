"""The predicate ids as other systems spell them: the one place outside the criteria files
that names them.

PortalRB's JSON schema (the ``kategori`` of a proposed unit), the proposals wbk stores and
sends, and the API's response models use these ids. They are the ids of the predicates of
every catalog PortalRB exchanges proposals for, lowest first; a test checks that the bundled
catalog defines exactly these. Code that has a catalog at hand reads the predicates from it
(``Catalog.predicate_ids``, ``lower_predicate``, ``higher_predicate``) instead.
"""

from __future__ import annotations

PORTALRB_PREDICATES: tuple[str, ...] = ("WBK", "WBBM")
"""The predicates a unit can be proposed for, lowest first."""

AFIRMASI_SUFFIX = "-AFIRMASI"
"""PortalRB's kategori of a proposal under afirmasi: the lowest predicate with this suffix."""

PORTALRB_KATEGORI: tuple[str, ...] = (
    PORTALRB_PREDICATES[0],
    PORTALRB_PREDICATES[0] + AFIRMASI_SUFFIX,
    *PORTALRB_PREDICATES[1:],
)
"""Every ``kategori`` PortalRB's schema knows (WBK, WBK-AFIRMASI, WBBM)."""


def afirmasi_allowed(predicate: str) -> bool:
    """Afirmasi applies to the lowest predicate only."""
    return predicate == PORTALRB_PREDICATES[0]


def portalrb_kategori(predicate: str, afirmasi: bool) -> str:
    """The ``kategori`` PortalRB reads for a proposal of ``predicate``."""
    return predicate + AFIRMASI_SUFFIX if afirmasi else predicate
