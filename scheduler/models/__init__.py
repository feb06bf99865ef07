"""Frozen, validated problem data (docs/scenario-format.md) and the solver-free plan
(docs/outputs.md#plancsv)."""

from .calendar import (
    Calendar,
    Month,
    add_months,
    month_ordinal,
    ordinal_month,
    parse_month,
)
from .geo import distance_km
from .learner import Learner, Pin
from .organisation import Buddy, Department, Organisation, ShiftKind
from .plan import PLAN_COLUMNS, Plan, PlanRow, RowStatus
from .policy import Policy, Weights
from .programme import Programme
from .rules import RuleId
from .scenario import PlacementSpan, Scenario

__all__ = [
    "PLAN_COLUMNS",
    "Buddy",
    "Calendar",
    "Department",
    "Learner",
    "Month",
    "Organisation",
    "Pin",
    "PlacementSpan",
    "Plan",
    "PlanRow",
    "Policy",
    "Programme",
    "RowStatus",
    "RuleId",
    "Scenario",
    "ShiftKind",
    "Weights",
    "add_months",
    "distance_km",
    "month_ordinal",
    "ordinal_month",
    "parse_month",
]
