"""The survey page's charts (inline SVG): each element's NRR x 25 and the IKM per period,
drawn against the quality bands of PermenPANRB 14/2017 (A from 88,31, B from 76,61, C from
65,00), with every figure written in the reader's language and no script to run."""

from __future__ import annotations

import re

from wbk.i18n import set_language
from wbk.ui.surveys import charts

set_language("id")


def bars(svg: str) -> dict[str, tuple[float, float]]:
    """(top, height) of each data bar by its tooltip's label."""
    found = re.findall(
        r'<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="[^"]+">'
        r"<title>([^:<]+):",
        svg,
    )
    return {label: (float(y), float(h)) for y, h, label in found}


def bands(svg: str) -> dict[str, tuple[float, float]]:
    """(top, bottom) of each quality band by its letter."""
    found = re.findall(
        r'data-band="(\w)" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"', svg
    )
    return {name: (float(y), float(y) + float(h)) for name, y, h in found}


def test_each_element_is_a_bar_in_proportion_with_its_figure():
    svg = charts.ikm_elements(["U1", "U2", "U3"], [85.0, 65.0, 45.0], "Unsur")
    assert "<script" not in svg and 'class="wbk-chart"' in svg
    u1, u2, u3 = (bars(svg)[k] for k in ("U1", "U2", "U3"))
    # bars stand on 25 (the lowest converted value): 60, 40 and 20 above it
    assert abs(u2[1] - u1[1] * 40 / 60) < 0.2 and abs(u3[1] - u1[1] * 20 / 60) < 0.2
    assert ">85,00</text>" in svg and "<title>U3: 45,00</title>" in svg


def test_the_bands_sit_at_the_regulations_limits():
    svg = charts.ikm_elements(["U1"], [88.31], "Unsur")
    b = bands(svg)
    assert set(b) == {"A", "B", "C", "D"}
    assert b["A"][1] == b["B"][0] and b["B"][1] == b["C"][0] and b["C"][1] == b["D"][0]
    # a bar at exactly 88,31 reaches the top of band B, where A begins
    top, _ = bars(svg)["U1"]
    assert abs(top - b["A"][1]) < 0.2
    # B spans 76,61-88,31 and C 65,00-76,61: their heights in that ratio
    ratio = (b["B"][1] - b["B"][0]) / (b["C"][1] - b["C"][0])
    assert abs(ratio - (88.31 - 76.61) / (76.61 - 65.0)) < 0.01


def test_the_trend_names_each_period_and_its_ikm():
    svg = charts.ikm_trend(["2026-T1", "2026-T2"], [78.5, 81.25], "IKM")
    assert "<title>2026-T1: 78,50</title>" in svg and "<title>2026-T2: 81,25</title>" in svg
    assert ">2026-T2</text>" in svg
    ys = [float(y) for y in re.findall(r'<circle cx="[^"]+" cy="([^"]+)"', svg)]
    assert ys[1] < ys[0]  # the higher IKM is drawn higher


def test_english_readers_get_english_decimals():
    set_language("en")
    try:
        svg = charts.ikm_trend(["2026-T1"], [78.5], "IKM")
    finally:
        set_language("id")
    assert "<title>2026-T1: 78.50</title>" in svg
