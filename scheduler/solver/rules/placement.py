"""SPEC §3.1: each planned placement in exactly one department, or the learner unplaced."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...models import RuleId

RULE = RuleId.PLACEMENT


def add(ctx) -> None:
    model: cp_model.CpModel = ctx.model
    for li, rows in enumerate(ctx.ix.rows_of):
        lr = ctx.ix.learners[li]
        u = ctx.u[li]
        for r in rows:
            xs = [ctx.x[t] for t in ctx.triples_of_row[r]]
            expr = cp_model.LinearExpr.sum(xs) + (u if u is not None else 0)
            ct = model.add(expr == 1).with_name(f"placement[{lr.id}][{ctx.ix.rows[r].span.index}]")
            ctx.row_index[("placement", r)] = ct.index
