"""The Lagrangian ascent's part in a pruned solve (``lp/lagrangian.py``; docs/solver.md).

Before the LP phase the ascent prices the pruning: for a while it improves the
multipliers, then each placement's cheapest departments at them join the model
(``price_pruning``). From the end of the LP phase it goes on in a child process beside
the other phases (``start``), aimed at each better plan (``aim``), its best bound read
while it runs (``read``) and kept when it stops (``finish``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ..models.objective import OBJECTIVE_SCALE
from .budget import Budget
from .cpsat.hints import complete_hint
from .cpsat.model import BuildContext, reassemble
from .lp import lagrangian
from .options import SolveOptions

# Above this many candidates the ascent's arrays would cost more memory than the issue's
# 4 GB allow on the largest regions. XL has 19.3 M: its structure holds 440 MB (int32
# where it fits) and no longer raises the build's peak.
MOST_CANDIDATES = 20_000_000
WAIT = 1.0  # seconds, at most, for the child's last bound at the end

# Before the LP phase of a pruned model: the ascent runs this share of the time left (at
# most PRICE_SECONDS), then each placement gets ``priced_departments`` more candidates, the
# cheapest at its multipliers (``lagrangian.priced_candidates``). Measured on the
# 1,800-learner region (seed 17, 2-core VM): 10 s of ascent, 5 departments: the pruned LP
# −41,748 instead of −39,364 (the whole LP: −42,232). On L, 15 brought the pruned LP from
# 0.8–1.4 % to 0.6 % above the whole LP; on XL they raised the peak above 4 GB, so above
# PRICED_WIDE_MOST candidates it stayed 5 (figures: benchmarks/README.md, "Where L's gap
# lies"). Since then the cheapest at the multipliers' average join too
# (``lagrangian.priced_candidates``): 10 at each instead of 15 at the multipliers alone
# brought L's LP 0.4 % nearer the whole LP with fewer triples; on XL 3 at each instead of
# 5 gave a better LP and plan in 2 runs of 2 (13.01 and 11.84 % against 14.85 and
# 14.01 %) with about the same triples and peak (benchmarks/README.md).
PRICE_SHARE = 0.2
PRICE_SECONDS = 30.0
PRICED_DEPARTMENTS = 10
PRICED_DEPARTMENTS_LARGEST = 3
PRICED_WIDE_MOST = 6_000_000


def structure_for(ctx: BuildContext, options: SolveOptions, target: float | None,
                  stop: Callable[[], bool]) -> lagrangian.Structure | None:
    """The candidates arranged for the ascent, taken before the LP phase frees them
    (pruned models, weighted objective, a first plan to aim at)."""
    if (not ctx.pruned or options.objective != "weighted" or target is None
            or stop() or ctx.candidates is None
            or len(ctx.candidates.t_row) > MOST_CANDIDATES):
        return None
    started = time.perf_counter()
    st = lagrangian.structure(ctx)
    ctx.stats["lagrangian_setup_seconds"] = round(time.perf_counter() - started, 3)
    return st


def price_pruning(ctx: BuildContext, st: lagrangian.Structure, budget: Budget,
                  units: float | None, stop: Callable[[], bool]):
    """The ascent for a while, then the model re-assembled with the departments its
    multipliers price cheapest; returns the ascent (the background child goes on from it)
    and the hinted plan's objective in the new model."""
    started = time.perf_counter()
    ascent = lagrangian.Ascent(st)
    target = float(units) if units is not None else math.inf
    ascent.run(lambda: target, min(PRICE_SECONDS, budget.share(PRICE_SHARE)), stop)
    if stop() or ctx.candidates is None or ctx.keep is None:
        return ascent, units
    candidates = ctx.candidates.t_row
    departments = priced_departments(len(candidates))
    keep = ctx.keep | lagrangian.priced_candidates(ascent, candidates, departments,
                                                   average=True)
    ctx.stats["lagrangian_priced"] = {
        "seconds": round(time.perf_counter() - started, 3), "steps": ascent.iterations,
        "departments": departments, "average": True,
        "added": int(keep.sum() - ctx.keep.sum()),
        "bound": ascent.best / OBJECTIVE_SCALE if math.isfinite(ascent.best) else None}
    reassemble(ctx, keep)
    ctx.lagrangian_priced = True
    new_units = complete_hint(ctx, budget, ctx.greedy)
    ctx.lagrangian_bound = lagrangian.whole_units(ascent.best)
    return ascent, new_units if new_units is not None else units


def priced_departments(candidates: int) -> int:
    """How many departments per placement the multipliers price into the model: fewer on
    the largest regions, where the LP's time and the peak memory come first."""
    return PRICED_DEPARTMENTS if candidates <= PRICED_WIDE_MOST else PRICED_DEPARTMENTS_LARGEST


def start(ctx: BuildContext, ascent: lagrangian.Ascent, budget: Budget,
          target: float) -> None:
    """The ascent in its child process, from the end of the LP phase to the end: started
    with the first plan, it slowed the LP on two cores enough that the fair-share costs
    were not restored in time and the plans were worse (3 of 5 runs of the 1,800-learner
    region against 0 of 3 without it); started right after pricing, the LP phase ran late
    in 1 of 4 runs and that plan left a learner out (benchmarks/README.md)."""
    if ctx.lp_rounds is not None:
        return  # the LP's rounds have the other core: their bound is far nearer the LP's
    ctx.lagrangian = lagrangian.background(ascent, float(target), budget.left())


def aim(ctx: BuildContext, units: float) -> None:
    """A better plan was found: the child aims at it."""
    if ctx.lagrangian is not None:
        ctx.lagrangian.target(units)


def read(ctx: BuildContext) -> None:
    """The children's best bounds so far into ``ctx.lagrangian_bound`` and
    ``ctx.rounds_bound``."""
    if ctx.lagrangian is not None:
        ctx.lagrangian_bound = lagrangian.whole_units(ctx.lagrangian.latest())
        ctx.stats["lagrangian_iterations"] = ctx.lagrangian.iterations
    if ctx.lp_rounds is not None:
        _rounds_bound(ctx, ctx.lp_rounds, ctx.lp_rounds.latest())


def _rounds_bound(ctx: BuildContext, rounds, best: float) -> None:
    """The rounds' child's best bound so far (``best``) into ``ctx`` and its stats."""
    if math.isfinite(best):
        ctx.rounds_bound = int(best)
        after = rounds.improved_after
        ctx.stats["bound_rounds"] = {"rounds": rounds.iterations,
                                     "bound": best / OBJECTIVE_SCALE,
                                     "seconds": None if after is None else round(after, 3)}


def finish(ctx: BuildContext) -> None:
    """Stop the children (also on errors and interrupts) and keep their last bounds."""
    if ctx.lp_rounds is not None:
        # no wait: a round still running would not end before its HiGHS run does
        running, ctx.lp_rounds = ctx.lp_rounds, None
        _rounds_bound(ctx, running, running.result(0.0))
        ctx.stats.setdefault("bound_rounds", {"rounds": 0, "bound": None, "seconds": None})
    if ctx.lagrangian is not None:
        running, ctx.lagrangian = ctx.lagrangian, None
        best = running.result(WAIT)
        ctx.lagrangian_bound = lagrangian.whole_units(best)
        ctx.stats["lagrangian_iterations"] = running.iterations
    if ctx.lagrangian_bound is not None:  # the child's, or the ascent's before the LP
        ctx.stats["lagrangian_bound"] = ctx.lagrangian_bound / OBJECTIVE_SCALE
