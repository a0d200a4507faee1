"""The dashboard's inline SVG charts: what a reader sees (numbers, bars in proportion, the
minima drawn where the catalog sets them, a tooltip per mark), with no script to run."""

from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace

from wbk.i18n import set_language
from wbk.ui import svg_charts

set_language("id")


def heights(svg: str) -> list[float]:
    """The heights of the data bars (a bar has a tooltip; a legend swatch has none)."""
    return [float(h) for h in re.findall(r'height="([^"]+)" fill="[^"]+"><title>', svg)]


def test_the_gauge_reads_the_total_and_marks_the_lower_minimum():
    svg = svg_charts.gauge(74.0, [("WBK", 75.0), ("WBBM", 85.0)])
    assert ">74,00</text>" in svg
    assert 'data-minimum="75"' in svg and "WBK 75 · WBBM 85" in svg
    assert "<script" not in svg


def test_bars_are_in_proportion_and_lines_sit_at_the_minima():
    svg = svg_charts.area_bars(
        ["MP", "TT"], [100.0, 50.0], [25.0, 0.0], [("WBK", 60), ("WBBM", 75)]
    )
    # the bars come in label order: MP Pemenuhan, MP Reform, TT Pemenuhan, TT Reform
    mp_p, mp_r, tt_p, tt_r = heights(svg)
    assert abs(tt_p - mp_p / 2) < 0.2 and abs(mp_r - mp_p / 4) < 0.2 and tt_r == 0
    assert re.findall(r'data-minimum="([0-9.]+)"', svg) == ["60", "75"]
    assert "<title>MP · Pemenuhan: 100,00%</title>" in svg


def test_the_trend_names_its_first_and_last_date_and_each_point_in_its_tip():
    points = [SimpleNamespace(taken_at=datetime(2026, m, 1), total=60.0 + m) for m in (8, 9, 10)]
    svg = svg_charts.trend(points, ("WBK", 75.0))
    assert "1 Agustus 2026" in svg and "1 Oktober 2026" in svg
    assert "<title>1 September 2026: 69,00</title>" in svg
    assert "Oct" not in svg


def test_the_combined_area_is_drawn_first_when_given():
    svg = svg_charts.area_bars(
        ["MP"], [100.0], [50.0], [("WBK", 60), ("WBBM", 75)], combined=[75.0]
    )
    combined, mp_p, mp_r = heights(svg)
    assert abs(combined - mp_p * 0.75) < 0.2 and abs(mp_r - mp_p / 2) < 0.2
    assert "<title>MP · Gabungan (menentukan): 75,00%</title>" in svg
