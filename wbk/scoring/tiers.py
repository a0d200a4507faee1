"""How the answer tiers combine: the TPI reviews a copy of the unit's answers. The rule is
stated here once, for stored rows (``tpi_effective``) and for the batch path's arrays of
question values (``tpi_effective_values``); a property test holds the two to each other."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import numpy as np

    from wbk.scoring.bulk_values import TierValues

V = TypeVar("V")


def base_code(code: str) -> str:
    """``R.MP.i.a#agen`` -> ``R.MP.i.a``: the question a stored row belongs to."""
    return code.split("#", 1)[0]


def tpi_effective(self_rows: Mapping[str, V], tpi_rows: Mapping[str, V]) -> dict[str, V] | None:
    """The rows a TPI score is computed from: the TPI's answer stands on every question the
    TPI has scored (all of its rows, count inputs included), the unit's own answer on every
    other question. ``None`` while the TPI has scored nothing (there is no TPI score yet).

    Rows are whatever the caller keeps per code (a raw answer, a stored row); only rows
    present in the mappings count, so callers pass answered rows only.
    """
    if not tpi_rows:
        return None
    reviewed = {base_code(c) for c in tpi_rows}
    merged = {c: v for c, v in self_rows.items() if base_code(c) not in reviewed}
    merged.update(tpi_rows)
    return merged


def tpi_effective_values(own: TierValues, tpi: TierValues) -> tuple[np.ndarray, np.ndarray]:
    """``tpi_effective`` over many assessments at once (a row per assessment, a column per
    question): the TPI's value on every question it answered, the unit's elsewhere; and
    which rows have a TPI score at all (the TPI answered something)."""
    merged = own.values.copy()
    merged[tpi.answered] = tpi.values[tpi.answered]
    return merged, tpi.answered.any(axis=1)


def fallback_questions(self_rows: Mapping[str, object], tpi_rows: Mapping[str, object]) -> set[str]:
    """Questions whose TPI score is the unit's own answer (the TPI has not scored them)."""
    reviewed = {base_code(c) for c in tpi_rows}
    return {base_code(c) for c in self_rows} - reviewed
