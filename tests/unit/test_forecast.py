"""The deadline forecast, on hand-computed cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wbk.planner import forecast

DEADLINE = date(2026, 5, 31)


def test_without_history_the_forecast_comes_from_the_tasks():
    result = forecast(
        snapshots=[(date(2026, 3, 1), 70)],  # one snapshot: not enough history
        tasks=[(date(2026, 4, 10), 2.0), (date(2026, 3, 20), 1.5), (date(2026, 6, 15), 3)],
        current_total=72,
        deadline=DEADLINE,
        minimum=75,
        today=date(2026, 4, 1),
    )
    assert not result.enough_history and result.basis == "tasks"
    assert result.slope_per_day is None
    # The 20 March task is overdue (counted as done today); the 15 June one is after the
    # deadline: 72 + 1.5 + 2.0 = 75.5 on the deadline.
    assert result.overdue == [(date(2026, 3, 20), 1.5)]
    assert result.tasks_total == pytest.approx(75.5)
    assert result.expected_total == pytest.approx(75.5)
    # 72 + 1.5 = 73.5 today, + 2.0 = 75.5 >= 75 on 10 April.
    assert result.reach_date == date(2026, 4, 10)
    assert result.reaches_by_deadline


def test_snapshots_spanning_under_14_days_are_not_enough():
    result = forecast(
        snapshots=[(date(2026, 3, 1), 70), (date(2026, 3, 10), 74)],  # 9 days apart
        tasks=[],
        current_total=74,
        deadline=DEADLINE,
        minimum=75,
        today=date(2026, 3, 10),
    )
    assert not result.enough_history and result.basis == "tasks"
    assert result.expected_total == 74 and result.reach_date is None
    assert not result.reaches_by_deadline


def test_the_pace_of_the_snapshots_carries_to_the_deadline():
    # Two points every 14 days: slope 2/14 = 1/7 a day. From 1 March to 31 May is
    # 31 + 30 + 30 = 91 days: 66 + 91/7 = 79.
    snapshots = [(date(2026, 1, 1), 60), (date(2026, 1, 15), 62), (date(2026, 1, 29), 64)]
    result = forecast(
        snapshots, [], current_total=66, deadline=DEADLINE, minimum=75, today=date(2026, 3, 1)
    )
    assert result.enough_history and result.basis == "trend"
    assert result.slope_per_day == pytest.approx(1 / 7)
    assert result.expected_total == pytest.approx(79)
    assert result.tasks_total == 66 and result.reach_date is None  # no tasks


def test_least_squares_slope_of_uneven_snapshots():
    # Days 0, 10, 20 with totals 60, 64, 62: mean day 10, mean total 62;
    # sum((x - 10)(y - 62)) = (-10)(-2) + 0 + 10 x 0 = 20; sum((x - 10)^2) = 200: 0.1 a day.
    start = date(2026, 1, 1)
    snapshots = [(start, 60), (start + timedelta(10), 64), (start + timedelta(20), 62)]
    today = start + timedelta(20)
    result = forecast(snapshots, [], 62, today + timedelta(30), 75, today)
    assert result.slope_per_day == pytest.approx(0.1)
    assert result.expected_total == pytest.approx(65)  # 62 + 0.1 x 30


def test_the_forecast_stays_within_0_and_100():
    start = date(2026, 1, 1)
    rising = [(start, 50), (start + timedelta(14), 78)]  # 2 points a day
    today = start + timedelta(14)
    result = forecast(rising, [], 78, today + timedelta(30), 75, today)
    assert result.expected_total == 100  # 78 + 60 = 138, clamped
    falling = [(start, 20), (start + timedelta(14), 6)]  # -1 a day
    result = forecast(falling, [], 6, today + timedelta(30), 75, today)
    assert result.expected_total == 0  # 6 - 30, clamped


def test_already_at_the_minimum_is_reached_today_and_a_past_deadline_adds_nothing():
    start = date(2026, 1, 1)
    snapshots = [(start, 70), (start + timedelta(20), 80)]
    today = date(2026, 6, 10)  # after the deadline
    result = forecast(snapshots, [(date(2026, 7, 1), 2)], 80, DEADLINE, 75, today)
    assert result.reach_date == today and result.reaches_by_deadline is False
    assert result.expected_total == 80  # no days left to the deadline
    assert result.overdue == [] and result.tasks_total == 80
