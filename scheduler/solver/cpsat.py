"""CP-SAT behind one small interface: parameters, progress, status mapping, extraction.

``solve(scenario, options, progress, interrupt) -> SolveResult``. Statuses (SPEC §6):
``optimal`` (proven, and buddies named without extra changes), ``feasible``,
``infeasible`` (the hard rules conflict: pins, freeze or fair-share tolerance; exit 2),
``interrupted`` (stopped by a signal; best plan so far). CP-SAT's UNKNOWN is not
"no plan": the greedy plan is returned as ``feasible`` when it satisfies every rule.
"""

from __future__ import annotations

import math
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
from ..models.result import SolveResult, Status
from . import columns, fair_share_lattice, greedy
from .cp import new_solver
from .extract import build_plan
from .model import BuildContext, build
from .options import SolveOptions
from .prover import MipResult, solve_mip
from .reasons import unplaced_reasons
from .relaxation import lp_values

Progress = Callable[[str], None]
LARGE_MODEL = 20_000  # triples above which presolve probing is switched off
# Triples up to which HiGHS's branch-and-cut goes first (``prover``): it proved the shipped
# scenarios (700–4,400 triples) optimal in 2–7 s and the 60-learner benchmark region
# (2,900) in 16 s, where CP-SAT needs minutes; on 11,000 triples it found no plan in 18 s.
MIP_MODEL = 6_000


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


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress | None, origin: float) -> None:
        super().__init__()
        self.progress, self.solutions = progress, 0
        self.origin = origin  # when solve() was called: the clock of the trace and progress
        self.trace: list[tuple[float, float, float | None]] = []
        self.last_print = -1.0
        self.stage, self.scale = "", OBJECTIVE_SCALE
        # CP-SAT's bound → a bound valid for every plan (None: there is none). On a pruned
        # model CP-SAT's bound holds for the pruned model only: ``valid_bound`` replaces it.
        self.valid_bound: Callable[[float], float | None] = lambda b: b

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
        if self.progress is None or now - self.last_print < 0.5:
            return
        self.last_print = now
        obj = self.objective_value / self.scale
        bound = self.best_objective_bound / self.scale
        if self.stage:
            self.progress(
                f"{now:7.1f}s  plan {self.solutions:3d}  {self.stage} {obj:g} (at least {bound:g})"
            )
            return
        if valid is None:
            self.progress(f"{now:7.1f}s  plan {self.solutions:3d}  objective {obj:12.2f}")
            return
        bound = valid / self.scale
        gap = max(0.0, obj - bound) / max(1.0, abs(obj))
        self.progress(
            f"{now:7.1f}s  plan {self.solutions:3d}  objective {obj:12.2f}  "
            f"bound {bound:12.2f}  gap {100 * gap:6.2f}%"
        )


def _parameters(solver: cp_model.CpSolver, options: SolveOptions) -> None:
    p = solver.parameters
    p.max_time_in_seconds = float(options.time_limit)
    p.num_workers = int(options.workers)
    p.random_seed = int(options.seed)
    p.linearization_level = int(options.linearization_level)
    if options.probing_level is not None:
        p.cp_model_probing_level = int(options.probing_level)
    if options.workers == 1:
        p.interleave_search = False


def _hint(
    ctx: BuildContext, options: SolveOptions, assignment: dict[int, int]
) -> float | None:
    """Hint a plan (row → department index), completed with every auxiliary variable.

    CP-SAT loads a complete, feasible hint as its first solution at the end of presolve;
    an incomplete one (auxiliary sums, fair-share deviations) is often ignored with few
    workers. We complete it by a quick solve with the plan's variables fixed, under the
    model's current objective, so deviations are tight (no slack carried into the hint).
    """
    model = ctx.model
    chosen = np.full(ctx.ix.n_rows, -1, dtype=np.int64)
    for r, d in assignment.items():
        chosen[r] = d
    placed = {ctx.ix.rows[r].learner for r in assignment}
    us = [(u, li not in placed) for li, u in enumerate(ctx.u) if u is not None]
    _set_hints(model, [x.index for x in ctx.x] + [u.index for u, _ in us],
               (chosen[ctx.t_row] == ctx.t_dept).tolist() + [v for _, v in us])
    fixer = new_solver()
    fixer.parameters.fix_variables_to_their_hinted_value = True
    fixer.parameters.num_workers = 1
    fixer.parameters.cp_model_probing_level = 0  # everything is fixed: probing finds nothing
    fixer.parameters.max_time_in_seconds = max(1.0, options.time_limit / 10)
    if fixer.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None  # e.g. the greedy breaks the fair-share tolerance: keep the partial hint
    values = list(fixer.response_proto.solution)
    _set_hints(model, list(range(len(values))), values)
    return fixer.objective_value


def _set_hints(model: cp_model.CpModel, indices: list[int], values: list) -> None:
    """Replace the model's hint in bulk (add_hint per variable is slow on large models)."""
    model.clear_hints()
    model.proto.solution_hint.vars.extend(indices)
    model.proto.solution_hint.values.extend(int(v) for v in values)


def _saved_hint(model: cp_model.CpModel) -> tuple[list, list]:
    """The model's hint as it is now (``_set_hints(model, *saved)`` restores it)."""
    hint = model.proto.solution_hint
    return list(hint.vars), list(hint.values)


def _assignment(ctx: BuildContext, solver: cp_model.CpSolver) -> dict[int, str]:
    out = {}
    for t, (r, d) in enumerate(zip(ctx.t_row.tolist(), ctx.t_dept.tolist(), strict=True)):
        if solver.boolean_value(ctx.x[t]):
            out[r] = ctx.ix.departments[d]
    return out


def _greedy_assignment(ctx: BuildContext) -> dict[int, str]:
    return {r: ctx.ix.departments[d] for r, d in ctx.greedy.items()}


def _model_buddy_changes(ctx: BuildContext, assignment: dict[int, str]) -> int:
    total = 0
    for t, (r, d) in enumerate(zip(ctx.t_row.tolist(), ctx.t_dept.tolist(), strict=True)):
        if assignment.get(r) == ctx.ix.departments[d]:
            total += int(ctx.cost_buddy[t])
    return total


LEXICOGRAPHIC_STAGES = ("unplaced", "preference", "fair_share", "travel")


def _solve_lexicographic(ctx, solver, callback, options, interrupt) -> Any:
    """Unplaced, then preferences, then fair share, then travel; then the weighted rest.

    Each stage gets an equal share of the time limit and keeps the previous stages at
    their best value found. The result is ``optimal`` only if every stage was proven.
    """
    from .objectives import sign

    model = ctx.model
    stages = [n for n in LEXICOGRAPHIC_STAGES if not ctx.terms[n].is_empty()]
    share = options.time_limit / (len(stages) + 1)
    proven = True
    status = cp_model.UNKNOWN
    for name in stages:
        expr = sign(name) * ctx.terms[name].expr()
        model.minimize(expr)
        solver.parameters.max_time_in_seconds = share
        status = solver.solve(model, callback)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or interrupt.requested:
            return status
        proven &= status == cp_model.OPTIMAL
        model.add(expr <= round(solver.objective_value)).with_name(f"lexicographic[{name}]")
        ctx.fallback = _assignment(ctx, solver)
        _hint(ctx, options, _dept_indices(ctx, ctx.fallback))
    model.minimize(ctx.objective.expr())
    solver.parameters.max_time_in_seconds = share
    status = solver.solve(model, callback)
    if status == cp_model.OPTIMAL and not proven:
        return cp_model.FEASIBLE
    return status


UNPLACED_STAGE_SHARE = 0.4  # of the time limit, at most, for the first stage


def _solve_weighted(ctx, solver, callback, options, interrupt) -> Any:
    """The weighted objective of SPEC §4, in two stages that keep it exact.

    Stage 1 minimises the number of unplaced learners alone; CP-SAT closes that quickly
    where the weighted objective's many small terms hide it. Its proven lower bound U*
    holds for every plan, so stage 2 adds Σ unplaced ≥ U* (cutting off no plan) and
    minimises the weighted objective from stage 1's plan, or from the greedy plan (the
    hint) where stage 1 placed no more learners than the greedy did. Where the greedy
    already placed every learner who may be placed, stage 1 is skipped.
    """
    unplaced = ctx.terms["unplaced"]
    if len(unplaced.vars) < 2 or len(ctx.t_row) <= LARGE_MODEL:
        return solver.solve(ctx.model, callback)  # small: the full portfolio does better
    greedy_unplaced = _unplaced_count(ctx, set(ctx.greedy))
    if ctx.hinted and greedy_unplaced <= int(ctx.ix.forced_unplaced.sum()):
        return solver.solve(ctx.model, callback)  # nothing for stage 1 to improve
    model = ctx.model
    model.minimize(unplaced.expr())
    solver.parameters.max_time_in_seconds = options.time_limit * UNPLACED_STAGE_SHARE
    started = time.perf_counter()
    callback.stage, callback.scale = "unplaced", 1
    status = solver.solve(model, callback)
    callback.stage, callback.scale = "", OBJECTIVE_SCALE
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or interrupt.requested:
        return status
    lower = math.ceil(solver.best_objective_bound - 1e-9)
    if lower > 0:
        model.add(unplaced.expr() >= lower).with_name("unplaced_lower_bound")
    ctx.fallback = _assignment(ctx, solver)
    model.minimize(ctx.objective.expr())
    if ctx.hinted and _unplaced_count(ctx, set(ctx.fallback)) >= greedy_unplaced:
        ctx.fallback = _greedy_assignment(ctx)  # as many placed, and cost-aware: keep its hint
    else:
        _start_from_the_cheaper(ctx, options)
    left = options.time_limit - (time.perf_counter() - started)
    solver.parameters.max_time_in_seconds = max(0.5, left)
    return solver.solve(model, callback)


def _start_from_the_cheaper(ctx: BuildContext, options: SolveOptions) -> None:
    """Hint stage 1's plan or, where it costs more under the weighted objective, the
    greedy plan: stage 1 places more learners but ignores every other term (XL at 300 s:
    stage 2 from stage 1's plan ended at 27,491 against the guided greedy's 26,073)."""
    assert ctx.fallback is not None  # stage 1's plan
    stage1 = _hint(ctx, options, _dept_indices(ctx, ctx.fallback))
    if not ctx.hinted:
        return
    kept = _saved_hint(ctx.model)
    greedy_units = _hint(ctx, options, ctx.greedy)
    if greedy_units is not None and (stage1 is None or greedy_units < stage1):
        ctx.fallback = _greedy_assignment(ctx)
    else:
        _set_hints(ctx.model, *kept)


def _unplaced_count(ctx: BuildContext, rows: set[int]) -> int:
    """Learners who may be left unplaced and are, in a plan placing ``rows``."""
    return sum(
        1
        for li, u in enumerate(ctx.u)
        if u is not None and not all(r in rows for r in ctx.ix.rows_of[li])
    )


LP_SHARE = 0.5  # of the time limit, at most, for the LP relaxation that guides the hint
# Pruned models: the LP and its pricing give the bound and the guided plan, and CP-SAT
# improved on the guided hint by little afterwards (M at 60 s: nothing in 30 s; L: 10 of
# 23,283). L's first LP took 20–32 s on the 2-core VM, so half of 60 s was too tight.
PRICED_LP_SHARE = 0.75
GUIDED_REPAIR_SHARE = 0.1  # of the time limit, to repair the guided plan (``repair.py``)


def _lp_guided_hint(
    ctx: BuildContext, options: SolveOptions, greedy_units, interrupt: Interrupt | None = None
) -> int | None:
    """Re-run the greedy with the LP relaxation's choices first, repair it, and hint it
    if it is better. Where no LP came in time, the greedy plan is repaired further.

    Returns the new hint's objective (units), or None where the greedy plan stays.
    """
    stop = (lambda: interrupt.requested) if interrupt is not None else (lambda: False)
    greedy_hint = _saved_hint(ctx.model)  # restored if the guided plan loses
    model = ctx.model
    if ctx.candidates is not None and options.objective == "weighted":
        # Pruned: price the pruned candidates (a bound for the unpruned model) and add
        # back those the LP wants; the model may be re-assembled (the hint is then redone).
        x = columns.generate_columns(ctx, options.time_limit * PRICED_LP_SHARE, stop)
    else:
        values = lp_values(ctx.model, options.time_limit * LP_SHARE, stop)
        x = None if values is None else values[[v.index for v in ctx.x]]
    if ctx.model is not model:
        greedy_units = _hint(ctx, options, ctx.greedy)
        greedy_hint = _saved_hint(ctx.model)
    if interrupt is not None and interrupt.requested:
        return None
    base = ctx.combined_cost()
    if x is None:  # no LP in time (L-tight): search on from the greedy plan instead
        guided = ctx.greedy
    else:
        spread = int(base.max() - base.min()) + 1 if len(base) else 1
        cost = base - np.rint(x * 1000).astype(np.int64) * spread  # LP value, then cost
        guided = greedy.greedy_assignment(ctx.ix, ctx.t_row, ctx.t_dept, cost,
                                          *ctx.learner_needs())
    guided = ctx.repair_plan(guided, base, options.objective,
                             GUIDED_REPAIR_SHARE * options.time_limit, stop)
    if stop():
        return None
    units = _hint(ctx, options, guided)
    if units is not None and (greedy_units is None or units < greedy_units):
        ctx.greedy, ctx.greedy_at = guided, time.perf_counter()
        return round(units)
    _set_hints(ctx.model, *greedy_hint)  # the greedy plan's complete hint, as it was
    return None


def _mip_phase(
    ctx: BuildContext,
    options: SolveOptions,
    interrupt: Interrupt,
    progress: Progress | None,
    origin: float,
) -> MipResult | None:
    """HiGHS's branch-and-cut on the same model first (small models): its plan becomes the
    complete hint and the fallback, its bound a constraint ``objective ≥ bound``.

    The bound never exceeds the hinted plan's objective, so the constraint cannot make the
    model infeasible; where HiGHS's plan meets that bound, CP-SAT only verifies the plan.
    The fair-share term is first put on the placement-length lattice (valid for every
    plan; see ``fair_share_lattice``), which is what lets HiGHS prove small regions fast.
    """
    ctx.stats["fair_share_lattice"] = fair_share_lattice.strengthen(ctx)
    mip = solve_mip(ctx.model, options.time_limit * options.mip_share,
                    lambda: interrupt.requested, _mip_reporter(progress, origin))
    if mip is None:
        return None
    units = None
    if mip.values is not None:
        x = mip.values[[v.index for v in ctx.x]]
        plan = {int(r): int(d) for r, d, v in zip(ctx.t_row, ctx.t_dept, x, strict=True) if v}
        units = _hint(ctx, options, plan)
        if units is not None:  # a valid plan (the fixer kept every rule): the fallback
            ctx.fallback = {r: ctx.ix.departments[d] for r, d in plan.items()}
    if mip.bound is not None:
        floor = mip.bound if units is None else min(mip.bound, round(units))
        ctx.model.add(ctx.objective.expr() >= floor).with_name("highs_bound")
        ctx.bound_from_mip = True
        ctx.mip_plan_meets_bound = units is not None and round(units) <= mip.bound
    return mip


def _verify_only(solver: cp_model.CpSolver) -> None:
    """HiGHS's plan (the complete hint) meets HiGHS's lower bound: it is optimal, so CP-SAT
    only has to verify it against every constraint of the model, not search. A search
    took 0.3–2.5 s on the shipped scenarios to find that same plan; fixing every variable
    to the hint takes a few hundredths of a second. Status, objective and plan still come
    from CP-SAT; the bound is HiGHS's (already a constraint of the model)."""
    p = solver.parameters
    p.fix_variables_to_their_hinted_value = True
    p.num_workers = 1
    p.cp_model_probing_level = 0


def _mip_reporter(progress: Progress | None, origin: float):
    if progress is None:
        return None
    last = [-1.0]

    def report(_seconds: float, objective: float | None, bound: float) -> None:
        now = time.perf_counter() - origin
        if now - last[0] < 0.5 or objective is None:
            return
        last[0] = now
        gap = max(0.0, objective - bound) / max(1.0, abs(objective))
        progress(f"{now:7.1f}s  highs     objective {objective / OBJECTIVE_SCALE:12.2f}  "
                 f"bound {bound / OBJECTIVE_SCALE:12.2f}  gap {100 * gap:6.2f}%")

    return report


def _dept_indices(ctx: BuildContext, assignment: dict[int, str]) -> dict[int, int]:
    return {r: ctx.ix.dept_pos[d] for r, d in assignment.items()}


def solve(
    scenario: Scenario,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    interrupt: Interrupt | None = None,
) -> SolveResult:
    options = options or SolveOptions()
    requested = options.time_limit  # as the caller gave it: recorded in kpis.json
    interrupt = interrupt or Interrupt()
    origin = time.perf_counter()
    ctx = build(scenario, options)
    built = time.perf_counter()  # solve_seconds: every phase after the build
    # The time limit is the caller's wall-clock budget, the build included (XL: 14 s);
    # each later phase takes its share of what is left. Only turning the final assignment
    # into plan rows comes after it (M: about 1 s).
    options = replace(options, time_limit=max(1.0, options.time_limit - (built - origin)))
    # Small models: the hint narrows CP-SAT's portfolio onto the greedy's neighbourhood
    # (measured worse on S and on Twente); large ones: without it the first plans leave
    # almost everyone unplaced (SOLVER-NOTES). The greedy plan stays the fallback.
    hint = options.use_hint if options.use_hint is not None else len(ctx.t_row) > LARGE_MODEL
    greedy_objective = _hint(ctx, options, ctx.greedy) if hint else None
    trace: list[tuple[float, float, float | None]] = []
    if greedy_objective is not None:  # the greedy plan, valid (the fixer kept every rule)
        trace.append((ctx.greedy_at - origin, greedy_objective / OBJECTIVE_SCALE, None))
    ctx.hinted = hint
    if hint and not interrupt.requested:
        guided_start = time.perf_counter()
        guided = _lp_guided_hint(ctx, options, greedy_objective, interrupt)
        if guided is not None:
            greedy_objective = guided
            trace.append((ctx.greedy_at - origin, guided / OBJECTIVE_SCALE, None))
        priced = _priced_bound(ctx, None) if ctx.pruned else None
        if priced is not None and greedy_objective is not None:  # the LP bound, priced
            trace.append((time.perf_counter() - origin, greedy_objective / OBJECTIVE_SCALE,
                          priced / OBJECTIVE_SCALE))
        spent = time.perf_counter() - guided_start  # counts against the time limit
        options = replace(options, time_limit=max(1.0, options.time_limit - spent))
    ctx.release_candidates()  # no column is added after this (also when nothing was priced)
    mip = None
    small = len(ctx.t_row) <= MIP_MODEL
    if small and options.objective == "weighted" and options.mip_share > 0:
        mip_start = time.perf_counter()
        mip = _mip_phase(ctx, options, interrupt, None if options.quiet else progress, origin)
        if mip is not None:
            at = mip_start - origin
            trace.extend((at + t, obj / OBJECTIVE_SCALE,
                          None if bound is None else bound / OBJECTIVE_SCALE)
                         for t, obj, bound in mip.trace)
        spent = time.perf_counter() - mip_start
        options = replace(options, time_limit=max(1.0, options.time_limit - spent))
    solver = new_solver()
    if options.probing_level is None and len(ctx.t_row) > LARGE_MODEL:
        options = replace(options, probing_level=0)  # probing costs seconds, gains little
    _parameters(solver, options)
    if ctx.mip_plan_meets_bound:
        _verify_only(solver)
    callback = _ProgressCallback(None if options.quiet else progress, origin)
    if ctx.pruned:
        callback.valid_bound = lambda b: _priced_bound(ctx, b)
    callback.trace.extend(trace)
    interrupt.bind(solver)
    lexicographic = options.objective == "lexicographic"
    status: Any
    if interrupt.requested:
        status = cp_model.UNKNOWN
    elif lexicographic:
        status = _solve_lexicographic(ctx, solver, callback, options, interrupt)
    else:
        status = _solve_weighted(ctx, solver, callback, options, interrupt)
        if (ctx.mip_plan_meets_bound and not interrupt.requested
                and status not in (cp_model.OPTIMAL, cp_model.FEASIBLE)):
            ctx.mip_plan_meets_bound = False  # never expected: the fixer accepted this plan
            solver.parameters.copy_from(new_solver().parameters)  # search as usual instead
            _parameters(solver, options)
            status = _solve_weighted(ctx, solver, callback, options, interrupt)
    interrupt.bind(None)
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
        "parameters": {**options.record(), "time_limit": requested},
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


def _greedy_if_better(ctx: BuildContext, options: SolveOptions, units: int):
    """The greedy plan, if it is valid and beats ``units`` (short runs without a hint)."""
    from ..check import check_plan

    assignment = _greedy_assignment(ctx)
    plan = build_plan(ctx.ix, assignment, ctx.fixed_buddies)
    greedy_units = objective_units(ctx.ix.scenario, plan, options.baseline)
    if greedy_units < units and not check_plan(ctx.ix.scenario, plan):
        return assignment, plan, greedy_units
    return None


def _priced_bound(ctx: BuildContext, pruned_bound: float | None) -> float | None:
    """A bound valid for every plan from the held model's bound (None: no pricing).

    Every plan's objective is a whole number of units, so the bound is rounded up, after
    giving up what HiGHS's tolerances may cost: 1e-7 per column (dual feasibility of a
    0–1 column) and 1e-9 of the value (floating-point sums); M: under one unit.
    """
    if ctx.pricing is None:
        return None
    units = ctx.pricing.bound(pruned_bound)  # a pricing.PricedBound: the model is final
    slack = 1e-9 * abs(units) + 1e-7 * ctx.pricing.candidates + 1e-6
    return float(math.ceil(units - slack))


def _result(ctx, solver, status, interrupted: bool, options: SolveOptions) -> SolveResult:
    s = ctx.ix.scenario
    if status == cp_model.INFEASIBLE:
        return SolveResult(status="infeasible", plan=None, notes=["the hard rules conflict"])
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error: invalid CP-SAT model ({solver.solution_info()})")
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    notes: list[str] = []
    if found:
        assignment = _assignment(ctx, solver)
        model_units = round(solver.objective_value)
    elif ctx.fallback is not None:
        assignment = ctx.fallback
        model_units = None
        notes.append("CP-SAT found no better plan in the last stage; this is the earlier one")
    else:
        assignment = _greedy_assignment(ctx)
        model_units = None
        notes.append("CP-SAT found no plan in time; this is the greedy plan")
    is_greedy = not found and ctx.fallback is None  # then comparing with it is moot
    plan = build_plan(ctx.ix, assignment, ctx.fixed_buddies)
    units = objective_units(s, plan, options.baseline)
    proven = status == cp_model.OPTIMAL and not interrupted
    extra_changes = False
    # Also where the greedy plan was the hint: stage 2 may start from stage 1's plan instead
    # (more placed, dearer elsewhere) and end above the hint (XL at 300 s: 27,664 against
    # the guided plan's 26,073). Also an interrupted HiGHS plan vs the greedy.
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
    units_bound = _priced_bound(ctx, solver.best_objective_bound if found else None)
    if ctx.pruned and units_bound is not None and options.objective == "weighted":
        bound = units_bound / OBJECTIVE_SCALE
        bound_source = "lp-priced"  # LP duals priced over every candidate: see pricing.py
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
    return SolveResult(
        status=state,
        plan=plan,
        objective=units / OBJECTIVE_SCALE,
        bound=bound if bound is not None else None,
        bound_source=bound_source,
        unplaced=unplaced_reasons(ctx.ix, plan),
        notes=notes,
    )
