"""Re-planning: a plan is stable against itself; frozen months are kept bit for bit."""

from __future__ import annotations

from scheduler.models import Plan, RowStatus, Scenario
from tests.solving import build, solve_checked

ORGS = [
    {"id": "A", "sector": "VVT", "fte_care": 200, "lat": 52.22, "lon": 6.89},
    {"id": "B", "sector": "GGZ", "fte_care": 100, "lat": 52.26, "lon": 6.79},
]


def _scenario(extra_learners: int = 0, capacity_b: int = 2) -> Scenario:
    learners = [
        {
            "id": f"L{i:02d}",
            "programme": "tr" if i % 2 else "bbl",
            "home": "A" if i % 3 else "B",
            "start": "2027-09" if i < 4 else "2027-11",
            "preferences": ["B1"] if i % 4 == 0 else [],
        }
        for i in range(6 + extra_learners)
    ]
    return build(
        organisations=ORGS,
        departments=[
            {"id": "A1", "organisation": "A", "shifts": "fixed", "capacity": 2},
            {"id": "A2", "organisation": "A", "shifts": "rotating", "capacity": 2},
            {"id": "B1", "organisation": "B", "shifts": "fixed", "capacity": capacity_b},
            {"id": "B2", "organisation": "B", "shifts": "rotating", "capacity": 1},
        ],
        buddies=[{"id": f"b{d}", "department": d} for d in ("A1", "A2", "B1", "B2")]
        + [{"id": "bA1x", "department": "A1", "unavailable": ["2028-01/2028-02"]}],
        programmes=[
            {"id": "tr", "kind": "trainee", "placements": [3, 3], "carrousel_min_away": 1},
            {"id": "bbl", "kind": "bbl", "placements": [2, 4], "starter_fixed_shifts_months": 2},
        ],
        learners=learners,
    )


def _rows(plan: Plan) -> dict[tuple[str, str], tuple[str, str, str]]:
    return {(r.learner, r.month): (r.department, r.buddy, r.status.value) for r in plan.rows}


def test_replanning_against_its_own_plan_changes_nothing():
    s = _scenario()
    first = solve_checked(s)
    assert first.plan is not None
    again = solve_checked(s, baseline=first.plan)
    assert again.plan is not None
    assert {k: v[0] for k, v in _rows(again.plan).items()} == {
        k: v[0] for k, v in _rows(first.plan).items()
    }


def test_freeze_keeps_frozen_months_bit_for_bit_after_a_change():
    s = _scenario()
    first = solve_checked(s)
    assert first.plan is not None
    changed = _scenario(extra_learners=2, capacity_b=3)  # new learners, more room at B1
    again = solve_checked(changed, baseline=first.plan, freeze_until="2027-12")
    assert again.plan is not None
    old, new = _rows(first.plan), _rows(again.plan)
    frozen = {k for k in old if k[1] < "2027-12"}
    assert frozen and all(new[k] == old[k] for k in frozen)


def test_stability_term_counts_changed_months():
    s = _scenario()
    first = solve_checked(s)
    assert first.plan is not None
    # Force a change: drop B1's capacity so its learners must move.
    smaller = _scenario(capacity_b=0)
    moved = solve_checked(smaller, baseline=first.plan)
    assert moved.plan is not None
    before = {k: v[0] for k, v in _rows(first.plan).items() if v[2] != "unplaced"}
    after = {k: v[0] for k, v in _rows(moved.plan).items() if v[2] != "unplaced"}
    expected = sum(1 for k in set(before) | set(after) if before.get(k, "") != after.get(k, ""))
    from scheduler.kpis import changed_months

    assert changed_months(smaller, moved.plan, first.plan) == expected > 0
    assert all(r.department != "B1" for r in moved.plan.rows if r.status is RowStatus.PLACED)
