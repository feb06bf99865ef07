"""Column generation over the pruned candidates: pruned triples the LP wants come back.

The pruned model's LP relaxation is solved by HiGHS (``relaxation.LpSession``) and every
candidate is priced against its duals (``pricing``). Triples with a negative reduced cost
are added to the LP held in HiGHS as new columns, and the LP is re-solved from its last
basis, which is much faster than rebuilding the model and solving again (on large regions
the first LP alone takes a good share of the time limit). A column joins rows the model
already has: its placement, its capacity class or capacity cells, distinct departments,
the Carrousel at home, required sectors and its organisation's hosted months, with the
coefficients ``pricing`` restates; ``price`` checks them on every round against HiGHS's
own reduced costs of the columns held, so a wrong column is caught before its prices are
used.

A triple that would need a row the model does not have (a capacity cell that could not
bind before, a second department of a learner with distinct departments, a first
Carrousel row) is not added in place; when only such triples are left, the model is
re-assembled with them and the LP solved afresh. At the end the model is re-assembled
once with every column the LP holds, when that fits in the time left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ...models.objective import OBJECTIVE_SCALE
from ..cpsat.model import TRIPLE_FIELDS, BuildContext, Candidates, combined_cost, reassemble
from ..cpsat.objectives import fair_share_columns
from ..rules import capacity, carrousel, distinct_departments, placement, required_sectors
from . import child
from .pricing import Pricing, fewest_unplaced, hosted_prices, price
from .relaxation import LpSession, LpSolution, whole_units_above

DISTINCT = distinct_departments.ROWS[0]

# Pruned triples added back per round: every one with a negative reduced cost, up to this
# share of the model's size: taking them all brought the LP close to the unpruned LP in
# one round, where a few per placement and round needed more rounds and stayed further off.
ENTERING_SHARE = 0.5
ROUND_FACTOR = 2.5  # a re-assembly and a fresh LP cost about this many LP solves
RESERVE_FACTOR = 1.2  # the final re-assembly, per the last assembly's time
FIRST_WARM_SHARE = 0.5  # a warm re-solve's time, before one is measured, per fresh LP's
# On large regions the first LP leaves the fair-share costs out (a relaxation: the
# deviations cost ≥ 0) and gets them back from its basis where that fits: the fair-share
# term is what makes this LP slow: without it the LP is several times faster, and restoring
# it from the relaxed basis takes about RESTORE_FACTOR times the relaxed LP's time.
RESTORE_FACTOR = 4.0
# Only from this many learners free to place: below it the whole LP is fast and leaving the
# costs out first is slower in all (the relaxed LP and the restoring together take longer
# than the whole LP), and the plans that the relaxed LP guides weigh fair share too little
# (see benchmarks/README.md).
RELAXED_LP_LEARNERS = 1_000
# ... and only where the LP's time is short for their number: with more, the whole LP fits
# and guides better (on the largest benchmark region at a long limit the relaxed LP left
# no time to restore the costs and its plan was much worse; see benchmarks/README.md).
# Below this, the whole LP does not fit in its time.
RELAXED_LP_SECONDS_PER_LEARNER = 0.025
# A warm re-solve after adding columns gets at most this many times the first LP's time
# (it usually needs well under that). Where many columns came in it may take far longer:
# the columns then join the model without their LP values,
# and the time goes to the plan instead.
ROUND_LIMIT = 1.0
# Where the model was priced by the Lagrangian multipliers, the LP gets no round in the
# planner's time: rounds for the bound alone go on in a child process (``_bound_rounds``)
# where at least this many times the first LP's time is left, and up to this many
# candidates (on larger regions a second process holding the LP would pass the memory
# the largest allow). On a 1,800-learner region (2-core VM) a serial warm round took
# 13-14 s alone after a serial first LP of 18-22 s, whatever the number of columns (2,000
# or 11,757), and brought the priced bound from −45,210 to −44,478 to −44,539 against
# −44,464 for the whole LP; beside the planner in 60 s runs, it ended 21-26 s after the
# child started, 1.4-1.7 times the (parallel) first LP's time.
BOUND_ROUND_FACTOR = 0.6
BOUND_ROUNDS_MOST = 6_000_000
# After the last round, the LP re-solved for the fewest unplaced learners (from its basis)
# gets at most this many times the first LP's time (the minimum at least, where that is
# left): it gives the placed-count bound of pruned models (``_placed_upper``).
UNPLACED_LP_FACTOR = 1.0
UNPLACED_LP_MIN_SECONDS = 0.2
# Where the LP left the fair-share costs out for want of time, no round is tried at all:
# the priced columns join the re-assembled model without LP values (there a round could
# not finish in its time, and what it cost could leave no time for the re-assembly, with
# fewer learners placed).


@dataclass
class _Held:
    """The triples the LP holds (over the candidates) and each one's LP column."""

    held: np.ndarray
    column: np.ndarray  # −1: not in the LP

    @classmethod
    def of_model(cls, ctx: BuildContext, n: int) -> _Held:
        held = ctx.keep.copy() if ctx.keep is not None else np.ones(n, dtype=bool)
        column = np.full(n, -1, dtype=np.int64)
        column[held] = [x.index for x in ctx.x]
        return cls(held, column)

    def values(self, lp: LpSolution) -> np.ndarray:
        """The LP's value of every candidate (0 where it holds none)."""
        out = np.zeros(len(self.held))
        inside = (self.column >= 0) & (self.column < len(lp.values))
        out[inside] = lp.values[self.column[inside]]
        return out


def generate_columns(ctx: BuildContext, time_limit: float,
                     stop: Callable[[], bool] = lambda: False,
                     rounds_until: float = 0.0) -> np.ndarray | None:
    """Column generation over the pruned candidates, within ``time_limit`` seconds.

    Leaves ``ctx.pricing`` settled for the final model and returns the last LP's value
    per triple of that model (None: no LP solved). Where the model was priced by the
    Lagrangian multipliers (no rounds here), rounds for the bound alone may go on in a
    child process until ``rounds_until`` (a ``time.perf_counter()`` time; ``ctx.lp_rounds``).
    """
    started = time.perf_counter()

    def left() -> float:
        return time_limit - (time.perf_counter() - started)

    n = len(ctx.all_triples().t_row)
    values: np.ndarray | None = None
    held: _Held | None = None
    session: LpSession | None = None
    fresh = 0.0
    rounds = added = 0
    while not stop():
        lp_start = time.perf_counter()
        free = [] if ctx.lagrangian_priced else _relaxed_costs(ctx, left())
        session = LpSession.start(ctx.model, left(), stop, free=free)
        if session is None or session.solution is None:
            break
        session_model = ctx.model
        fresh = time.perf_counter() - lp_start
        lp, held = session.solution, _Held.of_model(ctx, n)
        lp = _restore_costs(ctx, session, fresh, left, stop) or lp
        warm = FIRST_WARM_SHARE * fresh
        while True:
            priced = price(ctx, lp, held.held, held.column)
            if priced is None:
                break
            ctx.pricing, values, ctx.lp_relaxed = priced, held.values(lp), lp.relaxed
            ctx.hosted_price = hosted_prices(ctx, lp)
            if session.solution is None:
                break  # the fair-share costs did not come back in time: the relaxed LP stays
            if ctx.lagrangian_priced:
                # the model holds what the whole LP wants: no round here, the bound's
                # rounds go on in a child process (``_bound_rounds``)
                ctx.lp_rounds = _start_bound_rounds(ctx, session, held, priced, fresh,
                                                    rounds_until - time.perf_counter())
                break
            enter = priced.entering(_entering_most(held))
            if lp.relaxed:  # short on time (``_relaxed_costs``): no rounds, the columns
                held.held[enter] = True  # join the model unsolved (``_finish``)
                ctx.stats["pricing_columns_unsolved"] = len(enter)
                break
            inside = enter[_addable(ctx, enter)]
            if not len(inside) or left() < 1.5 * warm + _reserve(ctx) or stop():
                break
            round_start = time.perf_counter()
            added += len(inside)
            again = _round(ctx, session, held, inside,
                           min(left() - _reserve(ctx), ROUND_LIMIT * fresh))
            if again is None:
                break
            lp, warm = again, time.perf_counter() - round_start
            rounds += 1
        outside = (ctx.pricing.entering(1) if ctx.pricing is not None
                   else np.zeros(0, dtype=np.int64))
        if (not len(outside) or priced is None or session.solution is None
                or ctx.lagrangian_priced or left() < ROUND_FACTOR * fresh or stop()):
            break  # (a re-solve that did not finish: its columns still join the model)
        keep = held.held.copy()  # a fresh model with the triples that need new rows
        keep[ctx.pricing.entering(int(ENTERING_SHARE * int(keep.sum())) + 1)] = True
        reassemble(ctx, keep)
        rounds += 1
    ctx.stats["pricing_rounds"] = rounds
    ctx.stats["pricing_columns_added"] = added
    if session is not None and held is not None and ctx.model is session_model:
        _placed_upper(ctx, session, held, UNPLACED_LP_FACTOR * fresh, left, stop)
    return _finish(ctx, values, None if held is None else held.held, left, stop)


def _entering_most(held: _Held) -> int:
    return int(ENTERING_SHARE * int(held.held.sum())) + 1


def _round(ctx: BuildContext, session: LpSession, held: _Held, inside: np.ndarray,
           seconds: float) -> LpSolution | None:
    """The addable candidates ``inside`` join the LP, which is re-solved from its basis
    in at most ``seconds``; its solution (None: not in time)."""
    held.column[inside] = _add_columns(ctx, session, inside)
    held.held[inside] = True
    _add_distinct_rows(ctx, session, held, inside)
    return session.solve(seconds)


def _start_bound_rounds(ctx: BuildContext, session: LpSession, held: _Held,
                        priced: Pricing, fresh: float, seconds: float) -> child.Background | None:
    """The rounds of ``_bound_rounds`` in a child process for ``seconds``, where at least
    ``BOUND_ROUND_FACTOR`` times the first LP's time (``fresh``) is left and the
    candidates are few enough that a second process stays within the memory the largest
    regions allow; None otherwise."""
    if (seconds < BOUND_ROUND_FACTOR * fresh or len(priced.reduced_cost) > BOUND_ROUNDS_MOST
            or not len(priced.entering(1))):
        return None
    return child.Background.start(_bound_rounds, ctx, session, held, priced, seconds)


def _bound_rounds(ctx: BuildContext, session: LpSession, held: _Held, priced: Pricing,
                  seconds: float, conn) -> None:
    """Column-generation rounds for the bound alone (in a child process): the candidates
    the last LP prices below zero join it, it is re-solved, every candidate is priced
    again, and the priced bound (whole units) is sent after each round, until none
    prices below zero, the time is up or the parent says stop. The plan never sees these
    columns."""
    ends = time.perf_counter() + seconds
    rounds = 0
    session.serial()
    while not conn.poll():
        enter = priced.entering(_entering_most(held))
        inside = enter[_addable(ctx, enter)]
        left = ends - time.perf_counter()
        if not len(inside) or left <= 0:
            return
        lp = _round(ctx, session, held, inside, left)
        again = None if lp is None else price(ctx, lp, held.held, held.column)
        if again is None:
            return
        priced, rounds = again, rounds + 1
        conn.send((float(whole_units_above(priced.lagrangian, len(priced.reduced_cost))),
                   rounds))


def _placed_upper(ctx: BuildContext, session: LpSession, held: _Held, most: float,
                  left: Callable[[], float], stop: Callable[[], bool]) -> None:
    """The most learners any plan of the unpruned model can place (``ctx.placed_upper``):
    the last LP re-solved for the fewest unplaced learners alone, in at most ``most``
    seconds, and priced with zero triple costs (``pricing.fewest_unplaced``)."""
    seconds = min(max(most, UNPLACED_LP_MIN_SECONDS), left() - _reserve(ctx))
    if stop() or seconds < UNPLACED_LP_MIN_SECONDS:
        return
    cost = np.zeros(session.columns)
    cost[ctx.unplaced_columns()] = 1.0
    started = time.perf_counter()
    lp = session.solve_for(cost, seconds)
    ctx.stats["unplaced_lp_seconds"] = round(time.perf_counter() - started, 3)
    in_lp = held.column >= 0
    fewest = None if lp is None else fewest_unplaced(ctx, lp, in_lp, held.column)
    if fewest is None:
        return
    ctx.bound_placed(len(ctx.ix.learners) - whole_units_above(fewest, len(in_lp)), "lp-priced")


def _relaxed_costs(ctx: BuildContext, seconds: float) -> list[int]:
    """The columns whose costs the first LP leaves out: the fair-share deviations, where
    enough learners are free to move that this term makes the LP slow, and the LP's time
    is short for that many."""
    free = sum(u is not None for u in ctx.u) - int(ctx.ix.forced_unplaced.sum())
    if free < RELAXED_LP_LEARNERS or seconds >= RELAXED_LP_SECONDS_PER_LEARNER * free:
        return []
    return fair_share_columns(ctx)


def _restore_costs(ctx: BuildContext, session: LpSession, fresh: float,
                   left: Callable[[], float], stop: Callable[[], bool]) -> LpSolution | None:
    """The LP with the fair-share costs back, where it was solved without them and is
    expected to finish in the time left; None otherwise (the relaxed LP stays; where it was
    tried and did not finish, ``session.solution`` is None)."""
    if not session.relaxed or stop() or left() - _reserve(ctx) < RESTORE_FACTOR * fresh:
        return None
    return session.restore_costs(left() - _reserve(ctx))


def _finish(ctx: BuildContext, values: np.ndarray | None, lp_held: np.ndarray | None,
            left: Callable[[], float], stop: Callable[[], bool]) -> np.ndarray | None:
    """Re-assemble with every column the LP held (``lp_held``; time permitting), settle
    the pricing for the final model and free the candidates; the LP values of its
    triples (0 for columns the last LP solved did not have)."""
    if ctx.pricing is not None and lp_held is not None:
        ctx.stats["pricing_lagrangian"] = ctx.pricing.lagrangian / OBJECTIVE_SCALE
        model_held = ctx.keep if ctx.keep is not None else lp_held
        if (lp_held & ~model_held).any() and not stop() and left() > _reserve(ctx):
            reassemble(ctx, lp_held | model_held)
        held = ctx.keep if ctx.keep is not None else lp_held
        ctx.pricing = ctx.pricing.settle(held)
    out = None
    if values is not None:
        out = values[ctx.keep] if ctx.keep is not None else values
    ctx.release_candidates()
    return out


def _reserve(ctx: BuildContext) -> float:
    """Time kept for the final re-assembly: the guided plan needs the LP's columns in the
    model; without them its plans were clearly worse at short time limits."""
    return RESERVE_FACTOR * ctx.stats.get("assemble_seconds", 0.0)


def _addable(ctx: BuildContext, idx: np.ndarray) -> np.ndarray:
    """Per candidate in ``idx``: every row it joins is in the model already, or is a row
    of distinct departments (added with it, ``_add_distinct_rows``)."""
    return np.array([_joins(ctx, t) is not None for t in idx.tolist()], dtype=bool)


def _joins(ctx: BuildContext, t: int) -> list[tuple[tuple, float]] | None:
    """The rule keys candidate t joins, with its coefficients, as ``pricing`` restates
    them: placement +1, capacity class −1 or cells +1, distinct +1, Carrousel at home +1,
    sector +1, hosted −months. None where it needs a capacity or Carrousel row the model
    lacks (keys of other families that are missing are rows it need not join)."""
    every, ix, keys = ctx.all_triples(), ctx.ix, ctx.row_index
    r, d = int(every.t_row[t]), int(every.t_dept[t])
    li, present = ix.rows[r].learner, ix.rows[r].present
    out: list[tuple[tuple, float]] = [((placement.ROWS[0], r), 1.0)]
    if present and (capacity.CLASS, d, present) in keys:
        out.append(((capacity.CLASS, d, present), -1.0))
    elif all((capacity.CELL, d, m) in keys for m in present):
        out += [((capacity.CELL, d, m), 1.0) for m in present]
    else:
        return None
    out.append(((distinct_departments.ROWS[0], li, d), 1.0))
    if _at_home(ix, li, d):
        if (carrousel.ROWS[0], li) not in keys:
            return None
        out.append(((carrousel.ROWS[0], li), 1.0))
    out.append(((required_sectors.ROWS[0], li, ix.dept_sector[d]), 1.0))
    out.append((("hosted", int(ix.dept_org[d])), -float(len(present))))
    return out


def _distinct(ix, li: int) -> bool:
    return len(ix.rows_of[li]) > 1 and distinct_departments.applies(ix, li)


def _at_home(ix, li: int, d: int) -> bool:
    return (carrousel.away_needed(ix, li) > 0
            and ix.dept_org[d] == carrousel.home_index(ix, li))


def _add_columns(ctx: BuildContext, session: LpSession, idx: np.ndarray) -> np.ndarray:
    """Add the (addable) candidates ``idx`` to the LP; their new column indices."""
    every = ctx.all_triples()
    rows_of_key = session.lm.row_of_constraint

    def row(key: tuple) -> int:
        if key in session.rows:
            return session.rows[key]
        c = ctx.row_index.get(key)
        return -1 if c is None else int(rows_of_key[c])

    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for t in idx.tolist():
        starts.append(len(index))
        for key, v in _joins(ctx, t) or ():
            i = row(key)
            if i >= 0 and v != 0.0:
                index.append(i)
                value.append(v)
    cost = combined_cost(ctx.coefficients,
                         Candidates(*(getattr(every, name)[idx] for name in TRIPLE_FIELDS)))
    return session.add_columns(cost, np.array(starts), np.array(index), np.array(value))


def _add_distinct_rows(ctx: BuildContext, session: LpSession, held: _Held,
                       added: np.ndarray) -> None:
    """At most one of a learner's placements in a department, where columns just added
    make two or more and neither the model nor the LP has that row yet."""
    every, ix = ctx.all_triples(), ctx.ix
    n_dept = len(ix.departments)
    learner_of = ix.row_learner()
    wanted = {int(learner_of[every.t_row[t]]) * n_dept + int(every.t_dept[t])
              for t in added.tolist()}
    wanted = {k for k in wanted if _distinct(ix, k // n_dept)
              and (DISTINCT, k // n_dept, k % n_dept) not in ctx.row_index
              and (DISTINCT, k // n_dept, k % n_dept) not in session.rows}
    if not wanted:
        return
    inside = np.nonzero(held.held)[0]
    key = learner_of[every.t_row[inside]] * n_dept + every.t_dept[inside]
    mine = np.isin(key, np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
    groups: dict[int, list[int]] = {}
    for k, t in zip(key[mine].tolist(), inside[mine].tolist(), strict=True):
        groups.setdefault(k, []).append(int(held.column[t]))
    session.add_rows([((DISTINCT, k // n_dept, k % n_dept), cols)
                      for k, cols in sorted(groups.items()) if len(cols) > 1], 1.0)
