"""Column-generation rounds for the bound in a child process (``lp/columns.py``'s
``_bound_rounds``): where the pruned model was priced by the Lagrangian multipliers, the
planner gives its LP no round, and a forked child goes on adding the candidates that the
LP prices below zero. Every bound it sends must hold for the unpruned problem (at most
the unpruned LP's optimum), and the rounds must bring it up from the first LP's."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings

import scheduler.solver.lp.columns as columns
import scheduler.solver.lp.pricing as pricing
from scheduler.io import load_scenario
from scheduler.solver.cpsat.model import build
from scheduler.solver.lp import relaxation
from scheduler.solver.lp.relaxation import LpSession, lp_solution, whole_units_above
from scheduler.solver.options import SolveOptions
from tests.strategies import scenarios

ROOT = Path(__file__).resolve().parent.parent
SLOW_AND_FILTERED = [HealthCheck.too_slow, HealthCheck.filter_too_much]


class _Pipe:
    """The child's end of the pipe, in process: what was sent; never a stop."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, int]] = []

    def poll(self) -> bool:
        return False

    def send(self, message) -> None:
        self.sent.append(message)


def _first_lp(ctx):
    """The pruned model's LP held in HiGHS, its columns and its pricing (as
    ``generate_columns`` has them when it stops for a Lagrangian-priced model)."""
    session = LpSession.start(ctx.model, 60)
    assert session is not None and session.solution is not None
    held = columns._Held.of_model(ctx, len(ctx.all_triples().t_row))
    priced = pricing.price(ctx, session.solution, held.held, held.column)
    return session, held, priced


def _twente_pruned():
    s = load_scenario(ROOT / "scenarios" / "twente.yaml")
    ctx = build(s, SolveOptions(max_candidates=2, quiet=True))
    assert ctx.candidates is not None and ctx.keep is not None and not ctx.keep.all()
    full = lp_solution(build(s, SolveOptions(quiet=True)).model, 60)
    assert full is not None
    return ctx, full


def test_the_rounds_lift_the_priced_bound_to_the_unpruned_lp_and_never_above():
    ctx, full = _twente_pruned()
    session, held, priced = _first_lp(ctx)
    assert priced is not None and len(priced.entering(1)), "pruning should lose something"
    first = whole_units_above(priced.lagrangian, len(priced.reduced_cost))
    pipe = _Pipe()
    columns._bound_rounds(ctx, session, held, priced, 60.0, pipe)
    assert pipe.sent, "no round was solved"
    bounds = [bound for bound, _ in pipe.sent]
    assert [r for _, r in pipe.sent] == list(range(1, len(pipe.sent) + 1))
    assert max(bounds) > first  # the rounds lift the bound
    assert max(bounds) <= full.objective + 1e-6 * abs(full.objective)  # and it stays valid
    # (in place only: candidates that need a row the model lacks are priced, never added,
    # so here the rounds end below the unpruned LP: −10,874,973 against −10,764,221 units)


def test_a_pruned_lagrangian_priced_model_starts_the_rounds_in_a_child_that_serves_the_bound():
    # The planner's own path: generate_columns stops after the first LP of a model the
    # multipliers priced, and the child runs the rounds. With HiGHS's parallel simplex
    # (two threads on two cores) the child must solve serially: its worker threads are
    # not forked, and the parallel simplex then waits for them for ever.
    ctx, full = _twente_pruned()
    ctx.lagrangian_priced = True
    columns.generate_columns(ctx, 60, rounds_until=time.perf_counter() + 60)
    assert ctx.stats["pricing_rounds"] == 0  # none in the planner's time
    assert ctx.lp_rounds is not None
    best = ctx.lp_rounds.result(wait=60)
    assert not multiprocessing.active_children()
    first = ctx.pricing.lagrangian  # settled: the first LP's priced bound
    assert best > first
    assert best <= full.objective + 1e-6 * abs(full.objective)


def test_no_rounds_where_one_is_not_expected_to_finish():
    ctx, _ = _twente_pruned()
    ctx.lagrangian_priced = True
    columns.generate_columns(ctx, 60, rounds_until=time.perf_counter())
    assert ctx.lp_rounds is None


@settings(max_examples=30, deadline=None, suppress_health_check=SLOW_AND_FILTERED)
@given(scenarios())
def test_every_bound_the_rounds_send_holds_for_the_unpruned_lp(scenario):
    ctx = build(scenario, SolveOptions(max_candidates=1, quiet=True))
    assume(ctx.candidates is not None)
    full = lp_solution(build(scenario, SolveOptions(quiet=True)).model, 30)
    assume(full is not None)
    session = LpSession.start(ctx.model, 30)
    assume(session is not None and session.solution is not None)
    held = columns._Held.of_model(ctx, len(ctx.all_triples().t_row))
    priced = pricing.price(ctx, session.solution, held.held, held.column)
    assert priced is not None
    pipe = _Pipe()
    columns._bound_rounds(ctx, session, held, priced, 30.0, pipe)
    for bound, _ in pipe.sent:
        assert bound <= full.objective + 1e-7 * max(1.0, abs(full.objective))


def test_every_highs_instance_asks_for_the_same_threads():
    # HiGHS fixes its thread count for the process at the first run; an instance asking
    # for another count fails to run at all.
    import highspy

    h = relaxation.quiet_highs(highspy, 1.0)
    assert h.getOptionValue("threads")[1] == relaxation.THREADS >= 1
    ctx, _ = _twente_pruned()
    session = LpSession.start(ctx.model, 60)  # after other instances ran in this process
    assert session is not None and session.solution is not None
    strategy = session.h.getOptionValue("simplex_strategy")[1]
    assert strategy == (relaxation.SIMPLEX_PARALLEL if relaxation.THREADS > 1
                        else relaxation.SIMPLEX_SERIAL)
    session.serial()
    assert session.h.getOptionValue("simplex_strategy")[1] == relaxation.SIMPLEX_SERIAL
