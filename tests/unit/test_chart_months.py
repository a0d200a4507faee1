"""The trend chart names its months in the reader's language (Plotly alone says "Oct 2026")."""

from __future__ import annotations

from datetime import datetime

import pytest

from wbk.i18n import set_language
from wbk.services.assessment.context import Snapshot
from wbk.ui import charts

ENGLISH_ONLY = ("Aug", "Oct", "Dec", "May")


def _points(*days: tuple[int, int, int]) -> list[Snapshot]:
    return [
        Snapshot(datetime(*d, 9, 30), "self", 70.0 + i, 40.0, 30.0, False)
        for i, d in enumerate(days)
    ]


@pytest.fixture
def indonesian():
    set_language("id")
    yield
    set_language(None)


def test_months_are_indonesian(indonesian):
    fig = charts.trend(_points((2026, 8, 20), (2026, 10, 3), (2026, 12, 15)), ("WBK", 75.0))
    axis = fig.layout.xaxis
    assert list(axis.ticktext) == ["Sep 2026", "Okt 2026", "Nov 2026", "Des 2026"]
    assert [v.month for v in axis.tickvals] == [9, 10, 11, 12]
    assert not [x for x in axis.ticktext if x.split()[0] in ENGLISH_ONLY]
    assert list(fig.data[0].customdata) == ["20 Agustus 2026", "3 Oktober 2026", "15 Desember 2026"]
    assert "%{customdata}" in fig.data[0].hovertemplate


def test_points_within_one_month_are_named_by_day(indonesian):
    fig = charts.trend(_points((2026, 5, 2), (2026, 5, 20)), ("WBK", 75.0))
    assert list(fig.layout.xaxis.ticktext) == ["2 Mei 2026", "20 Mei 2026"]


def test_a_long_history_keeps_about_six_ticks(indonesian):
    days = [(2025, m, 1) for m in range(1, 13)] + [(2026, m, 1) for m in range(1, 7)]
    ticks = charts.trend(_points(*days), ("WBK", 75.0)).layout.xaxis.ticktext
    assert 3 <= len(ticks) <= 7 and ticks[0] == "Jan 2025"


def test_english_readers_get_english_months():
    set_language("en")
    try:
        fig = charts.trend(_points((2026, 9, 20), (2026, 11, 3)), ("WBK", 75.0))
    finally:
        set_language(None)
    assert list(fig.layout.xaxis.ticktext) == ["Oct 2026", "Nov 2026"]
