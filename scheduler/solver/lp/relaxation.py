"""The LP relaxation of a built CP-SAT model, solved by HiGHS, to guide the greedy hint.

On busy regions the LP relaxation is nearly integral (few placements are fractional),
and far better than the greedy plan CP-SAT starts from. The relaxation is read
from the model itself (linear, at-most-one, exactly-one and clause constraints), so every
rule module is included without a second formulation; constraints of other kinds or with
enforcement literals are left out, which only relaxes it further. Where HiGHS is missing
or does not finish in time, the caller goes on without it. ``read_model`` and ``load`` are
shared with ``prover`` (the same model as a MIP for small regions).
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

_KINDS = ("linear", "at_most_one", "exactly_one", "bool_or")

_INF = 1e30
# HiGHS's simplex_strategy values: the serial dual simplex and the parallel one (SIP)
SIMPLEX_SERIAL = 1
SIMPLEX_PARALLEL = 2
_UNBOUNDED = 2.0**62  # CP-SAT writes an open side as ±(2^63 − 1); HiGHS needs ±inf


class _Rows:
    def __init__(self) -> None:
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.starts: list[int] = []

    def add(self, cols, vals, lo: float, hi: float) -> None:
        self.starts.append(len(self.cols))
        self.cols.extend(cols)
        self.vals.extend(vals)
        self.lo.append(-_INF if lo <= -_UNBOUNDED else lo)
        self.hi.append(_INF if hi >= _UNBOUNDED else hi)


def _literals(lits) -> tuple[list[int], list[float], float]:
    """Σ literal = Σ coef·var + constant (a negated literal ¬x is 1 − x)."""
    cols, vals, constant = [], [], 0.0
    for lit in lits:
        if lit >= 0:
            cols.append(lit)
            vals.append(1.0)
        else:
            cols.append(-lit - 1)
            vals.append(-1.0)
            constant += 1.0
    return cols, vals, constant


@dataclass
class LinearModel:
    """A CP-SAT model as HiGHS arrays: columns (bounds, costs), rows, objective offset.

    ``exact`` is False where reading relaxed the model (a constraint left out, a domain
    with holes widened): its optimum is then a bound only, and its solutions need checking.
    """

    lower: np.ndarray
    upper: np.ndarray
    cost: np.ndarray
    offset: float
    rows: _Rows
    exact: bool
    row_of_constraint: np.ndarray  # model constraint index → row here, or -1 (left out)

    @property
    def n(self) -> int:
        return len(self.cost)


def _message(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a protobuf message (upb): reading it field by field is much faster than
    through ortools' own proto wrapper, which counts on models of 100,000 variables and more."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.pb")
        if not model.export_to_file(path):  # pragma: no cover - a local temp file
            raise OSError("could not export the CP-SAT model")
        message = cp_model_pb2.CpModelProto()
        with open(path, "rb") as f:
            message.ParseFromString(f.read())
    return message


def whole_units_above(value: float, columns: int) -> int:
    """A lower bound computed by HiGHS in floating point, as whole objective units: every
    plan's objective is a whole number of units, so it is rounded up after giving up what
    the tolerances may cost (1e-7 per column for dual feasibility of a 0–1 column, 1e-9 of
    the value for floating-point sums)."""
    slack = 1e-9 * abs(value) + 1e-7 * columns + 1e-6
    return math.ceil(value - slack)


def read_model(model: cp_model.CpModel) -> LinearModel:
    proto = _message(model)
    domains = [list(v.domain) for v in proto.variables]
    n = len(domains)
    cost = np.zeros(n)
    np.add.at(cost, np.array(list(proto.objective.vars), dtype=np.int64),
              np.array(list(proto.objective.coeffs), dtype=float))
    rows = _Rows()
    exact = all(len(d) == 2 for d in domains)
    row_of = np.full(len(proto.constraints), -1, dtype=np.int64)
    for i, c in enumerate(proto.constraints):
        kind = c.WhichOneof("constraint")
        if kind not in _KINDS or len(c.enforcement_literal):
            exact = False
            continue
        row_of[i] = len(rows.lo)
        if kind == "linear":
            domain = list(c.linear.domain)
            exact &= len(domain) == 2
            rows.add(list(c.linear.vars), list(c.linear.coeffs),
                     float(domain[0]), float(domain[-1]))
        else:
            cols, vals, constant = _literals(getattr(c, kind).literals)
            lo = 1.0 - constant if kind in ("exactly_one", "bool_or") else -math.inf
            hi = 1.0 - constant if kind in ("exactly_one", "at_most_one") else math.inf
            rows.add(cols, vals, lo, hi)
    return LinearModel(
        lower=np.array([d[0] for d in domains], dtype=float),
        upper=np.array([d[-1] for d in domains], dtype=float),
        cost=cost,
        offset=float(proto.objective.offset),
        rows=rows,
        exact=exact,
        row_of_constraint=row_of,
    )


def without_costs(lm: LinearModel, columns: Sequence[int]) -> LinearModel:
    """``lm`` with the cost of ``columns`` set to zero (a copy; ``lm`` is unchanged)."""
    cost = lm.cost.copy()
    cost[np.asarray(columns, dtype=np.int64)] = 0.0
    return replace(lm, cost=cost)


def quiet_highs(highspy, time_limit: float):
    """A new ``Highs`` instance: quiet, with a time limit, and the process's thread count
    (``THREADS``): HiGHS fixes its thread count for the whole process at the first run,
    and a later run asking for another fails, so every instance asks for the same."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", THREADS)
    h.setOptionValue("time_limit", max(0.1, float(time_limit)))
    return h


def _threads() -> int:
    """The cores this process may use, at most 8 (HiGHS's own default is half the
    cores: one on a 2-core machine, where the LP's parallel dual simplex then has no
    second thread)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


THREADS = _threads()


def load(highspy, lm: LinearModel, time_limit: float, integer: bool = False):
    """A quiet ``Highs`` instance holding ``lm`` (as a MIP when ``integer``)."""
    h = quiet_highs(highspy, time_limit)
    n, rows = lm.n, lm.rows
    h.addVars(n, lm.lower, lm.upper)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), lm.cost)
    h.changeObjectiveOffset(lm.offset)
    h.addRows(len(rows.lo), np.array(rows.lo), np.array(rows.hi), len(rows.cols),
              np.array(rows.starts, dtype=np.int32), np.array(rows.cols, dtype=np.int32),
              np.array(rows.vals, dtype=float))
    if integer:
        kinds = np.array([highspy.HighsVarType.kInteger] * n)
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), kinds)
    return h


@dataclass(frozen=True)
class LpSolution:
    """An optimal LP relaxation: a value for every column, a dual for every row (HiGHS's
    sign convention: reduced cost = cost − Aᵀ·dual) and the objective. Columns beyond
    the model's variables, and ``rows`` (rule key → row, beyond the model's constraints),
    are those an ``LpSession`` added."""

    values: np.ndarray
    row_dual: np.ndarray
    col_dual: np.ndarray  # reduced costs
    objective: float
    model: LinearModel
    rows: dict[tuple, int] = field(default_factory=dict)
    # Solved with some costs set to zero (``LpSession.start``'s ``free``): the objective
    # is then that of a relaxation, still a lower bound on every plan.
    relaxed: bool = False


def lp_values(
    model: cp_model.CpModel, time_limit: float, stop: Callable[[], bool] = lambda: False
) -> np.ndarray | None:
    """Optimal LP values of every model variable, or None (no HiGHS, no optimum in time)."""
    lp = lp_solution(model, time_limit, stop)
    return None if lp is None else lp.values


def lp_solution(
    model: cp_model.CpModel, time_limit: float, stop: Callable[[], bool] = lambda: False
) -> LpSolution | None:
    """The optimal LP relaxation of ``model``, or None (no HiGHS, no optimum in time)."""
    session = LpSession.start(model, time_limit, stop)
    return None if session is None else session.solution


class LpSession:
    """The LP relaxation of a model held in HiGHS, so that columns can be added and the
    LP re-solved from the last basis (column generation without rebuilding the model).

    HiGHS's thread count is left at its default: it is fixed for the whole process at
    the first solve, and a later solve asking for another count fails. ``stop`` is
    polled during the simplex iterations (Ctrl-C ends the LP at once).
    """

    def __init__(self, highspy, lm: LinearModel, h) -> None:
        self.highspy, self.lm, self.h = highspy, lm, h
        self.rows: dict[tuple, int] = {}  # rows added, by rule key
        self.solution: LpSolution | None = None
        self.free: np.ndarray = np.zeros(0, dtype=np.int64)  # columns whose cost is 0 now

    @classmethod
    def start(cls, model: cp_model.CpModel, time_limit: float,
              stop: Callable[[], bool] = lambda: False,
              free: Sequence[int] = ()) -> LpSession | None:
        """The session with ``model``'s LP solved, or None (no HiGHS, no optimum in time).

        ``free``: columns whose cost is set to zero until ``restore_costs``. Each must have
        a cost ≥ 0 and a lower bound ≥ 0, so that leaving its cost out can only lower the
        objective: the LP is then a relaxation of the model's, and its optimum (and every
        bound priced from its duals) still bounds every plan from below.
        """
        try:
            import highspy
        except ImportError:  # pragma: no cover - highspy is a dependency; stay usable
            return None
        started = time.perf_counter()
        lm = read_model(model)
        left = time_limit - (time.perf_counter() - started)
        if left <= 0.1:
            return None
        h = load(highspy, lm, left)
        # Presolve off: the LP solved faster without it on the benchmark regions, and
        # duals come straight from the simplex. (Interior point with crossover was faster
        # on one large pruned model without pins, but slower on mid-size models and gave
        # worse plans at the time limit on large ones; see benchmarks/results/history.csv.)
        h.setOptionValue("presolve", "off")
        if THREADS > 1:  # the parallel dual simplex: 16 s instead of 21-23 s for the LP
            h.setOptionValue("simplex_strategy", SIMPLEX_PARALLEL)  # of a 1,800-learner region

        def interrupt(event) -> None:
            if stop():
                event.data_in.user_interrupt = True

        h.cbSimplexInterrupt.subscribe(interrupt)
        session = cls(highspy, lm, h)
        session.free = np.asarray(free, dtype=np.int64)
        if len(session.free):
            if (lm.cost[session.free] < 0).any() or (lm.lower[session.free] < 0).any():
                raise ValueError("only columns of non-negative cost and value may be freed")
            h.changeColsCost(len(session.free), session.free.astype(np.int32),
                             np.zeros(len(session.free)))
        return session if session.solve(left) is not None else None

    @property
    def relaxed(self) -> bool:
        """Some costs are left out (``free``): the LP is a relaxation of the model's."""
        return bool(len(self.free))

    def restore_costs(self, time_limit: float) -> LpSolution | None:
        """Give the freed columns their costs back and re-solve from the last basis; the
        solution, or None where it does not finish (the costs stay restored)."""
        free, self.free = self.free, np.zeros(0, dtype=np.int64)
        self.h.changeColsCost(len(free), free.astype(np.int32), self.lm.cost[free])
        return self.solve(time_limit)

    @property
    def columns(self) -> int:
        return int(self.h.getNumCol())

    def solve(self, time_limit: float) -> LpSolution | None:
        """Re-solve (from the last basis); the solution, or None (no optimum in time)."""
        self._limit(time_limit)
        self.h.run()
        if self.h.getModelStatus() != self.highspy.HighsModelStatus.kOptimal:
            self.solution = None
            return None
        sol = self.h.getSolution()
        self.solution = LpSolution(
            values=np.array(sol.col_value), row_dual=np.array(sol.row_dual),
            col_dual=np.array(sol.col_dual),
            objective=float(self.h.getInfo().objective_function_value), model=self.lm,
            rows=dict(self.rows), relaxed=self.relaxed)
        return self.solution

    def serial(self) -> None:
        """Solve with the serial dual simplex from now on: in a forked child process
        (``columns._bound_rounds``) HiGHS's worker threads are not there, and its
        parallel simplex waits for them for ever."""
        self.h.setOptionValue("simplex_strategy", SIMPLEX_SERIAL)

    def _limit(self, seconds: float) -> None:
        """Let the next run take ``seconds``: HiGHS's time limit counts its run clock,
        which goes on from one run of the same instance to the next (a warm re-solve would
        otherwise lose the time the earlier runs spent)."""
        self.h.setOptionValue("time_limit", float(self.h.getRunTime() + max(0.1, seconds)))

    def minimum_of(self, cost: np.ndarray, time_limit: float) -> float | None:
        """The LP's optimum under another objective (``cost`` per column, no offset),
        re-solved from the last basis; None where it does not finish. The session's
        objective is changed for good."""
        solution = self.solve_for(cost, time_limit)
        return None if solution is None else solution.objective

    def solve_for(self, cost: np.ndarray, time_limit: float) -> LpSolution | None:
        """The LP's solution, duals included, under another objective (as ``minimum_of``)."""
        n = self.columns
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(cost, dtype=float))
        self.h.changeObjectiveOffset(0.0)
        return self.solve(time_limit)

    def add_columns(self, cost: np.ndarray, starts: np.ndarray, index: np.ndarray,
                    value: np.ndarray) -> np.ndarray:
        """Binary columns in [0, 1] with these costs and (CSC) row entries; their indices."""
        first, n = self.columns, len(cost)
        self.h.addCols(n, np.asarray(cost, dtype=float), np.zeros(n), np.ones(n), len(index),
                       np.asarray(starts, dtype=np.int32), np.asarray(index, dtype=np.int32),
                       np.asarray(value, dtype=float))
        return np.arange(first, first + n)

    def add_rows(self, rows: list[tuple[tuple, list[int]]], upper: float) -> None:
        """Σ columns ≤ upper for each (rule key, columns) in ``rows``, registered under its
        key. In one call: each addRow call has a fixed cost in HiGHS, which adds up to
        seconds for the many thousands of rows of a large region."""
        if not rows:
            return
        first = int(self.h.getNumRow())
        starts: list[int] = []
        index: list[int] = []
        for i, (key, columns) in enumerate(rows):
            self.rows[key] = first + i
            starts.append(len(index))
            index.extend(columns)
        n = len(rows)
        self.h.addRows(n, np.full(n, -_INF), np.full(n, float(upper)), len(index),
                       np.asarray(starts, dtype=np.int32), np.asarray(index, dtype=np.int32),
                       np.ones(len(index)))
