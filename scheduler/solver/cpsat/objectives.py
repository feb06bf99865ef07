"""Named, unweighted objective terms (docs/rules.md#objective); weights are applied in one place.

Each term is a list of (variable, coefficient) pairs plus a constant, in the integer
units of ``scheduler.models.objective``. ``weighted`` multiplies by the policy's
coefficients and skips zero weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from ...models.objective import SHARE_RESOLUTION, TERMS, Coefficients


@dataclass
class Term:
    """Σ per_triple[t]·x[t] + Σ coefs·vars + constant (integer objective units)."""

    x: list = field(default_factory=list)  # the triple variables (shared, not copied)
    per_triple: np.ndarray | None = None
    vars: list = field(default_factory=list)
    coefs: list[int] = field(default_factory=list)
    constant: int = 0

    def is_empty(self) -> bool:
        has_triples = self.per_triple is not None and bool(self.per_triple.any())
        return not has_triples and not self.vars

    def expr(self):
        xs, ks = list(self.vars), list(self.coefs)
        if self.per_triple is not None:
            nz = np.nonzero(self.per_triple)[0]
            xs += [self.x[t] for t in nz]
            ks += self.per_triple[nz].astype(np.int64).tolist()
        return cp_model.LinearExpr.weighted_sum(xs, ks) + self.constant


def hosted_expressions(ctx) -> None:
    """hosted[o] = learner-months present at organisation o; total = Σ hosted."""
    ix, model = ctx.ix, ctx.model
    months = ix.present_months()[ctx.t_row]
    orgs = ix.dept_org[ctx.t_dept] if len(ctx.t_dept) else np.zeros(0, dtype=np.int64)
    # Bounds from every candidate, pruned or not: they then hold in the unpruned model
    # too, which ``pricing`` relies on.
    every = ctx.all_triples()
    every_months = ix.present_months()[every.t_row]
    upper = np.bincount(ix.dept_org[every.t_dept], weights=every_months,
                        minlength=len(ix.organisations)) if len(every.t_row) else None
    ctx.hosted = []
    upper_total = int(every_months.sum())
    for o, org in enumerate(ix.organisations):
        sel = np.nonzero(orgs == o)[0]
        top = 0 if upper is None else int(round(upper[o]))
        h = model.new_int_var(0, top, f"hosted[{org}]")
        ct = model.add(
            h == cp_model.LinearExpr.weighted_sum([ctx.x[t] for t in sel], months[sel].tolist())
        )
        ctx.row_index[("hosted", o)] = ct.index
        ctx.hosted.append(h)
    ctx.total_upper = upper_total
    ctx.total = model.new_int_var(0, upper_total, "hosted_total")
    model.add(ctx.total == cp_model.LinearExpr.sum(ctx.hosted))


def fair_share_term(ctx) -> Term:
    ix, model = ctx.ix, ctx.model
    shares = ix.fair_shares()
    term = Term()
    # NB: proto.domain[-1] silently reads 0 in ortools 9.15: keep bounds in Python.
    upper = SHARE_RESOLUTION * max(1, ctx.total_upper)
    for o, org in enumerate(ix.organisations):
        dev = model.new_int_var(0, upper, f"fair_share_dev[{org}]")
        diff = SHARE_RESOLUTION * ctx.hosted[o] - shares[org] * ctx.total
        model.add(dev >= diff)
        model.add(dev >= -diff)
        term.vars.append(dev)
        term.coefs.append(1)
    return term


def fair_share_columns(ctx) -> list[int]:
    """The model's fair-share deviation variables (cost ≥ 0, value ≥ 0): the columns an LP
    may leave the cost of out and stay a relaxation (``relaxation.LpSession``)."""
    term = ctx.terms.get("fair_share")
    if term is None or not ctx.coefficients.fair_share:
        return []
    return [v.index for v in term.vars]


def triple_term(ctx, values: np.ndarray) -> Term:
    return Term(x=ctx.x, per_triple=values.astype(np.int64))


def unplaced_term(ctx) -> Term:
    us = [u for u in ctx.u if u is not None]
    return Term(vars=us, coefs=[1] * len(us))


def stability_term(ctx) -> Term:
    term = triple_term(ctx, ctx.cost_stability)
    for li, u in enumerate(ctx.u):
        if u is not None and ctx.stability_if_unplaced[li]:
            term.vars.append(u)
            term.coefs.append(int(ctx.stability_if_unplaced[li]))
    term.constant = ctx.stability_constant
    return term


def build_terms(ctx) -> dict[str, Term]:
    """Every term of the objective (docs/rules.md#objective), unweighted (fair share only
    when it matters)."""
    terms = {
        "unplaced": unplaced_term(ctx),
        "preference": triple_term(ctx, ctx.cost_preference),
        "travel": triple_term(ctx, ctx.cost_travel),
        "buddy_change": triple_term(ctx, ctx.cost_buddy),
        "stability": stability_term(ctx),
        "fair_share": Term(),
    }
    if ctx.hosted is not None and ctx.coefficients.fair_share:
        terms["fair_share"] = fair_share_term(ctx)
    return terms


def sign(name: str) -> int:
    return -1 if name == "preference" else 1


def weighted(terms: dict[str, Term], c: Coefficients, x: list) -> Term:
    """Σ sign·weight·term over the objective's terms (docs/rules.md#objective); zero
    weights are skipped.

    Per-triple parts are added as numpy vectors; a variable appearing in several other
    terms (only u, in unplaced and stability) keeps separate entries, which CP-SAT sums.
    """
    out = Term(x=x, per_triple=np.zeros(len(x), dtype=np.int64))
    for name in TERMS:
        w = sign(name) * getattr(c, name)
        term = terms[name]
        if w == 0:
            continue
        if term.per_triple is not None:
            out.per_triple = out.per_triple + w * term.per_triple  # type: ignore[operator]
        out.vars.extend(term.vars)
        out.coefs.extend(w * k for k in term.coefs)
        out.constant += w * term.constant
    return out
