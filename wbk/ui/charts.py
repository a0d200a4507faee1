"""Plotly figures for the dashboard, readable on a laptop and on a projector."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import plotly.graph_objects as go

from wbk.i18n import MONTHS, current_language, fmt_date, fmt_number, fmt_short, t
from wbk.services.assessment.dashboard import Completeness, Snapshot
from wbk.ui.svg_charts import AMBER, BLUE, GREY, NAVY, RED, TEAL, Minimum

__all__ = ["AMBER", "BLUE", "GREY", "RED", "TEAL", "Minimum"]

FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 15}


def _layout(fig: go.Figure, height: int = 340, **extra) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=FONT,
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=",." if t("ui.decimal") == "," else ".,",
        **extra,
    )
    return fig


def gauge(total: float, minima: Sequence[Minimum], maximum: float = 100) -> go.Figure:
    """The total on a dial with the lower and the higher predicate's minima (WBK and WBBM,
    from the catalog) marked."""
    (low_name, low), (high_name, high) = minima[0], minima[-1]
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=total,
            number={"valueformat": ".2f", "font": {"size": 46}},
            gauge={
                "axis": {
                    "range": [0, maximum],
                    "tickvals": [0, maximum / 4, maximum / 2, low, high, maximum],
                },
                "bar": {"color": BLUE, "thickness": 0.35},
                "steps": [
                    {"range": [0, low], "color": "#eef2f6"},
                    {"range": [low, high], "color": "#d9efe8"},
                    {"range": [high, maximum], "color": "#bfe3d6"},
                ],
                "threshold": {"line": {"color": RED, "width": 4}, "value": low, "thickness": 0.9},
            },
            title={
                "text": f"{t('ui.total')} ({low_name} {fmt_short(low)}"
                f" · {high_name} {fmt_short(high)})"
            },
        )
    )
    return _layout(fig, 300)


def area_bars(
    labels: list[str],
    pemenuhan: list[float],
    reform: list[float],
    minima: Sequence[Minimum],
    combined: list[float] | None = None,
) -> go.Figure:
    """Each area's share of its weight, Pemenuhan and Reform, and the combined area (the
    figure the regulation's per-area minimum is read on), against the per-area minima."""
    fig = go.Figure()
    if combined is not None:
        fig.add_bar(
            name=t("ui.area_combined"),
            x=labels,
            y=combined,
            marker_color=NAVY,
            text=[f"{v:.0f}%" for v in combined],
            textposition="outside",
        )
    fig.add_bar(
        name=t("cli.pemenuhan"),
        x=labels,
        y=pemenuhan,
        marker_color=BLUE,
        text=[f"{v:.0f}%" for v in pemenuhan],
        textposition="outside",
    )
    fig.add_bar(
        name=t("cli.reform"),
        x=labels,
        y=reform,
        marker_color=TEAL,
        text=[f"{v:.0f}%" for v in reform],
        textposition="outside",
    )
    for (pid, level), colour in zip((minima[0], minima[-1]), (RED, AMBER), strict=True):
        name = f"{pid} {fmt_short(level)}%"
        fig.add_hline(y=level, line_dash="dash", line_color=colour)
        fig.add_scatter(
            x=[None], y=[None], mode="lines", name=name, line={"dash": "dash", "color": colour}
        )
    fig.update_yaxes(range=[0, 112], ticksuffix="%", title=t("ui.pct_of_weight"))
    return _layout(fig, 380, barmode="group", legend={"orientation": "h", "y": -0.15})


def results_bars(items: list[tuple[str, float, float, float]]) -> go.Figure:
    """(label, points, max, WBK minimum) per result item, each as a share of its own maximum:
    capaian kinerja (out of 5) is read on its own scale beside the 17.5-point surveys."""
    fig = go.Figure()
    labels = [i[0] for i in items]
    shares = [i[1] / i[2] * 100 if i[2] else 0.0 for i in items]
    fig.add_bar(
        x=shares,
        y=labels,
        orientation="h",
        marker_color=BLUE,
        name=t("ui.points"),
        width=0.4,
        hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
    )
    fig.add_scatter(
        x=[i[3] / i[2] * 100 if i[2] else 0.0 for i in items],
        y=labels,
        mode="markers",
        name=t("ui.wbk_min"),
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 4, "color": RED}},
    )
    # each bar's name and figure above it, across the whole width: on a 390 px phone the
    # names beside the bars left no room for "3,75 / 5,0" inside the shortest bar
    for label, (_, points, weight, _) in zip(labels, items, strict=True):
        fig.add_annotation(
            x=0,
            y=label,
            yshift=20,
            xanchor="left",
            showarrow=False,
            text=f"<b>{fmt_number(points)} / {fmt_number(weight, 1)}</b> · {label}",
            font={"size": 13},
        )
    fig.update_yaxes(showticklabels=False, autorange="reversed")
    fig.update_xaxes(range=[0, 105], ticksuffix="%", title=t("ui.pct_of_weight"))
    return _layout(fig, 110 + 70 * len(items), legend={"orientation": "h", "y": -0.3})


def completeness_bars(rows: list[Completeness], labels: list[str]) -> go.Figure:
    values = [r.ratio * 100 for r in rows]
    colours = [TEAL if v >= 80 else AMBER if v >= 50 else RED for v in values]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker_color=colours,
            text=[f"{r.with_evidence}/{r.questions}" for r in rows],
            textposition="outside",
        )
    )
    fig.update_yaxes(range=[0, 112], ticksuffix="%", title=t("ui.with_evidence"))
    return _layout(fig, 320)


def self_vs_tpi(labels: list[str], own: list[float], tpi: list[float]) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(name=t("ui.tier_self"), x=labels, y=own, marker_color=BLUE)
    fig.add_bar(name=t("ui.tier_tpi"), x=labels, y=tpi, marker_color=GREY)
    fig.update_yaxes(title=t("ui.points"))
    return _layout(fig, 320, barmode="group", legend={"orientation": "h", "y": -0.15})


def month_ticks(moments: Sequence) -> tuple[list[date], list[str]]:
    """Ticks for a time axis named in the reader's language (Plotly names months in English:
    "Oct 2026"): the first day of each month the points span, at most about six of them; a
    span within one month gets the points' own dates."""
    days = sorted({m.date() if isinstance(m, datetime) else m for m in moments})
    if not days:
        return [], []
    first, last = days[0], days[-1]
    months = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    months = [d for d in months if first <= d <= last]
    if len(months) < 2:
        return days, [fmt_date(d) for d in days]
    step = -(-len(months) // 6)
    months = months[::step]
    short = MONTHS[current_language()]
    return months, [f"{short[d.month - 1][:3]} {d.year}" for d in months]


def trend(points: list[Snapshot], minimum: Minimum, maximum: float = 100) -> go.Figure:
    """The total over the snapshots, against the lower predicate's minimum."""
    pid, low = minimum
    fig = go.Figure(
        go.Scatter(
            x=[p.taken_at for p in points],
            y=[p.total for p in points],
            mode="lines+markers+text",
            text=[fmt_number(p.total) for p in points],
            textposition="top center",
            line={"color": BLUE, "width": 3},
            marker={"size": 9},
            customdata=[fmt_date(p.taken_at) for p in points],
            hovertemplate="%{customdata}: %{text}<extra></extra>",
        )
    )
    tickvals, ticktext = month_ticks([p.taken_at for p in points])
    fig.update_xaxes(tickvals=tickvals, ticktext=ticktext)
    fig.add_hline(
        y=low,
        line_dash="dash",
        line_color=RED,
        annotation_text=f"{pid} {fmt_short(low)}",
        annotation_position="bottom left",
    )
    bottom = min([p.total for p in points] + [low]) - 5
    fig.update_yaxes(range=[max(0, bottom), maximum], title=t("ui.total"))
    return _layout(fig, 320)


IKM_BANDS = (
    (88.31, 100, "#bfe3d6", "A"),
    (76.61, 88.31, "#d9efe8", "B"),
    (65.0, 76.61, "#fbeed5", "C"),
    (25.0, 65.0, "#f8d7d3", "D"),
)


def ikm_elements(labels: list[str], converted: list[float]) -> go.Figure:
    """Each element's NRR x 25 against the A-D bands of PermenPANRB 14/2017."""
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=converted,
            marker_color=BLUE,
            text=[fmt_number(v) for v in converted],
            textposition="outside",
        )
    )
    for low, high, colour, name in IKM_BANDS:
        fig.add_hrect(
            y0=low,
            y1=high,
            fillcolor=colour,
            opacity=0.5,
            line_width=0,
            layer="below",
            annotation_text=name,
            annotation_position="right",
        )
    fig.update_yaxes(range=[25, 105], title="NRR × 25")
    return _layout(fig, 340)


def ikm_trend(periods: list[str], values: list[float]) -> go.Figure:
    fig = go.Figure(
        go.Scatter(
            x=periods,
            y=values,
            mode="lines+markers+text",
            text=[fmt_number(v) for v in values],
            textposition="top center",
            line={"color": BLUE, "width": 3},
        )
    )
    for low, high, colour, _ in IKM_BANDS:
        fig.add_hrect(y0=low, y1=high, fillcolor=colour, opacity=0.4, line_width=0, layer="below")
    fig.update_yaxes(range=[max(25, min([*values, 65]) - 5), 101], title="IKM")
    return _layout(fig, 300)
