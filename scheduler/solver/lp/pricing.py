"""Pricing the pruned candidates: a valid bound for pruned models, and which to add back.

Large regions are solved on a pruned model (the K best departments per placement). Its
optimum and CP-SAT's bound hold for the pruned model only. LP duality gives them back
for the whole problem: the pruned model's LP relaxation yields a dual value per row;
extended by zero to the rows that only pruned triples would bring, it is a valid
Lagrangian multiplier of the unpruned model, so

    L = LP optimum + Σ_{pruned t} min(0, rc_t)

bounds every plan of the unpruned model from below, where rc_t is the reduced cost a
pruned triple would have: its cost minus the duals of the rows it would join. Keeping
"one department per placement" in the inner problem makes it stronger: each placement
then contributes only its most negative triple (``_lagrangian``). A plan
that places a pruned triple t costs at least L + max(rc_t, 0); one that places only
held triples costs at least the pruned model's bound B. Hence

    bound = max(L, min(B, L + min_{pruned t} max(rc_t, 0))),

valid for the unpruned model (SOLVER-NOTES asks for exactly this check that pruning lost
nothing). Triples with rc_t < 0 are the ones worth adding back (column generation).

Which rows a triple joins is the rule modules' structure, restated here per rule family
and keyed by ``BuildContext.row_index``: its placement row (+1); its capacity class row
(−1, the class sum y − Σx = 0) where the class has one, else each month's capacity cell
(+1); distinct departments (+1); Carrousel at home (+1); required sector (+1); and its
organisation's hosted learner-months (−months). ``price`` checks this restatement on the
held triples against the LP's own reduced costs and refuses to price where they differ.
For the zero extension to hold, variable bounds in the pruned model are those of the
unpruned one (hosted months and capacity classes are bounded from every candidate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..cpsat.model import BuildContext, combined_cost
from ..rules import capacity, carrousel, distinct_departments, placement, required_sectors
from .relaxation import LpSolution

TOLERANCE = 1e-9  # relative to the largest cost or dual: the LP's reduced costs against ours


@dataclass(frozen=True)
class PricedBound:
    """The priced bound of a model that no longer changes (objective units)."""

    lagrangian: float  # L: a lower bound on every plan of the unpruned model
    cheapest_left: float | None  # min of max(rc, 0) over the candidates left out; None: none
    candidates: int  # how many were priced (the rounding slack grows with it)

    def bound(self, pruned_bound: float | None) -> float:
        """The bound for the unpruned model, given the held model's own bound (or None)."""
        out = self.lagrangian
        if pruned_bound is None:
            return out
        if self.cheapest_left is None:
            return max(out, pruned_bound)
        return max(out, min(pruned_bound, out + self.cheapest_left))


@dataclass(frozen=True)
class Pricing:
    """Reduced costs of every candidate triple and the Lagrangian bound (objective units)."""

    reduced_cost: np.ndarray  # over ``ctx.all_triples()``
    lagrangian: float  # L: a lower bound on every plan of the unpruned model
    held: np.ndarray  # over the candidates: in the model the LP was solved on

    def settle(self, held: np.ndarray) -> PricedBound:
        """What the bound needs once the model holds ``held`` (a superset of the candidates
        priced against) for good: two numbers, so the candidate arrays can go (XL has 19
        million candidates)."""
        left = self.reduced_cost[~held]
        cheapest = float(max(0.0, left.min())) if len(left) else None
        return PricedBound(self.lagrangian, cheapest, len(self.reduced_cost))

    def entering(self, most: int) -> np.ndarray:
        """Candidate indices of at most ``most`` pruned triples with negative reduced cost,
        most negative first."""
        idx = np.nonzero(~self.held & (self.reduced_cost < -1e-6))[0]
        order = np.argsort(self.reduced_cost[idx], kind="stable")
        return idx[order[:most]]


def _dual(ctx: BuildContext, lp: LpSolution, key: tuple) -> float:
    row = lp.rows.get(key)  # a row column generation added
    if row is None:
        c = ctx.row_index.get(key)
        if c is None:
            return 0.0
        row = lp.model.row_of_constraint[c]
    return 0.0 if row < 0 else float(lp.row_dual[row])


def _keys(ctx: BuildContext, lp: LpSolution, family: str) -> list[tuple]:
    """The keys of the rows of one rule family, the model's and those added to the LP."""
    return [key for key in (*ctx.row_index, *lp.rows) if key[0] == family]


def _lookup(keys: np.ndarray, table: dict[int, float]) -> np.ndarray:
    """table[key] for each key, 0 where absent (vectorised)."""
    out = np.zeros(len(keys))
    if not table or not len(keys):
        return out
    known = np.array(sorted(table), dtype=np.int64)
    values = np.array([table[k] for k in known.tolist()])
    pos = np.searchsorted(known, keys)
    pos[pos >= len(known)] = 0
    hit = known[pos] == keys
    out[hit] = values[pos[hit]]
    return out


def reduced_costs(ctx: BuildContext, lp: LpSolution, t_row: np.ndarray,
                  t_dept: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """cost − Σ (coefficient · dual) over the rows each triple joins or would join."""
    ix = ctx.ix
    n_dept = len(ix.departments)
    rc = cost.astype(float)
    own_row = np.array([_dual(ctx, lp, (placement.ROWS[0], r)) for r in range(ix.n_rows)])
    rc -= own_row[t_row]
    rc -= _capacity_terms(ctx, lp, t_row, t_dept)
    learner = ix.row_learner()[t_row]
    distinct = {li * n_dept + d: _dual(ctx, lp, key)
                for key in _keys(ctx, lp, distinct_departments.ROWS[0])
                for li, d in [key[1:]]}
    rc -= _lookup(learner * n_dept + t_dept, distinct)
    away = np.array([_dual(ctx, lp, (carrousel.ROWS[0], li))
                     for li in range(len(ix.learners))])
    home = np.array([carrousel.home_index(ix, li) for li in range(len(ix.learners))])
    rc -= np.where(ix.dept_org[t_dept] == home[learner], away[learner], 0.0)
    sectors = sorted(set(ix.dept_sector))
    sector_of_dept = np.array([sectors.index(s) for s in ix.dept_sector], dtype=np.int64)
    required = {li * len(sectors) + sectors.index(sec): _dual(ctx, lp, key)
                for key in _keys(ctx, lp, required_sectors.ROWS[0]) for li, sec in [key[1:]]
                if sec in sectors}
    rc -= _lookup(learner * len(sectors) + sector_of_dept[t_dept], required)
    rc += ix.present_months()[t_row] * hosted_prices(ctx, lp)[ix.dept_org[t_dept]]
    return rc


def hosted_prices(ctx: BuildContext, lp: LpSolution) -> np.ndarray:
    """Per organisation, what one more learner-month hosted there costs at the LP's
    optimum, in the model's units (its dual of the ``("hosted", o)`` row): the fair-share
    term's slope there, by which the support MIP prices the fair share
    (``support_mip.fair_share_priced``)."""
    return np.array([_dual(ctx, lp, ("hosted", o)) for o in range(len(ctx.ix.organisations))])


def _capacity_terms(ctx: BuildContext, lp: LpSolution, t_row, t_dept) -> np.ndarray:
    """Σ coefficient·dual over a triple's capacity rows: −class dual where its class has a
    row, else the duals of its department's cells in its present months."""
    ix = ctx.ix
    n_dept = len(ix.departments)
    cells = np.zeros((n_dept, ix.horizon))
    for key in _keys(ctx, lp, capacity.CELL):
        cells[key[1], key[2]] = _dual(ctx, lp, key)
    sig_of_row, signatures = ix.present_signatures()
    sig_id = {present: s for s, present in enumerate(signatures)}
    per_sig = np.zeros((len(signatures), n_dept))
    for s, present in enumerate(signatures):
        if present:
            per_sig[s] = cells[:, list(present)].sum(axis=1)
    classes = {sig_id[key[2]] * n_dept + key[1]: _dual(ctx, lp, key)
               for key in _keys(ctx, lp, capacity.CLASS)}
    keys = sig_of_row[t_row] * n_dept + t_dept
    has_class = np.isin(keys, np.fromiter(classes, dtype=np.int64, count=len(classes)))
    out = per_sig[sig_of_row[t_row], t_dept]
    out[has_class] = -_lookup(keys[has_class], classes)
    return out


def price(ctx: BuildContext, lp: LpSolution, held: np.ndarray | None = None,
          column: np.ndarray | None = None) -> Pricing | None:
    """Price every candidate against the LP; None where the restated rows do not
    reproduce the LP's reduced costs of the triples it holds (never expected).

    ``held`` (over the candidates) and ``column`` (each candidate's LP column, −1: none)
    say which triples the LP holds; by default those of the model.
    """
    every = ctx.all_triples()
    if held is None:
        held = ctx.keep if ctx.keep is not None else np.ones(len(every.t_row), dtype=bool)
        column = np.full(len(every.t_row), -1, dtype=np.int64)
        column[held] = [x.index for x in ctx.x]
    assert column is not None
    cost = combined_cost(ctx.coefficients, every)
    rc = reduced_costs(ctx, lp, every.t_row, every.t_dept, cost)
    own = lp.col_dual[column[held]]
    # Relative to the largest cost or dual: HiGHS's reduced costs carry rounding of the
    # duals' size (10^7 where the unplaced cost dominates and placement costs are ~0).
    scale = max(1.0, float(np.abs(cost).max()) if len(cost) else 1.0,
                float(np.abs(lp.row_dual).max()) if len(lp.row_dual) else 1.0)
    if len(own) and float(np.abs(rc[held] - own).max()) > TOLERANCE * scale:
        return None
    return Pricing(reduced_cost=rc, lagrangian=_lagrangian(lp, rc, held, every.t_row,
                                                           ctx.ix.n_rows), held=held)


def fewest_unplaced(ctx: BuildContext, lp: LpSolution, held: np.ndarray,
                    column: np.ndarray) -> float | None:
    """A lower bound on how many learners every plan of the unpruned model leaves
    unplaced, from ``lp``: the held model's LP minimising the unplaced learners alone
    (cost 1 per unplaced learner, 0 on every triple). The same Lagrangian as ``price``,
    with zero triple costs; None where the restated rows do not reproduce the LP's reduced
    costs of the held triples."""
    every = ctx.all_triples()
    rc = reduced_costs(ctx, lp, every.t_row, every.t_dept, np.zeros(len(every.t_row)))
    own = lp.col_dual[column[held]]
    scale = max(1.0, float(np.abs(lp.row_dual).max()) if len(lp.row_dual) else 1.0)
    if len(own) and float(np.abs(rc[held] - own).max()) > TOLERANCE * scale:
        return None
    return _lagrangian(lp, rc, held, every.t_row, ctx.ix.n_rows)


def _lagrangian(lp: LpSolution, rc: np.ndarray, held: np.ndarray, t_row: np.ndarray,
                n_rows: int) -> float:
    """L = bᵀy + Σ_r min(0, min_{t in row r} rc_t) + (the other columns' terms).

    The LP optimum is bᵀy + (other columns) + Σ_{held t} min(0, rc_t) (complementary
    slackness). Keeping "at most one department per placement" in the inner problem (it
    holds in every plan) lets each placement contribute only its most negative triple,
    held or pruned, instead of the sum over pruned triples: that is the difference between
    a bound far below the LP and one near it.
    """
    negative = np.minimum(rc, 0.0)
    per_row = np.zeros(n_rows)
    np.minimum.at(per_row, t_row, negative)
    return lp.objective - float(negative[held].sum()) + float(per_row.sum())
