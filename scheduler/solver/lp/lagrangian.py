"""A Lagrangian bound over every candidate triple: valid for the unpruned problem, cheap at
region scale, and valid whenever it stops.

The rules that tie learners together are moved into the objective with multipliers:
capacity per department and month (λ ≥ 0, the effective capacity that also counts
buddies), distinct departments per learner and department (ν ≥ 0) and the fair-share
deviation per organisation (κ, with |κ| at most the term's weight per learner-month:
|D| ≥ κ·D/w for such κ). What stays is one small problem per learner, solved exactly by a
dynamic programme over its placements: each placement takes a department or the learner
stays unplaced, every required sector is met and enough placements are away from home
(the Carrousel); where some learners are proven to stay unplaced in every plan (more
learners than places), at least that many stay out of these problems together. For *any*
multipliers the sum of those minima, less λ·capacity and Σν, is a lower bound on every
plan; the multipliers only decide how good it is. They are improved by a deflected
subgradient method with a Polyak step per rule family towards the best plan known (its
objective is the target), and the best value seen is kept, so the bound holds wherever the
search is stopped.

At its best the bound equals the LP relaxation of those rules with the per-learner rules
in their convex hull (at least the LP's own value), so it plays the LP's role on regions
where the LP itself is too slow; the rules left out (a named buddy's own limit, the hard
fair-share tolerance) only make it weaker, never invalid.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ...models.objective import SHARE_RESOLUTION
from ..cpsat.model import BuildContext, _rank_in_row, combined_cost
from ..rules import carrousel, distinct_departments, required_sectors
from . import child

MOST_STATES = 512  # per learner: required sectors × away placements counted; above: skip
MOST_AWAY = 3  # away placements counted in the programme's states (needs above are capped)
DEFLECTION = 0.5  # of the last direction kept in the next (zig-zag damping)
PATIENCE = 30  # iterations without a better bound before the step is halved
SMALLEST_STEP = 1e-5  # the step factor at which the search stops
TARGET_ROOM = 0.1  # at most this far above the best bound, relatively, the step aims
FAMILIES = 3  # capacity, fair share, distinct departments: one Polyak step each
ROUNDING = 1e-9  # of the magnitudes ``evaluate`` sums: taken off the bound (float error)
# The multipliers' moving average (each step's weight in it): subgradient steps zig-zag
# around the dual optimum, and their average lies nearer to it. Any average of valid
# multipliers is valid (λ ≥ 0, ν ≥ 0, |κ| within its limit), so its value is a bound too:
# on L (60 s, 2-core VM) the average was worth 0.2-0.4 % more than the best step after
# 10 s (benchmarks/README.md, "The pruning at the averaged multipliers").
AVERAGE_WEIGHT = 0.05
AVERAGE_EVERY = 10  # steps between two bounds at the average


@dataclass
class Structure:
    """Every candidate, sorted by (placement, group), with what a step needs per triple."""

    cost: np.ndarray  # objective units of placing it
    order: np.ndarray  # its index in ``ctx.all_triples()``
    cell: np.ndarray  # signature × departments + department: what its multipliers depend on
    pair: np.ndarray  # learner × department (distinct departments); n_pairs: not bound
    signature_dept: np.ndarray  # per cell index: the department
    signature_length: np.ndarray  # per signature: its months
    seg_start: np.ndarray  # first triple of each (placement, group) segment
    seg_row: np.ndarray
    seg_group: np.ndarray
    signature_months: np.ndarray  # signatures × months, 0/1
    capacity: np.ndarray  # departments × months (effective)
    share: np.ndarray  # organisation → share of all hosted months (sums to 1)
    fair_weight: float  # objective units per learner-month of deviation (0: no term)
    unplaced_cost: np.ndarray  # per learner; inf: must be placed
    row_at: np.ndarray  # placement position × learner → row, −1: none
    transition: np.ndarray  # state × group → state
    final: np.ndarray  # learner × state: meets the learner's sectors and Carrousel
    dept_org: np.ndarray  # department → organisation
    groups: int
    n_rows: int
    n_pairs: int
    constant: float  # objective units every plan has
    # learners every plan leaves unplaced, proven (``ctx.placed_upper``): a constraint the
    # learners' problems keep together (the cheapest to leave out stay out)
    fewest_unplaced: int = 0
    # the triples of each distinct-departments pair, ``pair_order[pair_start[p]:
    # pair_start[p + 1]]`` (``reduced_costs`` adds the few multipliers that are not zero)
    pair_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pair_start: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))


def structure(ctx: BuildContext) -> Structure | None:
    """The candidates arranged for the ascent (before ``ctx.release_candidates``); None
    where a learner's rules need more states than ``MOST_STATES``."""
    ix = ctx.ix
    every = ctx.all_triples()
    t_row, t_dept = every.t_row, every.t_dept
    learners = len(ix.learners)
    sectors = sorted(set(ix.dept_sector))
    sector_of_dept = np.array([sectors.index(s) for s in ix.dept_sector], dtype=np.int64)
    local = np.full((learners, len(sectors)), -1, dtype=np.int32)
    full = np.zeros(learners, dtype=np.int64)  # bits of the sectors still required
    reachable = np.ones(learners, dtype=bool)
    need = np.zeros(learners, dtype=np.int64)
    home = np.full(learners, -1, dtype=np.int64)
    distinct = np.zeros(learners, dtype=bool)
    for li in range(learners):
        for j, sector in enumerate(required_sectors.missing_sectors(ix, li)):
            if sector in sectors:
                local[li, sectors.index(sector)] = j
                full[li] |= 1 << j
            else:
                reachable[li] = False  # no department has it: the learner stays unplaced
        need[li] = carrousel.away_needed(ix, li)
        home[li] = carrousel.home_index(ix, li)
        distinct[li] = distinct_departments.applies(ix, li)
    bits = int(full.max()).bit_length() if learners else 0
    away_states = int(min(need.max() if learners else 0, MOST_AWAY))
    states = (1 << bits) * (away_states + 1)
    groups = (bits + 1) * 2
    if states > MOST_STATES:
        return None
    # Per-triple arrays in the narrowest type that holds them, and temporaries dropped
    # at once: on XL (19 M candidates) each int64 array is 150 MB, and the structure's
    # build raised the peak memory to 3.8 GB before this.
    learner_of = _narrow(ix.row_learner())[t_row]
    group = local[learner_of, sector_of_dept[t_dept]]
    group[group < 0] = bits
    group *= 2
    group += ix.dept_org[t_dept] != home[learner_of]
    key = t_row.astype(np.int64) * groups + group
    del group
    perm = np.argsort(key, kind="stable")
    key = key[perm]
    seg_start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
    seg_key = key[seg_start]
    del key
    n_dept = len(ix.departments)
    sig_of_row, signatures = ix.present_signatures()
    signature_months = np.zeros((len(signatures), ix.horizon))
    for s, present in enumerate(signatures):
        signature_months[s, list(present)] = 1.0
    n_pairs = learners * n_dept
    wide = np.int64 if n_pairs >= 2**31 - 1 else np.int32
    pair = learner_of.astype(wide)
    pair *= n_dept
    pair += t_dept
    pair[~distinct[learner_of]] = n_pairs
    pair = pair[perm]
    del learner_of
    cells = len(signatures) * n_dept
    cell = _narrow(sig_of_row)[t_row].astype(np.int64 if cells >= 2**31 - 1 else np.int32)
    cell *= n_dept
    cell += t_dept
    cell = cell[perm]
    shares = ix.fair_shares()
    term = ctx.terms.get("fair_share") if ctx.terms else None
    fair_weight = 0.0
    if term is not None and not term.is_empty():
        fair_weight = float(ctx.coefficients.fair_share) * SHARE_RESOLUTION
    must = np.array([u is None for u in ctx.u], dtype=bool) & ~ix.forced_unplaced
    unplaced_cost = np.where(must, np.inf, ctx.unplaced_costs("weighted").astype(float))
    row_at = np.full((max((len(r) for r in ix.rows_of), default=0), learners), -1,
                     dtype=np.int64)
    for li, rows in enumerate(ix.rows_of):
        row_at[:len(rows), li] = rows
    return Structure(
        cost=combined_cost(ctx.coefficients, every).astype(float, copy=False)[perm],
        order=_narrow(perm), cell=cell, pair=pair,
        signature_dept=np.tile(np.arange(n_dept), len(signatures)),
        signature_length=signature_months.sum(axis=1),
        dept_org=ix.dept_org.astype(np.int64),
        seg_start=seg_start, seg_row=seg_key // groups,
        seg_group=seg_key % groups, signature_months=signature_months,
        capacity=ix.effcap.astype(float),
        share=np.array([shares[o] for o in ix.organisations], dtype=float) / SHARE_RESOLUTION,
        fair_weight=fair_weight, unplaced_cost=unplaced_cost, row_at=row_at,
        transition=_transitions(bits, away_states, groups),
        final=_finals(bits, away_states, full, np.minimum(need, away_states), reachable),
        groups=groups, n_rows=ix.n_rows, n_pairs=n_pairs,
        constant=float(ctx.coefficients.stability * ctx.stability_constant),
        fewest_unplaced=(0 if ctx.placed_upper is None
                         else max(0, learners - ctx.placed_upper)),
        **_by_pair(pair, n_pairs),
    )


def _narrow(index: np.ndarray) -> np.ndarray:
    """``index`` (non-negative integers) as int32 where they fit."""
    return index.astype(np.int32) if len(index) and int(index.max()) < 2**31 - 1 else index


def _by_pair(pair: np.ndarray, n_pairs: int) -> dict[str, np.ndarray]:
    """The triples of each pair (the last, ``n_pairs``, holds those the rule does not
    bind), as ``Structure.pair_order`` and ``pair_start``."""
    order = _narrow(np.argsort(pair, kind="stable"))
    start = np.zeros(n_pairs + 2, dtype=np.int64)
    np.cumsum(np.bincount(pair, minlength=n_pairs + 1), out=start[1:])
    return {"pair_order": order, "pair_start": start}


def _transitions(bits: int, away_states: int, groups: int) -> np.ndarray:
    """state (sectors met, away placements) × group (sector bit or none, away) → state."""
    states = (1 << bits) * (away_states + 1)
    out = np.zeros((states, groups), dtype=np.int64)
    for s in range(states):
        met, away = s % (1 << bits), s >> bits
        for g in range(groups):
            bit, is_away = divmod(g, 2)
            met2 = met | ((1 << bit) if bit < bits else 0)
            out[s, g] = (min(away_states, away + is_away) << bits) | met2
    return out


def _finals(bits: int, away_states: int, full: np.ndarray, need: np.ndarray,
            reachable: np.ndarray) -> np.ndarray:
    states = np.arange((1 << bits) * (away_states + 1))
    met, away = states % (1 << bits), states >> bits
    ok = ((met[None, :] & full[:, None]) == full[:, None]) & (away[None, :] >= need[:, None])
    return ok & reachable[:, None]


@dataclass
class _Inner:
    """The learners' own problems at some multipliers: the bound and what it chose."""

    value: float  # the Lagrangian bound (objective units)
    chosen: np.ndarray  # triples (structure order) the placed learners take


class Ascent:
    """The multipliers and the best bound so far; ``step`` improves them once."""

    def __init__(self, st: Structure) -> None:
        self.st = st
        n_dept, horizon = st.capacity.shape
        self.capacity = np.zeros((n_dept, horizon))  # λ
        self.fair = np.zeros(len(st.share))  # κ, objective units per learner-month
        self.distinct = np.zeros(st.n_pairs + 1)  # ν; the last stays 0 (no row)
        self.direction: tuple[np.ndarray, ...] | None = None  # capacity, fair share
        empty = np.zeros(0, dtype=np.int64), np.zeros(0)
        self.distinct_direction: tuple[np.ndarray, np.ndarray] = empty  # (pairs, values)
        self.best = -math.inf
        self.factor = 1.0
        self.since = 0
        self.iterations = 0
        self.average = (self.capacity.copy(), self.fair.copy(), self.distinct.copy())
        self._largest_cost: float | None = None  # of the triples' own costs, once

    def reduced_costs(self) -> np.ndarray:
        """Per triple (structure order): its cost plus the multipliers of the rows it joins.

        The distinct-departments multipliers are added only where they are not zero (a few
        pairs of millions): this is the ascent's hottest line on large regions."""
        st = self.st
        rc = np.take(self._per_cell(), st.cell)
        rc += st.cost
        bound = np.flatnonzero(self.distinct[:-1])
        if len(bound):
            starts = st.pair_start[bound]
            counts = st.pair_start[bound + 1] - starts
            offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            triples = st.pair_order[np.repeat(starts, counts) + offsets]
            rc[triples] += np.repeat(self.distinct[bound], counts)
        return rc

    def _per_cell(self) -> np.ndarray:
        """Per (signature, department): its capacity multipliers over the signature's
        months plus the fair-share multiplier per learner-month it hosts."""
        st = self.st
        table = np.einsum("sm,dm->sd", st.signature_months, self.capacity, optimize=False)
        if st.fair_weight:
            per_org = self.fair - float(st.share @ self.fair)
            table += st.signature_length[:, None] * per_org[st.dept_org][None, :]
        return table.ravel()

    def evaluate(self) -> _Inner:
        st = self.st
        rc = self.reduced_costs()
        seg_min = np.minimum.reduceat(rc, st.seg_start) if len(rc) else rc
        best_of = np.full((st.n_rows + 1, st.groups), np.inf)  # last row: no placement
        best_of[st.seg_row, st.seg_group] = seg_min
        value, path, placed = self._learners(best_of)
        priced = float((self.capacity * st.capacity).sum()) + float(self.distinct[:-1].sum())
        bound = float(value.sum()) - priced + st.constant
        bound -= self._rounding(value, priced)
        rows, groups = path
        seg = np.searchsorted(st.seg_row * st.groups + st.seg_group, rows * st.groups + groups)
        return _Inner(bound, _argmin_in(rc, st.seg_start, seg_min, seg))

    def _rounding(self, value: np.ndarray, priced: float) -> float:
        """What the float sums of ``evaluate`` may have got wrong, at most: the reduced
        costs add multipliers that the dual terms take away again, and where those are
        far larger than the bound (a multiplier of 10^17 on a tiny region, found by the
        property test), the cancellation loses whole units. Taken off the bound so that it
        stays valid: 1e-9 of the largest magnitudes summed (about 0.006 objective units
        on L, where plans are worth 10^4)."""
        st = self.st
        if self._largest_cost is None:
            self._largest_cost = float(np.abs(st.cost).max()) if len(st.cost) else 0.0
        per_cell = float(np.abs(self._per_cell()).max()) if st.cell.size else 0.0
        per_triple = self._largest_cost + per_cell + float(self.distinct.max())
        learners = float(np.abs(value[np.isfinite(value)]).sum())
        magnitude = st.n_rows * per_triple + priced + learners + abs(st.constant)
        return ROUNDING * magnitude

    def _learners(self, best_of: np.ndarray):
        """Per learner: the cheapest placements meeting its rules, or unplaced."""
        st = self.st
        positions, learners = st.row_at.shape
        states = st.transition.shape[0]
        value = np.full((learners, states), np.inf)
        value[:, 0] = 0.0
        came = np.full((positions, learners, states), -1, dtype=np.int64)
        for p in range(positions):
            rows = st.row_at[p]
            here = rows >= 0
            costs = best_of[np.where(here, rows, st.n_rows)]
            nxt = np.full((learners, states), np.inf)
            how = np.full((learners, states), -1, dtype=np.int64)
            for s in range(states):
                start = value[:, s]
                if not np.isfinite(start).any():
                    continue
                for g in range(st.groups):
                    to = st.transition[s, g]
                    cand = start + costs[:, g]
                    better = cand < nxt[:, to]
                    nxt[better, to] = cand[better]
                    how[better, to] = s * st.groups + g
            value = np.where(here[:, None], nxt, value)
            came[p] = np.where(here[:, None], how, -1)
        final = np.where(st.final, value, np.inf)
        state = final.argmin(axis=1)
        cheapest = final[np.arange(learners), state]
        placed = _at_least_unplaced(cheapest < st.unplaced_cost, cheapest, st)
        out = np.where(placed, cheapest, st.unplaced_cost)
        rows_out = [np.zeros(0, dtype=np.int64)]
        groups_out = [np.zeros(0, dtype=np.int64)]
        for p in range(positions - 1, -1, -1):
            how = came[p][np.arange(learners), state]
            take = (how >= 0) & placed
            rows_out.append(st.row_at[p][take])
            groups_out.append(how[take] % st.groups)
            state = np.where(how >= 0, how // st.groups, state)
        return out, (np.concatenate(rows_out), np.concatenate(groups_out)), placed

    def step(self, target: float) -> float:
        """One subgradient step towards ``target`` (a plan's objective); the best bound."""
        st = self.st
        inner = self.evaluate()
        self.iterations += 1
        if not math.isfinite(inner.value):
            return self.best
        if inner.value > self.best:
            self.best, self.since = inner.value, 0
        else:
            self.since += 1
            if self.since >= PATIENCE:
                self.factor, self.since = self.factor / 2, 0
        chosen = inner.chosen
        signatures, n_dept = st.signature_months.shape[0], st.capacity.shape[0]
        use = np.bincount(st.cell[chosen], minlength=signatures * n_dept).astype(float)
        use = use.reshape(signatures, n_dept)
        g_cap = np.einsum("sm,sd->dm", st.signature_months, use, optimize=False) - st.capacity
        g_cap[(self.capacity <= 0) & (g_cap < 0)] = 0.0
        months_in_dept = st.signature_length @ use
        hosted = np.bincount(st.dept_org, weights=months_in_dept, minlength=len(st.share))
        g_fair = hosted - st.share * hosted.sum() if st.fair_weight else np.zeros_like(hosted)
        limit = st.fair_weight
        g_fair[((self.fair <= -limit) & (g_fair < 0)) | ((self.fair >= limit) & (g_fair > 0))] = 0
        pairs, g_dist = self._distinct_gradient(chosen)
        grads = (g_cap, g_fair)
        if self.direction is not None:
            grads = tuple(g + DEFLECTION * d for g, d in zip(grads, self.direction, strict=True))
            pairs, g_dist = _sparse_sum(pairs, g_dist, *self.distinct_direction, DEFLECTION)
        self.direction, self.distinct_direction = grads, (pairs, g_dist)
        # At most TARGET_ROOM above this bound: a far target (a poor first plan, or none:
        # an infinite step made λ NaN) overshoots, the first step above all.
        room = min(target - inner.value, TARGET_ROOM * max(1.0, abs(inner.value)))
        room = max(room, 0.0)
        with np.errstate(over="ignore", invalid="ignore"):
            steps = [self.factor * room / FAMILIES / float((g * g).sum())
                     if (g * g).any() else 0.0 for g in (*grads, g_dist)]
            capacity = np.maximum(0.0, self.capacity + steps[0] * grads[0])
            fair = np.clip(self.fair + steps[1] * grads[1], -limit, limit)
            distinct = np.maximum(0.0, self.distinct[pairs] + steps[2] * g_dist)
        if not (np.isfinite(capacity).all() and np.isfinite(fair).all()
                and np.isfinite(distinct).all()):
            # The multipliers overflow (a relaxation without a plan: the pins of a tiny
            # region left no room, and the steps grew without end): the ascent stops here.
            self.factor = 0.0
            return self.best
        self.capacity, self.fair = capacity, fair
        self.distinct[pairs] = distinct
        self._follow_average()
        return self.best

    def _follow_average(self) -> None:
        """Move the average towards the multipliers; every ``AVERAGE_EVERY`` steps its
        value joins the best bound."""
        for mean, now in zip(self.average, (self.capacity, self.fair, self.distinct),
                             strict=True):
            mean *= 1.0 - AVERAGE_WEIGHT
            # only where the multipliers are not zero: a few thousand of the millions of
            # distinct-departments pairs on large regions (no array of their size made)
            moved = np.flatnonzero(now)
            mean[np.unravel_index(moved, now.shape)] += AVERAGE_WEIGHT * now.flat[moved]
        if self.iterations % AVERAGE_EVERY == 0:
            with self.at_average():
                value = self.evaluate().value
            if math.isfinite(value) and value > self.best:
                self.best = value

    @contextlib.contextmanager
    def at_average(self):
        """The multipliers replaced by their average for a while (pricing, the bound; no
        step inside: a step changes the multipliers in place)."""
        now = self.capacity, self.fair, self.distinct
        self.capacity, self.fair, self.distinct = self.average
        try:
            yield self
        finally:
            self.capacity, self.fair, self.distinct = now

    def _distinct_gradient(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The distinct-departments subgradient, projected, as (pairs, values) where it is
        not zero: the times a learner takes a department beyond once, and −1 where a
        multiplier is positive and its department is not taken (of a million pairs on L,
        a few thousand, hence sparse)."""
        st = self.st
        pairs, counts = np.unique(st.pair[chosen], return_counts=True)
        bound = pairs < st.n_pairs  # the last slot: triples without the rule
        pairs, counts = pairs[bound], counts[bound]
        twice = counts >= 2
        positive = np.flatnonzero(self.distinct[:-1] > 0)
        idle = positive[~np.isin(positive, pairs)]
        return _sparse_sum(pairs[twice], counts[twice] - 1.0, idle, np.full(len(idle), -1.0))

    def run(self, target: Callable[[], float], seconds: float,
            stop: Callable[[], bool] = lambda: False) -> float:
        """Steps until ``seconds`` pass, ``stop``, the step factor is spent or the bound
        meets the target; the best bound (objective units, −inf: none)."""
        ends = time.perf_counter() + seconds
        while time.perf_counter() < ends and not stop() and self.factor > SMALLEST_STEP:
            goal = target()
            if self.best >= goal - 1e-9 * max(1.0, abs(goal)):
                break
            if math.isfinite(self.best):  # a far target (a poor first plan) overshoots
                goal = min(goal, self.best + TARGET_ROOM * max(1.0, abs(self.best)))
            self.step(goal)
        return self.best


def _at_least_unplaced(placed: np.ndarray, cheapest: np.ndarray, st: Structure) -> np.ndarray:
    """``placed`` with the learners it costs least to leave out (unplaced cost − their
    cheapest placements) left out too, until ``st.fewest_unplaced`` are: every plan leaves
    that many out, so the learners' problems may keep this rule together and the bound
    stays valid (on tight regions it is what makes the bound positive at all). Learners
    who must be placed are never left out."""
    short = st.fewest_unplaced - int((~placed).sum())
    if short <= 0:
        return placed
    extra = np.where(placed & np.isfinite(st.unplaced_cost), st.unplaced_cost - cheapest,
                     np.inf)
    out = np.argsort(extra, kind="stable")[:short]
    placed = placed.copy()
    placed[out[np.isfinite(extra[out])]] = False
    return placed


def _sparse_sum(index: np.ndarray, value: np.ndarray, other: np.ndarray,
                other_value: np.ndarray, weight: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """value + weight · other_value, each a sparse vector (indices, values); sorted."""
    pairs, at = np.unique(np.concatenate([index, other]), return_inverse=True)
    values = np.bincount(at, weights=np.concatenate([value, weight * other_value]),
                         minlength=len(pairs))
    return pairs, values


def priced_candidates(ascent: Ascent, t_row: np.ndarray, k: int,
                      average: bool = False) -> np.ndarray:
    """Per candidate (``ctx.all_triples()`` order): among the ``k`` cheapest of its
    placement at the ascent's multipliers, or chosen there by its learner; with
    ``average``, also among the ``k`` cheapest at their average (or chosen there).

    Pruning ranks departments by their own cost, and on busy regions the cheapest are
    the crowded ones: the LP of the 1,800-learner region (seed 17) over the pruned
    model was −39,364 against −42,232 for the whole LP (column generation to the end).
    Ranked by the reduced cost at the multipliers of a short ascent (10 s), the
    departments the whole LP wants come first: with 5 more per placement (3 % more
    triples) the pruned LP was −41,748. The multipliers zig-zag, and their average ranks
    others first: the union of both sets brought the LP nearer again (L at 60 s, 2-core
    VM: 10 at each, about 80,000 triples, gave −48,251 to −48,327 in 7 runs, where 15 at
    the multipliers alone, about 89,000, gave −47,970 to −48,265 in 10; the whole LP
    −48,427).
    """
    keep = _cheapest_at(ascent, t_row, k)
    if average:
        with ascent.at_average():
            keep |= _cheapest_at(ascent, t_row, k)
    return keep


def _cheapest_at(ascent: Ascent, t_row: np.ndarray, k: int) -> np.ndarray:
    """Per candidate: among the ``k`` cheapest of its placement at the multipliers as
    they are, or chosen at them by its learner."""
    st = ascent.st
    rc = np.empty(len(st.cost))
    rc[st.order] = ascent.reduced_costs()
    keep = _rank_in_row(t_row, rc) < k
    keep[st.order[ascent.evaluate().chosen]] = True
    return keep


def _argmin_in(rc: np.ndarray, seg_start: np.ndarray, seg_min: np.ndarray,
               segments: np.ndarray) -> np.ndarray:
    """Per segment asked for, the first triple with the segment's least cost."""
    if not len(segments):
        return np.zeros(0, dtype=np.int64)
    lengths = np.diff(np.r_[seg_start, len(rc)])
    ties = np.flatnonzero(rc == np.repeat(seg_min, lengths))
    seg_of = np.searchsorted(seg_start, ties, side="right") - 1
    first = np.r_[True, seg_of[1:] != seg_of[:-1]]
    at = np.full(len(seg_start), -1, dtype=np.int64)
    at[seg_of[first]] = ties[first]
    return at[segments]


def whole_units(bound: float) -> int | None:
    """The bound in whole objective units (plans cost whole units), with a margin for the
    float sums; None where there is none."""
    if not math.isfinite(bound):
        return None
    return math.ceil(bound - 1e-7 * max(1.0, abs(bound)) - 1e-6)


def background(ascent: Ascent, target: float, seconds: float) -> child.Background | None:
    """The ascent (from its multipliers so far) in a child process beside the other
    phases, aimed at ``target`` and at each better plan the parent sends."""
    started = child.Background.start(_child, ascent, target, seconds)
    if started is not None:
        started.best, started.iterations = ascent.best, ascent.iterations
    return started


def _child(ascent: Ascent, target: float, seconds: float, conn) -> None:
    """The ascent, sending (best, iterations) whenever the best bound improves."""
    ascent.factor, ascent.since = 1.0, 0  # a new, nearer target: full steps again
    goal = [target]
    stopped = [False]
    sent = [-math.inf]

    def read() -> float:
        while conn.poll():
            kind, value = conn.recv()
            if kind == "stop":
                stopped[0] = True
            else:
                goal[0] = min(goal[0], value)
        if ascent.best > sent[0]:
            sent[0] = ascent.best
            conn.send((ascent.best, ascent.iterations))
        return goal[0]

    ascent.run(read, seconds, lambda: stopped[0])
    read()
