"""Plans as CP-SAT hints: complete one, save and restore it.

A plan here is an assignment row → department (index or id). CP-SAT starts large solves
from a complete hint (``complete_hint``).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..budget import Budget
from ..cp import new_solver
from .model import BuildContext


def complete_hint(
    ctx: BuildContext, budget: Budget, assignment: dict[int, int]
) -> float | None:
    """Hint a plan (row → department index), completed with every auxiliary variable.

    CP-SAT loads a complete, feasible hint as its first solution at the end of presolve;
    an incomplete one (auxiliary sums, fair-share deviations) is often ignored with few
    workers. We complete it by a quick solve with the plan's variables fixed, under the
    model's current objective, so deviations are tight (no slack carried into the hint).
    """
    model = ctx.model
    placed = {ctx.ix.rows[r].learner for r in assignment}
    us = [(u, li not in placed) for li, u in enumerate(ctx.u) if u is not None]
    set_hints(model, ctx.x_columns().tolist() + [u.index for u, _ in us],
              ctx.plan_triples(ctx.chosen(assignment)).tolist() + [v for _, v in us])
    fixer = new_solver()
    fixer.parameters.fix_variables_to_their_hinted_value = True
    fixer.parameters.num_workers = 1
    fixer.parameters.cp_model_probing_level = 0  # everything is fixed: probing finds nothing
    # a tenth of the phase's time, and a second at least: a large model's fixer needs it
    # even when the phase's time is nearly spent, or the plan found is lost as a hint
    fixer.parameters.max_time_in_seconds = budget.share(0.1, at_least=1.0)
    if fixer.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None  # e.g. the greedy breaks the fair-share tolerance: keep the partial hint
    values = list(fixer.response_proto.solution)
    set_hints(model, list(range(len(values))), values)
    return fixer.objective_value


def set_hints(model: cp_model.CpModel, indices: list[int], values: list) -> None:
    """Replace the model's hint in bulk (add_hint per variable is slow on large models)."""
    model.clear_hints()
    model.proto.solution_hint.vars.extend(indices)
    model.proto.solution_hint.values.extend(int(v) for v in values)


def saved_hint(model: cp_model.CpModel) -> tuple[list, list]:
    """The model's hint as it is now (``set_hints(model, *saved)`` restores it)."""
    hint = model.proto.solution_hint
    return list(hint.vars), list(hint.values)


def solution_assignment(ctx: BuildContext, solver: cp_model.CpSolver) -> dict[int, str]:
    out = {}
    for t, (r, d) in enumerate(zip(ctx.t_row.tolist(), ctx.t_dept.tolist(), strict=True)):
        if solver.boolean_value(ctx.x[t]):
            out[r] = ctx.ix.departments[d]
    return out


def greedy_plan(ctx: BuildContext) -> dict[int, str]:
    return {r: ctx.ix.departments[d] for r, d in ctx.greedy.items()}


def dept_indices(ctx: BuildContext, assignment: dict[int, str]) -> dict[int, int]:
    return {r: ctx.ix.dept_pos[d] for r, d in assignment.items()}
