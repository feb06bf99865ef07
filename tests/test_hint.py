"""The hint CP-SAT starts large solves from: a fair-share-aware greedy, then LP-guided.

Every solve goes through ``solve_checked`` (independent checker + objective recomputed).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from scheduler.check import check_plan
from scheduler.generate import generate_region
from scheduler.solver import pipeline
from scheduler.solver.budget import Budget
from scheduler.solver.cpsat.hints import complete_hint
from scheduler.solver.cpsat.model import build as build_model
from scheduler.solver.cpsat.stages import unplaced_count
from scheduler.solver.extract import build_plan
from scheduler.solver.lp.guide import lp_guided_hint, placement_guided_hint
from scheduler.solver.lp.relaxation import lp_values
from scheduler.solver.options import SolveOptions
from tests.solving import build, solve_checked

ROOT = Path(__file__).resolve().parent.parent

ORGS = [
    {"id": "A", "sector": "VVT", "fte_care": 100, "lat": 52.22, "lon": 6.89},
    {"id": "B", "sector": "VVT", "fte_care": 100, "lat": 52.26, "lon": 6.79},
]


def _two_organisations(fair_share: float):
    return build(
        organisations=ORGS,
        departments=[
            {"id": "A1", "organisation": "A", "shifts": "fixed", "capacity": 2},
            {"id": "B1", "organisation": "B", "shifts": "fixed", "capacity": 2},
        ],
        buddies=[{"id": f"b{d}", "department": d, "max_learners": 2} for d in ("A1", "B1")],
        programmes=[{"id": "p", "kind": "bbl", "placements": [2]}],
        learners=[
            {"id": "L1", "programme": "p", "home": "A", "start": "2027-09"},
            {"id": "L2", "programme": "p", "home": "A", "start": "2027-09"},
        ],
        policy={"weights": {"fair_share": fair_share}},
    )


@pytest.mark.parametrize(("fair_share", "expected"), [(1.0, {"A1", "B1"}), (0.0, {"A1"})])
def test_greedy_weighs_the_fair_share_of_what_it_books(fair_share, expected):
    # Both learners live at A (B is ~8 km away: 0.8 per placement). Both at A deviate
    # 4 learner-months from the equal shares; with the fair-share weight the greedy sends
    # one to B, without it both stay at A.
    s = _two_organisations(fair_share)
    ctx = build_model(s, SolveOptions())
    assert {ctx.ix.departments[d] for d in ctx.greedy.values()} == expected
    r = solve_checked(s, use_hint=True)
    assert r.plan is not None and r.plan.unplaced_learners() == set()


def test_the_repair_moves_no_learner_against_the_fair_share():
    # Moving the learner at B back to A saves its travel (0.8) but costs more fair share
    # (4 learner-months of deviation each way): the repair's moves weigh both.
    s = _two_organisations(1.0)
    ctx = build_model(s, SolveOptions())
    repaired = ctx.repair_plan(ctx.greedy, ctx.combined_cost(), "weighted", 1.0)
    assert {ctx.ix.departments[d] for d in repaired.values()} == {"A1", "B1"}


def _solve_lp(build_constraints, objective) -> float:
    model = cp_model.CpModel()
    x, y, z = (model.new_bool_var(n) for n in "xyz")
    build_constraints(model, x, y, z)
    model.minimize(objective(x, y, z))
    values = lp_values(model, time_limit=10)
    assert values is not None
    return float(sum(c * v for c, v in zip(
        model.proto.objective.coeffs, values[list(model.proto.objective.vars)], strict=True)))


@pytest.mark.parametrize(
    ("constraints", "objective", "expected"),
    [
        (lambda m, x, y, z: m.add_at_most_one([x, y]), lambda x, y, z: -x - y, -1.0),
        (lambda m, x, y, z: m.add_bool_or([~x, ~y]), lambda x, y, z: -x - y, -1.0),
        (lambda m, x, y, z: m.add_exactly_one([x, y]), lambda x, y, z: x + 2 * y, 1.0),
        (lambda m, x, y, z: m.add(2 * x + 2 * y <= 3), lambda x, y, z: -x - y, -1.5),
        # an enforced constraint is left out: the relaxation only gets weaker
        (lambda m, x, y, z: m.add(x + y <= 0).only_enforce_if(z), lambda x, y, z: -x - y - z,
         -3.0),
    ],
)
def test_the_lp_relaxation_reads_each_constraint_kind(constraints, objective, expected):
    assert _solve_lp(constraints, objective) == pytest.approx(expected)


def _first_choice_or_swap():
    # L1 comes first and takes D1 (its first choice): 3 + 1 = 4 points. L1 in D2 and L2
    # in D1 scores 2 + 3 = 5.
    return build(
        departments=[
            {"id": "D1", "organisation": "A", "shifts": "fixed", "capacity": 1},
            {"id": "D2", "organisation": "A", "shifts": "fixed", "capacity": 1},
            {"id": "D3", "organisation": "A", "shifts": "fixed", "capacity": 0},
        ],
        buddies=[{"id": f"b{d}", "department": d} for d in ("D1", "D2", "D3")],
        programmes=[{"id": "p", "kind": "bbl", "placements": [2]}],
        learners=[
            {"id": "L1", "programme": "p", "home": "A", "start": "2027-09",
             "preferences": ["D1", "D2", "D3"]},
            {"id": "L2", "programme": "p", "home": "A", "start": "2027-09",
             "preferences": ["D1", "D3", "D2"]},
        ],
    )  # fmt: skip


def _named(ctx) -> dict[str, str]:
    return {ctx.ix.learners[ctx.ix.rows[r].learner].id: ctx.ix.departments[d]
            for r, d in ctx.greedy.items()}


def test_the_lp_guides_the_hint_past_a_greedy_choice():
    # The first greedy plan (no moves: it must come soon) keeps L1 in D1; the LP sees the
    # swap and the guided greedy follows it.
    s = _first_choice_or_swap()
    options = SolveOptions(workers=1, time_limit=10, use_hint=True)
    ctx = build_model(s, options)
    assert _named(ctx) == {"L1": "D1", "L2": "D2"}
    budget = Budget.seconds(options.time_limit)
    greedy_units = complete_hint(ctx, budget, ctx.greedy)
    guided = lp_guided_hint(ctx, options, budget, greedy_units)
    assert guided is not None and guided < greedy_units
    assert _named(ctx) == {"L1": "D2", "L2": "D1"}
    r = solve_checked(s, use_hint=True)
    assert r.status == "optimal"
    assert r.plan is not None and r.plan.placement_departments("L1") == {1: "D2"}


def test_the_repair_moves_a_placed_learner_where_that_costs_less():
    # The greedy's first choice for L1 blocks L2's; moving L2 into D1 (L1 evicted, placed
    # again in D2) gains a point, so the repaired plan is the swap.
    ctx = build_model(_first_choice_or_swap(), SolveOptions(workers=1, time_limit=10))
    assert _named(ctx) == {"L1": "D1", "L2": "D2"}
    ctx.greedy = ctx.repair_plan(ctx.greedy, ctx.combined_cost(), "weighted", 1.0)
    assert _named(ctx) == {"L1": "D2", "L2": "D1"}


def test_a_stop_request_ends_the_lp_relaxation():
    ctx = build_model(generate_region(60, 8, 101), SolveOptions())
    assert lp_values(ctx.model, time_limit=30) is not None
    assert lp_values(ctx.model, time_limit=30, stop=lambda: True) is None


def _tight_region():
    """300 learners for the places of about 260 (utilisation 115 %), pruned: the greedy
    plan leaves 49 out, of whom the LP of placed learners shows where most fit."""
    return generate_region(300, 20, 4, utilisation=1.15)


def test_the_placement_lp_guides_a_tight_plan_to_place_more():
    options = SolveOptions(workers=1, time_limit=30, use_hint=True, prune_above=100)
    ctx = build_model(_tight_region(), options)
    assert ctx.pruned
    budget = Budget.seconds(options.time_limit)
    greedy_units = complete_hint(ctx, budget, ctx.greedy)
    left_out = unplaced_count(ctx, set(ctx.greedy))
    assert left_out >= 45  # measured 49: the plan the LP must improve on
    guided = placement_guided_hint(ctx, options, budget, greedy_units)
    assert ctx.stats["placement_lp"]["status"] == "Optimal"
    assert guided is not None and guided < greedy_units
    assert unplaced_count(ctx, set(ctx.greedy)) <= left_out - 5  # measured 40


def test_batches_of_left_out_learners_are_placed_after_the_placement_lp():
    """``pipeline._place_in_batches``: the learners the guided plan still leaves out go
    through the repair MIP a few at a time (L-tight: the full LP does not come in time)."""
    scenario = _tight_region()
    options = SolveOptions(workers=1, time_limit=60, use_hint=True, prune_above=100)
    ctx = build_model(scenario, options)
    budget = Budget.seconds(options.time_limit)
    units = placement_guided_hint(ctx, options, budget, complete_hint(ctx, budget, ctx.greedy))
    assert units is not None and ctx.placement_x is not None
    left_out = unplaced_count(ctx, set(ctx.greedy))
    after = pipeline._place_in_batches(ctx, budget, units, ctx.placement_x, lambda: False)
    batches = ctx.stats["placement_batches"]
    assert batches["batches"] >= 1 and batches["placed"] >= 1
    assert unplaced_count(ctx, set(ctx.greedy)) == left_out - batches["placed"]
    assert after < units and ctx.lp_x is None
    plan = build_plan(ctx.ix, {r: ctx.ix.departments[d] for r, d in ctx.greedy.items()},
                      ctx.fixed_buddies)
    assert check_plan(scenario, plan) == []


def test_a_tight_pruned_solve_runs_the_placement_lp_first():
    scenario = _tight_region()
    events = []
    result = pipeline.solve(scenario, SolveOptions(workers=1, time_limit=15, use_hint=True,
                                                   prune_above=100), progress=events.append)
    assert result.model["placement_lp"]["status"] == "Optimal"
    assert "placement_batches" in result.model  # then the left-out in batches (time allowing)
    documented = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    assert not [key for key in result.model if f"`{key}`" not in documented]
    phases = [e.phase for e in events if not e.heartbeat]
    assert phases.index("first_plan") < phases.index("placement") < phases.index("lp")
    assert result.plan is not None and check_plan(scenario, result.plan) == []
    assert len(scenario.learners) - len(result.plan.unplaced_learners()) >= 255


def test_a_region_with_room_for_everyone_skips_the_placement_lp():
    result = solve_checked(generate_region(120, 10, 7), use_hint=True, prune_above=100,
                           time_limit=10)
    assert "placement_lp" not in result.model


def test_the_placement_lp_uses_pdlp_values_that_highs_calls_unknown_after_postsolve():
    # On this region PDLP converges (217.0 left out) but HiGHS's check after postsolve
    # finds the duals off and reports "Unknown"; the primal values are feasible, and as a
    # guide they are used (before, the phase returned nothing there).
    from scheduler.solver.lp import placement_lp

    ctx = build_model(generate_region(1500, 60, 4, utilisation=1.15),
                      SolveOptions(workers=1, time_limit=30, use_hint=True, prune_above=100))
    x = placement_lp.placement_values(ctx, 20)
    stats = ctx.stats["placement_lp"]
    assert stats["status"] == "Unknown" and stats["unplaced"] is not None
    assert x is not None and len(x) == len(ctx.x) and 0.0 <= x.min() <= x.max() <= 1.0
    assert abs(stats["unplaced"] - 217.0) < 1.0


def test_a_stop_request_ends_the_placement_lp_at_once():
    # PDLP has no interrupt callback: it runs in a thread, and a stop returns at once
    # (here PDLP alone takes about 1.1 s)
    import time

    from scheduler.solver.lp import placement_lp

    ctx = build_model(generate_region(1500, 60, 4, utilisation=1.15),
                      SolveOptions(workers=1, time_limit=30, use_hint=True, prune_above=100))
    assert placement_lp.placement_values(ctx, 20) is not None
    whole = ctx.stats["placement_lp"]["seconds"]
    started = time.perf_counter()
    x = placement_lp.placement_values(ctx, 20, stop=lambda: time.perf_counter() - started > 0.2)
    assert x is None and ctx.stats["placement_lp"]["status"] == "stopped"
    assert ctx.stats["placement_lp"]["seconds"] < whole  # it did not wait for PDLP
