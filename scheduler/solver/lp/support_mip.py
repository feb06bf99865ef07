"""Price-and-branch: the LP relaxation's support as a MIP, for plans that reach the bound.

On busy regions the LP relaxation is nearly integral, but rounding it greedily and
repairing leaves learners out that a plan can place (issue 21: a MIP over the LP's support
placed every learner where the repaired rounding did not). Here HiGHS's branch-and-cut
runs on the built model with every placement variable fixed to 0 except those the LP uses,
the current plan's choices and each placement's few cheapest departments. That model is
small (tens of thousands of variables where the model has hundreds of thousands) and
nearly integral, so HiGHS finds plans within seconds, starting from the current plan (a
complete hint).

The restricted model's bound holds for the restricted model only and is never reported;
the bound comes from the LP of the whole model (or its pricing). Its plan is accepted only
where CP-SAT's fixer confirms it keeps every rule of the model (``hints.complete_hint``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ..cpsat.model import BuildContext, _rank_in_row, sharing_a_department_month
from ..cpsat.objectives import fair_share_columns
from .prover import ABS_GAP
from .relaxation import LinearModel, load, read_model, without_costs

SUPPORT = 1e-6  # an LP value above this puts the triple in the restricted model
CHEAPEST = 3  # per placement, its cheapest departments stay too (room to move)
WHOLE = 0.99  # an LP value from this on is taken as the LP's choice of the placement
STAND_IN = 0.5  # ``stand_in_values``: in the support, placed, and below WHOLE
BATCH_MASS = 0.6  # ``batch_values``: per placement of a learner in the batch (placed, below WHOLE)


@dataclass(frozen=True)
class SupportPlan:
    assignment: dict[int, int]  # placement row → department index
    objective: float  # HiGHS's value of it (objective units)
    bound: float | None  # HiGHS's bound on the restricted model (objective units)
    proven: bool  # HiGHS closed the restricted model's gap
    columns: int  # placement variables left free in the restricted model
    seconds: float


def _with_plan(ctx: BuildContext, keep: np.ndarray, plan: dict[int, int]) -> np.ndarray:
    return keep | (ctx.plan_triples(ctx.chosen(plan)))


def support_columns(ctx: BuildContext, lp_x: np.ndarray, plan: dict[int, int]) -> np.ndarray:
    """Per model triple: stays free (LP support, the plan's choice, or among the cheapest).

    A placement where the LP is integral (a triple at ``WHOLE`` or more) and the plan
    agrees keeps that triple alone: the MIP is then about the placements the LP is unsure
    of, and the plan stays a feasible start.
    """
    keep = _free(ctx, lp_x, plan)
    chosen = ctx.chosen(plan)
    settled = (lp_x >= WHOLE) & ctx.plan_triples(chosen)
    settled &= ~_crossing_the_left_out(ctx, keep, chosen)
    rows = np.zeros(ctx.ix.n_rows, dtype=bool)
    rows[ctx.t_row[settled]] = True
    return np.where(rows[ctx.t_row], settled, keep)


def _free(ctx: BuildContext, lp_x: np.ndarray, plan: dict[int, int]) -> np.ndarray:
    """Per model triple: in the LP's support, the plan's choice or among the cheapest."""
    keep = lp_x > SUPPORT
    keep |= _rank_in_row(ctx.t_row, ctx.combined_cost()) < CHEAPEST
    return _with_plan(ctx, keep, plan)


def repair_columns(ctx: BuildContext, lp_x: np.ndarray, plan: dict[int, int],
                   hops: int = 1) -> np.ndarray | None:
    """Per model triple: free where its learner is left out by the plan but placed by
    the LP, or holds a place the left-out learners could take (``hops`` > 1: or a place
    the learners moved aside could take, and so on); every other placement keeps the
    plan's triple alone. None where the plan leaves out no one the LP places.

    Placing a left-out learner means moving the learners in the way; on the whole support
    model HiGHS did not find such moves (a probe: a plan with 4 learners out stayed at 4
    out for 20 s), on this neighbourhood (about 400–700 learners) it placed them in 4–6 s.
    """
    chosen = ctx.chosen(plan)
    placed_by_lp = np.bincount(ctx.t_row, weights=lp_x, minlength=ctx.ix.n_rows)
    wanted = (chosen < 0) & (placed_by_lp >= 0.5)
    if not wanted.any():
        return None
    keep = _free(ctx, lp_x, plan)
    own = ctx.plan_triples(chosen)
    of = ctx.ix.row_learner()
    ring = np.zeros(len(ctx.ix.learners), dtype=bool)
    ring[of[wanted]] = True
    sources = keep & wanted[ctx.t_row]
    for _ in range(hops):
        ring[of[ctx.t_row[own & sharing_a_department_month(ctx, sources)]]] = True
        sources = keep & ring[of[ctx.t_row]]
    return np.where(ring[of[ctx.t_row]], keep, own)


def stand_in_values(ctx: BuildContext, plan: dict[int, int]) -> np.ndarray:
    """Per model triple, a stand-in for the LP's values where no LP came in time: one half
    on the plan's triples and on every triple of a placement the plan leaves out. The
    repair MIP then takes up every learner left out, with the learners in their way
    (``repair_columns``), and the support MIP frees every placement over the plan's
    department and its cheapest ones (nothing is taken as the LP's whole choice)."""
    chosen = ctx.chosen(plan)
    mine = ctx.plan_triples(chosen) | (chosen[ctx.t_row] < 0)
    return np.where(mine, STAND_IN, 0.0)


def batch_values(ctx: BuildContext, x: np.ndarray, plan: dict[int, int],
                 batch: np.ndarray) -> np.ndarray:
    """Per model triple, stand-in LP values that have the repair MIP take up the learners
    in ``batch`` (a mask over learners the plan leaves out) and no one else: their triples
    carry ``x`` (an LP's values) scaled to ``BATCH_MASS`` per placement, so that every
    placement the LP gives a value counts as placed by it; every other triple is the
    plan's (``STAND_IN`` on its own triples, 0 elsewhere: not wanted)."""
    chosen = ctx.chosen(plan)
    in_batch = batch[ctx.ix.row_learner()[ctx.t_row]]
    mine = in_batch & (x > SUPPORT)
    per_row = np.bincount(ctx.t_row[mine], weights=x[mine], minlength=ctx.ix.n_rows)
    scaled = BATCH_MASS * x / np.maximum(per_row[ctx.t_row], SUPPORT)
    values = np.where(ctx.plan_triples(chosen), STAND_IN, 0.0)
    return np.where(in_batch, np.where(mine, np.maximum(scaled, 2 * SUPPORT), 0.0), values)


def fair_share_priced(ctx: BuildContext, lm: LinearModel, price: np.ndarray) -> LinearModel:
    """``lm`` with the fair-share term linearised: its deviations cost nothing, and each
    placement triple costs ``price`` of its organisation per learner-month it hosts there
    (``pricing.hosted_prices``: the term's slope at the LP's optimum, so the LP's values
    stay optimal for the linearised LP). Exact where no organisation's deviation changes
    direction; its plans are judged with the term itself (``pipeline._take``).

    HiGHS's root cut rounds on the fair-share rows are what make the support MIP slow
    (1,800 learners: 6.5 s of the root's 7.7 s, the first better plan at 10.8 s); this MIP
    is proven in 1-2 s there."""
    priced = without_costs(lm, fair_share_columns(ctx))  # a copy
    hosted = ctx.ix.present_months()[ctx.t_row] * price[ctx.ix.dept_org[ctx.t_dept]]
    priced.cost[ctx.x_columns()] += hosted
    return priced


def placing_only(ctx: BuildContext, lm: LinearModel) -> LinearModel:
    """``lm`` weighing only the learners left out (every other cost zero)."""
    unplaced = ctx.unplaced_columns()
    cost = np.zeros_like(lm.cost)
    cost[unplaced] = lm.cost[unplaced]
    return replace(lm, cost=cost)


def placed_fixed(ctx: BuildContext, lm: LinearModel, plan: dict[int, int]) -> LinearModel:
    """``lm`` with every learner ``plan`` places kept placed."""
    placed = ctx.ix.placed_mask(plan)
    upper = lm.upper.copy()
    upper[[u.index for li, u in enumerate(ctx.u) if u is not None and placed[li]]] = 0.0
    return replace(lm, upper=upper)


def _crossing_the_left_out(ctx: BuildContext, keep: np.ndarray,
                           chosen: np.ndarray) -> np.ndarray:
    """Per model triple: its department has a month in common with a free triple of a
    placement the plan leaves out. Such triples are not fixed: placing a learner the plan
    left out means moving someone there (a 1,800-learner run left 4 out when they were)."""
    return sharing_a_department_month(ctx, keep & (chosen[ctx.t_row] < 0))


def reduced_cost_columns(ctx: BuildContext, reduced_cost: np.ndarray, room: float,
                         plan: dict[int, int]) -> np.ndarray:
    """Per model triple: may be in a plan that costs less than the current one.

    With LP optimum z and a plan of objective v, every plan x costs at least
    z + Σ rc_t·x_t (reduced costs are ≥ 0 at zero; rows' duals add only more), so a triple
    with rc_t > v − z (``room``) is in no plan that costs less than v (reduced-cost fixing).
    The model restricted to the others holds every better plan: its optimum is the whole
    model's, and min(v, its bound) bounds every plan.
    """
    tolerance = 1e-6 * max(1.0, abs(room)) + 1e-6
    return _with_plan(ctx, reduced_cost <= room + tolerance, plan)


def solve_restricted(
    ctx: BuildContext,
    keep: np.ndarray,
    time_limit: float,
    stop: Callable[[], bool] = lambda: False,
    model: LinearModel | None = None,
    gap: float = ABS_GAP,
) -> SupportPlan | None:
    """HiGHS on the model with the placement variables outside ``keep`` fixed to 0,
    started from the model's complete hint; its best plan, or None (no HiGHS, nothing in
    time). ``model``: ``ctx.model`` as ``relaxation.read_model`` read it (left unchanged);
    ``gap``: HiGHS stops once its plan is proven within this many units of the best.
    Where reading relaxed the model, its plans are only candidates (the caller has
    CP-SAT's fixer confirm them) and its bound is still a bound."""
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency
        return None
    started = time.perf_counter()
    read = read_model(ctx.model) if model is None else model  # ``model``: read already
    lm = replace(read, upper=read.upper.copy())
    x_cols = ctx.x_columns()
    lm.upper[x_cols[~keep]] = 0.0
    left = time_limit - (time.perf_counter() - started)
    if left < 0.5 or stop():
        return None
    h = load(highspy, lm, left, integer=True)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", float(gap))
    start = _hint_vector(ctx, lm.n)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start.tolist()
        solution.value_valid = True
        h.setSolution(solution)

    def poll(event) -> None:
        if stop():
            event.data_in.user_interrupt = True

    h.cbMipInterrupt.subscribe(poll)
    h.run()
    info = h.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    values = np.rint(np.array(h.getSolution().col_value)[x_cols])
    assignment = {int(r): int(d) for r, d, v in
                  zip(ctx.t_row, ctx.t_dept, values, strict=True) if v > 0.5}
    dual = info.mip_dual_bound
    return SupportPlan(
        assignment=assignment,
        objective=float(info.objective_function_value),
        bound=float(dual) if np.isfinite(dual) else None,
        proven=h.getModelStatus() == highspy.HighsModelStatus.kOptimal,
        columns=int(keep.sum()),
        seconds=time.perf_counter() - started,
    )


def _hint_vector(ctx: BuildContext, n: int) -> np.ndarray | None:
    """The model's hint as a value per variable, or None where it is not complete."""
    hint = ctx.model.proto.solution_hint
    if len(hint.vars) != n:
        return None
    out = np.zeros(n)
    out[np.array(list(hint.vars), dtype=np.int64)] = np.array(list(hint.values), dtype=float)
    return out
