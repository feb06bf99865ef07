"""Placing the learners a greedy plan left out, by moving placed learners aside.

A greedy plan books learners one by one; a learner booked early may take the last place a
later learner needed although it had room elsewhere. On busy regions this leaves many
learners out that a plan can hold. For each learner left out, ``repair`` searches its
placements in candidate order as the greedy does, but may take a department whose months
are full by evicting one placed learner whose placement there covers every full month.
The evicted learner is placed again the same way, evicting at most one more (a chain of
``CHAIN_DEPTH`` moves); the last one must find room as it is. A repair is kept only where
the whole chain succeeds and the objective improves (the unplaced cost saved exceeds the
extra placement costs), so it never places fewer learners and never costs more.

Then, with the search nodes left, placed learners are *moved* where that is cheaper
(``_improve_pass``): each movable learner's placements are released and searched again
in candidate order, with room as it is or by evicting one learner (who is placed again
as it is), kept only where the placement costs, the evicted learner's included, plus the
change of the fair-share term go down (moves keep every learner placed, so the total of
hosted months, and with it every organisation's share, stays as it is).
The moves improve whole solves on mid-size and large regions; weighing the fair-share term
keeps fewer moves than placement costs alone would, but only those that pay (see
benchmarks/README.md and benchmarks/results/history.csv).

Pinned and frozen learners are never evicted nor moved. Capacity, the Carrousel, distinct
departments and required sectors hold as in the greedy; the fair-share tolerance is
CP-SAT's to enforce, as for the greedy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..index import Index
from .fair_share_tracker import FairShare
from .placement_search import FORCED_NODE_LIMIT, NODE_LIMIT, search_placements

COST_EPSILON = 1e-9  # a move must save more than rounding
EVICTION_CHOICES = 3  # evictable occupants tried per (placement, department)
CHAIN_DEPTH = 2  # evictions in one repair: the learner placed moves one, which moves one
# Search nodes for one learner's repair, its whole chain included, by chain depth
REPAIR_NODES = {1: 200, 2: 5_000}
# Search nodes for moving one placed learner, by chain depth (0: no eviction)
MOVE_NODES = {0: 50, 1: 200}


@dataclass
class Booking:
    """A plan being repaired: each row's department, the capacity left, and a journal
    of bookings so that any repair can be rolled back."""

    chosen: dict[int, int]  # row → department
    remaining: np.ndarray  # departments × months
    present: list[np.ndarray]  # per row, its present months
    at: dict[int, set[int]] = field(default_factory=dict)  # department → rows there
    journal: list[tuple[bool, int, int]] = field(default_factory=list)  # (booked, r, d)

    def book(self, r: int, d: int) -> None:
        self._book(r, d)
        self.journal.append((True, r, d))

    def release(self, r: int) -> int:
        d = self._release(r)
        self.journal.append((False, r, d))
        return d

    def rollback(self, mark: int) -> None:
        """Undo every booking and release since the journal had ``mark`` entries."""
        while len(self.journal) > mark:
            booked, r, d = self.journal.pop()
            if booked:
                self._release(r)
            else:
                self._book(r, d)

    def _book(self, r: int, d: int) -> None:
        self.chosen[r] = d
        self.at.setdefault(d, set()).add(r)
        if len(self.present[r]):
            self.remaining[d, self.present[r]] -= 1

    def _release(self, r: int) -> int:
        d = self.chosen.pop(r)
        self.at[d].discard(r)
        if len(self.present[r]):
            self.remaining[d, self.present[r]] += 1
        return d


@dataclass
class _Repair:
    ix: Index
    cands: list[list[int]]
    costs: list[np.ndarray]
    plan: Booking
    away_needed: Callable[[int], int]
    sectors_needed: Callable[[int], set[str]]
    row_learner: np.ndarray
    nodes: int = 0  # search nodes left for the current learner's repair
    budget: int = 0  # search nodes left for the whole repair, beyond ``nodes``

    def cost(self, r: int, d: int) -> float:
        return float(self.costs[r][self.cands[r].index(d)])

    def search(self, li: int, depth: int, nodes: int) -> float | None:
        """``place`` learner li with at most ``nodes`` of the budget; what it leaves unused
        goes back."""
        self.nodes = min(nodes, self.budget)
        self.budget -= self.nodes
        cost = self.place(li, depth, frozenset())
        self.budget += max(self.nodes, 0)
        return cost

    def place(self, li: int, depth: int, taboo: frozenset[int]) -> float | None:
        """Book learner li (unplaced), evicting at most one learner outside ``taboo`` if
        ``depth`` > 0, who is then placed at ``depth`` − 1. Returns the cost of li's
        placements plus the evicted learner's change of cost, or None (nothing booked)."""
        ix, plan = self.ix, self.plan
        evicted: list[int] = []
        freed: dict[tuple[int, int], int] = {}
        found: list[float] = []

        def short(r: int, d: int) -> list[int]:
            """The months of row r that department d cannot take, evictions counted."""
            return [m for m in plan.present[r].tolist()
                    if plan.remaining[d, m] + freed.get((d, m), 0) < 1]

        def shift(e: int, sign: int) -> None:
            for r in ix.rows_of[e]:
                for m in plan.present[r].tolist():
                    key = (plan.chosen[r], m)
                    freed[key] = freed.get(key, 0) + sign

        def claim(r: int, d: int):
            months = plan.present[r].tolist()
            for m in months:
                freed[(d, m)] = freed.get((d, m), 0) - 1

            def undo() -> None:
                for m in months:
                    freed[(d, m)] += 1

            return undo

        def place(r: int, d: int):
            self.nodes -= 1
            if self.nodes < 0:
                return None
            full = short(r, d)
            if not full:
                return claim(r, d)
            if evicted or depth == 0:
                return None
            for e in self._evictable(d, full, taboo | {li}):
                evicted.append(e)
                shift(e, +1)
                if not short(r, d):
                    undo_claim = claim(r, d)

                    def undo(e=e, undo_claim=undo_claim) -> None:
                        undo_claim()
                        shift(e, -1)
                        evicted.pop()

                    return undo
                shift(e, -1)
                evicted.pop()
            return None

        def accept(picks: list[tuple[int, int]]) -> bool:
            mark = len(plan.journal)
            cost = 0.0
            for e in evicted:
                for r in ix.rows_of[e]:
                    cost -= self.cost(r, plan.release(r))
            for r, d in picks:
                plan.book(r, d)
                cost += self.cost(r, d)
            for e in evicted:
                moved = self.place(e, depth - 1, taboo | {li})
                if moved is None:
                    plan.rollback(mark)
                    return False
                cost += moved
            found.append(cost)
            return True

        limit = FORCED_NODE_LIMIT if ix.forced_placed[li] else NODE_LIMIT
        picks = search_placements(ix, li, self.cands, self.away_needed(li),
                                  self.sectors_needed(li), limit, place, accept)
        return None if picks is None else found[-1]

    def _evictable(self, d: int, full: list[int], taboo: frozenset[int]):
        """Movable placed learners outside ``taboo`` whose row in d covers every full
        month, at most EVICTION_CHOICES of them."""
        found = 0
        need = set(full)
        for r in sorted(self.plan.at.get(d, ())):
            e = int(self.row_learner[r])
            if e in taboo or self.ix.forced_placed[e] or not need <= set(
                    self.plan.present[r].tolist()):
                continue
            yield e
            found += 1
            if found == EVICTION_CHOICES:
                return


def repair(
    ix: Index,
    cands: list[list[int]],
    costs: list[np.ndarray],
    chosen: dict[int, int],
    remaining: np.ndarray,
    away_needed: Callable[[int], int],
    sectors_needed: Callable[[int], set[str]],
    unplaced_cost: np.ndarray,
    order: list[int],
    nodes: int,
    stop: Callable[[], bool] = lambda: False,
    fair: FairShare | None = None,
    moves: bool = True,
) -> int:
    """Place as many of the unplaced learners in ``order`` as chains of evictions allow,
    within ``nodes`` search nodes (a work budget, not a clock: the plan does not depend
    on the machine's speed); ``chosen`` (row → department) and ``remaining``
    (capacity left) are updated in place. ``cands[r]``/``costs[r]``: row r's candidate
    departments and their objective costs; ``unplaced_cost[li]``: that of leaving
    learner li out; ``stop`` (Ctrl-C) ends it between learners; ``fair``: the fair-share
    term's weights, for moving placed learners; ``moves``: move them at all. Returns how
    many learners it placed."""
    present = [np.array(r.present, dtype=np.int64) for r in ix.rows]
    plan = Booking(chosen, remaining, present)
    for r, d in chosen.items():
        plan.at.setdefault(d, set()).add(r)
    work = _Repair(ix, cands, costs, plan, away_needed, sectors_needed, ix.row_learner())
    work.budget = nodes
    placed = 0
    for depth in range(1, CHAIN_DEPTH + 1):  # short chains are cheap: all of them first
        last = -1
        while placed > last and work.budget > 0 and not stop():  # passes make room
            last = placed
            placed += _pass(work, order, depth, unplaced_cost, stop)
    fairness = _Fairness.of_plan(work, fair)
    moved = int(moves)
    while moved and work.budget > 0 and not stop():  # each pass may make room for more
        moved = sum(_improve_pass(work, order, depth, fairness, stop) for depth in MOVE_NODES)
    return placed


def _pass(work: _Repair, order: list[int], depth: int, unplaced_cost: np.ndarray,
          stop: Callable[[], bool]) -> int:
    ix, plan = work.ix, work.plan
    placed = 0
    for li in order:
        if work.budget <= 0 or stop():
            break
        if ix.forced_unplaced[li] or not ix.rows_of[li] or ix.rows_of[li][0] in plan.chosen:
            continue
        mark = len(plan.journal)
        cost = work.search(li, depth, REPAIR_NODES[depth])
        if cost is not None and cost < unplaced_cost[li]:
            placed += 1
        else:
            plan.rollback(mark)
        plan.journal.clear()
    return placed


@dataclass
class _Fairness:
    """The fair-share term of the plan being improved: each organisation's hosted
    learner-months and their total (which moves keep)."""

    fair: FairShare | None
    hosted: np.ndarray
    total: int

    @classmethod
    def of_plan(cls, work: _Repair, fair: FairShare | None) -> _Fairness:
        hosted = np.zeros(len(work.ix.organisations), dtype=np.int64)
        for r, d in work.plan.chosen.items():
            hosted[work.ix.dept_org[d]] += len(work.plan.present[r])
        return cls(fair, hosted, int(hosted.sum()))

    def change(self, work: _Repair, mark: int) -> tuple[float, np.ndarray]:
        """The term's change by the journal's entries since ``mark``, and the change of
        hosted months per organisation."""
        delta = np.zeros_like(self.hosted)
        for booked, r, d in work.plan.journal[mark:]:
            delta[work.ix.dept_org[d]] += len(work.plan.present[r]) * (1 if booked else -1)
        if self.fair is None:
            return 0.0, delta
        return float(self.fair.change(self.hosted, delta, self.total).sum()), delta


def _improve_pass(work: _Repair, order: list[int], depth: int, fairness: _Fairness,
                  stop: Callable[[], bool]) -> int:
    """Move placed learners where their placements (and an evicted learner's) cost less;
    returns how many moved."""
    ix, plan = work.ix, work.plan
    moved = 0
    for li in order:
        if work.budget <= 0 or stop():
            break
        rows = ix.rows_of[li]
        if ix.forced_placed[li] or not rows or rows[0] not in plan.chosen:
            continue
        mark = len(plan.journal)
        before = sum(work.cost(r, plan.release(r)) for r in rows)
        cost = work.search(li, depth, MOVE_NODES[depth])
        if cost is not None:
            fair_change, hosted_change = fairness.change(work, mark)
            cost += fair_change
        if cost is not None and cost < before - COST_EPSILON:
            fairness.hosted += hosted_change
            moved += 1
        else:
            plan.rollback(mark)
        plan.journal.clear()
    return moved
