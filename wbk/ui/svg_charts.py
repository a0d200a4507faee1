"""The dashboard's charts as inline SVG: the browser draws them itself, with nothing to
download or start (plotly.js is 4.6 MB to fetch and parse before its first chart).

Each function returns one ``<svg class="wbk-chart">`` that scales to its column; a mark's
``<title>`` is its tooltip. The minima are also data attributes (``data-minimum``), so a test
can read which line a chart draws without parsing its geometry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import streamlit as st

from wbk.i18n import fmt_date, fmt_number, fmt_short, t

BLUE = "#0b5cab"
TEAL = "#138a72"
NAVY = "#1f2d4d"  # the combined area: the figure the per-area minimum is read on
GREY = "#9aa5b1"
RED = "#c0392b"
AMBER = "#d68910"
INK = "#31333f"
MUTED = "#6b7280"
GRID = "#e6e9ef"
WIDTH = 900  # a chart across the page
HALF = 470  # a chart in one of two columns: the same font size on screen

Minimum = tuple[str, float]  # (predicate id, the minimum it sets), as the catalog names it
Series = tuple[str, Sequence[float], str | Sequence[str], Sequence[str] | None]
"""(name, one value per label, one colour or one per bar, the text above each bar or None)"""


def show(svg: str, where=None) -> None:
    """Put a chart of this module (or of ``wbk.ui.portfolio.svg``, ``wbk.ui.surveys.charts``)
    on the page, in ``where`` (a column) or the page itself. The one place the charts reach
    the page as raw HTML: every text in them went through ``svg_text`` or ``escape``."""
    (where or st).markdown(svg, unsafe_allow_html=True)


def svg_frame(height: int, body: str, label: str, width: int) -> str:
    return (
        f'<svg class="wbk-chart" xmlns="http://www.w3.org/2000/svg" role="img"'
        f' aria-label="{escape(label)}" viewBox="0 0 {width} {height}"'
        ' style="width:100%;height:auto;font-family:Source Sans Pro,Arial,sans-serif">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def svg_text(
    x: float,
    y: float,
    text: str,
    anchor: str = "middle",
    size: int = 14,
    fill: str = INK,
    weight: str | None = None,
) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"'
        f' fill="{fill}"{bold}>{escape(text)}</text>'
    )


def svg_grid(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{GRID}"/>'


def svg_legend(entries: Sequence[tuple[str, str, bool]], y: float, width: int) -> str:
    """(name, colour, dashed line) side by side, centred."""
    widths = [26 + 7.5 * len(name) + 18 for name, _, _ in entries]
    x = (width - sum(widths)) / 2
    out = []
    for (name, colour, dashed), w in zip(entries, widths, strict=True):
        if dashed:
            out.append(
                f'<line x1="{x:.1f}" y1="{y - 5:.1f}" x2="{x + 20:.1f}" y2="{y - 5:.1f}"'
                f' stroke="{colour}" stroke-width="2.5" stroke-dasharray="5 3"/>'
            )
        else:
            out.append(
                f'<rect x="{x:.1f}" y="{y - 12:.1f}" width="14" height="14" fill="{colour}"/>'
            )
        out.append(svg_text(x + 26, y, name, "start", 13))
        x += w
    return "".join(out)


def nice_ticks(top: float) -> list[float]:
    """Round gridline values from 0 to ``top``."""
    raw = top / 4 if top > 0 else 1
    step = 10 ** math.floor(math.log10(raw))
    step = next(m * step for m in (1, 2, 2.5, 5, 10) if m * step >= raw)
    return [i * step for i in range(int(top / step + 1e-9) + 1)]


def gauge(total: float, minima: Sequence[Minimum], maximum: float = 100) -> str:
    """The total on a dial with the lower and the higher predicate's minima (WBK and WBBM,
    from the catalog) as bands and the lower one as a red mark."""
    (low_name, low), (high_name, high) = minima[0], minima[-1]
    cx, cy, r, band = HALF / 2, 236, 160, 40

    def point(value: float, radius: float) -> tuple[float, float]:
        angle = math.pi * (1 - max(0.0, min(value, maximum)) / maximum)
        return cx + radius * math.cos(angle), cy - radius * math.sin(angle)

    def arc(a: float, b: float, colour: str, width: float, title: str = "") -> str:
        (x0, y0), (x1, y1) = point(a, r), point(b, r)
        tip = f"<title>{escape(title)}</title>" if title else ""
        return (
            f'<path d="M {x0:.1f} {y0:.1f} A {r} {r} 0 0 1 {x1:.1f} {y1:.1f}" fill="none"'
            f' stroke="{colour}" stroke-width="{width}">{tip}</path>'
        )

    body = [
        arc(0, low, "#eef2f6", band),
        arc(low, high, "#d9efe8", band),
        arc(high, maximum, "#bfe3d6", band),
    ]
    if total > 0:
        body.append(arc(0, total, BLUE, band * 0.35, f"{t('ui.total')}: {fmt_number(total)}"))
    (x0, y0), (x1, y1) = point(low, r - band * 0.45), point(low, r + band * 0.45)
    body.append(
        f'<line class="minimum" data-minimum="{low:g}" x1="{x0:.1f}" y1="{y0:.1f}"'
        f' x2="{x1:.1f}" y2="{y1:.1f}" stroke="{RED}" stroke-width="4">'
        f"<title>{escape(low_name)} {fmt_short(low)}</title></line>"
    )
    for value in sorted({0.0, maximum / 4, maximum / 2, low, high, maximum}):
        x, y = point(value, r + band / 2 + 16)
        body.append(svg_text(x, y + 5, fmt_short(value), "middle", 13, fill=MUTED))
    body.append(svg_text(cx, cy - 10, fmt_number(total), "middle", 46, weight="600"))
    title = f"{t('ui.total')} ({low_name} {fmt_short(low)} · {high_name} {fmt_short(high)})"
    body.insert(0, svg_text(cx, 24, title, "middle", 16))
    return svg_frame(270, "".join(body), title, HALF)


def bars(
    labels: Sequence[str],
    series: Sequence[Series],
    lines: Sequence[tuple[str, float, str]] = (),
    top: float = 112,
    suffix: str = "",
    height: int = 340,
    label: str = "",
    width: int = HALF,
) -> str:
    """Vertical bars, grouped by label, with dashed horizontal lines (name, value, colour)
    across the plot and a legend below when there is more than one entry."""
    legend = [(s[0], s[2] if isinstance(s[2], str) else BLUE, False) for s in series]
    legend += [(name, colour, True) for name, _, colour in lines]
    left, right, above = 52, 10, 16
    below = 58 if len(legend) > 1 else 30
    plot_w, plot_h = width - left - right, height - above - below

    def y_of(v: float) -> float:
        return above + plot_h * (1 - max(0.0, min(v, top)) / top)

    body = []
    for tick in nice_ticks(top * 0.95):
        y = y_of(tick)
        body.append(svg_grid(left, y, width - right, y))
        body.append(svg_text(left - 6, y + 4, f"{fmt_short(tick)}{suffix}", "end", 12, fill=MUTED))
    group = plot_w / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    for i, name in enumerate(labels):
        x = left + group * i + group * 0.1
        for name_s, values, colours, texts in series:
            value = float(values[i])
            colour = colours if isinstance(colours, str) else colours[i]
            y = y_of(value)
            tip = (
                f"{name} · {name_s}: {fmt_number(value)}{suffix}"
                if name_s
                else f"{name}: {fmt_number(value)}{suffix}"
            )
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}"'
                f' height="{y_of(0) - y:.1f}" fill="{colour}"><title>{escape(tip)}</title></rect>'
            )
            if texts is not None:
                body.append(svg_text(x + bar / 2 - 1, y - 5, texts[i], "middle", 12))
            x += bar
        body.append(svg_text(left + group * (i + 0.5), y_of(0) + 18, name, "middle", 13))
    for name, value, colour in lines:
        y = y_of(value)
        body.append(
            f'<line class="minimum" data-minimum="{value:g}" x1="{left}" x2="{width - right}"'
            f' y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="2"'
            f' stroke-dasharray="6 4"><title>{escape(name)}</title></line>'
        )
    if len(legend) > 1:
        body.append(svg_legend(legend, height - 10, width))
    return svg_frame(height, "".join(body), label or " · ".join(e[0] for e in legend), width)


def area_bars(
    labels: list[str],
    pemenuhan: list[float],
    reform: list[float],
    minima: Sequence[Minimum],
    combined: list[float] | None = None,
) -> str:
    """Each area's share of its weight, Pemenuhan and Reform, and the combined area (the
    figure the regulation's per-area minimum is read on), against the per-area minima."""
    pct = [[f"{v:.0f}%" for v in values] for values in (pemenuhan, reform, combined or [])]
    series = [
        (t("cli.pemenuhan"), pemenuhan, BLUE, pct[0]),
        (t("cli.reform"), reform, TEAL, pct[1]),
    ]
    if combined is not None:
        series.insert(0, (t("ui.area_combined"), combined, NAVY, pct[2]))
    return bars(
        labels,
        series,
        [
            (f"{pid} {fmt_short(level)}%", level, colour)
            for (pid, level), colour in zip((minima[0], minima[-1]), (RED, AMBER), strict=True)
        ],
        suffix="%",
        height=380,
        label=t("ui.areas_title"),
        width=WIDTH,
    )


def completeness_bars(rows, labels: list[str]) -> str:
    values = [r.ratio * 100 for r in rows]
    colours = [TEAL if v >= 80 else AMBER if v >= 50 else RED for v in values]
    texts = [f"{r.with_evidence}/{r.questions}" for r in rows]
    return bars(
        labels,
        [("", values, colours, texts)],
        suffix="%",
        height=320,
        label=t("ui.completeness_title"),
    )


def self_vs_tpi(labels: list[str], own: list[float], tpi: list[float]) -> str:
    top = max([*own, *tpi, 1.0]) * 1.12
    return bars(
        labels,
        [(t("ui.tier_self"), own, BLUE, None), (t("ui.tier_tpi"), tpi, GREY, None)],
        top=top,
        height=320,
        label=t("ui.self_vs_tpi"),
    )


def results_bars(items: list[tuple[str, float, float, float]]) -> str:
    """(label, points, max, WBK minimum) per result item, each as a share of its own maximum,
    the minimum as a red mark on its row; the item's name above its bar."""
    left, right, row, above = 10, 14, 56, 6
    height = above + row * len(items) + 46
    plot_w = HALF - left - right

    def x_of(share: float) -> float:
        return left + plot_w * max(0.0, min(share, 105)) / 105

    body = []
    for tick in (0, 25, 50, 75, 100):
        x = x_of(tick)
        body.append(svg_grid(x, above, x, above + row * len(items)))
        body.append(
            svg_text(x, above + row * len(items) + 16, f"{tick}%", "middle", 12, fill=MUTED)
        )
    for i, (name, points, maximum, minimum) in enumerate(items):
        y = above + row * i + 22
        share = points / maximum * 100 if maximum else 0.0
        floor = minimum / maximum * 100 if maximum else 0.0
        text = f"{fmt_number(points)} / {fmt_number(maximum, 1)}"
        body.append(svg_text(left, y - 6, name, "start", 13))
        body.append(
            f'<rect x="{left}" y="{y:.1f}" width="{x_of(share) - left:.1f}" height="{row - 30}"'
            f' fill="{BLUE}"><title>{escape(f"{name}: {text}")}</title></rect>'
        )
        inside = share > 30
        body.append(
            svg_text(left + 6, y + 18, text, "start", 13, fill="#ffffff" if inside else INK)
            if inside
            else svg_text(x_of(share) + 6, y + 18, text, "start", 13)
        )
        xm = x_of(floor)
        body.append(
            f'<line class="minimum" data-minimum="{minimum:g}" x1="{xm:.1f}" x2="{xm:.1f}"'
            f' y1="{y - 3:.1f}" y2="{y + row - 27:.1f}" stroke="{RED}" stroke-width="4">'
            f"<title>{escape(t('ui.wbk_min'))}: {fmt_number(minimum)}</title></line>"
        )
    legend = [(t("ui.points"), BLUE, False), (t("ui.wbk_min"), RED, True)]
    body.append(svg_legend(legend, height - 8, HALF))
    return svg_frame(height, "".join(body), t("cli.results_title"), HALF)


def trend(points, minimum: Minimum, maximum: float = 100) -> str:
    """The total over the snapshots, against the lower predicate's minimum."""
    pid, low = minimum
    totals = [p.total for p in points]
    bottom = max(0.0, min([*totals, low]) - 5)
    left, right, above, below, height = 52, 24, 16, 40, 320
    plot_w, plot_h = HALF - left - right, height - above - below

    def y_of(v: float) -> float:
        return above + plot_h * (1 - (v - bottom) / (maximum - bottom or 1))

    def x_of(i: int) -> float:
        return left + plot_w * (0.5 if len(points) == 1 else i / (len(points) - 1))

    body = []
    for tick in nice_ticks(maximum):
        if tick >= bottom:
            y = y_of(tick)
            body.append(svg_grid(left, y, HALF - right, y))
            body.append(svg_text(left - 6, y + 4, fmt_short(tick), "end", 12, fill=MUTED))
    y = y_of(low)
    body.append(
        f'<line class="minimum" data-minimum="{low:g}" x1="{left}" x2="{HALF - right}"'
        f' y1="{y:.1f}" y2="{y:.1f}" stroke="{RED}" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    body.append(svg_text(left + 4, y + 16, f"{pid} {fmt_short(low)}", "start", 12, fill=RED))
    coords = [(x_of(i), y_of(v)) for i, v in enumerate(totals)]
    body.append(
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in coords)}" fill="none"'
        f' stroke="{BLUE}" stroke-width="3"/>'
    )
    for i, ((x, y), p) in enumerate(zip(coords, points, strict=True)):
        when = fmt_date(p.taken_at)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{BLUE}">'
            f"<title>{escape(when)}: {fmt_number(p.total)}</title></circle>"
        )
        body.append(svg_text(x, y - 10, fmt_number(p.total), "middle", 12))
        if i in (0, len(points) - 1):  # the first and the last date; each point's in its tip
            many = len(points) > 1
            edge = "start" if many and i == 0 else "end" if many else "middle"
            body.append(svg_text(x, height - 14, when, edge, 12, fill=MUTED))
    return svg_frame(height, "".join(body), t("ui.trend_title"), HALF)
