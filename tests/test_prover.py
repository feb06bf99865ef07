"""HiGHS's branch-and-cut on the CP-SAT model itself: the bound that proves small plans.

Every solve goes through ``solve_checked`` (independent checker + objective recomputed).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ortools.sat.python import cp_model

import scheduler.solver.pipeline as pipeline
from scheduler.check import check_plan
from scheduler.io import load_scenario
from scheduler.kpis import objective
from scheduler.solver.cpsat.model import build as build_model
from scheduler.solver.extract import build_plan
from scheduler.solver.lp.prover import solve_mip
from scheduler.solver.lp.relaxation import read_model
from scheduler.solver.options import SolveOptions
from tests.solving import build, solve_checked

ROOT = Path(__file__).resolve().parents[1]


def test_sides_cp_sat_leaves_open_reach_highs_as_infinite():
    # CP-SAT stores `a + b <= 1` with the lower side -(2^63 - 1). Passed on as a finite
    # number, HiGHS's MIP presolve declared the default scenario infeasible.
    model = cp_model.CpModel()
    a, b, c = (model.new_bool_var(n) for n in "abc")
    model.add(a + b <= 1)
    model.add(b + c <= 1)
    model.add(a + b + c >= 1)
    model.maximize(3 * a + 2 * b + 3 * c)
    lm = read_model(model)
    assert lm.exact
    assert [lo <= -1e20 for lo in lm.rows.lo] == [True, True, False]
    assert [hi >= 1e20 for hi in lm.rows.hi] == [False, False, True]
    mip = solve_mip(model, time_limit=10)
    assert mip is not None and mip.proven
    assert mip.bound == round(mip.objective) == -6  # CP-SAT minimises -(3a + 2b + 3c)
    assert mip.values is not None and mip.values[[a.index, b.index, c.index]].tolist() == [1, 0, 1]


def _six_month_rotations():
    """Three organisations of equal FTE, learners in whole 6-month placements: hosted
    learner-months move in steps of 6, so the LP relaxation meets every share exactly
    and the integer plan cannot (the gap the prover closes on the default scenario)."""
    orgs = [
        {"id": o, "sector": "VVT", "fte_care": 100, "lat": 52.22 + 0.01 * i, "lon": 6.89}
        for i, o in enumerate("ABC")
    ]
    return build(
        calendar={"start": "2027-09", "months": 12},
        organisations=orgs,
        departments=[
            {"id": f"{o}1", "organisation": o, "shifts": "fixed", "capacity": 2} for o in "ABC"
        ],
        buddies=[{"id": f"b{o}", "department": f"{o}1", "max_learners": 2} for o in "ABC"],
        programmes=[{"id": "p", "kind": "traineeship", "placements": [6, 6]}],
        learners=[
            {"id": f"L{i}", "programme": "p", "home": "A", "start": "2027-09",
             "preferences": ["A", "B"] if i % 2 else ["B", "C"]}
            for i in range(5)
        ],
    )


def test_highs_proves_the_optimum_cp_sat_alone_proves_too():
    s = _six_month_rotations()
    alone = solve_checked(s, mip_share=0.0, time_limit=60)
    assert alone.status == "optimal" and alone.bound_source == "cp-sat"
    r = solve_checked(s)
    assert r.status == "optimal" and r.bound_source == "cp-sat+highs"
    assert r.solver["highs"]["proven"] and r.solver["highs"]["exact"]
    assert r.objective == alone.objective == r.bound
    # HiGHS's plans are in the trace (time to first plan in the benchmarks), JSON-safe
    found = min(t for t, obj, _ in r.trace if obj == r.objective)
    highs = r.solver["highs"]
    assert found <= highs["started"] + highs["seconds"] + 0.001  # both rounded to 1 ms
    json.dumps(r.trace, allow_nan=False)


def test_the_default_scenario_is_proven_optimal_through_the_prover():
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    r = solve_checked(s, workers=8, time_limit=60)
    assert r.status == "optimal" and r.solver["highs"]["proven"]
    assert r.bound == r.objective


def test_a_bound_above_the_hinted_plan_cannot_make_the_model_infeasible(monkeypatch):
    # A floating-point bound one unit too high must not cut off HiGHS's own plan.
    real = pipeline.solve_mip

    def overshooting(*args, **kwargs):
        mip = real(*args, **kwargs)
        return replace(mip, bound=mip.bound + 10_000)

    monkeypatch.setattr(pipeline, "solve_mip", overshooting)
    r = solve_checked(_six_month_rotations())
    assert r.status == "optimal" and r.plan is not None
    assert r.plan.unplaced_learners() == set()


def test_a_stop_request_ends_the_mip():
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    ctx = build_model(s, SolveOptions())
    mip = solve_mip(ctx.model, time_limit=60, stop=lambda: True)
    assert mip is not None and not mip.proven


def test_the_prover_stays_off_for_lexicographic_solves_and_when_disabled():
    s = _six_month_rotations()
    assert "highs" not in solve_checked(s, objective="lexicographic").solver
    assert "highs" not in solve_checked(s, mip_share=0.0).solver


def test_an_interrupt_during_highs_keeps_the_better_of_its_plan_and_the_greedy(monkeypatch):
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    interrupt = pipeline.Interrupt()
    real = pipeline.solve_mip

    def interrupted_inside(model, time_limit, stop, report):
        # Ctrl-C arrives at HiGHS's first callback (HiGHS proves Twente in ~1 s: a timer
        # could fire after it ended)
        return real(model, time_limit, stop, lambda *_: interrupt.request())

    monkeypatch.setattr(pipeline, "solve_mip", interrupted_inside)
    r = pipeline.solve(s, SolveOptions(time_limit=60), interrupt=interrupt)
    assert r.solver["highs"]["proven"] is False
    assert r.status == "interrupted" and r.plan is not None
    assert check_plan(s, r.plan) == []
    ctx = build_model(s, SolveOptions())
    greedy = build_plan(ctx.ix, {r: ctx.ix.departments[d] for r, d in ctx.greedy.items()},
                        ctx.fixed_buddies)
    assert r.objective is not None and r.objective <= objective(s, greedy)


def test_an_interrupted_solve_returns_the_greedy_plan_where_highs_had_only_a_worse_one():
    # HiGHS's first plans are often "everyone unplaced": valid, so kept as the fallback.
    s = _six_month_rotations()
    ctx = build_model(s, SolveOptions())
    ctx.fallback = {}  # a valid plan: every learner unplaced
    r = pipeline._result(ctx, pipeline.new_solver(), cp_model.UNKNOWN, True, SolveOptions())
    assert r.status == "interrupted" and r.plan is not None
    assert r.plan.unplaced_learners() == set()  # the greedy places all five


def test_where_highs_plan_meets_its_bound_cp_sat_only_verifies_it():
    s = _six_month_rotations()
    r = solve_checked(s)  # the checker and the recomputed objective still run
    assert r.status == "optimal" and r.solver["highs"]["plan_meets_bound"]
    assert r.solver["solutions"] == 1  # the hint itself, no search
    assert r.objective == r.bound == r.solver["highs"]["objective"]


def test_a_failed_verification_falls_back_to_a_search(monkeypatch):
    def unverifiable(solver):
        solver.parameters.max_time_in_seconds = 0.0  # ends UNKNOWN before any plan

    monkeypatch.setattr(pipeline, "_verify_only", unverifiable)
    r = solve_checked(_six_month_rotations())
    assert r.status == "optimal" and r.plan is not None
    assert not r.solver["highs"]["plan_meets_bound"]
    assert r.objective == r.bound
