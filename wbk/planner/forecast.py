"""Where the total will stand on the proposal deadline: the pace so far and the open tasks.

Two projections, both plain arithmetic:

- *At the pace so far*: the least-squares slope of the score snapshots (points per day),
  carried from today's total to the deadline. It needs at least 2 snapshots spanning 14 days
  or more; with less history the expected total comes from the tasks only, and
  ``enough_history`` is False so the screen can say so.
- *If tasks are done on time*: today's total plus the gain of every open task by its due
  date. An overdue task (due before today) can no longer be done on time; it counts as done
  today and is listed in ``overdue``.

Totals are clamped to [0, ``maximum``].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

Number = int | float | Decimal | Fraction
MIN_SNAPSHOTS = 2
MIN_SPAN_DAYS = 14


@dataclass(frozen=True, slots=True)
class Forecast:
    """The expected total on ``deadline`` and when the minimum is reached.

    ``basis``: ``trend`` (the pace of the snapshots) or ``tasks`` (not enough history).
    ``tasks_total``: the total on the deadline if every open task due by then is done on time.
    ``reach_date``: the first day the total reaches ``minimum`` if tasks are done on time
    (today when it already does; None when the open tasks never get there).
    """

    deadline: date
    expected_total: float
    basis: Literal["trend", "tasks"]
    enough_history: bool
    slope_per_day: float | None
    tasks_total: float
    reach_date: date | None
    reaches_by_deadline: bool
    overdue: list[tuple[date, float]]


def forecast(
    snapshots: Sequence[tuple[date, Number]],
    tasks: Sequence[tuple[date, Number]],
    current_total: Number,
    deadline: date,
    minimum: Number,
    today: date,
    maximum: Number = 100,
) -> Forecast:
    """Project the total to ``deadline`` from score snapshots ``[(date, total)]`` and open
    tasks ``[(due_date, gain in total points)]``."""
    top = float(maximum)
    current = float(current_total)
    need = float(minimum)

    def clamp(x: float) -> float:
        return min(max(x, 0.0), top)

    # Tasks: an overdue one counts as done today.
    done_on = sorted((max(due, today), float(gain)) for due, gain in tasks)
    overdue = sorted((due, float(gain)) for due, gain in tasks if due < today)
    tasks_total = clamp(current + sum(g for d, g in done_on if d <= deadline))
    reach_date: date | None = today if current >= need else None
    running = current
    for day, gain in done_on:
        if reach_date is not None:
            break
        running += gain
        if running >= need:
            reach_date = day

    slope = _slope(snapshots)
    if slope is None:
        expected, basis = tasks_total, "tasks"
    else:
        days_left = max((deadline - today).days, 0)
        expected, basis = clamp(current + slope * days_left), "trend"
    return Forecast(
        deadline=deadline,
        expected_total=expected,
        basis=basis,
        enough_history=slope is not None,
        slope_per_day=slope,
        tasks_total=tasks_total,
        reach_date=reach_date,
        reaches_by_deadline=reach_date is not None and reach_date <= deadline,
        overdue=overdue,
    )


def _slope(snapshots: Sequence[tuple[date, Number]]) -> float | None:
    """Least-squares points per day, or None with fewer than 2 snapshots or under 14 days."""
    if len(snapshots) < MIN_SNAPSHOTS:
        return None
    first = min(d for d, _ in snapshots)
    xs = [float((d - first).days) for d, _ in snapshots]
    if max(xs) < MIN_SPAN_DAYS:
        return None
    ys = [float(total) for _, total in snapshots]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
