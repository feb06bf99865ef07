"""The LP without the fair-share costs (``relaxation.LpSession``'s ``free``), which large
regions solve first (``columns.RELAXED_LP_LEARNERS``): it must stay a relaxation (its
bound holds for every plan), give the costs back exactly, and a solve that goes on from it
must still write checked plans with a bound no plan beats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

import scheduler.solver.lp.columns as columns
from scheduler.io import load_scenario
from scheduler.kpis import objective
from scheduler.solver.cpsat.model import build
from scheduler.solver.cpsat.objectives import fair_share_columns
from scheduler.solver.lp.relaxation import LpSession, lp_solution, read_model, without_costs
from scheduler.solver.options import SolveOptions
from tests.bruteforce import enumerate_plans
from tests.solving import solve_checked
from tests.strategies import scenarios

ROOT = Path(__file__).resolve().parent.parent
RELATIVE = 1e-7


def _twente(**options):
    return build(load_scenario(ROOT / "scenarios" / "twente.yaml"),
                 SolveOptions(quiet=True, **options))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= RELATIVE * max(1.0, abs(a), abs(b))


def test_leaving_the_fair_share_costs_out_relaxes_and_restoring_them_reaches_the_lp():
    ctx = _twente()
    free = fair_share_columns(ctx)
    assert free, "the shipped scenario weighs fair share"
    full = lp_solution(ctx.model, 60)
    session = LpSession.start(ctx.model, 60, free=free)
    assert full is not None and session is not None and session.solution is not None
    relaxed = session.solution
    assert relaxed.relaxed and session.relaxed
    assert relaxed.objective < full.objective - 1.0  # the deviations cost something here
    restored = session.restore_costs(60)
    assert restored is not None and not restored.relaxed and not session.relaxed
    assert _close(restored.objective, full.objective)


def test_only_columns_of_non_negative_cost_may_be_freed():
    ctx = _twente()
    lm = read_model(ctx.model)
    rewarded = int(np.argmin(lm.cost))
    assert lm.cost[rewarded] < 0  # a first-choice department: a negative cost
    with pytest.raises(ValueError, match="non-negative"):
        LpSession.start(ctx.model, 60, free=[rewarded])


def test_without_costs_leaves_the_model_read_unchanged():
    ctx = _twente()
    lm = read_model(ctx.model)
    free = fair_share_columns(ctx)
    relaxed = without_costs(lm, free)
    assert (relaxed.cost[free] == 0).all() and (lm.cost[free] > 0).all()
    others = np.setdiff1d(np.arange(lm.n), free)
    assert (relaxed.cost[others] == lm.cost[others]).all()


def test_a_warm_re_solve_gets_its_own_time_limit():
    # HiGHS's time limit counts its run clock, which goes on across runs of one instance:
    # a re-solve given 15 s after a first solve of 5 s once stopped after 10.
    session = LpSession.start(_twente().model, 60)
    assert session is not None
    session.h.setOptionValue("simplex_iteration_limit", 0)  # returns at once
    before = session.h.getRunTime()
    session.solve(7.0)
    status, limit = session.h.getOptionValue("time_limit")
    assert limit >= before + 7.0


def test_rows_added_in_bulk_are_registered_under_their_keys():
    session = LpSession.start(_twente().model, 60)
    assert session is not None
    first = session.h.getNumRow()
    session.add_rows([(("distinct", 0, 1), [0, 1]), (("distinct", 0, 2), [2, 3, 4])], 1.0)
    assert session.h.getNumRow() == first + 2
    assert session.rows == {("distinct", 0, 1): first, ("distinct", 0, 2): first + 1}
    assert session.solve(60) is not None  # the LP still solves (the hint's rows are loose)


def test_the_fair_share_costs_are_left_out_only_for_many_learners_in_short_time(
        monkeypatch):
    ctx = _twente(max_candidates=2)
    # learners free to be placed or not (pinned ones must be placed)
    free = sum(u is not None for u in ctx.u) - int(ctx.ix.forced_unplaced.sum())
    assert 0 < free < columns.RELAXED_LP_LEARNERS
    assert columns._relaxed_costs(ctx, 1.0) == []  # below the size
    monkeypatch.setattr(columns, "RELAXED_LP_LEARNERS", free)
    monkeypatch.setattr(columns, "RELAXED_LP_SECONDS_PER_LEARNER", 1.0)
    assert columns._relaxed_costs(ctx, free - 1.0) == fair_share_columns(ctx) != []
    assert columns._relaxed_costs(ctx, free + 1.0) == []  # time enough for the whole LP
    monkeypatch.setattr(columns, "RELAXED_LP_LEARNERS", free + 1)
    assert columns._relaxed_costs(ctx, 1.0) == []


@pytest.mark.parametrize("restore", [False, True])
def test_column_generation_from_the_relaxed_lp(monkeypatch, restore):
    monkeypatch.setattr(columns, "RELAXED_LP_LEARNERS", 0)
    monkeypatch.setattr(columns, "RELAXED_LP_SECONDS_PER_LEARNER", 1e9)
    monkeypatch.setattr(columns, "RESTORE_FACTOR", 0.0 if restore else 1e9)
    ctx = _twente(max_candidates=2)
    assert ctx.candidates is not None
    full = lp_solution(_twente().model, 60)
    assert full is not None
    columns.generate_columns(ctx, 60)
    assert ctx.pricing is not None and ctx.lp_relaxed is not restore
    bound = ctx.pricing.lagrangian
    if restore:  # the costs came back at once: column generation reaches the whole LP
        assert _close(bound, full.objective)
    else:  # a relaxation priced: below the whole LP, so below every plan
        assert bound < full.objective


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(scenarios(simple_buddies=True))
def test_a_solve_from_the_relaxed_lp_reports_a_bound_no_plan_beats(scenario):
    best = min((objective(scenario, p) for p in enumerate_plans(scenario)), default=None)
    assume(best is not None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columns, "RELAXED_LP_LEARNERS", 0)
        patch.setattr(columns, "RELAXED_LP_SECONDS_PER_LEARNER", 1e9)
        patch.setattr(columns, "RESTORE_FACTOR", 1e9)  # the relaxed LP stays to the end
        result = solve_checked(scenario, max_candidates=1, use_hint=True, time_limit=5)
    assert result.plan is not None  # checked against every hard rule by solve_checked
    assert result.objective >= best - 1e-9
    if result.bound is not None:
        assert result.bound <= best + 1e-9
