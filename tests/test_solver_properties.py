"""Property tests of the solver on random tiny scenarios with buddies on leave, learners'
own unavailable months and pinned buddies (``scenarios(simple_buddies=False)``).

There the brute force (``tests/bruteforce.py``) names buddies greedily and may miss plans,
but every plan it yields passes the checker. So it bounds the solver from one side only:
when the solver says ``infeasible`` the brute force finds nothing, and an optimal objective
is no worse than any plan the brute force or a checker-approved mutation produces.

The last section holds the solver bugs these properties found (pinned buddies that cannot
all hold; a ``history`` that already repeats a department), as small fixed regression
scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st

from scheduler.check import check_plan
from scheduler.kpis import objective
from scheduler.models import Plan, PlanRow, RowStatus, RuleId, Scenario, month_ordinal
from scheduler.models.result import SolveResult

from .bruteforce import enumerate_plans
from .solving import build, solve_checked
from .strategies import scenarios

T = TypeVar("T")
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
EPSILON = 1e-9


# ----- (a) solve → a checked plan, or infeasible and brute force agrees ---------------------
@SETTINGS
@given(s=scenarios())
def test_solver_plan_is_checked_or_infeasible_for_brute_force_too(s: Scenario) -> None:
    result = solve_checked(s)  # asserts check_plan finds nothing and the objective matches
    assert result.status in ("optimal", "feasible", "infeasible"), result.status
    assert (result.plan is None) == (result.status == "infeasible")
    event(f"status {result.status}")
    plans = enumerate_plans(s)
    if result.plan is None:
        found = next(plans, None)
        assert found is None, f"brute force found a valid plan: {found}"
        return
    assert result.objective is not None
    if result.status == "optimal":
        # every brute-force plan is valid (check_plan accepts it): none may be better
        best = min((objective(s, p) for p in plans), default=None)
        note(f"solver {result.objective}, brute force {best}")
        assert best is None or result.objective <= best + EPSILON


# ----- (b) mutate the solver's plan → flagged, or valid and no better than the optimum ------
def _placed_rows(plan: Plan) -> list[PlanRow]:
    return [r for r in plan.rows if r.status is RowStatus.PLACED]


def _free_buddy(s: Scenario, dept: str, month: str) -> str:
    """The first buddy of the department available that month ('' when none)."""
    o = month_ordinal(month)
    return next((b.id for b in s.buddies_of[dept] if o not in s.buddy_unavailable[b.id]), "")


def _in_dept(s: Scenario, row: PlanRow, dept: str) -> PlanRow:
    """The row moved to ``dept``, naming its first available buddy when the row is placed."""
    buddy = _free_buddy(s, dept, row.month) if row.status is RowStatus.PLACED else ""
    return PlanRow.model_validate({**row.model_dump(), "department": dept, "buddy": buddy,
                                   "organisation": s.department[dept].organisation})


def _replace(plan: Plan, new: dict[int, PlanRow]) -> Plan:
    """The plan with the rows at the given positions replaced."""
    return Plan(rows=tuple(new.get(i, r) for i, r in enumerate(plan.rows)))


def _full_in(s: Scenario, plan: Plan, moved: dict[int, PlanRow]) -> list[str]:
    """Months in which a moved placed row enters a department that the other rows fill."""
    out = []
    for row in moved.values():
        if row.status is not RowStatus.PLACED:
            continue
        others = sum(1 for j, r in enumerate(plan.rows) if j not in moved
                     and r.status is RowStatus.PLACED
                     and (r.department, r.month) == (row.department, row.month))
        if others >= s.department_capacity(row.department, month_ordinal(row.month)):
            out.append(row.month)
    return out


def _assert_flagged_or_no_better(s: Scenario, result: SolveResult, plan: Plan,
                                 moved: dict[int, PlanRow], must: set[RuleId]) -> None:
    mutated = _replace(plan, moved)
    rules = {v.rule for v in check_plan(s, mutated)}
    note(f"moved {list(moved.values())}: {sorted(rules)}")
    if _full_in(s, plan, moved):
        must = must | {RuleId.CAPACITY}
    assert must <= rules, f"expected {sorted(must)}, checker found {sorted(rules)}"
    event("flagged" if rules else "still valid")
    if not rules and result.status == "optimal":
        # a valid plan: the solver's optimum cannot be worse than it
        assert result.objective is not None
        assert result.objective <= objective(s, mutated) + EPSILON


def _pick(data: st.DataObject, seq: Sequence[T], label: str) -> T:
    return data.draw(st.sampled_from(seq), label=label)


@SETTINGS
@given(data=st.data())
def test_mutated_solver_plans_are_flagged_or_no_better(data: st.DataObject) -> None:
    s = data.draw(scenarios(), label="scenario")
    result = solve_checked(s)
    assume(result.plan is not None and _placed_rows(result.plan))
    assert result.plan is not None
    plan = result.plan
    depts = sorted(s.department)
    rows = list(plan.rows)
    placed = [i for i, r in enumerate(rows) if r.status is RowStatus.PLACED]
    present = [i for i, r in enumerate(rows) if r.status is not RowStatus.UNPLACED]

    # drop a buddy: a placed row always needs one (rule 3)
    i = _pick(data, placed, "row without buddy")
    no_buddy = PlanRow.model_validate({**rows[i].model_dump(), "buddy": ""})
    _assert_flagged_or_no_better(s, result, plan, {i: no_buddy}, {RuleId.BUDDY})

    assume(len(depts) > 1)
    # move one placement, all its months, to another department
    i = _pick(data, present, "placement to move")
    lid, index = rows[i].learner, rows[i].placement
    dept = _pick(data, [d for d in depts if d != rows[i].department], "department")
    moved = {j: _in_dept(s, r, dept) for j, r in enumerate(rows) if r.learner == lid
             and r.placement == index and r.status is not RowStatus.UNPLACED}
    _assert_flagged_or_no_better(s, result, plan, moved, set())

    # change one month's department: inside a longer placement that is rule 1
    i = _pick(data, present, "month to change")
    dept = _pick(data, [d for d in depts if d != rows[i].department], "department of the month")
    same = [r for r in rows if (r.learner, r.placement) == (rows[i].learner, rows[i].placement)]
    must = {RuleId.PLACEMENT} if len(same) > 1 else set()
    _assert_flagged_or_no_better(s, result, plan, {i: _in_dept(s, rows[i], dept)}, must)


# ----- solver bugs these properties found, kept as regression scenarios ------------------
def _tiny(**tables: Any) -> Scenario:
    """One organisation, fixed departments D0 and D1 of capacity 2, a 1-month window."""
    return build(
        calendar={"start": "2027-09", "months": 1},
        organisations=[{"id": "O0", "sector": "VVT", "fte_care": 10, "lat": 52.0, "lon": 6.0}],
        departments=[{"id": d, "organisation": "O0", "shifts": "fixed", "capacity": 2}
                     for d in ("D0", "D1")],
        **tables,
    )


_LEARNER = {"programme": "P0", "home": "O0", "start": "2027-09"}
_BUDDY_PINS = {
    # b0a is on leave in the pinned month (validate reports it; solve does not)
    "pinned buddy on leave": (
        [{"id": "L0", **_LEARNER}],
        [{"learner": "L0", "department": "D0", "month": "2027-09", "buddy": "b0a"}],
        ["2027-09"],
    ),
    # two learners pinned to b0a, who guides at most one (validate reports it)
    "pinned buddy over max_learners": (
        [{"id": "L0", **_LEARNER}, {"id": "L1", **_LEARNER}],
        [{"learner": lid, "department": "D0", "month": "2027-09", "buddy": "b0a"}
         for lid in ("L0", "L1")],
        [],
    ),
    # two pins name different buddies for one learner and month (validate is silent)
    "two pinned buddies in one month": (
        [{"id": "L0", **_LEARNER}],
        [{"learner": "L0", "department": "D0", "month": "2027-09", "buddy": b}
         for b in ("b0a", "b0b")],
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(_BUDDY_PINS))
def test_pins_whose_buddies_cannot_all_hold_have_no_plan(case: str) -> None:
    # a pinned learner cannot be left unplaced, and rule 3 or the pin must break: no plan
    learners, pins, leave = _BUDDY_PINS[case]
    s = _tiny(
        buddies=[{"id": "b0a", "department": "D0", "max_learners": 1, "unavailable": leave},
                 {"id": "b0b", "department": "D0", "max_learners": 1},
                 {"id": "b1a", "department": "D1", "max_learners": 1}],
        programmes=[{"id": "P0", "kind": "trainee", "placements": [1]}],
        learners=learners,
        pins=pins,
    )
    assert solve_checked(s).status == "infeasible"


def test_solver_and_checker_agree_on_a_history_that_repeats_a_department() -> None:
    # L0 started 2027-07 on placements [1, 1, 1]: 2027-07 and 2027-08 are history, both D0;
    # only 2027-09 (placement 3) is planned. No placement can keep rule 6: L0 stays unplaced.
    s = _tiny(
        buddies=[{"id": "b0a", "department": "D0", "max_learners": 1},
                 {"id": "b1a", "department": "D1", "max_learners": 1}],
        programmes=[{"id": "P0", "kind": "trainee", "placements": [1, 1, 1]}],
        learners=[{"id": "L0", "programme": "P0", "home": "O0", "start": "2027-07",
                   "history": ["D0", "D0"]}],
    )
    result = solve_checked(s)  # asserts check_plan accepts the solver's plan
    assert result.plan is not None and result.plan.unplaced_learners() == {"L0"}
