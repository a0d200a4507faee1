"""The Portofolio page's charts as inline SVG (see ``wbk.ui.svg_charts``): the distribution of
the totals, self against TPI, and the areas of the first units as a heat map. Thousands of
units are drawn as one path each, not one element per unit; no chart library to load."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from wbk.i18n import fmt_number, t
from wbk.services.portfolio.model import UnitRow
from wbk.ui.svg_charts import (
    BLUE,
    GREY,
    HALF,
    MUTED,
    RED,
    TEAL,
    WIDTH,
    nice_ticks,
    svg_frame,
    svg_grid,
    svg_text,
)


@dataclass(frozen=True)
class Lines:
    """The total's minimum of the lower and the higher predicate, with their ids."""

    wbk: float
    wbbm: float
    names: tuple[str, str]


HEATMAP_ROWS = 60  # units drawn in the heat map (the best first); the table holds them all
TIPS = 400  # up to this many points, each its own mark with the unit in its tooltip
LEFT, RIGHT, ABOVE, BELOW = 56, 14, 34, 46


def _axes(body: list[str], width: int, height: int, x_title: str, y_title: str, y_top: float):
    """Grid, ticks and titles of a 0-100 x axis and a 0-``y_top`` y axis; returns the two
    scales (value -> pixel)."""
    plot_w, plot_h = width - LEFT - RIGHT, height - ABOVE - BELOW

    def x_of(v):
        return LEFT + plot_w * np.clip(v, 0, 100) / 100

    def y_of(v):
        return ABOVE + plot_h * (1 - np.clip(v, 0, y_top) / (y_top or 1))

    for tick in nice_ticks(y_top):
        y = float(y_of(tick))
        body.append(svg_grid(LEFT, y, width - RIGHT, y))
        body.append(svg_text(LEFT - 6, y + 4, fmt_number(tick, 0), "end", 12, fill=MUTED))
    for tick in range(0, 101, 25):
        x = float(x_of(tick))
        body.append(svg_text(x, height - BELOW + 18, str(tick), "middle", 12, fill=MUTED))
    body.append(svg_text(LEFT + plot_w / 2, height - 8, x_title, "middle", 13))
    body.append(
        f'<text x="14" y="{ABOVE + plot_h / 2:.1f}" text-anchor="middle" font-size="13"'
        f' transform="rotate(-90 14 {ABOVE + plot_h / 2:.1f})">{escape(y_title)}</text>'
    )
    return x_of, y_of


def distribution(rows: Sequence[UnitRow], lines: Lines) -> str:
    """How many units score in each 2.5-point band, with the two predicates' minima."""
    wbk, wbbm, names = lines.wbk, lines.wbbm, lines.names
    title = t("portfolio.chart.distribution")
    totals = np.array([r.total for r in rows if r.total is not None], dtype=float)
    counts, edges = np.histogram(totals, bins=40, range=(0, 100))
    top = max(float(counts.max()) if counts.size else 0.0, 1.0) * 1.1
    height = 340
    body = [svg_text(HALF / 2, 20, title, "middle", 15)]
    x_of, y_of = _axes(
        body, HALF, height, t("portfolio.chart.self"), t("portfolio.chart.count"), top
    )
    base = float(y_of(0))
    for count, left, right in zip(
        counts.tolist(), edges[:-1].tolist(), edges[1:].tolist(), strict=True
    ):
        if not count:
            continue
        x0, x1, y = float(x_of(left)), float(x_of(right)), float(y_of(count))
        tip = f"{fmt_number(left, 1)}–{fmt_number(right, 1)}: {count}"
        body.append(
            f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0 - 1, 1):.1f}"'
            f' height="{base - y:.1f}" fill="{BLUE}"><title>{escape(tip)}</title></rect>'
        )
    for value, colour, name, anchor in (
        (wbk, RED, names[0], "end"),
        (wbbm, TEAL, names[1], "start"),
    ):
        x = float(x_of(value))
        body.append(
            f'<line class="minimum" data-minimum="{value:g}" x1="{x:.1f}" x2="{x:.1f}"'
            f' y1="{ABOVE}" y2="{base:.1f}" stroke="{colour}" stroke-width="3"/>'
        )
        shift = -4 if anchor == "end" else 4
        body.append(svg_text(x + shift, ABOVE + 12, f"{name} {value:g}", anchor, 12, fill=colour))
    return svg_frame(height, "".join(body), title, HALF)


def scatter(rows: Sequence[UnitRow]) -> str:
    """Self-assessed total against the TPI's, one dot per unit, the diagonal dashed."""
    title = t("portfolio.chart.scatter")
    both = [r for r in rows if r.total is not None and r.tpi_total is not None]
    height = 340
    body = [svg_text(HALF / 2, 20, title, "middle", 15)]
    x_of, y_of = _axes(body, HALF, height, t("portfolio.chart.self"), t("portfolio.chart.tpi"), 100)
    x0, y0, x1, y1 = (float(v) for v in (x_of(0), y_of(0), x_of(100), y_of(100)))
    body.append(
        f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{GREY}"'
        f' stroke-width="1.5" stroke-dasharray="6 4"><title>{t("portfolio.chart.diagonal")}'
        "</title></line>"
    )
    xs = x_of(np.array([r.total for r in both], dtype=float))
    ys = y_of(np.array([r.tpi_total for r in both], dtype=float))
    if len(both) <= TIPS:
        for r, x, y in zip(both, xs.tolist(), ys.tolist(), strict=True):
            tip = f"{r.unit}: {fmt_number(r.total)} / {fmt_number(r.tpi_total)}"
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BLUE}" fill-opacity="0.7">'
                f"<title>{escape(tip)}</title></circle>"
            )
    else:  # one path of dots, each distinct pixel once: the browser draws thousands at once
        dots = sorted({(round(x), round(y)) for x, y in zip(xs.tolist(), ys.tolist(), strict=True)})
        d = "".join(f"M{x} {y}h0" for x, y in dots)
        body.append(
            f'<path d="{d}" stroke="{BLUE}" stroke-opacity="0.6" stroke-width="7"'
            f' stroke-linecap="round"><title>{len(both)} unit</title></path>'
        )
    return svg_frame(height, "".join(body), title, HALF)


def _colour(share: float) -> str:
    """Red (0 %) through yellow (50 %) to green (100 %), as the RdYlGn scale."""
    stops = ((0.0, (215, 48, 39)), (50.0, (255, 255, 191)), (100.0, (26, 152, 80)))
    share = min(max(share, 0.0), 100.0)
    (a, ca), (b, cb) = (stops[0], stops[1]) if share <= 50 else (stops[1], stops[2])
    f = (share - a) / (b - a)
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(ca, cb, strict=True))


def heatmap(rows: Sequence[UnitRow], areas: Sequence[str]) -> str:
    """Each area's share of its weight for the first ``HEATMAP_ROWS`` assessed units."""
    title = t("portfolio.chart.heatmap")
    shown = [r for r in rows if r.assessed][:HEATMAP_ROWS]
    left, cell_h, above = 150, 18, 48
    height = above + cell_h * len(shown) + 30
    cell_w = (WIDTH - left - 20) / max(len(areas), 1)
    body = [svg_text(WIDTH / 2, 20, title, "middle", 15)]
    for j, area in enumerate(areas):
        body.append(svg_text(left + cell_w * (j + 0.5), above - 8, area, "middle", 12))
    for i, r in enumerate(shown):
        y = above + cell_h * i
        body.append(svg_text(left - 6, y + cell_h - 5, r.unit, "end", 11))
        for j, area in enumerate(areas):
            share = float(r.areas.get(area, 0.0))
            tip = f"{r.unit} · {area}: {fmt_number(share, 0)}%"
            body.append(
                f'<rect x="{left + cell_w * j:.1f}" y="{y}" width="{cell_w - 1:.1f}"'
                f' height="{cell_h - 1}" fill="{_colour(share)}">'
                f"<title>{escape(tip)}</title></rect>"
            )
    body.append(
        svg_text(left, height - 8, f"0% {chr(8594)} 100%: {t('portfolio.chart.area')}", "start", 12)
    )
    return svg_frame(height, "".join(body), title, WIDTH)
