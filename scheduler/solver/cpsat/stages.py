"""The CP-SAT search in stages: lexicographic (docs/rules.md#objective's order), or weighted in two
stages (unplaced learners first) on large models."""

from __future__ import annotations

import math
from typing import Any

from ortools.sat.python import cp_model

from ...models.objective import OBJECTIVE_SCALE
from ..budget import Budget
from .hints import (
    complete_hint,
    dept_indices,
    greedy_plan,
    saved_hint,
    set_hints,
    solution_assignment,
)
from .model import BuildContext

LARGE_MODEL = 20_000  # triples above which presolve probing is switched off


LEXICOGRAPHIC_STAGES = ("unplaced", "preference", "fair_share", "travel")


def solve_lexicographic(ctx, solver, callback, budget: Budget, interrupt) -> Any:
    """Unplaced, then preferences, then fair share, then travel; then the weighted rest.

    Each stage gets an equal share of the phase's time and keeps the previous stages at
    their best value found. The result is ``optimal`` only if every stage was proven.
    """
    from .objectives import sign

    model = ctx.model
    stages = [n for n in LEXICOGRAPHIC_STAGES if not ctx.terms[n].is_empty()]
    share = budget.share(1 / (len(stages) + 1))
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
        ctx.fallback = solution_assignment(ctx, solver)
        complete_hint(ctx, budget, dept_indices(ctx, ctx.fallback))
    model.minimize(ctx.objective.expr())
    solver.parameters.max_time_in_seconds = share
    status = solver.solve(model, callback)
    if status == cp_model.OPTIMAL and not proven:
        return cp_model.FEASIBLE
    return status


UNPLACED_STAGE_SHARE = 0.4  # of the phase's time, at most, for the first stage


def solve_weighted(ctx, solver, callback, budget: Budget, interrupt) -> Any:
    """The weighted objective (docs/rules.md#objective), in two stages that keep it exact.

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
    greedy_unplaced = unplaced_count(ctx, set(ctx.greedy))
    forced = int(ctx.ix.forced_unplaced.sum())
    if ctx.placed_upper is not None:  # the LP's proof: at least this many stay unplaced
        least = len(ctx.ix.learners) - ctx.placed_upper
        ctx.model.add(unplaced.expr() >= least).with_name("unplaced_lp_bound")
        if ctx.hinted and greedy_unplaced + forced <= least:
            return solver.solve(ctx.model, callback)  # the hint places the most possible
    if ctx.hinted and greedy_unplaced <= forced:
        return solver.solve(ctx.model, callback)  # nothing for stage 1 to improve
    model = ctx.model
    model.minimize(unplaced.expr())
    solver.parameters.max_time_in_seconds = budget.share(UNPLACED_STAGE_SHARE)
    callback.stage, callback.scale = "unplaced", 1
    status = solver.solve(model, callback)
    callback.stage, callback.scale = "", OBJECTIVE_SCALE
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or interrupt.requested:
        return status
    lower = math.ceil(solver.best_objective_bound - 1e-9)
    if not ctx.pruned:  # stage 1's bound holds for every plan: so many stay unplaced at least
        upper = len(ctx.ix.learners) - lower
        ctx.bound_placed(upper, "cp-sat")
    if lower > 0:
        model.add(unplaced.expr() >= lower).with_name("unplaced_lower_bound")
    ctx.fallback = solution_assignment(ctx, solver)
    model.minimize(ctx.objective.expr())
    if ctx.hinted and unplaced_count(ctx, set(ctx.fallback)) >= greedy_unplaced:
        ctx.fallback = greedy_plan(ctx)  # as many placed, and cost-aware: keep its hint
    else:
        start_from_the_cheaper(ctx, budget)
    solver.parameters.max_time_in_seconds = budget.left()
    return solver.solve(model, callback)


def start_from_the_cheaper(ctx: BuildContext, budget: Budget) -> None:
    """Hint stage 1's plan or, where it costs more under the weighted objective, the
    greedy plan: stage 1 places more learners but ignores every other term, and on the
    largest regions stage 2 from stage 1's plan ended well above the guided greedy plan
    (see benchmarks/README.md)."""
    assert ctx.fallback is not None  # stage 1's plan
    stage1 = complete_hint(ctx, budget, dept_indices(ctx, ctx.fallback))
    if not ctx.hinted:
        return
    kept = saved_hint(ctx.model)
    greedy_units = complete_hint(ctx, budget, ctx.greedy)
    if greedy_units is not None and (stage1 is None or greedy_units < stage1):
        ctx.fallback = greedy_plan(ctx)
    else:
        set_hints(ctx.model, *kept)


def unplaced_count(ctx: BuildContext, rows: set[int]) -> int:
    """Learners who may be left unplaced and are, in a plan placing ``rows``."""
    return sum(
        1
        for li, u in enumerate(ctx.u)
        if u is not None and not all(r in rows for r in ctx.ix.rows_of[li])
    )
