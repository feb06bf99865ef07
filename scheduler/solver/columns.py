"""Column generation over the pruned candidates: pruned triples the LP wants come back.

The pruned model's LP relaxation is solved by HiGHS (``relaxation.LpSession``) and every
candidate is priced against its duals (``pricing``). Triples with a negative reduced
cost are added to the LP held in HiGHS as new columns, and the LP is re-solved from its
last basis, which is much faster than rebuilding the model and solving again (M: a
round took ~5 s rebuilt, ~0.5 s in place; L's first LP alone takes 20–30 s on the 2-core
VM). A column joins rows the model already has: its placement, its capacity class or
capacity cells, distinct departments, the Carrousel at home, required sectors and its
organisation's hosted months, with the coefficients ``pricing`` restates; ``price``
checks them on every round against HiGHS's own reduced costs of the columns held, so a
wrong column is caught before its prices are used.

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

from .model import TRIPLE_FIELDS, BuildContext, Candidates, combined_cost, reassemble
from .pricing import price
from .relaxation import LpSession, LpSolution
from .rules import carrousel

# Pruned triples added back per round: every one with a negative reduced cost, up to this
# share of the model's size (M: all 24,717 in the first round brought the LP within
# 0.002 % of the unpruned LP; three per placement and round needed three rounds for 0.06 %).
ENTERING_SHARE = 0.5
ROUND_FACTOR = 2.5  # a re-assembly and a fresh LP cost about this many LP solves
RESERVE_FACTOR = 1.2  # the final re-assembly, per the last assembly's time
FIRST_WARM_SHARE = 0.5  # a warm re-solve's time, before one is measured, per fresh LP's


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
                     stop: Callable[[], bool] = lambda: False) -> np.ndarray | None:
    """Column generation over the pruned candidates, within ``time_limit`` seconds.

    Leaves ``ctx.pricing`` settled for the final model and returns the last LP's value
    per triple of that model (None: no LP solved).
    """
    started = time.perf_counter()

    def left() -> float:
        return time_limit - (time.perf_counter() - started)

    n = len(ctx.all_triples().t_row)
    values: np.ndarray | None = None
    rounds = added = 0
    while not stop():
        lp_start = time.perf_counter()
        session = LpSession.start(ctx.model, left(), stop)
        if session is None or session.solution is None:
            break
        fresh = time.perf_counter() - lp_start
        lp, held = session.solution, _Held.of_model(ctx, n)
        warm = FIRST_WARM_SHARE * fresh
        while True:
            priced = price(ctx, lp, held.held, held.column)
            if priced is None:
                break
            ctx.pricing, values = priced, held.values(lp)
            enter = priced.entering(int(ENTERING_SHARE * int(held.held.sum())) + 1)
            inside = enter[_addable(ctx, enter)]
            if not len(inside) or left() < 1.5 * warm + _reserve(ctx) or stop():
                break
            round_start = time.perf_counter()
            held.column[inside] = _add_columns(ctx, session, inside)
            held.held[inside] = True
            _add_distinct_rows(ctx, session, held, inside)
            added += len(inside)
            again = session.solve(left())
            if again is None:
                break
            lp, warm = again, time.perf_counter() - round_start
            rounds += 1
        outside = (ctx.pricing.entering(1) if ctx.pricing is not None
                   else np.zeros(0, dtype=np.int64))
        if (not len(outside) or priced is None or left() < ROUND_FACTOR * fresh
                or stop()):
            break
        keep = held.held.copy()  # a fresh model with the triples that need new rows
        keep[ctx.pricing.entering(int(ENTERING_SHARE * int(keep.sum())) + 1)] = True
        reassemble(ctx, keep)
        rounds += 1
    ctx.stats["pricing_rounds"] = rounds
    ctx.stats["pricing_columns_added"] = added
    return _finish(ctx, values, left, stop)


def _finish(ctx: BuildContext, values: np.ndarray | None, left: Callable[[], float],
            stop: Callable[[], bool]) -> np.ndarray | None:
    """Re-assemble with every column the LP held (time permitting), settle the pricing
    for the final model and free the candidates; the LP values of its triples."""
    if ctx.pricing is not None:
        ctx.stats["pricing_lagrangian"] = ctx.pricing.lagrangian
        lp_held = ctx.pricing.held
        model_held = ctx.keep if ctx.keep is not None else lp_held
        if (lp_held != model_held).any() and not stop() and left() > _reserve(ctx):
            reassemble(ctx, lp_held.copy())
        held = ctx.keep if ctx.keep is not None else lp_held
        ctx.pricing = ctx.pricing.settle(held)
    out = None
    if values is not None:
        out = values[ctx.keep] if ctx.keep is not None else values
    ctx.release_candidates()
    return out


def _reserve(ctx: BuildContext) -> float:
    """Time kept for the final re-assembly: the guided plan needs the LP's columns in the
    model (M at 10 s without it: −13,339 instead of −13,975)."""
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
    out: list[tuple[tuple, float]] = [(("placement", r), 1.0)]
    if present and ("class", d, present) in keys:
        out.append((("class", d, present), -1.0))
    elif all(("cell", d, m) in keys for m in present):
        out += [(("cell", d, m), 1.0) for m in present]
    else:
        return None
    out.append((("distinct", li, d), 1.0))
    if _at_home(ix, li, d):
        if ("carrousel", li) not in keys:
            return None
        out.append((("carrousel", li), 1.0))
    out.append((("sector", li, ix.dept_sector[d]), 1.0))
    out.append((("hosted", int(ix.dept_org[d])), -float(len(present))))
    return out


def _distinct(ix, li: int) -> bool:
    return (len(ix.rows_of[li]) > 1
            and ix.scenario.learner_programme(ix.learners[li]).distinct_departments)


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
              and ("distinct", k // n_dept, k % n_dept) not in ctx.row_index
              and ("distinct", k // n_dept, k % n_dept) not in session.rows}
    if not wanted:
        return
    inside = np.nonzero(held.held)[0]
    key = learner_of[every.t_row[inside]] * n_dept + every.t_dept[inside]
    mine = np.isin(key, np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
    groups: dict[int, list[int]] = {}
    for k, t in zip(key[mine].tolist(), inside[mine].tolist(), strict=True):
        groups.setdefault(k, []).append(int(held.column[t]))
    for k, cols in sorted(groups.items()):
        if len(cols) > 1:
            session.add_row(("distinct", k // n_dept, k % n_dept), cols, 1.0)
