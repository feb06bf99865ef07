"""The eligible triples and a plain sparse model of the hard rules, shared by the peers.

Peers see exactly the rules and objective coefficients of ``scheduler.solver``: the same
eligibility masks (travel, level, starter shifts, history, zero capacity, pins), the same
effective capacity min(capacity, buddy capacity) and the same integer per-triple costs.
What they do not get is our formulation: no pruning, no interval classes, no hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scheduler.models import Scenario, month_ordinal
from scheduler.models.objective import Coefficients, share_permille
from scheduler.solver.cpsat import model as core
from scheduler.solver.index import Index, build_index
from scheduler.solver.options import SolveOptions
from scheduler.solver.rules import carrousel, required_sectors


@dataclass
class Problem:
    ix: Index
    t_row: np.ndarray
    t_dept: np.ndarray
    cost: np.ndarray  # objective units per triple (preference, travel, buddy changes)
    coef: Coefficients
    fixed_buddies: dict[tuple[str, int], str]
    triples_of_row: list[np.ndarray] = field(default_factory=list)


def eligible(scenario: Scenario) -> Problem:
    """Index, masks and costs as ``scheduler.solver.cpsat.model.build`` makes them, no CP-SAT model.

    Uses the solver's private helpers on purpose: a peer must see the very same candidates.
    """
    ix = build_index(scenario)
    core._apply_masks(ix, SolveOptions(), None)
    t_row, t_dept = (a.astype(np.int64) for a in np.nonzero(ix.mask))
    rl = ix.row_learner()[t_row]
    coef = Coefficients.from_weights(scenario.policy.weights)
    cost = (
        -coef.preference * core._preference_matrix(ix)[rl, t_dept]
        + coef.travel * ix.travel_decikm()[rl, t_dept]
        + coef.buddy_change * core._buddy_costs(ix, t_row, t_dept)
    ).astype(np.int64)
    fixed = {
        (p.learner, o): p.buddy
        for p in scenario.pins
        if p.buddy
        for o in range(month_ordinal(p.first), month_ordinal(p.last) + 1)
    }
    order = np.argsort(t_row, kind="stable")
    bounds = np.searchsorted(t_row[order], np.arange(ix.n_rows + 1))
    by_row = [order[bounds[r] : bounds[r + 1]] for r in range(ix.n_rows)]
    return Problem(ix, t_row, t_dept, cost, coef, fixed, by_row)


@dataclass
class Linear:
    """min c·v s.t. lo ≤ A v ≤ hi, integer bounds; A in CSR (row starts, cols, values)."""

    n_x: int
    u_col: list[int]  # learner → its unplaced column, or -1 (must be placed)
    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    rows: list[tuple[np.ndarray, np.ndarray, float, float]] = field(default_factory=list)

    def add_var(self, lb: float, ub: float, cost: float, name: str) -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        self.cost.append(cost)
        self.names.append(name)
        return len(self.lb) - 1

    def add_row(self, cols, vals, lo: float, hi: float) -> None:
        self.rows.append((np.asarray(cols, np.int64), np.asarray(vals, np.int64), lo, hi))

    def csr(self):
        starts = np.cumsum([0] + [len(c) for c, _, _, _ in self.rows])[:-1]
        cols = np.concatenate([c for c, _, _, _ in self.rows]) if self.rows else np.zeros(0)
        vals = np.concatenate([v for _, v, _, _ in self.rows]) if self.rows else np.zeros(0)
        lo = np.array([r[2] for r in self.rows], dtype=float)
        hi = np.array([r[3] for r in self.rows], dtype=float)
        return starts, cols, vals, lo, hi


INF = float("inf")


def linear_model(p: Problem) -> Linear:
    """x per eligible triple, u per learner, the rules as plain linear rows."""
    ix, T = p.ix, len(p.t_row)
    lin = Linear(n_x=T, u_col=[])
    lin.lb.extend([0.0] * T)
    lin.ub.extend([1.0] * T)
    lin.cost.extend(p.cost.astype(float).tolist())
    lin.names.extend([""] * T)
    for li, lr in enumerate(ix.learners):
        lin.u_col.append(-1 if ix.forced_placed[li] else lin.add_var(0, 1, p.coef.unplaced, lr.id))
    _placement(p, lin)
    _capacity(p, lin)
    for li in range(len(ix.learners)):
        _learner_rules(p, lin, li)
    if p.coef.fair_share or ix.scenario.policy.fair_share_tolerance is not None:
        _fair_share(p, lin)
    return lin


def _placement(p: Problem, lin: Linear) -> None:
    for li, rows in enumerate(p.ix.rows_of):
        u = lin.u_col[li]
        for r in rows:
            cols = p.triples_of_row[r].tolist() + ([u] if u >= 0 else [])
            lin.add_row(cols, [1] * len(cols), 1, 1)


def _capacity(p: Problem, lin: Linear) -> None:
    """One row per department × month: Σ x of placements present then ≤ effcap."""
    ix = p.ix
    row_n = np.array([len(r.present) for r in ix.rows], dtype=np.int64)
    row_start = np.r_[0, np.cumsum(row_n)[:-1]]
    flat = np.array([m for r in ix.rows for m in r.present], dtype=np.int64)
    n_present = row_n[p.t_row]
    trip = np.repeat(np.arange(len(p.t_row)), n_present)
    first = np.r_[0, np.cumsum(n_present)[:-1]]
    k = np.arange(len(trip)) - np.repeat(first, n_present)
    month = flat[np.repeat(row_start[p.t_row], n_present) + k]
    cell = p.t_dept[trip] * ix.horizon + month
    order = np.argsort(cell, kind="stable")
    cell, trip = cell[order], trip[order]
    starts = np.r_[0, np.nonzero(np.diff(cell))[0] + 1, len(cell)]
    for a, b in zip(starts[:-1], starts[1:], strict=True):
        if a == b:
            continue
        d, m = divmod(int(cell[a]), ix.horizon)
        limit = int(ix.effcap[d, m])
        if b - a > limit:
            lin.add_row(trip[a:b], np.ones(b - a, np.int64), -INF, limit)


def _learner_rules(p: Problem, lin: Linear, li: int) -> None:
    """Carrousel, required sectors and distinct departments of one learner."""
    ix = p.ix
    rows = ix.rows_of[li]
    ts = np.concatenate([p.triples_of_row[r] for r in rows])
    depts = p.t_dept[ts]
    u = lin.u_col[li]
    need = carrousel.away_needed(ix, li)
    if need:
        home = carrousel.home_index(ix, li)
        at_home = ts[ix.dept_org[depts] == home]
        limit = len(rows) - need
        if limit < 0 and u >= 0:
            lin.lb[u] = 1
        elif len(at_home) > limit:
            lin.add_row(at_home, np.ones(len(at_home), np.int64), -INF, max(limit, 0))
    for sector in required_sectors.missing_sectors(ix, li):
        cols = [int(t) for t, d in zip(ts, depts, strict=True) if ix.dept_sector[d] == sector]
        cols += [u] if u >= 0 else []
        lin.add_row(cols, [1] * len(cols), 1, INF)
    if len(rows) > 1 and ix.scenario.learner_programme(ix.learners[li]).distinct_departments:
        for d in np.unique(depts):
            same = ts[depts == d]
            if len(same) > 1:
                lin.add_row(same, np.ones(len(same), np.int64), -INF, 1)


def _fair_share(p: Problem, lin: Linear) -> None:
    """hosted_o = Σ months·x; total = Σ hosted; dev_o ≥ |1000·hosted_o − share_o·total|."""
    ix, s = p.ix, p.ix.scenario
    months = np.array([len(ix.rows[r].present) for r in p.t_row], dtype=np.int64)
    orgs = ix.dept_org[p.t_dept]
    top = float(months.sum())
    hosted = [lin.add_var(0, top, 0, f"hosted[{o}]") for o in ix.organisations]
    total = lin.add_var(0, top, 0, "total")
    for o, h in enumerate(hosted):
        sel = np.nonzero(orgs == o)[0]
        lin.add_row(np.r_[sel, h], np.r_[-months[sel], 1], 0, 0)
    lin.add_row(hosted + [total], [1] * len(hosted) + [-1], 0, 0)
    shares = share_permille({o: s.organisation[o].fte_care for o in ix.organisations})
    if p.coef.fair_share:
        for o, org in enumerate(ix.organisations):
            dev = lin.add_var(0, 1000 * top, p.coef.fair_share, f"dev[{org}]")
            lin.add_row([dev, hosted[o], total], [1, -1000, shares[org]], 0, INF)
            lin.add_row([dev, hosted[o], total], [1, 1000, -shares[org]], 0, INF)
    tol = s.policy.fair_share_tolerance
    if tol is not None:
        fte = [round(s.organisation[o].fte_care * 100) for o in ix.organisations]
        k = round(tol * 1000)
        for o, h in enumerate(hosted):
            a = 1000 * sum(fte)
            lin.add_row([h, total], [a, -(1000 + k) * fte[o]], -INF, 0)
            lin.add_row([h, total], [a, -(1000 - k) * fte[o]], 0, INF)
