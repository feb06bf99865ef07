"""The per-month capacity bound on how many learners any plan places
(``scheduler/solver/lp/capacity_bound.py``): never below what a plan places, exact where
the region's monthly capacity is what binds, and reported by a solve that leaves
learners out."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings

from scheduler.models import Scenario
from scheduler.solver.cpsat.model import build
from scheduler.solver.lp.capacity_bound import most_placeable
from scheduler.solver.options import SolveOptions
from tests.bruteforce import enumerate_plans
from tests.solving import solve_checked
from tests.strategies import scenarios


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_plan_places_more_than_the_bound(scenario):
    most = max((len(p.placed_learners()) for p in enumerate_plans(scenario)), default=None)
    upper = most_placeable(build(scenario, SolveOptions(quiet=True)).ix, 10)
    if most is None:  # no plan at all (conflicting pins): nothing to hold the bound to
        return
    assert upper is not None and most <= upper <= len(scenario.learners)
    event("tight" if upper == most else "not tight")


def _crowded(learners: int, capacity: int) -> Scenario:
    return Scenario.model_validate({
        "scenario": 1, "name": "crowded", "calendar": {"start": "2027-09", "months": 3},
        "policy": {"max_travel_km": 50.0},
        "organisations": [{"id": "O", "sector": "VVT", "fte_care": 100, "lat": 52, "lon": 6}],
        "departments": [{"id": "D", "organisation": "O", "shifts": "fixed",
                         "capacity": capacity}],
        "buddies": [{"id": "b", "department": "D", "max_learners": capacity}],
        "programmes": [{"id": "P", "kind": "bbl", "placements": [3]}],
        "learners": [{"id": f"L{i}", "programme": "P", "home": "O", "start": "2027-09"}
                     for i in range(learners)],
    })


def test_the_bound_is_the_monthly_capacity_where_that_binds():
    scenario = _crowded(learners=5, capacity=3)
    assert most_placeable(build(scenario, SolveOptions(quiet=True)).ix, 10) == 3


def test_a_solve_that_leaves_learners_out_says_how_many_could_be_placed_at_most():
    scenario = _crowded(learners=5, capacity=3)
    result = solve_checked(scenario, time_limit=10, workers=2)
    assert result.plan is not None and len(result.plan.placed_learners()) == 3
    assert result.placed_upper_bound == 3
    assert result.placed_bound_source in ("capacity-per-month", "highs-lp", "cp-sat")
