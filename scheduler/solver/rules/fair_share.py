"""docs/rules.md#fair_share: each organisation's hosted learner-months within ±tolerance
of its share.

hosted_o ≥ (1 − tol)·share_o·H and ≤ (1 + tol)·share_o·H, with H the region's total,
in exact integers (FTE at 0.01, tolerance at 0.001). ``ctx.hosted`` and ``ctx.total``
are built by ``objectives.hosted_expressions``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...models import RuleId

RULE = RuleId.FAIR_SHARE
ROWS: tuple[str, ...] = ()  # named rows; the hosted sums are the objective's ("hosted", org)
SLACK_COST = 3  # per learner-month outside the tolerance


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


def relax(em) -> None:
    """Elastic form: learner-months outside the tolerance, per organisation and side."""
    ix, m = em.ix, em.model
    tol = ix.scenario.policy.fair_share_tolerance
    if tol is None:
        return
    months = [len(ix.rows[r].present) for r in em.t_row]
    upper = sum(months)
    em.hosted = []
    for o in range(len(ix.organisations)):
        ts = [t for t, d in enumerate(em.t_dept) if ix.dept_org[d] == o]
        h = m.new_int_var(0, upper, f"hosted[{ix.organisations[o]}]")
        m.add(h == sum(months[t] * em.x[t] for t in ts))
        em.hosted.append(h)
    total = sum(em.hosted)
    fte = [round(ix.scenario.organisation[o].fte_care * 100) for o in ix.organisations]
    big, k = 1000 * sum(fte), round(tol * 1000)
    for o in range(len(ix.organisations)):
        hi = em.slack(RULE, upper, (o, "max"))
        lo = em.slack(RULE, upper, (o, "min"))
        m.add(big * em.hosted[o] <= (1000 + k) * fte[o] * total + big * hi)
        m.add(big * em.hosted[o] + big * lo >= (1000 - k) * fte[o] * total)
