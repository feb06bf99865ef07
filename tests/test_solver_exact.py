"""Exactness: on tiny random scenarios the solver's optimum equals brute force."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from scheduler.kpis import objective
from scheduler.models import Scenario
from tests.bruteforce import enumerate_plans
from tests.solving import solve_checked
from tests.strategies import scenarios


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(simple_buddies=True))
def test_optimum_equals_brute_force(scenario: Scenario):
    best, fewest_unplaced = None, None
    for plan in enumerate_plans(scenario):
        value = objective(scenario, plan)
        best = value if best is None else min(best, value)
        n = len(plan.unplaced_learners())
        fewest_unplaced = n if fewest_unplaced is None else min(fewest_unplaced, n)
    result = solve_checked(scenario)  # also runs the independent checker
    if best is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    assert result.plan is not None
    assert abs(result.objective - best) < 1e-9  # type: ignore[operator]
    # unplaced learners are reported exactly when no plan places them all
    assert len(result.plan.unplaced_learners()) == fewest_unplaced
    assert {u.learner for u in result.unplaced} == result.plan.unplaced_learners()
