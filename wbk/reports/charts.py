"""Static charts for the Word report (matplotlib, no browser needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from wbk.i18n import fmt_short

BLUE, TEAL, GREY, RED, AMBER = "#0b5cab", "#138a72", "#9aa5b1", "#c0392b", "#d68910"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def area_chart(
    labels: list[str],
    pemenuhan: list[float],
    reform: list[float],
    names: tuple[str, str],
    ylabel: str,
    minima: Sequence[tuple[str, float]],
) -> bytes:
    """Each area's share of its weight, Pemenuhan and Reform, against the lower and the higher
    predicate's per-area minima (``minima``: (predicate id, percent), lowest first)."""
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    x = range(len(labels))
    width = 0.38
    bars_p = ax.bar([i - width / 2 for i in x], pemenuhan, width, color=BLUE, label=names[0])
    bars_r = ax.bar([i + width / 2 for i in x], reform, width, color=TEAL, label=names[1])
    for (pid, level), colour in zip((minima[0], minima[-1]), (RED, AMBER), strict=True):
        ax.axhline(
            level, color=colour, linestyle="--", linewidth=1.2, label=f"{pid} {fmt_short(level)}%"
        )
    for bars in (bars_p, bars_r):
        ax.bar_label(bars, fmt="%.0f", fontsize=7, padding=2)
    ax.set_xticks(list(x), labels)
    ax.set_ylim(0, 112)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(ncol=4, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    return _png(fig)


def self_vs_tpi_chart(
    labels: list[str], own: list[float], tpi: list[float], names: tuple[str, str], ylabel: str
) -> bytes:
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    x = range(len(labels))
    width = 0.38
    ax.bar([i - width / 2 for i in x], own, width, color=BLUE, label=names[0])
    ax.bar([i + width / 2 for i in x], tpi, width, color=GREY, label=names[1])
    ax.set_xticks(list(x), labels)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(ncol=2, fontsize=8, frameon=False)
    return _png(fig)
