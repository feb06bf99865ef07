"""``solve``: the phases in order (docs/solver.md), progress events, status and result.

``solve(scenario, options, progress, interrupt) -> SolveResult``. Statuses (docs/outputs.md):
``optimal`` (proven, and buddies named without extra changes), ``feasible``,
``infeasible`` (the hard rules conflict: pins, freeze or fair-share tolerance; exit 2),
``interrupted`` (stopped by a signal; best plan so far). CP-SAT's UNKNOWN is not
"no plan": the greedy plan is returned as ``feasible`` when it satisfies every rule.
"""

from __future__ import annotations

import contextlib
import math
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from importlib.metadata import version
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from ..kpis import buddy_changes, objective_units
from ..models import Scenario
from ..models.objective import OBJECTIVE_SCALE
from ..models.progress import ProgressEvent
from ..models.result import SolveResult, Status, relative_gap
from . import lagrangian_phase
from .budget import Budget
from .cp import new_solver
from .cpsat.hints import (
    complete_hint,
    greedy_plan,
    saved_hint,
    set_hints,
    solution_assignment,
)
from .cpsat.model import BuildContext, build
from .cpsat.objectives import fair_share_columns
from .cpsat.stages import LARGE_MODEL, solve_lexicographic, solve_weighted, unplaced_count
from .extract import build_plan
from .lp import fair_share_lattice, lagrangian
from .lp.capacity_bound import most_placeable
from .lp.guide import lp_guided_hint, placement_guided_hint
from .lp.pricing import PricedBound
from .lp.prover import ABS_GAP, MipResult, solve_mip
from .lp.prover import SLACK as PROVER_SLACK
from .lp.relaxation import read_model, whole_units_above, without_costs
from .lp.support_mip import (
    SupportPlan,
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
from .options import SolveOptions
from .reasons import unplaced_reasons

Progress = Callable[[ProgressEvent], None]
HEARTBEAT = 2.0  # seconds without a report before the running phase says it still runs
# Triples up to which HiGHS's branch-and-cut goes first (``prover``): it proved the shipped
# scenarios (700–4,400 triples) and the smallest benchmark region (2,900) optimal far sooner
# than CP-SAT, but on 11,000 triples it found no plan in time (see benchmarks/README.md).
MIP_MODEL = 6_000
# Where a pruned model has no plan, the whole model is solved up to this many triples
# (the 1,800-learner regions hold 2.5 million; XL 19 million, which would take more than
# 10 GB); above it, WIDER times the departments per placement the pruning kept.
WHOLE_MODEL_MOST = 4_000_000
WIDER = 4
PRUNED_NO_PLAN = "no plan found"  # the note's start (``scheduler solve`` prints the note)
# Of the time left after the build, at most, for the per-month capacity bound on how many
# learners any plan can place (``capacity_bound``), where the first plan leaves some out.
CAPACITY_BOUND_SHARE = 0.05


class Interrupt:
    """Set by a signal handler; stops a running search and marks the result."""

    def __init__(self) -> None:
        self.requested = False
        self._solver: cp_model.CpSolver | None = None

    def bind(self, solver: cp_model.CpSolver | None) -> None:
        self._solver = solver

    def request(self) -> None:
        self.requested = True
        if self._solver is not None:
            self._solver.stop_search()


class _Reporter:
    """Progress events (``ProgressEvent``) to the caller's ``progress``: one per phase's
    plan, CP-SAT's and HiGHS's plans at most every half second, and from a timer thread a
    heartbeat with the running phase whenever nothing was said for ``HEARTBEAT`` seconds.
    The events carry figures only; the command layer writes them in words."""

    def __init__(self, progress: Progress | None, start: float, learners: int) -> None:
        self.progress, self.start, self.learners = progress, start, learners
        self.phase = "build"
        self.placed: int | None = None  # the best plan so far (heartbeats repeat it)
        self.most: int | None = None
        self._said = time.perf_counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Reporter:
        if self.progress is not None:
            self._thread = threading.Thread(target=self._beat, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def seconds(self) -> float:
        return time.perf_counter() - self.start

    def emit(self, phase: str | None = None, heartbeat: bool = False, **figures: Any) -> None:
        if self.progress is None:
            return
        with self._lock:
            if not heartbeat:
                if figures.get("placed") is not None:
                    self.placed = figures["placed"]
                if figures.get("most") is not None:
                    self.most = figures["most"]
            figures.setdefault("placed", self.placed)
            figures.setdefault("most", self.most)
            self._said = time.perf_counter()
            event = ProgressEvent(seconds=self.seconds(), phase=phase or self.phase,
                                  learners=self.learners, heartbeat=heartbeat, **figures)
            self.progress(event)

    def _beat(self) -> None:
        while not self._stop.wait(0.25):
            if time.perf_counter() - self._said >= HEARTBEAT:
                try:
                    self.emit(heartbeat=True)
                except Exception:  # noqa: BLE001 - a failing reader never stops the solve
                    return


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, reporter: _Reporter | None, origin: float) -> None:
        super().__init__()
        self.reporter, self.solutions = reporter, 0
        self.origin = origin  # when solve() was called: the clock of the trace
        self.trace: list[tuple[float, float, float | None]] = []
        self.last_print = -1.0
        self.stage, self.scale = "", OBJECTIVE_SCALE
        # CP-SAT's bound → a bound valid for every plan (None: there is none). On a pruned
        # model CP-SAT's bound holds for the pruned model only: ``valid_bound`` replaces it.
        self.valid_bound: Callable[[float], float | None] = lambda b: b
        # learners the current solution places (None: not counted)
        self.count_placed: Callable[[_ProgressCallback], int | None] = lambda _: None
        self.most: Callable[[], int | None] = lambda: None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        valid = self.valid_bound(self.best_objective_bound)
        if not self.stage:
            self.trace.append(
                (
                    time.perf_counter() - self.origin,
                    self.objective_value / OBJECTIVE_SCALE,
                    None if valid is None else valid / OBJECTIVE_SCALE,
                )
            )
        now = time.perf_counter() - self.origin
        if self.reporter is None or now - self.last_print < 0.5:
            return
        self.last_print = now
        placed, most = self.count_placed(self), self.most()
        if self.stage:  # the objective counts unplaced learners: no quality yet
            self.reporter.emit("unplaced", placed=placed, most=most, plans=self.solutions)
            return
        obj = self.objective_value / self.scale
        bound = None if valid is None else valid / self.scale
        gap = None if bound is None else relative_gap(obj, bound) or 0.0
        self.reporter.emit("cp_sat", placed=placed, most=most, objective=obj, bound=bound,
                           gap=gap, plans=self.solutions)


def _parameters(solver: cp_model.CpSolver, options: SolveOptions, seconds: float) -> None:
    p = solver.parameters
    p.max_time_in_seconds = float(seconds)
    p.num_workers = int(options.workers)
    p.random_seed = int(options.seed)
    p.linearization_level = int(options.linearization_level)
    if options.probing_level is not None:
        p.cp_model_probing_level = int(options.probing_level)
    if options.workers == 1:
        p.interleave_search = False


def _model_buddy_changes(ctx: BuildContext, assignment: dict[int, str]) -> int:
    total = 0
    for t, (r, d) in enumerate(zip(ctx.t_row.tolist(), ctx.t_dept.tolist(), strict=True)):
        if assignment.get(r) == ctx.ix.departments[d]:
            total += int(ctx.cost_buddy[t])
    return total


def _mip_phase(
    ctx: BuildContext,
    options: SolveOptions,
    budget: Budget,
    interrupt: Interrupt,
    reporter: _Reporter,
) -> MipResult | None:
    """HiGHS's branch-and-cut on the same model first (small models): its plan becomes the
    complete hint and the fallback, its bound a constraint ``objective ≥ bound``.

    The bound never exceeds the hinted plan's objective, so the constraint cannot make the
    model infeasible; where HiGHS's plan meets that bound, CP-SAT only verifies the plan.
    The fair-share term is first put on the placement-length lattice (valid for every
    plan; see ``fair_share_lattice``), which is what lets HiGHS prove small regions fast.
    """
    ctx.stats["fair_share_lattice"] = fair_share_lattice.strengthen(ctx)
    mip = solve_mip(ctx.model, budget.share(options.mip_share),
                    lambda: interrupt.requested, _mip_reporter(reporter, ctx))
    if mip is None:
        return None
    units = None
    if mip.values is not None:
        x = mip.values[ctx.x_columns()]
        plan = {int(r): int(d) for r, d, v in zip(ctx.t_row, ctx.t_dept, x, strict=True) if v}
        units = complete_hint(ctx, budget, plan)
        if units is not None:  # a valid plan (the fixer kept every rule): the fallback
            ctx.fallback = {r: ctx.ix.departments[d] for r, d in plan.items()}
    if mip.bound is not None:
        _raise_highs_bound(ctx, mip.bound, "highs-mip")
        floor = mip.bound if units is None else min(mip.bound, round(units))
        ctx.model.add(ctx.objective.expr() >= floor).with_name("highs_bound")
        ctx.bound_from_mip = True
        ctx.mip_plan_meets_bound = units is not None and round(units) <= mip.bound
    return mip


class _Phases:
    """One progress event after each phase before CP-SAT: learners placed by the current
    plan, the most any plan can place where proven, the objective and the bound."""

    def __init__(self, reporter: _Reporter, ctx: BuildContext) -> None:
        self.reporter, self.ctx = reporter, ctx

    def __call__(self, phase: str, units: float | None, following: str) -> None:
        ctx = self.ctx
        learners = len(ctx.ix.learners)
        placed = (learners - int(ctx.ix.forced_unplaced.sum())
                  - unplaced_count(ctx, set(ctx.greedy)))
        objective = bound = gap = None
        if units is not None:
            objective = units / OBJECTIVE_SCALE
            units_bound = self.bound()
            if units_bound is not None:
                bound = units_bound / OBJECTIVE_SCALE
                gap = relative_gap(units, units_bound) or 0.0
        self.reporter.emit(phase, placed=placed, most=ctx.placed_upper, objective=objective,
                           bound=bound, gap=gap)
        self.reporter.phase = following  # what the heartbeats name from now on

    def bound(self) -> float | None:
        ctx = self.ctx
        if not ctx.pruned:
            return ctx.lp_bound
        if isinstance(ctx.pricing, PricedBound) or ctx.pricing is None:
            return _priced_bound(ctx, None)  # with the Lagrangian's bound so far
        return None


# Of the time left after the LP, at most, for HiGHS on the LP's support, then on the
# triples that reduced-cost fixing leaves (``support_mip``).
SUPPORT_SHARE = 0.3
REDUCED_SHARE = 0.5
# ... and on pruned models: there CP-SAT found no plan at all in the time left on the
# models priced by the Lagrangian (1,800 learners, 60 s), where HiGHS on the placements
# the LP is unsure of kept improving (with 0.3: -38,615 and -42,732; with 0.9: -41,571
# and -43,247 on the two 1,800-learner regions); on XL (not priced, 300 s) CP-SAT's 8
# workers took the peak from 3.4 to 4.8 GB for 0.1 % (benchmarks/README.md).
PRUNED_SUPPORT_SHARE = 0.9
# Of that, at most, for placing the learners the plan leaves out and the LP places first
# (``_place_the_left_out``): a learner left out costs more than the support MIP gains on
# the rest. On L HiGHS proves the repair in about a second; on XL (300 s, 2-core VM) two
# rings placed all 5,000 (a probe: 8.8 s and 15.3 s), and the support MIP found nothing better in
# any XL run, before the rings (43-68 s) or after them (benchmarks/README.md).
REPAIR_SHARE = 0.8
REPAIR_HOPS = 8  # rings of learners in the way, at most (``_place_the_left_out``)
# Of the support MIP's time, at most, for its first part with the fair share priced at the
# LP's slopes (``support_mip.fair_share_priced``): proven in 1-2 s on 1,800 learners, where
# the exact support MIP found its first better plan after 10.8 s.
PRICED_SUPPORT_SHARE = 0.3
PRICED_SUPPORT_LEAST = 1.0  # seconds; below, the exact support MIP gets all the time (M, 10 s)


def _support_phase(ctx: BuildContext, budget: Budget, units: float | None,
                   stop: Callable[[], bool]) -> float | None:
    """HiGHS over the LP's support, from the current plan: first with the fair share
    priced per hosted learner-month at the LP's slopes (``support_mip.fair_share_priced``,
    proven in seconds where the exact term's root cut rounds take most of the time), then
    with the term itself; then, on unpruned models, over every triple reduced-cost fixing
    leaves against that plan, which settles the optimum where HiGHS finishes and tightens
    the bound where it does not. A plan becomes the hint (and the fallback) where it costs
    less, judged with the fair share itself. Returns the hint's objective (units)."""
    assert ctx.lp_x is not None
    model = read_model(ctx.model)  # once: hints change between the two, constraints do not
    if ctx.lp_relaxed:  # the LP placed by the other costs: so does its MIP (``columns``)
        model = without_costs(model, fair_share_columns(ctx))
    share = PRUNED_SUPPORT_SHARE if ctx.pruned else SUPPORT_SHARE
    ends = time.perf_counter() + budget.share(share)
    priced = (fair_share_priced(ctx, model, ctx.hosted_price)
              if ctx.hosted_price is not None and not ctx.lp_relaxed else None)
    costs = priced if priced is not None else without_costs(model, fair_share_columns(ctx))
    units = _place_the_left_out(ctx, budget, units, stop, costs,
                                REPAIR_SHARE * budget.share(share))
    seconds = PRICED_SUPPORT_SHARE * (ends - time.perf_counter())
    if priced is not None and seconds >= PRICED_SUPPORT_LEAST:
        keep = support_columns(ctx, ctx.lp_x, ctx.greedy)
        units = _take(ctx, budget, units, "support_priced",
                      solve_restricted(ctx, keep, seconds, stop, priced))
    keep = support_columns(ctx, ctx.lp_x, ctx.greedy)
    units = _take(ctx, budget, units, "support_mip",
                  solve_restricted(ctx, keep, ends - time.perf_counter(), stop, model))
    if ctx.pruned or ctx.lp_reduced_cost is None or ctx.lp_objective is None or units is None:
        return units
    if ctx.lp_bound is not None and round(units) <= ctx.lp_bound:
        return units  # the plan meets the LP bound: optimal already
    hinted = units
    keep = reduced_cost_columns(ctx, ctx.lp_reduced_cost, hinted - ctx.lp_objective, ctx.greedy)
    found = solve_restricted(ctx, keep, budget.share(REDUCED_SHARE), stop, model)
    if found is not None and found.bound is not None:
        # every plan that costs less than the hint is in the restricted model, so
        # min(hint, its bound) bounds every plan (rounded as the prover's)
        _raise_highs_bound(ctx, math.ceil(min(found.bound, hinted) - PROVER_SLACK),
                           "highs-reduced-cost-mip")
    return _take(ctx, budget, units, "reduced_cost_mip", found)


def _place_the_left_out(ctx: BuildContext, budget: Budget, units: float | None,
                        stop: Callable[[], bool], costs, seconds: float) -> float | None:
    """Where the plan leaves out learners the LP places: HiGHS places as many as it can
    on them and the learners in their way (``repair_columns``), weighing placed learners
    alone; where it proves no plan there places more and some are still out, the
    neighbourhood grows by one ring (the learners in the way of those moved aside), up to
    ``REPAIR_HOPS`` rings. Then HiGHS weighs the other costs on the union of those
    neighbourhoods with every learner placed so far kept placed (``support_mip.placed_fixed``),
    on ``costs``: the model with the fair share priced at the LP's slopes, or left out
    where there are no prices. All in ``seconds``; returns the hint's objective (units).

    Placed learners alone: with the other costs too, HiGHS did not prove the first ring
    in 40-54 s on XL (9-14 left out); with them alone, 8 s (8 left out, the same plan
    count). Two rings from the start were too wide (nothing in 40 s). Without the
    fair-share term itself throughout (``_take`` judges each plan with it): with it HiGHS
    spent its time in the root's cut rounds and found nothing (a 1,800-learner plan with
    60 learners taken out: none placed again in 30 s; without: all, proven, in 3 s). With
    the term left out entirely, though, the costs MIP's plan could shift the hosted months
    so far that it cost more than the plan with a learner out, and the ring's plan too: in
    a probe (1,800 learners, seed 8128) the plan then kept a learner out; priced, the
    costs MIP's plan was taken and every learner placed.

    A ring's plan places more learners but, its other costs unweighed, may cost more in
    all than the plan (``_take`` keeps the plan then). The rings go on from it all the
    same, and the other costs are weighed with the learners *it* places kept placed,
    starting from it (``_hinted``): on L (60 s) a plan left one learner out after a ring
    had placed everyone, because the next rings started from the plan again and left the
    costs no time."""
    assert ctx.lp_x is not None
    ends = time.perf_counter() + seconds
    learner_units = ctx.unplaced_costs("weighted")
    positive = learner_units[learner_units > 0]
    gap = max(ABS_GAP, 0.5 * float(positive.min())) if positive.size else ABS_GAP
    placing = placing_only(ctx, costs)
    most = ctx.greedy  # the plan placing the most learners so far
    moved = None
    for hops in range(1, REPAIR_HOPS + 1):
        ring = repair_columns(ctx, ctx.lp_x, most, hops)
        if ring is None or stop():
            break
        with _hinted(ctx, budget, most):
            found = solve_restricted(ctx, ring, ends - time.perf_counter(), stop, placing,
                                     gap=gap)
        if found is None:
            break
        moved = ring if moved is None else moved | ring
        units = _take(ctx, budget, units, "repair_mip", found)
        # the current plan where it places as many (it is the hint), else the most placing
        most = min((ctx.greedy, most, found.assignment),
                   key=lambda plan: _left_out_units(ctx, learner_units, plan))
        ctx.stats["repair_mip"]["rings"] = hops
        if not found.proven:
            break
    if moved is not None and not stop():
        fixed = placed_fixed(ctx, costs, most)
        with _hinted(ctx, budget, most):
            found = solve_restricted(ctx, moved, ends - time.perf_counter(), stop, fixed)
        units = _take(ctx, budget, units, "repair_costs", found)
    return units


# Tight regions, after the placement phase: at most this share of the time left (and at
# most TIGHT_BATCH_MOST) for the learners the plan leaves out, BATCH_LEARNERS at a time
# through the repair MIP's rings, at most BATCH_SECONDS each (``_place_in_batches``); the
# full LP, which does not finish on L-tight at 60 s, gets the rest. Probes on L-tight at
# 60 s (2-core VM), learners placed by the batches: 4 at a time, 3.5 s each: 8, 7, 11 and
# 9 in 4 solves; 5 at a time, 2 s each: 8, 0, 5 and 0 (most batches ended unproven);
# probes from a captured plan: 10 at a time, 3 s: 12 in 20 s; 20 at a time, 5 s: none in
# 20 s (no batch proven). With half the time left (3 batches of 5) none placed, so 0.8.
TIGHT_BATCH_SHARE = 0.8
TIGHT_BATCH_MOST = 30.0  # seconds: at longer limits the full LP gets the rest (it may finish)
BATCH_LEARNERS = 4
BATCH_SECONDS = 3.5
BATCH_LEAST_MASS = 0.05  # of a placement, on average: learners the LP hardly places wait


def _place_in_batches(ctx: BuildContext, budget: Budget, units: float,
                      x: np.ndarray, stop: Callable[[], bool]) -> float:
    """Tight regions, where the full LP does not come in time (L-tight at 60 s): the
    learners the plan leaves out, those the LP of the number placed (``x``) places most
    first, ``BATCH_LEARNERS`` at a time through the repair MIP's rings
    (``_place_the_left_out``, each batch's learners alone wanted: ``batch_values``),
    until each was tried once or the time is up. Returns the hint's objective (units).

    All of them at once froze nearly the whole model (169,589 of 174,122 triples on
    L-tight) and HiGHS placed no one in 14 s; batches of 20 were not proven in 5 s."""
    started = time.perf_counter()
    ends = started + min(budget.share(TIGHT_BATCH_SHARE), TIGHT_BATCH_MOST)
    costs = without_costs(read_model(ctx.model), fair_share_columns(ctx))
    ix = ctx.ix
    of = ix.row_learner()
    learners = len(ix.learners)
    mass = (np.bincount(of[ctx.t_row], weights=x, minlength=learners)
            / np.maximum(1, np.bincount(of, minlength=learners)))
    tried = np.zeros(learners, dtype=bool)
    before = int(ix.placed_mask(ctx.greedy).sum())
    batches = 0
    while not stop() and ends - time.perf_counter() >= 0.5:
        out = np.flatnonzero(~ix.placed_mask(ctx.greedy) & ~tried & (mass > BATCH_LEAST_MASS))
        if not len(out):
            break
        batch = np.zeros(learners, dtype=bool)
        batch[out[np.argsort(-mass[out], kind="stable")][:BATCH_LEARNERS]] = True
        tried |= batch
        ctx.lp_x = batch_values(ctx, x, ctx.greedy, batch)
        units = _place_the_left_out(ctx, budget, units, stop, costs,
                                    min(BATCH_SECONDS, ends - time.perf_counter())) or units
        batches += 1
    ctx.lp_x = None
    ctx.stats["placement_batches"] = {
        "batches": batches, "seconds": round(time.perf_counter() - started, 3),
        "placed": int(ix.placed_mask(ctx.greedy).sum()) - before}
    return units


def _left_out_units(ctx: BuildContext, learner_units: np.ndarray,
                    plan: dict[int, int]) -> float:
    """What the learners ``plan`` leaves out cost (objective units)."""
    return float(learner_units[~ctx.ix.placed_mask(plan)].sum())


@contextlib.contextmanager
def _hinted(ctx: BuildContext, budget: Budget, plan: dict[int, int]):
    """HiGHS starts from the model's hint: ``plan`` is the hint inside, where it is not
    the current plan; the current plan's hint is restored afterwards."""
    if plan is ctx.greedy:
        yield
        return
    kept = saved_hint(ctx.model)
    try:
        complete_hint(ctx, budget, plan)
        yield
    finally:
        set_hints(ctx.model, *kept)


def _raise_highs_bound(ctx: BuildContext, units: int, source: str) -> None:
    """A bound on every plan that HiGHS proved beyond the LP's (``ctx.lp_bound``)."""
    if ctx.lp_bound is None or units > ctx.lp_bound:
        ctx.lp_bound = units
        ctx.stats["highs_bound_source"] = source


def _take(ctx: BuildContext, budget: Budget, units: float | None, name: str,
          found: SupportPlan | None) -> float | None:
    """Hint ``found``'s plan where it costs less than ``units``; the hint's objective."""
    if found is None:
        return units
    ctx.stats[name] = {"columns": found.columns, "seconds": round(found.seconds, 3),
                       "objective": found.objective / OBJECTIVE_SCALE,
                       "proven": found.proven}
    kept = saved_hint(ctx.model)
    new_units = complete_hint(ctx, budget, found.assignment)
    if new_units is not None and (units is None or new_units < units):
        ctx.greedy, ctx.greedy_at = found.assignment, time.perf_counter()
        return float(round(new_units))
    set_hints(ctx.model, *kept)
    return units


def _hold_lp_bound(ctx: BuildContext, units: float | None) -> None:
    """The whole model's LP bound as a constraint ``objective ≥ bound`` (never above the
    hinted plan's objective); where the hint meets it, CP-SAT only verifies the hint."""
    if ctx.pruned or ctx.lp_bound is None:
        return
    floor = ctx.lp_bound if units is None else min(ctx.lp_bound, round(units))
    ctx.model.add(ctx.objective.expr() >= floor).with_name("lp_bound")
    ctx.mip_plan_meets_bound = units is not None and round(units) <= ctx.lp_bound


def _verify_only(solver: cp_model.CpSolver) -> None:
    """HiGHS's plan (the complete hint) meets HiGHS's lower bound: it is optimal, so CP-SAT
    only has to verify it against every constraint of the model, not search. Fixing every
    variable to the hint is far quicker than a search that finds that same plan. Status,
    objective and plan still come from CP-SAT; the bound is HiGHS's (already a constraint
    of the model)."""
    p = solver.parameters
    p.fix_variables_to_their_hinted_value = True
    p.num_workers = 1
    p.cp_model_probing_level = 0


def _mip_reporter(reporter: _Reporter, ctx: BuildContext):
    if reporter.progress is None:
        return None
    last = [-1.0]

    def report(_seconds: float, objective: float | None, bound: float) -> None:
        now = reporter.seconds()
        if now - last[0] < 0.5 or objective is None:
            return
        last[0] = now
        reporter.emit("highs", objective=objective / OBJECTIVE_SCALE,
                      bound=bound / OBJECTIVE_SCALE,
                      gap=relative_gap(objective, bound) or 0.0, most=ctx.placed_upper)

    return report


def solve(
    scenario: Scenario,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    interrupt: Interrupt | None = None,
) -> SolveResult:
    options = options or SolveOptions()
    interrupt = interrupt or Interrupt()
    origin = time.perf_counter()
    start = origin if options.clock_start is None else options.clock_start
    reporter = _Reporter(None if options.quiet else progress, start, len(scenario.learners))
    reporter.emit("build", organisations=len(scenario.organisations))
    with reporter:  # heartbeats while the phases run
        result = _solve(scenario, options, interrupt, reporter, origin)
        if result.status == "infeasible" and result.model.get("pruned") \
                and not interrupt.requested:
            result = _solve_wider(scenario, options, interrupt, reporter, start, result)
    reporter.emit("done", improving=False, **_final_figures(result))
    return result


def _solve_wider(scenario: Scenario, options: SolveOptions, interrupt: Interrupt,
                 reporter: _Reporter, start: float, pruned: SolveResult) -> SolveResult:
    """The pruned model had no plan, but it holds only some departments per placement: its
    conflict need not be the whole problem's. The whole model, in the time left; above
    ``WHOLE_MODEL_MOST`` triples (gigabytes), WIDER times the departments per placement
    instead, and where that has no plan either, "unknown": not proven impossible."""
    triples = int(pruned.model.get("triples_before_pruning", 0))
    if triples <= WHOLE_MODEL_MOST:
        whole = replace(options, max_candidates=None, prune_above=sys.maxsize,
                        clock_start=start)
        return _solve(scenario, whole, interrupt, reporter, time.perf_counter())
    kept = int(pruned.model.get("departments_per_placement", 1))
    wider = replace(options, max_candidates=WIDER * kept, clock_start=start)
    result = _solve(scenario, wider, interrupt, reporter, time.perf_counter())
    if result.status == "infeasible" and result.model.get("pruned"):
        note = (f"{PRUNED_NO_PLAN}: none among the {WIDER * kept} best departments per "
                f"placement, and the whole region ({triples:,} candidate placements) is too "
                "large to prove that none exists")
        return replace(result, status="unknown", notes=[*result.notes, note])
    return result


def _final_figures(result: SolveResult) -> dict[str, Any]:
    if result.plan is None:
        return {}
    gap = relative_gap(result.objective, result.bound) \
        if result.objective is not None and result.bound is not None else None
    return {"placed": len(result.plan.placed_learners()), "most": result.placed_upper_bound,
            "objective": result.objective, "bound": result.bound,
            "gap": 0.0 if result.status == "optimal" else gap}


def _solve(scenario: Scenario, options: SolveOptions, interrupt: Interrupt,
           reporter: _Reporter, origin: float) -> SolveResult:
    # The time limit is the caller's wall-clock budget, the build included; each later
    # phase takes its share of what is left when it begins (``budget``).
    budget = Budget.start(options.time_limit,
                          origin if options.clock_start is None else options.clock_start,
                          options.output_seconds, len(scenario.learners))
    ctx = build(scenario, options)
    built = time.perf_counter()  # solve_seconds: every phase after the build
    budget.begin_phase()
    # Small models: the hint narrows CP-SAT's portfolio onto the greedy's neighbourhood
    # (worse plans on small regions such as S and Twente); large ones: without it the
    # first plans leave almost everyone unplaced (SOLVER-NOTES). The greedy plan stays the fallback.
    hint = options.use_hint if options.use_hint is not None else len(ctx.t_row) > LARGE_MODEL
    greedy_objective = complete_hint(ctx, budget, ctx.greedy) if hint else None
    trace: list[tuple[float, float, float | None]] = []
    say = _Phases(reporter, ctx)
    if unplaced_count(ctx, set(ctx.greedy)) > 0 and not interrupt.requested:
        # learners left out: how many any plan can place at most, cheaply, on every size
        ctx.bound_placed(most_placeable(ctx.ix, budget.share(CAPACITY_BOUND_SHARE)),
                         "capacity-per-month")
    if greedy_objective is not None:  # the greedy plan, valid (the fixer kept every rule)
        trace.append((ctx.greedy_at - origin, greedy_objective / OBJECTIVE_SCALE, None))
    ctx.hinted = hint
    say("first_plan", greedy_objective, "lp" if hint and not interrupt.requested else "cp_sat")
    try:
        return _after_first_plan(ctx, options, budget, interrupt, reporter, origin, built,
                                 hint, greedy_objective, trace, say)
    finally:
        lagrangian_phase.finish(ctx)


def _tight(ctx: BuildContext) -> bool:
    """A pruned region where some learners cannot be placed, proven (more learners than
    places): there the LP of the number placed guides the plan first (L-tight)."""
    return (ctx.pruned and ctx.placed_upper is not None
            and ctx.placed_upper < len(ctx.ix.learners))


def _after_first_plan(ctx: BuildContext, options: SolveOptions, budget: Budget,
                      interrupt: Interrupt, reporter: _Reporter, origin: float, built: float,
                      hint: bool, greedy_objective, trace: list, say) -> SolveResult:
    structure = lagrangian_phase.structure_for(ctx, options, greedy_objective,
                                               lambda: interrupt.requested)
    ascent = None
    if structure is not None and hint and not interrupt.requested:
        ascent, greedy_objective = lagrangian_phase.price_pruning(
            ctx, structure, budget, greedy_objective, lambda: interrupt.requested)
        budget.begin_phase()  # the LP's share is of the time the ascent left
    if hint and _tight(ctx) and not interrupt.requested:
        reporter.phase = "placement"
        placed_first = placement_guided_hint(ctx, options, budget, greedy_objective,
                                             lambda: interrupt.requested)
        if placed_first is not None:
            greedy_objective = placed_first
            trace.append((ctx.greedy_at - origin, placed_first / OBJECTIVE_SCALE, None))
        if ctx.placement_x is not None and greedy_objective is not None:
            budget.begin_phase()
            batched = _place_in_batches(ctx, budget, greedy_objective, ctx.placement_x,
                                        lambda: interrupt.requested)
            if batched < greedy_objective:
                greedy_objective = batched
                trace.append((ctx.greedy_at - origin, batched / OBJECTIVE_SCALE, None))
        ctx.placement_x = None
        say("placement", greedy_objective, "lp")
        budget.begin_phase()
    if hint and not interrupt.requested:
        guided = lp_guided_hint(ctx, options, budget, greedy_objective,
                                lambda: interrupt.requested)
        if guided is not None:
            greedy_objective = guided
            trace.append((ctx.greedy_at - origin, guided / OBJECTIVE_SCALE, None))
        priced = _priced_bound(ctx, None) if ctx.pruned else None
        if priced is not None and greedy_objective is not None:  # the LP bound, priced
            trace.append((time.perf_counter() - origin, greedy_objective / OBJECTIVE_SCALE,
                          priced / OBJECTIVE_SCALE))
        if ctx.pruned and ctx.lp_x is None and ctx.greedy and not interrupt.requested:
            # no LP in time (L at 60 s, once: 1,946 of 2,000 placed): the plan stands in
            ctx.lp_x = stand_in_values(ctx, ctx.greedy)
            ctx.stats["lp_stand_in"] = True
        say("lp", greedy_objective, "support" if ctx.lp_x is not None else "cp_sat")
        budget.begin_phase()
    if structure is not None and greedy_objective is not None and not interrupt.requested:
        lagrangian_phase.start(ctx, ascent or lagrangian.Ascent(structure), budget,
                               greedy_objective)
    if hint and ctx.lp_x is not None and not interrupt.requested:
        improved = _support_phase(ctx, budget, greedy_objective, lambda: interrupt.requested)
        if improved is not None:
            greedy_objective = improved
            lagrangian_phase.aim(ctx, improved)
            trace.append((time.perf_counter() - origin, improved / OBJECTIVE_SCALE, None))
        _hold_lp_bound(ctx, greedy_objective)
        say("support", greedy_objective, "cp_sat")
        budget.begin_phase()
    ctx.release_candidates()  # no column is added after this (also when nothing was priced)
    mip = None
    small = len(ctx.t_row) <= MIP_MODEL
    if small and options.objective == "weighted" and options.mip_share > 0:
        mip_start = time.perf_counter()
        reporter.phase = "highs"
        mip = _mip_phase(ctx, options, budget, interrupt, reporter)
        reporter.phase = "cp_sat"
        if mip is not None:
            at = mip_start - origin
            trace.extend((at + t, obj / OBJECTIVE_SCALE,
                          None if bound is None else bound / OBJECTIVE_SCALE)
                         for t, obj, bound in mip.trace)
        budget.begin_phase()
    solver = new_solver()
    if options.probing_level is None and len(ctx.t_row) > LARGE_MODEL:
        options = replace(options, probing_level=0)  # probing costs seconds, gains little
    _parameters(solver, options, budget.share(1.0))
    if ctx.mip_plan_meets_bound:
        _verify_only(solver)
    callback = _ProgressCallback(reporter, origin)
    callback.count_placed = _placed_counter(ctx)
    callback.most = lambda: ctx.placed_upper
    if ctx.pruned:
        callback.valid_bound = lambda b: _priced_bound(ctx, b)
    elif ctx.lp_bound is not None:
        callback.valid_bound = lambda b: max(b, float(ctx.lp_bound or b))
    callback.trace.extend(trace)
    interrupt.bind(solver)
    lexicographic = options.objective == "lexicographic"
    status: Any
    if interrupt.requested:
        status = cp_model.UNKNOWN
    elif lexicographic:
        status = solve_lexicographic(ctx, solver, callback, budget, interrupt)
    else:
        status = solve_weighted(ctx, solver, callback, budget, interrupt)
        if (ctx.mip_plan_meets_bound and not interrupt.requested
                and status not in (cp_model.OPTIMAL, cp_model.FEASIBLE)):
            ctx.mip_plan_meets_bound = False  # never expected: the fixer accepted this plan
            solver.parameters.copy_from(new_solver().parameters)  # search as usual instead
            _parameters(solver, options, budget.share(1.0))
            status = solve_weighted(ctx, solver, callback, budget, interrupt)
    interrupt.bind(None)
    lagrangian_phase.finish(ctx)
    seconds = time.perf_counter() - built
    result = _result(ctx, solver, status, interrupt.requested, options)
    if lexicographic:  # the weighted bound of the last stage bounds nothing useful
        result.bound, result.bound_source = None, ""
    result.solve_seconds = seconds
    result.build_seconds = ctx.stats["build_seconds"]
    result.model = dict(ctx.stats)
    result.trace = callback.trace
    result.solver = {
        "name": "cp-sat",
        "ortools": version("ortools"),
        "cp_sat_status": solver.status_name(status),
        "solutions": callback.solutions,
        "parameters": {**options.record(), "time_limit": budget.limit},
    }
    if mip is not None:
        result.solver["highs"] = {
            "version": version("highspy"),
            "started": round(mip_start - origin, 3),  # seconds into the solve
            "seconds": round(mip.seconds, 3),
            "proven": mip.proven,
            "exact": mip.exact,
            "objective": None if mip.objective is None else mip.objective / OBJECTIVE_SCALE,
            "bound": None if mip.bound is None else mip.bound / OBJECTIVE_SCALE,
            "plan_meets_bound": ctx.mip_plan_meets_bound,  # CP-SAT verified it, no search
        }
    return result


def _placed_counter(ctx: BuildContext) -> Callable[[_ProgressCallback], int | None]:
    """Learners a CP-SAT solution places: all less those whose 'unplaced' literal is set
    (also those frozen out: theirs is fixed to 1)."""
    may = [u for u in ctx.u if u is not None]
    learners = len(ctx.ix.learners)
    return lambda cb: learners - sum(int(cb.boolean_value(u)) for u in may)


def _greedy_if_better(ctx: BuildContext, options: SolveOptions, units: int):
    """The greedy plan, if it is valid and beats ``units`` (short runs without a hint)."""
    from ..check import check_plan

    assignment = greedy_plan(ctx)
    plan = build_plan(ctx.ix, assignment, ctx.fixed_buddies)
    greedy_units = objective_units(ctx.ix.scenario, plan, options.baseline)
    if greedy_units < units and not check_plan(ctx.ix.scenario, plan):
        return assignment, plan, greedy_units
    return None


def _priced_bound(ctx: BuildContext, pruned_bound: float | None) -> float | None:
    """A bound valid for every plan from the held model's bound (None: no pricing),
    rounded up to whole units (``relaxation.whole_units_above``), or the Lagrangian
    bound where that is higher."""
    return _region_bound(ctx, pruned_bound)[0]


def _region_bound(ctx: BuildContext, pruned_bound: float | None) -> tuple[float | None, str]:
    """The higher of the LP's priced bound and the Lagrangian bound (pruned models), in
    whole units, with its source."""
    priced = None
    if ctx.pricing is not None:
        units = ctx.pricing.bound(pruned_bound)  # a pricing.PricedBound: the model is final
        priced = float(whole_units_above(units, ctx.pricing.candidates))
    lagrangian_phase.read(ctx)
    if ctx.rounds_bound is not None and (priced is None or ctx.rounds_bound > priced):
        priced = float(ctx.rounds_bound)  # the same bound after the child's rounds
    if ctx.lagrangian_bound is not None and (priced is None or ctx.lagrangian_bound > priced):
        return float(ctx.lagrangian_bound), "lagrangian"
    return priced, "lp-priced" if priced is not None else ""


def _placed_upper_bound(ctx: BuildContext, plan) -> tuple[int | None, str]:
    """The most learners any plan can place, and its proof: every learner where this plan
    places them all, else the LP (or CP-SAT's first stage) where one was solved."""
    learners = len(ctx.ix.learners)
    if len(plan.placed_learners()) == learners:
        return learners, "all placed"
    if ctx.placed_upper is not None:
        return ctx.placed_upper, ctx.stats.get("placed_bound_source", "highs-lp")
    return None, ""


def _result(ctx, solver, status, interrupted: bool, options: SolveOptions) -> SolveResult:
    s = ctx.ix.scenario
    if status == cp_model.INFEASIBLE:
        return SolveResult(status="infeasible", plan=None, notes=["the hard rules conflict"],
                           model=dict(ctx.stats))
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error: invalid CP-SAT model ({solver.solution_info()})")
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    notes: list[str] = []
    if found:
        assignment = solution_assignment(ctx, solver)
        model_units = round(solver.objective_value)
    elif ctx.fallback is not None:
        assignment = ctx.fallback
        model_units = None
        notes.append("CP-SAT found no better plan in the last stage; this is the earlier one")
    else:
        assignment = greedy_plan(ctx)
        model_units = None
        notes.append("CP-SAT found no plan in time; this is the best plan of the phases before "
                     "it (greedy, LP-guided or HiGHS)")
    is_greedy = not found and ctx.fallback is None  # then comparing with it is moot
    plan = build_plan(ctx.ix, assignment, ctx.fixed_buddies)
    units = objective_units(s, plan, options.baseline)
    proven = status == cp_model.OPTIMAL and not interrupted
    extra_changes = False
    # Also where the greedy plan was the hint: stage 2 may start from stage 1's plan instead
    # (more placed, dearer elsewhere) and end above the hint, as on the largest benchmark
    # region. Also an interrupted HiGHS plan vs the greedy.
    if not proven and not is_greedy:
        better = _greedy_if_better(ctx, options, units)
        if better is not None:
            assignment, plan, units = better
            model_units = None  # not CP-SAT's solution: no model objective to compare
            notes.append("the greedy plan was better than CP-SAT's best in the time limit")
    if model_units is not None:
        extra = buddy_changes(plan) - _model_buddy_changes(ctx, assignment)
        expected = model_units + ctx.coefficients.buddy_change * extra
        # Only a proven optimum has tight auxiliary variables (fair-share deviations may
        # carry slack in an intermediate solution), so only then must the two agree.
        if status == cp_model.OPTIMAL and expected != units:
            notes.append(
                f"objective mismatch: solver {expected / OBJECTIVE_SCALE}, "
                f"recomputed {units / OBJECTIVE_SCALE}"
            )
        if extra > 0:
            proven, extra_changes = False, True
            notes.append(f"{extra} buddy change(s) beyond the minimum forced by leave")
    bound = None
    bound_source = ""
    if found and not ctx.pruned:
        bound = solver.best_objective_bound / OBJECTIVE_SCALE
        bound_source = "cp-sat+highs" if ctx.bound_from_mip else "cp-sat"
    if not ctx.pruned and ctx.lp_bound is not None:  # HiGHS's bound, where it is higher
        if bound is None or ctx.lp_bound / OBJECTIVE_SCALE > bound:
            bound = ctx.lp_bound / OBJECTIVE_SCALE
            bound_source = ctx.stats.get("highs_bound_source", "highs-lp")
        proven = proven or (not interrupted and not extra_changes and units <= ctx.lp_bound)
    units_bound, source = _region_bound(ctx, solver.best_objective_bound if found else None)
    if ctx.pruned and units_bound is not None and options.objective == "weighted":
        bound = units_bound / OBJECTIVE_SCALE
        # LP duals priced over every candidate (pricing.py) or the Lagrangian (lagrangian.py)
        bound_source = source
        # The plan meets a bound valid for every plan: optimal, whatever CP-SAT proved
        # (as everywhere, only if naming the buddies needed no extra changes).
        proven = not interrupted and not extra_changes and units <= units_bound
    elif ctx.pruned:
        notes.append("candidate departments were pruned; optimality is relative to them")
        proven = False
    if not found:  # a greedy or earlier-stage plan: trust nothing the model did not prove
        from ..check import check_plan

        broken = check_plan(s, plan)
        if broken:
            return SolveResult(
                status="interrupted" if interrupted else "unknown",
                plan=None,
                notes=notes
                + [
                    f"the fallback plan breaks {len(broken)} hard rule(s) (first: {broken[0]}); "
                    "no valid plan was found in the time limit, but none was proven impossible"
                ],
            )
    state: Status = "interrupted" if interrupted else ("optimal" if proven else "feasible")
    upper, upper_source = _placed_upper_bound(ctx, plan)
    return SolveResult(
        placed_upper_bound=upper,
        placed_bound_source=upper_source,
        status=state,
        plan=plan,
        objective=units / OBJECTIVE_SCALE,
        bound=bound if bound is not None else None,
        bound_source=bound_source,
        unplaced=unplaced_reasons(ctx.ix, plan),
        notes=notes,
    )
