"""Plans from the LP's support, reduced-cost fixing, the placed-learner bound and the gap
(issue 21; ``scheduler/solver/lp/support_mip.py``, ``lp/guide._whole_lp``).

Against brute force on tiny random scenarios: reduced-cost fixing against a plan keeps
every triple of every cheaper plan; the LP's placed-learner bound is never below what a
plan can place; a solve through the LP path reports bounds no plan beats and, where it
says optimal, the brute-force optimum.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings

from scheduler.check import check_plan
from scheduler.generate import generate_region
from scheduler.io import load_scenario
from scheduler.kpis import objective, objective_units
from scheduler.models import Plan, Scenario
from scheduler.models.objective import OBJECTIVE_SCALE
from scheduler.models.result import relative_gap
from scheduler.solver import pipeline
from scheduler.solver.budget import Budget
from scheduler.solver.cpsat.hints import complete_hint
from scheduler.solver.cpsat.model import BuildContext, build
from scheduler.solver.extract import build_plan
from scheduler.solver.lp.guide import _whole_lp
from scheduler.solver.lp.pricing import hosted_prices
from scheduler.solver.lp.relaxation import LinearModel, load, lp_solution, read_model
from scheduler.solver.lp.support_mip import (
    CHEAPEST,
    SUPPORT,
    WHOLE,
    _rank_in_row,
    batch_values,
    fair_share_priced,
    placed_fixed,
    placing_only,
    reduced_cost_columns,
    repair_columns,
    solve_restricted,
    stand_in_values,
    support_columns,
)
from scheduler.solver.options import SolveOptions
from tests.bruteforce import enumerate_plans
from tests.solving import solve_checked
from tests.strategies import scenarios
from tests.test_repair import _chain_world

ROOT = Path(__file__).resolve().parent.parent
SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much]


@pytest.mark.parametrize(("objective", "bound", "expected"), [
    (-4186.01, -4187.64, 1.63 / 4187.64),  # negative objective: relative to the larger
    (100.0, 90.0, 0.1),                     # positive: as usual
    (0.4, -3889.0, 1.0),                    # opposite signs: the bound says nothing
    (4289.21, -3889.21, 1.0),               # the 242-learner region's "17451 %"
    (5.0, 5.0, 0.0),
    (0.0, 0.0, 0.0),
    (10.0, 10.5, 0.0),                      # a bound above the plan (rounding): no gap
])
def test_the_gap_stays_between_0_and_100_percent(objective, bound, expected):
    assert relative_gap(objective, bound) == pytest.approx(expected)
    assert relative_gap(None, bound) is None and relative_gap(objective, None) is None


def _triples(ctx: BuildContext, scenario: Scenario, plan: Plan) -> set[tuple[int, int]]:
    """(row, department index) of every placement of ``plan``."""
    ix = ctx.ix
    row_of = {(ix.learners[r.learner].id, r.span.index): k for k, r in enumerate(ix.rows)}
    out = set()
    for learner in plan.placed_learners():
        for p, d in plan.placement_departments(learner).items():
            if (learner, p) in row_of:
                out.add((row_of[(learner, p)], ix.dept_pos[d]))
    return out


def _lp_context(scenario: Scenario) -> BuildContext | None:
    """The built model after its whole LP (``ctx.lp_x`` set), hinted with the greedy plan."""
    ctx = build(scenario, SolveOptions(quiet=True, workers=1))
    ctx.lp_x = _whole_lp(ctx, 10, lambda: False)
    if ctx.lp_x is None:
        return None
    # after the LP's lattice cuts: every variable
    complete_hint(ctx, Budget.seconds(OPTIONS.time_limit), ctx.greedy)
    return ctx


OPTIONS = SolveOptions(quiet=True, workers=1, time_limit=20)


@settings(max_examples=50, deadline=None, suppress_health_check=SLOW)
@given(scenarios(simple_buddies=True))
def test_reduced_cost_fixing_keeps_every_cheaper_plan(scenario):
    """For every plan value v as the threshold: each plan cheaper than v uses kept triples
    only (the restricted model holds every better plan)."""
    ctx = _lp_context(scenario)
    assume(ctx is not None and len(ctx.t_row) > 0)
    assert ctx is not None and ctx.lp_reduced_cost is not None and ctx.lp_objective is not None
    plans = [(objective_units(scenario, p), _triples(ctx, scenario, p))
             for p in enumerate_plans(scenario)]
    fixed = 0
    for value in sorted({v for v, _ in plans}):
        keep = reduced_cost_columns(ctx, ctx.lp_reduced_cost, value - ctx.lp_objective, {})
        kept = {(int(r), int(d)) for r, d, k in zip(ctx.t_row, ctx.t_dept, keep, strict=True)
                if k}
        fixed += int((~keep).sum())
        for cheaper_value, triples in plans:
            if cheaper_value < value:
                assert triples <= kept, (value, cheaper_value)
    event("some triples fixed" if fixed else "nothing fixed")


@settings(max_examples=50, deadline=None, suppress_health_check=SLOW)
@given(scenarios(simple_buddies=True))
def test_no_plan_places_more_learners_than_the_lp_bound(scenario):
    ctx = _lp_context(scenario)
    assume(ctx is not None and ctx.placed_upper is not None)
    assert ctx is not None and ctx.placed_upper is not None
    most = max((len(p.placed_learners()) for p in enumerate_plans(scenario)), default=None)
    assume(most is not None)
    assert most is not None
    event("tight" if most == ctx.placed_upper else "not tight")
    assert most <= ctx.placed_upper <= len(scenario.learners)


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(scenarios(simple_buddies=True))
def test_a_solve_through_the_lp_reports_bounds_no_plan_beats(scenario):
    plans = list(enumerate_plans(scenario))
    assume(plans)
    best = min(objective(scenario, p) for p in plans)
    most = max(len(p.placed_learners()) for p in plans)
    # mip_share 0: no prover, so tiny models take the LP path of large ones
    result = solve_checked(scenario, use_hint=True, mip_share=0, time_limit=5)
    assert result.plan is not None and result.objective is not None
    event(f"bound {result.bound_source}, status {result.status}")
    assert result.bound is not None and result.bound <= best + 1e-9
    if result.placed_upper_bound is not None:
        assert most <= result.placed_upper_bound
    if result.status == "optimal":
        assert abs(result.objective - best) < 0.5 / OBJECTIVE_SCALE


def test_the_support_plan_is_at_least_as_good_as_the_plan_it_starts_from():
    scenario = load_scenario(ROOT / "scenarios" / "limburg-zorgconnect.yaml")
    ctx = _lp_context(scenario)
    assert ctx is not None and ctx.lp_x is not None
    start = complete_hint(ctx, Budget.seconds(OPTIONS.time_limit), ctx.greedy)
    assert start is not None
    keep = support_columns(ctx, ctx.lp_x, ctx.greedy)
    assert keep.sum() < len(keep)  # a restriction, not the whole model
    found = solve_restricted(ctx, keep, 20)
    assert found is not None
    assert found.objective <= start + 0.5
    plan = build_plan(ctx.ix, {r: ctx.ix.departments[d] for r, d in found.assignment.items()},
                      ctx.fixed_buddies)
    assert set(found.assignment) <= {int(r) for r in np.unique(ctx.t_row[keep])}
    budget = Budget.seconds(OPTIONS.time_limit)
    assert complete_hint(ctx, budget, found.assignment) is not None  # keeps every rule
    assert objective_units(scenario, plan) <= start + 0.5


def test_a_region_with_pins_reports_the_lp_bound_and_placed_maximum():
    """A generated region with pins of earlier cohorts through the LP path: the bound is
    HiGHS's, the placed maximum is reported, and the plan passes the checker."""
    scenario = generate_region(learners=60, organisations=8, seed=5, pinned_share=0.2)
    result = solve_checked(scenario, use_hint=True, mip_share=0, time_limit=20, workers=2)
    assert result.plan is not None
    assert result.bound_source.startswith("highs") or result.bound_source.startswith("cp-sat")
    assert result.bound is not None and result.objective is not None
    assert result.bound <= result.objective + 1e-9
    assert result.placed_upper_bound is not None
    assert len(result.plan.placed_learners()) <= result.placed_upper_bound
    assert "support_mip" in result.model


def test_where_the_lp_is_whole_and_the_plan_agrees_the_support_mip_keeps_that_triple_alone():
    ctx = build(generate_region(80, 6, 9), SolveOptions(quiet=True))
    plan = dict(ctx.greedy)
    assert len(plan) > 4
    rows = sorted(plan)
    agree, disagree = rows[:2], rows[2:4]
    lp_x = np.zeros(len(ctx.t_row))
    for r in agree:  # the LP takes the plan's department whole
        lp_x[(ctx.t_row == r) & (ctx.t_dept == plan[r])] = 1.0
    for r in disagree:  # the LP takes another department whole
        other = np.flatnonzero((ctx.t_row == r) & (ctx.t_dept != plan[r]))
        assert len(other) > 0
        lp_x[other[0]] = 1.0
    keep = support_columns(ctx, lp_x, plan)
    for r in agree:
        mine = ctx.t_row == r
        assert keep[mine].sum() == 1 and keep[mine & (ctx.t_dept == plan[r])].all()
    for r in disagree:  # the plan's and the LP's departments both stay free
        mine = ctx.t_row == r
        assert keep[mine & (ctx.t_dept == plan[r])].all()
        assert keep[mine & (lp_x > 0)].all()
        assert keep[mine].sum() >= min(2, int(mine.sum()))
    planned = ctx.t_dept == np.array([plan.get(int(r), -1) for r in ctx.t_row])
    assert keep[planned].all()  # every plan's choice stays: the plan is a feasible start


def test_placements_sharing_a_department_month_with_a_left_out_one_are_not_fixed():
    ctx = build(generate_region(80, 6, 9), SolveOptions(quiet=True))
    ix = ctx.ix
    plan = dict(ctx.greedy)
    months = [set(r.present) for r in ix.rows]
    learner = ix.row_learner()
    pair = next((r1, t) for r1, d1 in plan.items()
                for t in np.flatnonzero(ctx.t_dept == d1)
                if learner[ctx.t_row[t]] != learner[r1] and ctx.t_row[t] in plan
                and months[r1] & months[ctx.t_row[t]])
    r1, t0 = pair
    r0 = int(ctx.t_row[t0])
    left = {r: d for r, d in plan.items() if learner[r] != learner[r0]}  # r0's learner out
    lp_x = np.zeros(len(ctx.t_row))
    lp_x[t0] = 0.5  # the LP would place the left-out learner there
    lp_x[(ctx.t_row == r1) & (ctx.t_dept == plan[r1])] = 1.0  # whole, and the plan agrees
    keep = support_columns(ctx, lp_x, left)
    mine = ctx.t_row == r1
    assert keep[t0]
    assert keep[mine].sum() >= min(2, int(mine.sum()))  # r1 stays free to make room
    other = next(r for r in left if learner[r] != learner[r1] and r != r1
                 and not any(ctx.t_dept[t] == left[r] and months[r] & months[ctx.t_row[t]]
                             for t in np.flatnonzero(keep & ~np.isin(ctx.t_row, list(left)))))
    lp_x[(ctx.t_row == other) & (ctx.t_dept == left[other])] = 1.0
    keep = support_columns(ctx, lp_x, left)
    assert keep[ctx.t_row == other].sum() == 1  # far from the left-out: fixed


def _drop_learners(ctx: BuildContext, plan: dict[int, int], count: int) -> tuple[dict, list]:
    """``plan`` less ``count`` learners whose every placement the LP places."""
    learner = ctx.ix.row_learner()
    placed_by_lp = np.bincount(ctx.t_row, weights=ctx.lp_x, minlength=ctx.ix.n_rows)
    dropped = [li for li in sorted(set(learner[list(plan)].tolist()))
               if all(placed_by_lp[r] >= 0.5 for r in ctx.ix.rows_of[li])][:count]
    assert len(dropped) == count
    return {r: d for r, d in plan.items() if learner[r] not in dropped}, dropped


def test_the_repair_frees_the_left_out_and_the_learners_in_their_way_only():
    ctx = _lp_context(generate_region(80, 6, 9))
    assert ctx is not None and ctx.lp_x is not None
    assert repair_columns(ctx, np.zeros(len(ctx.t_row)), ctx.greedy) is None  # LP places none
    left, (gone,) = _drop_learners(ctx, dict(ctx.greedy), 1)
    keep = repair_columns(ctx, ctx.lp_x, left)
    assert keep is not None
    ix, learner = ctx.ix, ctx.ix.row_learner()[ctx.t_row]
    free = (ctx.lp_x > SUPPORT) | (_rank_in_row(ctx.t_row, ctx.combined_cost()) < CHEAPEST)
    months = [set(r.present) for r in ix.rows]
    placed_by_lp = np.bincount(ctx.t_row, weights=ctx.lp_x, minlength=ix.n_rows)
    lost = {int(ix.rows[r].learner) for r in range(ix.n_rows)
            if r not in left and placed_by_lp[r] >= 0.5}  # the plan leaves out, the LP places
    assert gone in lost
    wanted = {(int(ctx.t_dept[t]), m) for t in np.flatnonzero(free & np.isin(learner, list(lost)))
              for m in months[ctx.t_row[t]]}
    assert wanted
    in_the_way = {int(ix.rows[r].learner) for r, d in left.items()
                  if any((d, m) in wanted for m in months[r])}
    assert in_the_way  # a small region: someone holds a place the left-out one could take
    own = ctx.t_dept == np.array([left.get(int(r), -1) for r in ctx.t_row])
    for li in range(len(ix.learners)):
        mine = learner == li
        if li in lost or li in in_the_way:
            assert (keep[mine] == (free | own)[mine]).all(), li
        else:  # far from the left-out learner: the plan's own triple alone
            assert (keep[mine] == own[mine]).all(), li


def test_learners_the_plan_leaves_out_and_the_lp_places_are_placed_first():
    """Two learners dropped from the support MIP's plan: the repair places them again
    before the support MIP runs, and the plan keeps every rule (the checker)."""
    scenario = load_scenario(ROOT / "scenarios" / "limburg-zorgconnect.yaml")
    ctx = _lp_context(scenario)
    assert ctx is not None and ctx.lp_x is not None
    found = solve_restricted(ctx, support_columns(ctx, ctx.lp_x, ctx.greedy), 20)
    assert found is not None
    complete = len(set(ctx.ix.row_learner()[list(found.assignment)].tolist()))
    left, _ = _drop_learners(ctx, found.assignment, 2)
    budget = Budget.seconds(OPTIONS.time_limit)
    units = complete_hint(ctx, budget, left)
    ctx.greedy = left
    after = pipeline._place_the_left_out(ctx, budget, units, lambda: False,
                                         read_model(ctx.model), 10)
    assert "repair_mip" in ctx.stats
    assert after is not None and units is not None and after < units
    assert len(set(ctx.ix.row_learner()[list(ctx.greedy)].tolist())) == complete
    plan = build_plan(ctx.ix, {r: ctx.ix.departments[d] for r, d in ctx.greedy.items()},
                      ctx.fixed_buddies)
    assert check_plan(scenario, plan) == []


def _chain_context():
    """``test_repair._chain_world``: L3 (out) fits A-1 alone, where L1 is; L1 may go to
    B-1, where L2 is; L2 may go to C-1, which is free. The LP takes that chain whole."""
    ctx = build(_chain_world(with_c=True), SolveOptions(quiet=True, workers=1))
    ix = ctx.ix
    at = {(ix.learners[ix.rows[r].learner].id, ix.departments[d]): t
          for t, (r, d) in enumerate(zip(ctx.t_row.tolist(), ctx.t_dept.tolist(), strict=True))}
    plan = {int(ctx.t_row[at[k]]): int(ctx.t_dept[at[k]]) for k in (("L1", "A-1"), ("L2", "B-1"))}
    lp_x = np.zeros(len(ctx.t_row))
    lp_x[[at[("L3", "A-1")], at[("L1", "B-1")], at[("L2", "C-1")]]] = 1.0
    return ctx, plan, lp_x


def _free_learners(ctx: BuildContext, keep: np.ndarray, plan: dict[int, int]) -> set[str]:
    """Learners with a free triple other than their plan's own."""
    ix = ctx.ix
    own = ctx.t_dept == np.array([plan.get(int(r), -1) for r in ctx.t_row])
    return {ix.learners[ix.rows[int(r)].learner].id for r in ctx.t_row[keep & ~own]}


def test_each_ring_frees_the_learners_in_the_way_of_the_ring_before():
    ctx, plan, lp_x = _chain_context()
    assert _free_learners(ctx, repair_columns(ctx, lp_x, plan), plan) == {"L1", "L3"}
    assert _free_learners(ctx, repair_columns(ctx, lp_x, plan, hops=2), plan) == {
        "L1", "L2", "L3"}


def test_batch_values_have_the_repair_take_up_the_batch_s_learners_alone():
    """``batch_values``: L3 (left out) in the batch frees L3 and L1 in its way, as the
    LP's own values do; with nobody in the batch nobody is wanted."""
    ctx, plan, lp_x = _chain_context()
    learners = np.array([learner.id for learner in ctx.ix.learners])
    values = batch_values(ctx, lp_x, plan, learners == "L3")
    assert _free_learners(ctx, repair_columns(ctx, values, plan), plan) == {"L1", "L3"}
    assert values.max() < WHOLE  # nothing taken as the LP's whole choice
    assert repair_columns(ctx, batch_values(ctx, lp_x, plan, learners == "L9"), plan) is None


def test_where_one_ring_cannot_place_the_left_out_a_wider_ring_does():
    """One ring (L3 and L1) places no one, proven; the second ring frees L2, and the
    repair places L3 by moving L1 and L2 (the plan passes the checker)."""
    ctx, plan, lp_x = _chain_context()
    ctx.lp_x, ctx.greedy = lp_x, plan
    budget = Budget.seconds(OPTIONS.time_limit)
    units = complete_hint(ctx, budget, plan)
    one = solve_restricted(ctx, repair_columns(ctx, lp_x, plan), 10)
    assert one is not None and one.proven and one.assignment == plan
    after = pipeline._place_the_left_out(ctx, budget, units, lambda: False,
                                         read_model(ctx.model), 10)
    assert after is not None and units is not None and after < units
    assert ctx.stats["repair_mip"]["rings"] == 2
    ix = ctx.ix
    placed = {ix.learners[ix.rows[r].learner].id: ix.departments[d]
              for r, d in ctx.greedy.items()}
    assert placed == {"L1": "B-1", "L2": "C-1", "L3": "A-1"}
    assert check_plan(ctx.ix.scenario, build_plan(
        ix, {r: ix.departments[d] for r, d in ctx.greedy.items()}, ctx.fixed_buddies)) == []
    assert "repair_costs" in ctx.stats  # then the other costs, everyone placed kept placed


def test_a_ring_plan_that_costs_more_in_all_still_leads_the_next_rings_and_the_costs(
        monkeypatch):
    """A ring's plan places more learners but may cost more in all (its other costs are
    not weighed), and the plan stays. The rings then go on from the ring's plan, and the
    other costs are weighed with the learners it places kept placed: here the second ring
    places L3 and is refused as if it cost more; no third ring runs (nobody is left out of
    the ring's plan), and the costs MIP places all three."""
    ctx, plan, lp_x = _chain_context()
    ctx.lp_x, ctx.greedy = lp_x, plan
    budget = Budget.seconds(OPTIONS.time_limit)
    units = complete_hint(ctx, budget, plan)
    take = pipeline._take
    refused = []

    def refusing(ctx, budget, units, name, found):
        if name == "repair_mip":  # as if each ring's plan cost more than the plan
            ctx.stats[name] = {}
            refused.append(found)
            return units
        return take(ctx, budget, units, name, found)

    monkeypatch.setattr(pipeline, "_take", refusing)
    after = pipeline._place_the_left_out(ctx, budget, units, lambda: False,
                                         read_model(ctx.model), 10)
    assert len(refused) == 2 and ctx.stats["repair_mip"]["rings"] == 2
    assert after is not None and units is not None and after < units
    ix = ctx.ix
    placed = {ix.learners[ix.rows[r].learner].id: ix.departments[d]
              for r, d in ctx.greedy.items()}
    assert placed == {"L1": "B-1", "L2": "C-1", "L3": "A-1"}
    assert ctx.stats["repair_costs"]["proven"]


def _lp_optimum(lm: LinearModel) -> float:
    import highspy

    h = load(highspy, lm, 30)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getInfo().objective_function_value)


def _priced_at_the_lp(ctx: BuildContext, seconds: float = 30):
    """The LP of ``ctx.model``, its hosted prices, the model with the fair share priced
    at them, and that model's cost at the LP's optimum and its own LP optimum."""
    lp = lp_solution(ctx.model, seconds)
    if lp is None:
        return None
    price = hosted_prices(ctx, lp)
    lm = fair_share_priced(ctx, lp.model, price)
    at_lp = float(lm.cost @ lp.values[:lm.n]) + lm.offset
    return lp, price, lm, at_lp, _lp_optimum(lm)


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(scenarios())
def test_the_lp_optimum_stays_optimal_with_the_fair_share_priced_at_its_slopes(scenario):
    """The support MIP's first part prices the fair share at the LP's slopes
    (``fair_share_priced``): the LP's optimum must then stay optimal, which a wrong sign
    or scale of the prices breaks wherever a price is not zero."""
    ctx = build(scenario, SolveOptions(quiet=True))
    found = _priced_at_the_lp(ctx)
    assume(found is not None)
    _, price, lm, at_lp, best = found
    event("a hosted price is not zero" if np.abs(price).max() > 1e-9 else "every price zero")
    assert (lm.cost[[v.index for v in ctx.terms["fair_share"].vars]] == 0).all() \
        if "fair_share" in ctx.terms else True
    assert best == pytest.approx(at_lp, rel=1e-7, abs=1e-3)


def test_twente_s_lp_stays_optimal_with_the_fair_share_priced_and_its_mip_keeps_every_rule():
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    ctx = build(s, SolveOptions(quiet=True))
    found = _priced_at_the_lp(ctx, 60)
    assert found is not None
    lp, price, lm, at_lp, best = found
    assert np.abs(price).max() > 0  # the fair share is priced somewhere
    assert best == pytest.approx(at_lp, rel=1e-7)
    assert lm.cost[[v.index for v in ctx.x]].tolist() != lp.model.cost[
        [v.index for v in ctx.x]].tolist()
    keep = np.ones(len(ctx.t_row), dtype=bool)
    plan = solve_restricted(ctx, keep, 30, model=lm)
    assert plan is not None
    units = complete_hint(ctx, Budget.seconds(30), plan.assignment)
    assert units is not None  # CP-SAT's fixer accepts it: every rule of the model holds
    checked = build_plan(ctx.ix, {r: ctx.ix.departments[d] for r, d in plan.assignment.items()},
                         ctx.fixed_buddies)
    assert check_plan(s, checked) == []
    assert units >= lp.objective - 1e-6 * abs(lp.objective)  # no plan beats the LP


def test_the_placing_model_weighs_left_out_learners_alone_and_the_fixed_one_keeps_them():
    ctx, plan, _ = _chain_context()
    lm = read_model(ctx.model)
    unplaced = [u.index for u in ctx.u if u is not None]
    placing = placing_only(ctx, lm)
    assert (placing.cost[unplaced] == lm.cost[unplaced]).all() and lm.cost[unplaced].min() > 0
    others = np.setdiff1d(np.arange(lm.n), unplaced)
    assert not placing.cost[others].any() and lm.cost[others].any()
    fixed = placed_fixed(ctx, lm, plan)  # L1 and L2 placed, L3 out
    ix = ctx.ix
    for li, u in enumerate(ctx.u):
        if u is not None:
            assert fixed.upper[u.index] == (1.0 if ix.learners[li].id == "L3" else 0.0)
    assert (fixed.cost == lm.cost).all() and (lm.upper[unplaced] == 1.0).all()


def test_where_no_lp_comes_in_time_the_plan_stands_in_and_the_repair_places_the_left_out(
        monkeypatch):
    """A pruned region whose LP gets no time and whose greedy plan is not repaired: the
    plan stands in for the LP (``stand_in_values``), and the repair MIP places every
    learner the greedy left out (L at 60 s once had no LP in time: 1,946 of 2,000 placed)."""
    import scheduler.solver.cpsat.model as model
    from scheduler.solver.lp import guide

    monkeypatch.setattr(guide, "PRICED_LP_SHARE", 1e-9)
    monkeypatch.setattr(guide, "GUIDED_REPAIR_SHARE", 0.0)
    monkeypatch.setattr(model, "REPAIR_SHARE", 0.0)
    result = solve_checked(generate_region(120, 8, 5), time_limit=20, max_candidates=3,
                           use_hint=True)
    assert result.model["pruned"] and result.model["lp_stand_in"] is True
    assert result.trace[0][1] > 1000  # the greedy plan left learners out
    assert result.model["repair_mip"]["objective"] == 0.0  # the repair placed them all
    assert result.plan is not None and len(result.plan.placed_learners()) == 120


def test_the_stand_in_frees_the_plan_and_the_left_out_and_takes_nothing_as_whole():
    ctx, plan, _ = _chain_context()
    x = stand_in_values(ctx, plan)
    chosen = np.array([plan.get(int(r), -1) for r in ctx.t_row])
    assert ((x > 0) == ((chosen == ctx.t_dept) | (chosen < 0))).all()
    assert x.max() < WHOLE and x.max() > SUPPORT
    keep = repair_columns(ctx, x, plan)
    assert keep is not None and _free_learners(ctx, keep, plan) == {"L1", "L3"}
