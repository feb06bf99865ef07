"""SPEC §3.9: each organisation's hosted learner-months within ±tolerance of its share.

hosted_o ≥ (1 − tol)·share_o·H and ≤ (1 + tol)·share_o·H, with H the region's total,
in exact integers (FTE at 0.01, tolerance at 0.001). ``ctx.hosted`` and ``ctx.total``
are built by ``objectives.hosted_expressions``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...models import RuleId

RULE = RuleId.FAIR_SHARE


def add(ctx) -> None:
    tol = ctx.ix.scenario.policy.fair_share_tolerance
    if tol is None:
        return
    model: cp_model.CpModel = ctx.model
    s = ctx.ix.scenario
    fte = [round(s.organisation[o].fte_care * 100) for o in ctx.ix.organisations]
    total_fte = sum(fte)
    t = round(tol * 1000)
    for o, org in enumerate(ctx.ix.organisations):
        hosted, total = ctx.hosted[o], ctx.total
        lhs = 1000 * total_fte * hosted
        model.add(lhs <= (1000 + t) * fte[o] * total).with_name(f"fair_share[{org}][max]")
        model.add(lhs >= (1000 - t) * fte[o] * total).with_name(f"fair_share[{org}][min]")
