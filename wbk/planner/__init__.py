"""Pure planning: the cheapest answer changes that pass every WBK/WBBM gate, and forecasts."""

from wbk.planner.efforts import (
    EffortError,
    EffortRow,
    effort_model,
    parse_effort_csv,
    read_effort_rows,
)
from wbk.planner.forecast import Forecast, forecast
from wbk.planner.model import Blocker, Plan, Standing, Step
from wbk.planner.solve import PlanError, PlanVerificationError, parse_budget, plan

__all__ = [
    "Blocker",
    "EffortError",
    "EffortRow",
    "Forecast",
    "Plan",
    "PlanError",
    "PlanVerificationError",
    "Standing",
    "Step",
    "effort_model",
    "forecast",
    "parse_budget",
    "parse_effort_csv",
    "plan",
    "read_effort_rows",
]
