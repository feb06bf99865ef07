"""The Lagrangian bound (``scheduler/solver/lp/lagrangian.py``): valid for every plan at
any multipliers, each learner's own problem solved exactly, tight enough to matter, and
reported by a pruned solve whose child process is gone afterwards."""

from __future__ import annotations

import math
import multiprocessing
import warnings
from dataclasses import replace
from itertools import product
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduler.io import load_scenario
from scheduler.kpis import objective
from scheduler.models.objective import OBJECTIVE_SCALE
from scheduler.models.scenario import Scenario
from scheduler.solver import lagrangian_phase
from scheduler.solver.cpsat.model import build
from scheduler.solver.lp import columns, lagrangian
from scheduler.solver.options import SolveOptions
from tests.bruteforce import enumerate_plans
from tests.solving import build as build_scenario
from tests.solving import solve_checked
from tests.strategies import scenarios

ROOT = Path(__file__).resolve().parent.parent
SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much]


def _ascent(scenario, seed: int) -> lagrangian.Ascent | None:
    """An ascent at random multipliers (any multipliers must give a valid bound)."""
    ctx = build(scenario, SolveOptions(quiet=True))
    structure = lagrangian.structure(ctx)
    if structure is None:
        return None
    a = lagrangian.Ascent(structure)
    rng = np.random.default_rng(seed)
    a.capacity = rng.uniform(0, 3e5, a.capacity.shape) * (rng.random(a.capacity.shape) < .5)
    limit = structure.fair_weight
    a.fair = rng.uniform(-limit, limit, a.fair.shape)
    a.distinct = rng.uniform(0, 3e5, a.distinct.shape) * (rng.random(a.distinct.shape) < .5)
    a.distinct[-1] = 0.0  # the spare slot of triples the rule does not bind
    return a


def _brute_force_learner(st: lagrangian.Structure, rc: np.ndarray, li: int) -> float:
    """The learner's cheapest option by enumeration: unplaced, or a triple per placement
    meeting every required sector and the away placements (what the programme reads)."""
    rows = [r for r in st.row_at[:, li].tolist() if r >= 0]
    best = float(st.unplaced_cost[li])
    seg_row, seg_group = st.seg_row, st.seg_group
    ends = np.r_[st.seg_start[1:], len(rc)]
    triples = {r: [(t, int(seg_group[s])) for s in np.flatnonzero(seg_row == r)
                   for t in range(int(st.seg_start[s]), int(ends[s]))] for r in rows}
    if not rows:
        return min(best, 0.0)
    finals = np.flatnonzero(st.final[li])
    for combo in product(*(triples[r] for r in rows)):
        state = 0
        for _, g in combo:
            state = int(st.transition[state, g])
        if state in finals:
            best = min(best, float(sum(rc[t] for t, _ in combo)))
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(scenarios(simple_buddies=True), st.integers(0, 2**32 - 1))
def test_the_bound_at_any_multipliers_is_below_every_plan(scenario, seed):
    a = _ascent(scenario, seed)
    assume(a is not None)
    best = min((objective(scenario, p) for p in enumerate_plans(scenario)), default=None)
    assume(best is not None)
    inner = a.evaluate()
    assert inner.value <= best * OBJECTIVE_SCALE + 1e-6 * max(1.0, abs(best) * OBJECTIVE_SCALE)
    for _ in range(60):  # and so is every bound the ascent reaches
        a.step(best * OBJECTIVE_SCALE)
    assert a.best <= best * OBJECTIVE_SCALE + 1e-6 * max(1.0, abs(best) * OBJECTIVE_SCALE)
    units = lagrangian.whole_units(a.best)
    assert units is not None and units <= round(best * OBJECTIVE_SCALE)


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(scenarios(simple_buddies=True), st.integers(0, 2**32 - 1))
def test_leaving_out_the_proven_fewest_unplaced_keeps_the_bound_below_every_plan(
        scenario, seed):
    a = _ascent(scenario, seed)
    assume(a is not None)
    plans = list(enumerate_plans(scenario))
    assume(plans)
    best = min(objective(scenario, p) for p in plans) * OBJECTIVE_SCALE
    fewest = min(len(p.unplaced_learners()) for p in plans)
    before = a.evaluate().value
    a.st = replace(a.st, fewest_unplaced=fewest)
    inner = a.evaluate()
    assert before - 1e-6 <= inner.value <= best + 1e-6 * max(1.0, abs(best))
    for _ in range(60):
        a.step(best)
    assert a.best <= best + 1e-6 * max(1.0, abs(best))


def test_a_region_with_too_few_places_gets_a_bound_from_those_left_out():
    # Three learners, one place: every plan leaves two out. Without that, at zero
    # multipliers all three take the place; with it, two pay the unplaced cost.
    s = build_scenario(
        organisations=[{"id": "A", "sector": "VVT", "fte_care": 100,
                        "lat": 52.22, "lon": 6.89}],
        departments=[{"id": "A1", "organisation": "A", "shifts": "fixed", "capacity": 1}],
        buddies=[{"id": "b", "department": "A1", "max_learners": 1}],
        programmes=[{"id": "p", "kind": "bbl", "placements": [2]}],
        learners=[{"id": f"L{i}", "programme": "p", "home": "A", "start": "2027-09"}
                  for i in range(3)],
    )
    ctx = build(s, SolveOptions(quiet=True))
    structure = lagrangian.structure(ctx)
    assert structure is not None and structure.fewest_unplaced == 0
    loose = lagrangian.Ascent(structure).evaluate().value
    result = solve_checked(s, time_limit=10)
    assert result.plan is not None and len(result.plan.unplaced_learners()) == 2
    optimum = result.objective * OBJECTIVE_SCALE
    tight = lagrangian.Ascent(replace(structure, fewest_unplaced=2)).evaluate().value
    assert loose < tight <= optimum + 1e-6 * abs(optimum)
    assert tight - loose >= float(structure.unplaced_cost.min())  # two left out, not none
    ctx.bound_placed(1, "test")  # as the solve proves it before the ascent
    assert lagrangian.structure(ctx).fewest_unplaced == 2


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_each_learners_own_problem_equals_brute_force(scenario, seed):
    a = _ascent(scenario, seed)
    assume(a is not None)
    rc = a.reduced_costs()
    seg_min = np.minimum.reduceat(rc, a.st.seg_start) if len(rc) else rc
    best_of = np.full((a.st.n_rows + 1, a.st.groups), np.inf)
    best_of[a.st.seg_row, a.st.seg_group] = seg_min
    value, _, _ = a._learners(best_of)
    for li in range(len(value)):
        expected = _brute_force_learner(a.st, rc, li)
        assert np.isclose(value[li], expected, rtol=1e-9, atol=1e-6), li


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_reduced_costs_and_the_distinct_subgradient_agree_with_the_dense_formulas(scenario, seed):
    # reduced_costs adds only the distinct-departments multipliers that are not zero,
    # through the triples of each pair: the same as adding them all
    a = _ascent(scenario, seed)
    assume(a is not None)
    expected = a.st.cost + a._per_cell()[a.st.cell] + a.distinct[a.st.pair]
    assert np.allclose(a.reduced_costs(), expected, rtol=0, atol=1e-9)
    # ... and the step's sparse distinct-departments subgradient is the dense one
    chosen = a.evaluate().chosen
    dense = np.bincount(a.st.pair[chosen], minlength=a.st.n_pairs + 1) - 1.0
    dense[-1] = 0.0
    dense[(a.distinct <= 0) & (dense < 0)] = 0.0
    pairs, values = a._distinct_gradient(chosen)
    sparse = np.zeros_like(dense)
    sparse[pairs] = values
    assert np.array_equal(sparse, dense)


def test_on_twente_the_bound_comes_within_two_percent_of_the_proven_optimum():
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    result = solve_checked(s, time_limit=30)
    assert result.status == "optimal"
    optimum = result.objective * OBJECTIVE_SCALE
    structure = lagrangian.structure(build(s, SolveOptions(quiet=True)))
    assert structure is not None
    a = lagrangian.Ascent(structure)
    for _ in range(1000):
        a.step(optimum)
    assert a.best <= optimum + 1e-6 * abs(optimum)
    # measured: −1,076.5 against −1,070.05 (0.6 %) after 1,477 steps; zero multipliers
    # give −1,335 (25 % below)
    assert (optimum - a.best) / abs(optimum) < 0.02


def test_without_a_plan_to_aim_at_the_multipliers_stay_numbers():
    """A target of +inf (no plan yet) made the first Polyak step infinite and the capacity
    multipliers NaN (a RuntimeWarning in a pruned solve's test); the step is then sized
    from the bound itself, and the bound still improves."""
    structure = lagrangian.structure(build(load_scenario(ROOT / "scenarios" / "twente.yaml"),
                                           SolveOptions(quiet=True)))
    assert structure is not None
    a = lagrangian.Ascent(structure)
    first = a.evaluate().value
    with np.errstate(invalid="raise"):
        for _ in range(50):
            a.step(float("inf"))
    assert np.isfinite(a.capacity).all() and np.isfinite(a.fair).all()
    assert np.isfinite(a.distinct).all()
    assert a.best > first


def test_a_far_target_does_not_throw_the_first_steps_away():
    """The pipeline aims the pricing ascent at the greedy plan, which on L left learners
    out (+76,825 against a bound near −48,500): the first step was sized from that room,
    the multipliers flew far off and the next steps spent themselves coming back (L, 10 s
    of ascent: −53,032; with the room capped from the first step: −49,219). On Twente with
    a target of +10^5: 50 steps left the bound at the zero multipliers' −1,360.27; now
    −1,134.98, with the proven optimum at −1,070.05."""
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    optimum = -1070.05 * OBJECTIVE_SCALE  # proven by the test above
    structure = lagrangian.structure(build(s, SolveOptions(quiet=True)))
    assert structure is not None
    a = lagrangian.Ascent(structure)
    first = a.evaluate().value
    for _ in range(50):
        a.step(1e9)
    assert first < a.best <= optimum
    assert a.best > first + 0.5 * (optimum - first)


def test_the_per_candidate_arrays_are_narrow():
    """On XL (19.3 M candidates) each int64 array of the structure is 150 MB; in int32
    the structure holds 440 MB instead of 662 and its build no longer raises the peak
    memory (3,806 -> 2,941 MB), which let the ascent run on XL within 4 GB."""
    structure = lagrangian.structure(build(load_scenario(ROOT / "scenarios" / "twente.yaml"),
                                           SolveOptions(quiet=True)))
    assert structure is not None
    for name in ("order", "cell", "pair", "pair_order"):
        assert getattr(structure, name).dtype == np.int32, name
    assert structure.cost.dtype == np.float64  # the bound's sums stay exact enough


@pytest.mark.parametrize("rounds", [False, True])
def test_a_pruned_solve_reports_the_lagrangian_bound_and_leaves_no_process(monkeypatch, rounds):
    # Without the LP's rounds for the bound (``columns._bound_rounds``) the ascent goes on
    # in its child; with them, the rounds take the other core instead.
    from scheduler.generate import generate_region

    if not rounds:
        monkeypatch.setattr(columns, "BOUND_ROUNDS_MOST", 0)
    s = generate_region(120, 8, 5)
    result = solve_checked(s, time_limit=20, max_candidates=3, use_hint=True)
    assert result.plan is not None and result.model["pruned"]
    if rounds:
        assert "lagrangian_iterations" not in result.model
        done = result.model["bound_rounds"]
        assert done["rounds"] >= 1 and done["bound"] <= result.objective + 1e-9
        assert result.bound is not None and result.bound >= done["bound"] - 1e-9
    else:
        assert "bound_rounds" not in result.model
        assert result.model["lagrangian_iterations"] > 0
    priced = result.model["lagrangian_priced"]  # the model re-assembled with them
    assert priced["steps"] > 0 and priced["added"] > 0
    assert priced["departments"] == lagrangian_phase.PRICED_DEPARTMENTS
    assert result.model["lagrangian_bound"] <= result.objective + 1e-9
    assert result.bound is not None and result.bound <= result.objective + 1e-9
    assert result.bound >= result.model["lagrangian_bound"] - 1e-9  # the higher one is kept
    assert result.bound_source in ("lagrangian", "lp-priced")
    assert not multiprocessing.active_children()
    assert priced["average"] is True  # the cheapest at the average join too
    assert result.model["support_priced"]["proven"]  # the fair share priced first (fast)
    documented = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    missing = [key for key in result.model if f"`{key}`" not in documented]
    assert not missing, f"kpis.json model fields not in docs/outputs.md: {missing}"
    # objective units, as the objective (not OBJECTIVE_SCALE times them)
    assert result.model["pricing_lagrangian"] <= result.objective + 1e-9
    assert abs(result.model["pricing_lagrangian"]) <= 100 * max(1.0, abs(result.objective))


def test_the_largest_regions_get_fewer_priced_departments(monkeypatch):
    """On XL (19.3 M candidates) 15 priced departments per placement raised the peak above
    4 GB and left learners out; the limit is a count of candidates, so a pruned solve of a
    small region under a lowered limit must take the smaller number."""
    from scheduler.generate import generate_region

    assert lagrangian_phase.PRICED_DEPARTMENTS > lagrangian_phase.PRICED_DEPARTMENTS_LARGEST
    assert lagrangian_phase.priced_departments(19_300_000) == \
        lagrangian_phase.PRICED_DEPARTMENTS_LARGEST
    assert lagrangian_phase.priced_departments(3_100_000) == lagrangian_phase.PRICED_DEPARTMENTS
    monkeypatch.setattr(lagrangian_phase, "PRICED_WIDE_MOST", 10)
    result = solve_checked(generate_region(120, 8, 5), time_limit=20, max_candidates=3,
                           use_hint=True)
    assert result.model["lagrangian_priced"]["departments"] == \
        lagrangian_phase.PRICED_DEPARTMENTS_LARGEST


def test_priced_candidates_are_the_k_cheapest_at_the_multipliers_and_the_chosen():
    from scheduler.generate import generate_region

    ctx = build(generate_region(60, 5, 11), SolveOptions(quiet=True))
    structure = lagrangian.structure(ctx)
    assert structure is not None
    a = lagrangian.Ascent(structure)
    a.capacity = np.random.default_rng(3).uniform(0, 3e4, a.capacity.shape)
    every = ctx.all_triples()
    keep = lagrangian.priced_candidates(a, every.t_row, 2)
    rc = np.empty(len(a.st.cost))
    rc[a.st.order] = a.reduced_costs()
    chosen = np.zeros(len(rc), dtype=bool)
    chosen[a.st.order[a.evaluate().chosen]] = True
    assert chosen.any() and not keep.all()
    assert keep[chosen].all()
    for row in np.unique(every.t_row):
        mine = np.flatnonzero(every.t_row == row)
        second = np.sort(rc[mine])[:2].max()
        priced = mine[keep[mine] & ~chosen[mine]]
        assert (rc[priced] <= second + 1e-9).all()  # none dearer than the 2nd cheapest
        assert keep[mine].sum() >= min(2, len(mine))
        assert keep[mine].sum() <= 2 + chosen[mine].sum()


def test_the_average_follows_the_steps_and_its_value_joins_the_bound():
    """The average moves by AVERAGE_WEIGHT towards each step's multipliers; every
    AVERAGE_EVERY steps its value joins the best bound, and the multipliers come back."""
    ctx = build(load_scenario(ROOT / "scenarios" / "twente.yaml"),
                SolveOptions(quiet=True))
    structure = lagrangian.structure(ctx)
    assert structure is not None
    a = lagrangian.Ascent(structure)
    expected = [m.copy() for m in a.average]
    w = lagrangian.AVERAGE_WEIGHT
    for _ in range(lagrangian.AVERAGE_EVERY):
        a.step(-1_000.0 * OBJECTIVE_SCALE)
        expected = [(1 - w) * e + w * m
                    for e, m in zip(expected, (a.capacity, a.fair, a.distinct), strict=True)]
    for mean, e in zip(a.average, expected, strict=True):
        assert np.allclose(mean, e)
    assert not np.allclose(a.average[0], a.capacity)  # not the multipliers themselves
    now = a.capacity.copy()
    with a.at_average():
        at_average = a.evaluate().value
    assert np.array_equal(a.capacity, now)
    assert a.best >= at_average
    a.best = -math.inf  # on a step that is a multiple of AVERAGE_EVERY: the average's value
    assert a.iterations % lagrangian.AVERAGE_EVERY == 0
    a._follow_average()
    with a.at_average():
        assert a.best == a.evaluate().value


def test_priced_candidates_with_the_average_add_its_k_cheapest():
    from scheduler.generate import generate_region

    ctx = build(generate_region(60, 5, 11), SolveOptions(quiet=True))
    structure = lagrangian.structure(ctx)
    assert structure is not None
    a = lagrangian.Ascent(structure)
    rng = np.random.default_rng(3)
    a.capacity = rng.uniform(0, 3e4, a.capacity.shape)
    a.average = (rng.uniform(0, 3e4, a.capacity.shape), a.fair.copy(), a.distinct.copy())
    every = ctx.all_triples()
    last = lagrangian.priced_candidates(a, every.t_row, 2)
    both = lagrangian.priced_candidates(a, every.t_row, 2, average=True)
    with a.at_average():
        at_average = lagrangian.priced_candidates(a, every.t_row, 2)
    assert np.array_equal(both, last | at_average)
    assert (both & ~last).any()  # the average ranks other departments first


def test_a_huge_multiplier_does_not_lift_the_bound_above_the_optimum():
    """Found by the property test: a learner pinned where a distinct-departments
    multiplier of 3.9e17 applies. Its reduced costs add the multiplier and the dual term
    takes it away again; float cancellation at that size lost 32 units, and the bound
    came out above the optimum (-299,968 against -300,000). ``evaluate`` now takes off
    what the float sums may have lost."""
    scenario = Scenario.model_validate({
        "scenario": 1, "name": "huge multiplier",
        "calendar": {"start": "2027-09", "months": 1},
        "organisations": [{"id": "O0", "sector": "VVT", "fte_care": 10.0,
                           "lat": 52.0, "lon": 6.0}],
        "departments": [{"id": f"D{i}", "organisation": "O0", "shifts": "fixed",
                         "capacity": 1} for i in range(4)],
        "buddies": [{"id": f"b{i}", "department": f"D{i}", "max_learners": 1}
                    for i in range(4)],
        "programmes": [{"id": "P0", "kind": "trainee", "placements": [1, 1, 1],
                        "carrousel_min_away": 0, "distinct_departments": True}],
        "learners": [{"id": "L0", "programme": "P0", "home": "O0", "start": "2027-09",
                      "preferences": ["O0"]}],
        "pins": [{"learner": "L0", "department": "D0", "month": "2027-10"}],
    })
    optimum = min(objective(scenario, p) for p in enumerate_plans(scenario)) * OBJECTIVE_SCALE
    structure = lagrangian.structure(build(scenario, SolveOptions(quiet=True)))
    assert structure is not None
    a = lagrangian.Ascent(structure)
    a.capacity[0, 1] = 52.39955393
    a.distinct[0] = 3.90893068e17
    assert a.evaluate().value <= optimum


def test_steps_towards_an_unreachable_target_stop_before_the_multipliers_overflow():
    """Found by a pruned solve's property test: a pinned learner on a tiny pruned region,
    a target far above any bound; the capacity multipliers doubled each step until they
    overflowed (a RuntimeWarning, then NaN). The ascent now stops there, its bound valid."""
    scenario = Scenario.model_validate({
        "scenario": 1, "name": "overflow",
        "calendar": {"start": "2027-09", "months": 1},
        "organisations": [{"id": f"O{i}", "sector": "VVT", "fte_care": 10.0,
                           "lat": 52.0, "lon": 6.0} for i in range(3)],
        "departments": [{"id": f"D{i}", "organisation": "O0", "shifts": "fixed",
                         "capacity": 1} for i in range(4)],
        "buddies": [{"id": f"b{i}", "department": f"D{i}", "max_learners": 1}
                    for i in range(3)],
        "programmes": [{"id": "P0", "kind": "trainee", "placements": [1, 1],
                        "carrousel_min_away": 0, "distinct_departments": True},
                       {"id": "P1", "kind": "trainee", "placements": [1],
                        "carrousel_min_away": 0}],
        "learners": [{"id": "L0", "programme": "P0", "home": "O0", "start": "2027-09"},
                     {"id": "L1", "programme": "P1", "home": "O0", "start": "2027-09"}],
        "pins": [{"learner": "L1", "department": "D1", "month": "2027-09"}],
    })
    optimum = min(objective(scenario, p) for p in enumerate_plans(scenario)) * OBJECTIVE_SCALE
    structure = lagrangian.structure(build(scenario, SolveOptions(quiet=True, max_candidates=1)))
    assert structure is not None
    a = lagrangian.Ascent(structure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(1000):
            a.step(1e9)
    assert np.isfinite(a.capacity).all() and np.isfinite(a.distinct).all()
    assert a.factor == 0.0  # stopped
    assert a.best <= optimum  # measured 39,927.93 against 39,960
