"""HiGHS branch-and-cut on the built CP-SAT model itself: a bound (and often a proof) fast.

On small regions the LP relaxation is tight except for the fair-share term: hosted
learner-months move in steps of whole placements (6 months on the default scenario),
while the LP puts every organisation exactly on its share. Closing that gap needs cuts and
branching. CP-SAT's portfolio was slow to prove the default scenario optimal on a machine
with few cores; HiGHS's branch-and-cut on the very same model (read by
``relaxation.read_model``, so every rule module is in it) proves it many times sooner
(see benchmarks/README.md). CP-SAT then starts from HiGHS's
plan with HiGHS's bound as a constraint, so the plan, its objective and the status still
come from the CP-SAT model (see ``cpsat._mip_phase``).

The bound is valid whether or not reading was exact: a relaxed model only bounds lower.
HiGHS computes it in floating point (tolerance 1e-6); it is rounded down to whole
objective units with a quarter unit to spare (HiGHS stops at half a unit of gap, so a
proven optimum v still gives the bound v).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from .relaxation import load, read_model

ABS_GAP = 0.5  # objective units: below one unit an integer objective is proven optimal
SLACK = 0.25  # objective units given up when rounding HiGHS's floating-point bound


@dataclass(frozen=True)
class MipResult:
    values: np.ndarray | None  # a value for every model variable (HiGHS's best plan)
    objective: float | None  # its objective, in objective units
    bound: int | None  # a valid lower bound on every plan, in whole objective units
    proven: bool  # HiGHS closed the gap (to below one unit)
    exact: bool  # the HiGHS model is the CP-SAT model (nothing relaxed while reading)
    seconds: float
    trace: tuple[tuple[float, float, float | None], ...] = ()  # seconds, objective, bound


Report = Callable[[float, float | None, float], None]  # seconds, best objective, bound


def solve_mip(
    model: cp_model.CpModel,
    time_limit: float,
    stop: Callable[[], bool] = lambda: False,
    report: Report | None = None,
) -> MipResult | None:
    """Branch-and-cut on ``model``; None where HiGHS is missing or found nothing to use."""
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency; stay usable without
        return None
    started = time.perf_counter()
    lm = read_model(model)
    h = load(highspy, lm, max(0.1, time_limit - (time.perf_counter() - started)), integer=True)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", ABS_GAP)

    def poll(event) -> None:
        if stop():
            event.data_in.user_interrupt = True
        if report is not None:
            out = event.data_out
            primal = out.mip_primal_bound if math.isfinite(out.mip_primal_bound) else None
            report(time.perf_counter() - started, primal, out.mip_dual_bound)

    trace: list[tuple[float, float, float | None]] = []

    def improved(event) -> None:
        out = event.data_out
        bound = out.mip_dual_bound if math.isfinite(out.mip_dual_bound) else None
        trace.append((time.perf_counter() - started, out.objective_function_value, bound))

    h.cbMipInterrupt.subscribe(poll)
    h.cbMipImprovingSolution.subscribe(improved)
    h.run()
    info = h.getInfo()
    status = h.getModelStatus()
    has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = np.rint(np.array(h.getSolution().col_value)) if has_plan else None
    dual = info.mip_dual_bound
    bound = math.ceil(dual - SLACK) if math.isfinite(dual) else None
    return MipResult(
        values=values,
        objective=info.objective_function_value if has_plan else None,
        bound=bound,
        proven=status == highspy.HighsModelStatus.kOptimal and has_plan,
        exact=lm.exact,
        seconds=time.perf_counter() - started,
        trace=tuple(trace),
    )
