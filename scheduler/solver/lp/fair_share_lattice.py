"""Fair share on the placement-length lattice: a stronger formulation for the MIP prover.

The fair-share term charges dev_o ≥ |R·hosted_o − share_o·total| (R = SHARE_RESOLUTION).
Hosted learner-months move in whole placements: on the default scenario 122 of 128
placements last 6 months, so hosted_o is a multiple of 6 plus whatever the few 4- and
5-month placements at o add. The LP relaxation ignores this and puts most organisations
exactly on their share, so its bound sits several units below the optimum and branch-and-cut
must close the gap by search. Two valid additions give the relaxation the lattice:

1. **Lattice variable.** With g the most common placement length, a row (placement) is
   *regular* when its length is a multiple of g and *irregular* otherwise, and
   hosted_o = g·k_o + Σ_irregular len·x with k_o integer. This holds for every plan
   (regular lengths sum to a multiple of g); branching on k_o splits at lattice points.
2. **Secant cut.** Let c = share_o·T0 be the R-scaled target when every row with a
   candidate department is placed (T0 months in all), a ≤ c/R ≤ b = a + g the lattice
   points around it, and L the line through (a, |R·a − c|) and (b, |R·b − c|). For h on
   the lattice gZ, |R·h − c| ≥ L(h) (a convex function lies above its secant outside
   [a, b] and meets it at a and b). A set of irregular rows at o with residue σ (their
   lengths summed, mod g) moves h onto gZ + σ, where |R·h − c| ≥ L(h) − need(σ) with
   need(σ) = max(0, L(a + σ) − |R·(a + σ) − c|). Every irregular triple at o gets a
   coefficient per residue of its row's length such that any multiset of them with
   residue σ costs at least need(σ) (checked by a shortest path over residues, so it
   holds for every multiset, whatever the counts). Finally |R·h − share·T| ≥
   |R·h − c| − share·(T0 − T), since total T ≤ T0. Hence, scaled by g to stay integer:

       g·dev_o ≥ g·fa + (hosted_o − a)·(fb − fa) − Σ_irregular coef·x − g·share_o·(T0 − T)

   with fa = c − R·a > 0 and fb = R·b − c.

Both are implied by the model's own constraints for integer plans, so the optimum and
every plan stay as they are; only the relaxation tightens. On the default scenario they
close most of the gap between the LP bound and the optimum, and HiGHS proves the optimum
several times sooner with them, whatever its seed. CP-SAT alone did not gain from them,
so they are added for the MIP phase only (``cpsat._mip_phase``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from ...models.objective import SHARE_RESOLUTION

R = SHARE_RESOLUTION
_MAX_ROUNDS = 200  # coefficient repairs before falling back to the safe uniform choice


@dataclass(frozen=True)
class Secant:
    """g·L(h) = g·fa + (h − a)·(fb − fa), and per residue the coefficient of a triple."""

    g: int
    a: int
    fa: int
    fb: int
    coef: dict[int, int]  # residue of the row's length mod g → coefficient (× g)

    def line(self, h: int) -> int:
        return self.g * self.fa + (h - self.a) * (self.fb - self.fa)


def secant(target: int, g: int, residues: set[int]) -> Secant | None:
    """The cut for R-scaled target ``target`` on lattice gZ; None where it adds nothing."""
    a = g * (target // (R * g))
    fa, fb = target - R * a, R * (a + g) - target
    if fa == 0:  # the target is a lattice point: the plain |·| constraints are exact there
        return None
    shape = Secant(g, a, fa, fb, {})
    need = [0] + [max(0, shape.line(a + s) - g * abs(R * (a + s) - target)) for s in range(1, g)]
    return Secant(g, a, fa, fb, _coefficients(need, sorted(residues), g))


def _coefficients(need: list[int], residues: list[int], g: int) -> dict[int, int]:
    """Smallest-found coefficients with cost(multiset) ≥ need(its residue) for every multiset."""
    coef = {r: need[r] for r in residues}
    for _ in range(_MAX_ROUNDS):
        cost, counts = _cheapest(coef, g)
        short = [s for s in range(1, g) if cost[s] < need[s]]
        if not short:
            return coef
        s = short[0]
        used = counts[s]
        r = max(used, key=used.__getitem__)
        deficit = need[s] - int(cost[s])  # a short residue was reached: its cost is finite
        coef[r] += -(-deficit // used[r])
    top = max(need)
    return {r: top for r in residues}


def _cheapest(coef: dict[int, int], g: int) -> tuple[list[float], list[Counter]]:
    """Cheapest multiset of residues reaching each residue mod g (Dijkstra on g nodes)."""
    inf = float("inf")
    cost: list[float] = [inf] * g
    counts: list[Counter] = [Counter() for _ in range(g)]
    cost[0] = 0
    done = [False] * g
    for _ in range(g):
        u = min((s for s in range(g) if not done[s]), key=cost.__getitem__)
        if cost[u] == inf:
            break
        done[u] = True
        for r, c in coef.items():
            v = (u + r) % g
            if cost[u] + c < cost[v]:
                cost[v] = cost[u] + c
                counts[v] = counts[u] + Counter({r: 1})
    return cost, counts


def strengthen(ctx) -> int:
    """Add lattice variables and secant cuts to the built model (once: a model that has
    them already is left as it is); the lattice step g, or 0."""
    if "fair_share_lattice" in ctx.stats:
        return int(ctx.stats["fair_share_lattice"])
    term = ctx.terms.get("fair_share")
    if ctx.hosted is None or term is None or not term.vars or not len(ctx.t_row):
        return 0
    ix, model = ctx.ix, ctx.model
    row_months = ix.present_months()
    months = row_months[ctx.t_row]  # per candidate triple
    lengths = row_months[np.unique(ctx.t_row)]  # per row that may be placed
    g = int(Counter(lengths.tolist()).most_common(1)[0][0])
    if g <= 1:
        return 0
    t0 = int(lengths.sum())
    shares = ix.fair_shares()
    orgs = ix.dept_org[ctx.t_dept]
    for o, org in enumerate(ix.organisations):
        at = np.nonzero(orgs == o)[0]
        irregular = at[months[at] % g != 0]
        xs = [ctx.x[t] for t in irregular]
        top = int(months[at].sum()) // g
        k = model.new_int_var(0, top, f"fair_share_lattice[{org}]")
        model.add(ctx.hosted[o] == g * k + cp_model.LinearExpr.weighted_sum(
            xs, months[irregular].tolist())).with_name(f"fair_share_lattice[{org}]")
        cut = secant(shares[org] * t0, g, set((months[irregular] % g).tolist()))
        if cut is None:
            continue
        correction = cp_model.LinearExpr.weighted_sum(
            xs, [cut.coef[int(r)] for r in months[irregular] % g])
        model.add(g * term.vars[o] >= cut.line(0) + (cut.fb - cut.fa) * ctx.hosted[o]
                  - correction - g * shares[org] * (t0 - ctx.total)
                  ).with_name(f"fair_share_secant[{org}]")
    return g
