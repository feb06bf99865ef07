"""docs/rules.md#placement: each planned placement in exactly one department, or the
learner unplaced."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...models import RuleId

RULE = RuleId.PLACEMENT
ROWS = ("placement",)  # ("placement", row)




def add(ctx) -> None:
    model: cp_model.CpModel = ctx.model
    for li, rows in enumerate(ctx.ix.rows_of):
        lr = ctx.ix.learners[li]
        u = ctx.u[li]
        for r in rows:
            xs = [ctx.x[t] for t in ctx.triples_of_row[r]]
            expr = cp_model.LinearExpr.sum(xs) + (u if u is not None else 0)
            ct = model.add(expr == 1).with_name(f"placement[{lr.id}][{ctx.ix.rows[r].span.index}]")
            ctx.row_index[(ROWS[0], r)] = ct.index


def relax(em) -> None:
    """Elastic form: never broken; a learner not kept may be left unplaced instead."""
    ix, m = em.ix, em.model
    for li, u in enumerate(em.u):
        for r in ix.rows_of[li]:
            xs = [em.x[t] for t in em.of_row[r]]
            m.add(cp_model.LinearExpr.sum(xs) + (0 if u is None else u) == 1)
