"""Parameters more than one router takes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

Tahun = Annotated[
    int | None,
    Query(ge=2000, le=2100, description="Tahun evaluasi (bawaan: tahun terakhir yang diusulkan)"),
]
