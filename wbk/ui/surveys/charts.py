"""The survey page's two charts as inline SVG, like the dashboard's (``wbk.ui.svg_charts``):
each element's NRR x 25 and the IKM over the periods, against the quality bands A-D of
PermenPANRB 14/2017. A mark's ``<title>`` is its tooltip; each band is a ``data-band``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from wbk.i18n import fmt_number, fmt_short
from wbk.services.surveys.surveys import BANDS
from wbk.ui.svg_charts import BLUE, HALF, MUTED, svg_frame, svg_grid, svg_text

COLOURS = {"A": "#bfe3d6", "B": "#d9efe8", "C": "#fbeed5", "D": "#f8d7d3"}
# (from, to, colour, mutu pelayanan) on the converted scale (NRR x 25): the survey rules'
# own bands (best first), each up to where the better one begins
IKM_BANDS = tuple(
    (float(low), float(BANDS[i - 1][0]) if i else 100.0, COLOURS[name], name)
    for i, (low, name, _, _) in enumerate(BANDS)
)
LEFT, RIGHT, ABOVE, BELOW = 48, 28, 24, 44


def _plot(
    bottom: float, top: float, height: int
) -> tuple[Callable[[float], float], float, list[str]]:
    """The vertical scale, the plot's width and its background: the bands with their letter
    at the right, and gridlines every 10 from ``bottom`` to ``top``."""
    plot_h = height - ABOVE - BELOW

    def y_of(v: float) -> float:
        v = max(bottom, min(v, top))
        return ABOVE + plot_h * (1 - (v - bottom) / (top - bottom))

    body = []
    for low, high, colour, name in IKM_BANDS:
        if high <= bottom:
            continue
        y1, y2 = y_of(min(high, top)), y_of(max(low, bottom))
        body.append(
            f'<rect data-band="{name}" x="{LEFT}" y="{y1:.1f}" width="{HALF - LEFT - RIGHT}"'
            f' height="{y2 - y1:.1f}" fill="{colour}" opacity="0.6"/>'
        )
        body.append(svg_text(HALF - RIGHT + 6, (y1 + y2) / 2 + 5, name, "start", 13, fill=MUTED))
    tick = (int(bottom) // 10 + 1) * 10
    while tick <= top:
        y = y_of(tick)
        body.append(svg_grid(LEFT, y, HALF - RIGHT, y))
        body.append(svg_text(LEFT - 6, y + 4, fmt_short(tick), "end", 12, fill=MUTED))
        tick += 10
    return y_of, HALF - LEFT - RIGHT, body


def ikm_elements(labels: Sequence[str], converted: Sequence[float], title: str) -> str:
    """One bar per survey element (U1..U9), its NRR x 25 written above it."""
    height = 340
    y_of, plot_w, body = _plot(25.0, 105.0, height)
    group = plot_w / max(len(labels), 1)
    for i, (label, value) in enumerate(zip(labels, converted, strict=True)):
        x = LEFT + group * i + group * 0.2
        y = y_of(value)
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{group * 0.6:.1f}"'
            f' height="{y_of(25.0) - y:.1f}" fill="{BLUE}">'
            f"<title>{escape(label)}: {fmt_number(value)}</title></rect>"
        )
        body.append(svg_text(x + group * 0.3, y - 6, fmt_number(value), "middle", 12))
        body.append(svg_text(x + group * 0.3, height - BELOW + 18, label, "middle", 13))
    return svg_frame(height, "".join(body), title, HALF)


def ikm_trend(periods: Sequence[str], values: Sequence[float], title: str) -> str:
    """The unit's IKM per survey period, oldest first."""
    height = 300
    bottom = max(25.0, min([*values, 65.0]) - 5)
    y_of, plot_w, body = _plot(bottom, 101.0, height)

    def x_of(i: int) -> float:
        return LEFT + plot_w * (0.5 if len(values) == 1 else 0.05 + 0.9 * i / (len(values) - 1))

    coords = [(x_of(i), y_of(v)) for i, v in enumerate(values)]
    body.append(
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in coords)}" fill="none"'
        f' stroke="{BLUE}" stroke-width="3"/>'
    )
    for (x, y), period, value in zip(coords, periods, values, strict=True):
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{BLUE}">'
            f"<title>{escape(period)}: {fmt_number(value)}</title></circle>"
        )
        body.append(svg_text(x, y - 10, fmt_number(value), "middle", 12))
        body.append(svg_text(x, height - BELOW + 18, period, "middle", 12, fill=MUTED))
    return svg_frame(height, "".join(body), title, HALF)
