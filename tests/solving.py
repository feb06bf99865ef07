"""Solve helper for tests: every plan is re-checked by the independent checker."""

from __future__ import annotations

from typing import Any

from scheduler.check import check_plan
from scheduler.kpis import objective
from scheduler.models import Scenario
from scheduler.models.result import SolveResult
from scheduler.solver import SolveOptions, solve


def build(**tables: Any) -> Scenario:
    """A scenario from keyword tables with small defaults for what is not given."""
    data: dict[str, Any] = {
        "calendar": {"start": "2027-09", "months": 12},
        "organisations": [
            {"id": "A", "sector": "VVT", "fte_care": 100, "lat": 52.22, "lon": 6.89},
        ],
    }
    data.update(tables)
    return Scenario.model_validate(data)


def solve_checked(scenario: Scenario, **options: Any) -> SolveResult:
    options.setdefault("workers", 1)
    options.setdefault("time_limit", 20)
    result = solve(scenario, SolveOptions(**options))
    if result.plan is not None:
        violations = check_plan(scenario, result.plan)
        assert violations == [], "\n".join(map(str, violations))
        assert not [n for n in result.notes if "mismatch" in n], result.notes
        assert result.objective == objective(scenario, result.plan, options.get("baseline"))
    return result


def departments_of(result: SolveResult, learner: str) -> list[str]:
    assert result.plan is not None
    return [d for _, d in sorted(result.plan.placement_departments(learner).items())]
