"""Repairing the greedy plan: learners left out are placed by moving placed ones aside.

Each repaired plan is re-checked by the independent checker; the property test compares
the repaired plan with the greedy plan it started from on random scenarios.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings

from scheduler.check import check_plan
from scheduler.models import RuleId
from scheduler.solver.cpsat.model import build as build_model
from scheduler.solver.extract import build_plan
from scheduler.solver.heuristics.greedy import greedy_assignment
from scheduler.solver.options import SolveOptions
from tests.factories import buddy, department, learner, organisation, programme, world
from tests.solving import solve_checked
from tests.strategies import scenarios

NODES = 100_000


def _greedy(ctx, nodes: int) -> dict[int, int]:
    return greedy_assignment(
        ctx.ix, ctx.t_row, ctx.t_dept, ctx.combined_cost(), *ctx.learner_needs(),
        unplaced_cost=ctx.unplaced_costs("weighted"), repair_nodes=nodes,
    )


def _placed(ctx, chosen: dict[int, int]) -> dict[str, str]:
    """learner id → the department of its (only) placement, for placed learners."""
    ix = ctx.ix
    return {ix.learners[ix.rows[r].learner].id: ix.departments[d] for r, d in chosen.items()}


def _checked(ctx, chosen: dict[int, int]) -> None:
    ix = ctx.ix
    plan = build_plan(ix, {r: ix.departments[d] for r, d in chosen.items()},
                      ctx.fixed_buddies)
    assert check_plan(ix.scenario, plan) == []


def _chain_world(with_c: bool):
    """One placement of three months. L1 and L2 start in September, L3 in October.

    L1 (level 3) prefers A-1 and may go to B-1; L2 (level 4) prefers B-1 and may go to
    A-1 or C-1 (levels 4 only); L3 (level 2) fits A-1 only. The greedy books L1 in A-1
    and L2 in B-1, and L3 finds A-1 full. Moving L1 to B-1 needs L2 moved to C-1: a
    chain of two evictions (without C-1, none works).
    """
    depts = [department("A-1", "A"), department("B-1", "B", levels=[3, 4])]
    buddies = [buddy("a1", "A-1"), buddy("b1", "B-1")]
    if with_c:
        depts.append(department("C-1", "C", levels=[4]))
        buddies.append(buddy("c1", "C-1"))
    return world(
        organisations=[organisation("A"), organisation("B", "GGZ", lat=52.1, lon=6.1),
                       organisation("C", lat=52.05, lon=6.05)],
        departments=depts,
        buddies=buddies,
        programmes=[programme(placements=[3])],
        learners=[
            learner("L1", level=3, preferences=["A-1"]),
            learner("L2", level=4, preferences=["B-1"]),
            learner("L3", level=2, start="2027-10"),
        ],
    )


def _eviction_world(**policy):
    """L1 (level 3, September) prefers A-1 and may go to B-1; L2 (level 2, October) fits
    A-1 only (B-1 takes levels 3 and 4). One placement of three months each."""
    return world(
        departments=[department("A-1", "A"), department("B-1", "B", levels=[3, 4])],
        buddies=[buddy("a1", "A-1"), buddy("b1", "B-1")],
        programmes=[programme(placements=[3])],
        learners=[learner("L1", level=3, preferences=["A-1"]),
                  learner("L2", level=2, start="2027-10")],
        policy=policy,
    )


def test_one_eviction_places_the_learner_the_greedy_left_out():
    s = _eviction_world()
    ctx = build_model(s, SolveOptions())
    assert _placed(ctx, _greedy(ctx, 0)) == {"L1": "A-1"}  # L2 finds A-1 full
    repaired = _greedy(ctx, NODES)
    assert _placed(ctx, repaired) == {"L1": "B-1", "L2": "A-1"}
    _checked(ctx, repaired)
    assert _placed(ctx, ctx.greedy) == {"L1": "B-1", "L2": "A-1"}  # the solver's greedy
    r = solve_checked(s, use_hint=True)
    assert r.plan is not None and r.plan.unplaced_learners() == set()


def test_a_chain_of_two_evictions():
    ctx = build_model(_chain_world(with_c=True), SolveOptions())
    assert _placed(ctx, _greedy(ctx, 0)) == {"L1": "A-1", "L2": "B-1"}
    repaired = _greedy(ctx, NODES)
    assert _placed(ctx, repaired) == {"L1": "B-1", "L2": "C-1", "L3": "A-1"}
    _checked(ctx, repaired)


def test_a_failed_chain_changes_nothing():
    ctx = build_model(_chain_world(with_c=False), SolveOptions())
    assert _placed(ctx, _greedy(ctx, NODES)) == _placed(ctx, _greedy(ctx, 0))


def test_no_budget_no_repair():
    ctx = build_model(_chain_world(with_c=True), SolveOptions())
    assert _greedy(ctx, 1) == _greedy(ctx, 0)


def test_a_repair_that_costs_more_than_it_saves_is_not_made():
    # The unplaced weight is below the preference L1 gives up by moving: L2 stays out.
    s = _eviction_world(weights={"unplaced": 0.5, "preference": 10})
    ctx = build_model(s, SolveOptions())
    assert _placed(ctx, _greedy(ctx, NODES)) == {"L1": "A-1"}


def _cost(ctx, chosen: dict[int, int]) -> float:
    """Placement costs plus unplaced costs: what the repair promises not to raise."""
    ix = ctx.ix
    cost = ctx.combined_cost()
    at = {(int(r), int(d)): float(c) for r, d, c in zip(ctx.t_row, ctx.t_dept, cost,
                                                       strict=True)}
    total = sum(at[(r, d)] for r, d in chosen.items())
    unplaced = ctx.unplaced_costs("weighted")
    placed = {ix.rows[r].learner for r in chosen}
    return total + sum(float(unplaced[li]) for li in range(len(ix.learners))
                       if li not in placed and not ix.forced_unplaced[li])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_learners=6))
def test_repair_never_places_fewer_nor_costs_more(scenario):
    ctx = build_model(scenario, SolveOptions())
    before, after = _greedy(ctx, 0), _greedy(ctx, NODES)
    ix = ctx.ix
    placed_before = {ix.rows[r].learner for r in before}
    placed_after = {ix.rows[r].learner for r in after}
    assert len(placed_after) >= len(placed_before)
    assert _cost(ctx, after) <= _cost(ctx, before) + 1e-6
    for chosen in (before, after):  # every placed learner is placed in full
        assert all(all(r in chosen for r in ix.rows_of[li])
                   for li in {ix.rows[r].learner for r in chosen})
    if placed_after != placed_before or after != before:
        plan_before = build_plan(ix, {r: ix.departments[d] for r, d in before.items()},
                                 ctx.fixed_buddies)
        plan_after = build_plan(ix, {r: ix.departments[d] for r, d in after.items()},
                                ctx.fixed_buddies)
        # the repair keeps every rule the greedy keeps (the fair-share tolerance is not
        # the greedy's: compare with the greedy plan's own violations)
        rules_before = {v.rule for v in check_plan(scenario, plan_before)}
        rules_after = {v.rule for v in check_plan(scenario, plan_after)}
        assert rules_after <= rules_before | {RuleId.FAIR_SHARE}, rules_after
    assert np.all(ctx.ix.effcap >= 0)


def test_repairing_a_given_plan_and_stopping_it():
    ctx = build_model(_chain_world(with_c=True), SolveOptions())
    plain = _greedy(ctx, 0)
    cost = ctx.combined_cost()
    stopped = ctx.repair_plan(plain, cost, "weighted", 1.0, stop=lambda: True)  # Ctrl-C
    assert stopped == plain
    repaired = ctx.repair_plan(plain, cost, "weighted", 1.0)
    assert _placed(ctx, repaired) == {"L1": "B-1", "L2": "C-1", "L3": "A-1"}
    assert _placed(ctx, plain) == {"L1": "A-1", "L2": "B-1"}  # a copy was repaired
    lexicographic = ctx.repair_plan(plain, cost, "lexicographic", 1.0)
    assert _placed(ctx, lexicographic) == _placed(ctx, repaired)


def _units_but_buddy_changes(scenario, ix, chosen, fixed_buddies) -> int:
    """The plan's objective (kpis.py) less buddy changes, which buddies named later set."""
    from dataclasses import replace

    from scheduler.kpis import term_values
    from scheduler.models.objective import Coefficients

    plan = build_plan(ix, {r: ix.departments[d] for r, d in chosen.items()}, fixed_buddies)
    terms = replace(term_values(scenario, plan), buddy_change=0)
    return terms.units(Coefficients.from_weights(scenario.policy.weights))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_learners=6))
def test_moving_placed_learners_never_raises_the_objective(scenario):
    # The moves weigh the fair-share term exactly (kpis.py recomputes it from the plan),
    # so the plan with moves never scores worse than the same plan without them.
    import pytest

    from scheduler.solver.cpsat.model import _fair_share_tracker
    from scheduler.solver.heuristics import repair

    ctx = build_model(scenario, SolveOptions())
    first = greedy_assignment(  # the first plan, as the solver makes it (fair-share aware)
        ctx.ix, ctx.t_row, ctx.t_dept, ctx.combined_cost(), *ctx.learner_needs(),
        fair=_fair_share_tracker(ctx))

    def repaired() -> dict[int, int]:
        return ctx.repair_plan(first, ctx.combined_cost(), "weighted", 1.0)

    moved = repaired()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(repair, "MOVE_NODES", {})
        unmoved = repaired()
    assert set(moved) == set(unmoved)  # moves keep every placement
    assert (_units_but_buddy_changes(scenario, ctx.ix, moved, ctx.fixed_buddies)
            <= _units_but_buddy_changes(scenario, ctx.ix, unmoved, ctx.fixed_buddies))
