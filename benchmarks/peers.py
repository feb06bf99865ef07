"""The three peers of issue 9: by hand, a straightforward HiGHS MIP, textbook CP-SAT.

Each returns an ``Outcome``; times in traces are seconds since ``clock`` (the start of
the approach, before any model is built), objectives and bounds in objective units / SCALE.
The time limit counts from ``clock`` too, the build included, as it does for ours
(``scheduler.solver.solve``): a peer whose build reaches it gets no search (textbook
CP-SAT stops building there).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from problem import Linear, Problem, eligible, linear_model

from scheduler.models.objective import OBJECTIVE_SCALE
from scheduler.solver.rules import carrousel, required_sectors

Trace = list[tuple[float, float | None, float | None]]


@dataclass
class Outcome:
    status: str  # optimal | feasible | no_plan
    assignment: dict[int, str] | None
    trace: Trace = field(default_factory=list)
    bound: float | None = None  # best valid lower bound at the end, objective units/SCALE
    bound_source: str = ""
    solver_objective: float | None = None
    build_seconds: float = 0.0
    model: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --- by hand -------------------------------------------------------------------------


def by_hand(scenario, clock: float, **_: Any) -> tuple[Outcome, Problem]:
    """First come, first served: existing (pinned) placements first, then file order."""
    p = eligible(scenario)
    ix = p.ix
    left = ix.effcap.copy()
    org_depts: dict[str, list[int]] = {}
    for j, d in enumerate(ix.departments):
        org_depts.setdefault(scenario.department[d].organisation, []).append(j)
    reserved = _reserve_pins(p, left)
    order = sorted(range(len(ix.learners)), key=lambda li: not ix.forced_placed[li])
    assignment: dict[int, str] = {}
    for li in order:
        picks = _hand_place(p, li, left, org_depts, reserved)
        if picks is None:
            continue
        for r, d in picks:
            assignment[r] = ix.departments[d]
    seconds = time.perf_counter() - clock
    out = Outcome("feasible", assignment, build_seconds=seconds, model={"triples": len(p.t_row)})
    return out, p


def _reserve_pins(p: Problem, left: np.ndarray) -> dict[int, int]:
    """Pinned placements are already in the spreadsheet: book them before anyone else."""
    ix, reserved = p.ix, {}
    for li in np.nonzero(ix.forced_placed)[0]:
        for r in ix.rows_of[li]:
            allowed = np.unique(p.t_dept[p.triples_of_row[r]])
            if len(allowed) == 1:
                reserved[r] = int(allowed[0])
                months = np.array(ix.rows[r].present, dtype=np.int64)
                if len(months):
                    left[reserved[r], months] -= 1
    return reserved


def _preferred(p: Problem, li: int, org_depts) -> list[int]:
    s, ix = p.ix.scenario, p.ix
    out: list[int] = []
    for pref in ix.learners[li].preferences:
        cols = org_depts.get(pref, []) if pref in s.organisation else [ix.dept_pos.get(pref, -1)]
        out += [j for j in cols if j >= 0 and j not in out]
    return out


def _hand_place(p: Problem, li: int, left: np.ndarray, org_depts, reserved):
    ix = p.ix
    prefs = _preferred(p, li, org_depts)
    distinct = ix.scenario.learner_programme(ix.learners[li]).distinct_departments
    picks: list[tuple[int, int]] = []
    for r in ix.rows_of[li]:
        if r in reserved:
            picks.append((r, reserved[r]))
            continue
        months = np.array(ix.rows[r].present, dtype=np.int64)
        allowed = set(p.t_dept[p.triples_of_row[r]].tolist())
        used = {d for _, d in picks} if distinct else set()

        def room(d: int, months=months, allowed=allowed, used=used) -> bool:
            ok = d in allowed and d not in used
            return ok and (not len(months) or left[d, months].min() >= 1)

        nearest = sorted(allowed, key=lambda d: (ix.distance[li, d], d))
        choice = next((d for d in prefs + nearest if room(d)), None)
        if choice is None:
            return None
        picks.append((r, choice))
    home = carrousel.home_index(ix, li)
    away = sum(1 for _, d in picks if ix.dept_org[d] != home)
    sectors = {ix.dept_sector[d] for _, d in picks}
    unmet = away < carrousel.away_needed(ix, li) or any(
        sec not in sectors for sec in required_sectors.missing_sectors(ix, li)
    )
    if unmet and not ix.forced_placed[li]:  # a pinned learner's placements are given
        return None
    for r, d in picks:
        months = np.array(ix.rows[r].present, dtype=np.int64)
        if len(months) and r not in reserved:
            left[d, months] -= 1
    return picks


# --- HiGHS MIP -----------------------------------------------------------------------


def highs_mip(scenario, clock: float, time_limit: float, workers: int, seed: int, **_: Any):
    import highspy

    p = eligible(scenario)
    lin = linear_model(p)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", int(workers))
    h.setOptionValue("random_seed", int(seed))
    n = len(lin.lb)
    h.addVars(n, np.array(lin.lb, float), np.array(lin.ub, float))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(lin.cost, float))
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger, np.uint8)
    )
    starts, cols, vals, lo, hi = lin.csr()
    h.addRows(
        len(lo), lo, hi, len(cols), starts.astype(np.int32), cols.astype(np.int32),
        vals.astype(float),
    )
    build = time.perf_counter() - clock
    model = {"variables": n, "constraints": len(lo), "nonzeros": len(cols), "triples": lin.n_x}
    if build >= time_limit:
        return _no_search(build, model), p
    h.setOptionValue("time_limit", float(time_limit - build))
    trace: Trace = []
    last = [0.0]

    def improving(e) -> None:
        d = e.data_out
        bound = d.mip_dual_bound if np.isfinite(d.mip_dual_bound) else None
        trace.append((time.perf_counter() - clock, d.objective_function_value / OBJECTIVE_SCALE,
                      None if bound is None else bound / OBJECTIVE_SCALE))

    def interrupt(e) -> None:  # sample the bound twice a second
        now = time.perf_counter() - clock
        if now - last[0] >= 0.5 and np.isfinite(e.data_out.mip_dual_bound):
            last[0] = now
            trace.append((now, None, e.data_out.mip_dual_bound / OBJECTIVE_SCALE))

    h.cbMipImprovingSolution.subscribe(improving)
    h.cbMipInterrupt.subscribe(interrupt)
    h.run()
    model_status = h.getModelStatus()
    info = h.getInfo()
    out = Outcome("no_plan", None, trace=trace, build_seconds=build)
    out.model = {**model, "highs_status": h.modelStatusToString(model_status)}
    if np.isfinite(info.mip_dual_bound):
        out.bound, out.bound_source = info.mip_dual_bound / OBJECTIVE_SCALE, "highs"
    if info.primal_solution_status == 2:  # kSolutionStatusFeasible
        x = np.asarray(h.getSolution().col_value[: lin.n_x])
        out.assignment = _assignment(p, x > 0.5)
        out.solver_objective = info.objective_function_value / OBJECTIVE_SCALE
        optimal = model_status == highspy.HighsModelStatus.kOptimal
        out.status = "optimal" if optimal else "feasible"
        if optimal:
            out.notes.append("HiGHS optimal = within its default mip_rel_gap 1e-4")
    return out, p


def _no_search(build: float, model: dict[str, Any]) -> Outcome:
    out = Outcome("no_plan", None, build_seconds=build, model=model)
    out.notes.append(f"the build reached the time limit ({build:.1f} s): no search")
    return out


def _assignment(p: Problem, chosen: np.ndarray) -> dict[int, str]:
    return {int(p.t_row[t]): p.ix.departments[int(p.t_dept[t])] for t in np.nonzero(chosen)[0]}


# --- textbook CP-SAT -----------------------------------------------------------------


def cpsat_textbook(scenario, clock: float, time_limit: float, workers: int, seed: int, **_):
    from ortools.sat.python import cp_model

    p = eligible(scenario)
    lin = linear_model(p)
    model = cp_model.CpModel()
    vs = [model.new_int_var(int(lo), int(hi), nm) for lo, hi, nm in
          zip(lin.lb, lin.ub, lin.names, strict=True)]
    size = {"variables": len(vs), "constraints": len(lin.rows), "triples": lin.n_x}
    for k, (cols, vals, lo, hi) in enumerate(lin.rows):
        if k % 4096 == 0 and time.perf_counter() - clock >= time_limit:
            return _no_search(time.perf_counter() - clock, size), p  # no time left to search
        expr = cp_model.LinearExpr.weighted_sum([vs[c] for c in cols.tolist()], vals.tolist())
        if lo == hi:
            model.add(expr == int(lo))
        elif lo == -float("inf"):
            model.add(expr <= int(hi))
        else:
            model.add(expr >= int(lo))
    nz = [i for i, c in enumerate(lin.cost) if c]
    model.minimize(cp_model.LinearExpr.weighted_sum([vs[i] for i in nz],
                                                    [int(lin.cost[i]) for i in nz]))
    build = time.perf_counter() - clock
    if build >= time_limit:
        return _no_search(build, size), p
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit - build)
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    cb = _Trace(clock)
    status = solver.solve(model, cb)
    out = Outcome("no_plan", None, trace=cb.trace, build_seconds=build)
    out.model = {**size, "cp_sat_status": solver.status_name(status)}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = np.array(list(solver.response_proto.solution)[: lin.n_x]) > 0
        out.assignment = _assignment(p, values)
        out.solver_objective = solver.objective_value / OBJECTIVE_SCALE
        out.bound, out.bound_source = solver.best_objective_bound / OBJECTIVE_SCALE, "cp-sat"
        out.status = "optimal" if status == cp_model.OPTIMAL else "feasible"
    return out, p


def _make_trace_cls():
    from ortools.sat.python import cp_model

    class _T(cp_model.CpSolverSolutionCallback):
        def __init__(self, clock: float) -> None:
            super().__init__()
            self.clock = clock
            self.trace: Trace = []

        def on_solution_callback(self) -> None:
            self.trace.append((time.perf_counter() - self.clock,
                               self.objective_value / OBJECTIVE_SCALE,
                               self.best_objective_bound / OBJECTIVE_SCALE))

    return _T


def _Trace(clock: float):  # noqa: N802 - a class factory, ortools imported lazily
    return _make_trace_cls()(clock)


__all__ = ["Linear", "Outcome", "by_hand", "cpsat_textbook", "highs_mip"]
