"""The fair-share lattice (``scheduler.solver.lp.fair_share_lattice``): valid for every plan,
and tighter than the plain relaxation where placements come in whole steps."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scheduler.solver.pipeline as pipeline
from scheduler.io import load_scenario
from scheduler.kpis import objective
from scheduler.models import RowStatus, Scenario
from scheduler.models.objective import OBJECTIVE_SCALE
from scheduler.solver.budget import Budget
from scheduler.solver.cpsat.hints import complete_hint
from scheduler.solver.cpsat.model import build as build_model
from scheduler.solver.lp.fair_share_lattice import R, Secant, secant, strengthen
from scheduler.solver.options import SolveOptions
from tests.bruteforce import enumerate_plans
from tests.strategies import scenarios

ROOT = Path(__file__).resolve().parents[1]


def _violated(cut: Secant, target: int, lengths: list[int]) -> bool:
    """Does the cut cut off the plan that places exactly these rows (total at its T0)?"""
    h = sum(lengths)
    correction = sum(cut.coef[m % cut.g] for m in lengths if m % cut.g)
    return cut.line(h) - correction > cut.g * abs(R * h - target)


@settings(max_examples=300, deadline=None)
@given(
    g=st.integers(2, 12),
    target=st.integers(0, 300 * R),
    rows=st.lists(st.integers(1, 30), min_size=1, max_size=10),
)
def test_the_cut_holds_for_every_set_of_placements(g, target, rows):
    cut = secant(target, g, {m % g for m in rows if m % g})
    if cut is None:
        assert target % (R * g) == 0
        return
    for k in range(len(rows) + 1):
        for chosen in itertools.combinations(rows, k):
            assert not _violated(cut, target, list(chosen))


def test_the_property_would_catch_coefficients_that_are_too_small():
    # Target 39.36 learner-months on a 6-month lattice: one 4-month placement reaches 40.
    target, g = 39_360, 6
    cut = secant(target, g, {4})
    assert cut is not None and cut.coef[4] > 0
    broken = Secant(cut.g, cut.a, cut.fa, cut.fb, {4: 0})
    assert _violated(broken, target, [6, 6, 6, 6, 6, 6, 4])
    assert not _violated(cut, target, [6, 6, 6, 6, 6, 6, 4])
    # ... and the plain secant (no irregular rows) is tight at both lattice points
    assert cut.line(36) == g * abs(R * 36 - target) and cut.line(42) == g * abs(R * 42 - target)


def _assignment(ctx, plan) -> dict[int, int] | None:
    """Row → department index of a plan (None where a placed row has no triple)."""
    ids = {lr.id: i for i, lr in enumerate(ctx.ix.learners)}
    wanted = {}
    for learner, rows in plan.by_learner.items():
        for row in rows:
            if row.status is not RowStatus.UNPLACED:
                wanted[(ids[learner], row.placement)] = ctx.ix.dept_pos[row.department]
    out = {r: wanted[(row.learner, row.span.index)] for r, row in enumerate(ctx.ix.rows)
           if (row.learner, row.span.index) in wanted}
    eligible = set(zip(ctx.t_row.tolist(), ctx.t_dept.tolist(), strict=True))
    return out if all(pair in eligible for pair in out.items()) else None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(simple_buddies=True))
def test_every_valid_plan_stays_feasible_at_its_own_objective(scenario: Scenario):
    options = SolveOptions(time_limit=10, quiet=True)
    ctx = build_model(scenario, options)
    strengthen(ctx)
    for plan in itertools.islice(enumerate_plans(scenario), 40):
        assignment = _assignment(ctx, plan)
        assert assignment is not None
        # fixes the plan, completes the rest
        units = complete_hint(ctx, Budget.seconds(options.time_limit), assignment)
        assert units is not None, "the lattice or the secant cut off a valid plan"
        assert units == round(objective(scenario, plan) * OBJECTIVE_SCALE)


def _lp_bound(ctx) -> float:
    import highspy

    from scheduler.solver.lp.relaxation import load, read_model

    h = load(highspy, read_model(ctx.model), 60, integer=False)
    h.run()
    return h.getInfo().objective_function_value


def test_on_the_default_scenario_the_relaxation_gets_tighter_and_stays_a_bound():
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    plain = build_model(s, SolveOptions())
    strong = build_model(s, SolveOptions())
    assert strengthen(strong) == 6  # most placements last 6 months
    r = pipeline.solve(s, SolveOptions(time_limit=60, workers=8))
    assert r.status == "optimal" and r.objective is not None
    optimum = r.objective * OBJECTIVE_SCALE
    before, after = _lp_bound(plain), _lp_bound(strong)
    assert before < after - 2 * OBJECTIVE_SCALE  # more than 2 units of the gap closed
    assert after <= optimum + 1e-6 * OBJECTIVE_SCALE


def test_nothing_is_added_without_a_fair_share_term():
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    weights = s.policy.weights.model_copy(update={"fair_share": 0.0})
    s = s.model_copy(update={"policy": s.policy.model_copy(update={"weights": weights})})
    ctx = build_model(s, SolveOptions())
    variables = len(ctx.model.proto.variables)
    assert strengthen(ctx) == 0
    assert len(ctx.model.proto.variables) == variables


def test_the_lattice_is_added_once_per_model():
    """The LP path of mid-size models and the MIP phase both ask for it; a second call
    adds nothing, and a re-assembled model may get it again."""
    from scheduler.solver.cpsat.model import assemble as _assemble
    from scheduler.solver.cpsat.model import build as _build
    from scheduler.solver.lp import fair_share_lattice
    from scheduler.solver.options import SolveOptions as _Options

    ctx = _build(load_scenario(Path(__file__).resolve().parents[1] / "scenarios" /
                               "twente.yaml"), _Options(quiet=True))
    g = fair_share_lattice.strengthen(ctx)
    assert g > 1
    ctx.stats["fair_share_lattice"] = g
    size = len(ctx.model.proto.constraints)
    assert fair_share_lattice.strengthen(ctx) == g
    assert len(ctx.model.proto.constraints) == size
    _assemble(ctx)
    assert "fair_share_lattice" not in ctx.stats
