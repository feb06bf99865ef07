"""The LP-guided plan: the LP relaxation's choices first in the greedy, then repaired, and
hinted to CP-SAT where it beats the greedy's plan. On tight pruned regions the LP of the
number of placed learners alone (``placement_lp``) guides a plan first. On unpruned
models the whole LP also gives the bound and the placed-count bound; on pruned ones
``columns`` prices the pruned candidates for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from ..budget import Budget
from ..cpsat.hints import complete_hint, saved_hint, set_hints
from ..cpsat.model import BuildContext
from ..heuristics import greedy
from ..options import SolveOptions
from . import columns, fair_share_lattice, placement_lp
from .pricing import hosted_prices
from .relaxation import LpSession, whole_units_above

LP_SHARE = 0.5  # of the phase's time, at most, for the LP relaxation that guides the hint
# Pruned models: the LP and its pricing give the bound and the guided plan, and CP-SAT
# improved on the guided hint by little afterwards; on large regions the first LP alone
# can take about half of the time limit, so LP_SHARE was too tight (see
# benchmarks/results/history.csv). On L at 60 s (2-core VM) the first LP took 14-25 s of
# its 28-29 s, and once more than that: without it the plan placed 1,946 of 2,000 (with
# the plan standing in for it, ``support_mip.stand_in_values``, 1,994); the share is a
# cap, so a faster LP leaves the rest to the plan as before.
PRICED_LP_SHARE = 0.85
GUIDED_REPAIR_SHARE = 0.1  # of the phase's time, to repair the guided plan (``repair.py``)
# Tight pruned regions (``placement_guided_hint``): at most this share of the time left for
# the LP of placed learners (PDLP, 6-12 s on L-tight at 60 s), then this share of what
# is left for repairing its plan (repair seconds 0.5-11 measured: 240 -> 206 left out).
PLACEMENT_LP_SHARE = 0.6
PLACEMENT_REPAIR_SHARE = 0.25


def lp_guided_hint(
    ctx: BuildContext, options: SolveOptions, budget: Budget, greedy_units,
    stop: Callable[[], bool] = lambda: False,
) -> int | None:
    """Re-run the greedy with the LP relaxation's choices first, repair it, and hint it
    if it is better. Where no LP came in time, the greedy plan is repaired further.

    Returns the new hint's objective (units), or None where the greedy plan stays.
    """
    greedy_hint = saved_hint(ctx.model)  # restored if the guided plan loses
    model = ctx.model
    if ctx.candidates is not None and options.objective == "weighted":
        # Pruned: price the pruned candidates (a bound for the unpruned model) and add
        # back those the LP wants; the model may be re-assembled (the hint is then redone).
        x = columns.generate_columns(ctx, budget.share(PRICED_LP_SHARE), stop,
                                     rounds_until=time.perf_counter() + budget.left())
    else:
        x = _whole_lp(ctx, budget.share(LP_SHARE), stop)
    ctx.lp_x = x
    if ctx.model is not model:
        greedy_units = complete_hint(ctx, budget, ctx.greedy)
        greedy_hint = saved_hint(ctx.model)
    if stop():
        return None
    return _hint_if_better(ctx, options, budget, greedy_units, greedy_hint, x,
                           budget.share(GUIDED_REPAIR_SHARE), stop)


def placement_guided_hint(
    ctx: BuildContext, options: SolveOptions, budget: Budget, greedy_units,
    stop: Callable[[], bool] = lambda: False,
) -> int | None:
    """Tight regions (more learners than places): re-run the greedy with the choices of
    the LP "fewest learners left out" first (``placement_lp``), repair it, and hint it if
    it is better. Returns the new hint's objective (units), or None where it loses (or
    the LP did not come): the greedy plan then stays, hint included."""
    greedy_hint = saved_hint(ctx.model)
    x = placement_lp.placement_values(ctx, budget.share(PLACEMENT_LP_SHARE), stop)
    ctx.placement_x = x  # the batches after it use it too (``pipeline._place_in_batches``)
    if x is None or stop():
        return None
    return _hint_if_better(ctx, options, budget, greedy_units, greedy_hint, x,
                           budget.share(PLACEMENT_REPAIR_SHARE), stop)


def _hint_if_better(ctx: BuildContext, options: SolveOptions, budget: Budget, greedy_units,
                    greedy_hint, x: np.ndarray | None, repair_seconds: float,
                    stop: Callable[[], bool]) -> int | None:
    """The greedy with the LP's values ``x`` first (the greedy plan itself where there is
    no LP), repaired for ``repair_seconds``, made the hint where it beats
    ``greedy_units``; otherwise ``greedy_hint`` is restored."""
    base = ctx.combined_cost()
    if x is None:  # no LP in time (L-tight): search on from the greedy plan instead
        guided = ctx.greedy
    else:
        spread = int(base.max() - base.min()) + 1 if len(base) else 1
        cost = base - np.rint(x * 1000).astype(np.int64) * spread  # LP value, then cost
        guided = greedy.greedy_assignment(ctx.ix, ctx.t_row, ctx.t_dept, cost,
                                          *ctx.learner_needs())
    guided = ctx.repair_plan(guided, base, options.objective, repair_seconds, stop)
    if stop():
        return None
    units = complete_hint(ctx, budget, guided)
    if units is not None and (greedy_units is None or units < greedy_units):
        ctx.greedy, ctx.greedy_at = guided, time.perf_counter()
        return round(units)
    set_hints(ctx.model, *greedy_hint)  # the greedy plan's complete hint, as it was
    return None


def _whole_lp(ctx: BuildContext, time_limit: float, stop: Callable[[], bool]) -> np.ndarray | None:
    """The LP relaxation of the whole (unpruned) model: its values per triple guide the
    plan; its optimum bounds every plan (``ctx.lp_bound``); re-solved for the fewest
    unplaced learners alone, it bounds how many any plan can place (``ctx.placed_upper``)."""
    started = time.perf_counter()
    ctx.stats["fair_share_lattice"] = fair_share_lattice.strengthen(ctx)  # a tighter LP
    session = LpSession.start(ctx.model, time_limit, stop)
    if session is None or session.solution is None:
        return None
    lp = session.solution
    ctx.lp_objective = lp.objective
    ctx.lp_bound = whole_units_above(lp.objective, lp.model.n)
    x_cols = ctx.x_columns()
    x, ctx.lp_reduced_cost = lp.values[x_cols], lp.col_dual[x_cols]
    ctx.hosted_price = hosted_prices(ctx, lp)
    left = time_limit - (time.perf_counter() - started)
    if not stop():
        ctx.bound_placed(_placed_upper(ctx, session, left), "highs-lp")
    return x  # type: ignore[no-any-return]


def _placed_upper(ctx: BuildContext, session: LpSession, time_limit: float) -> int | None:
    """len(learners) − the LP's fewest unplaced learners, rounded up (the LP relaxes the
    plan, so no plan places more)."""
    cost = np.zeros(session.columns)
    cost[ctx.unplaced_columns()] = 1.0
    fewest = session.minimum_of(cost, time_limit)
    if fewest is None:
        return None
    return len(ctx.ix.learners) - whole_units_above(fewest, session.columns)
