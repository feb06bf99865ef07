"""docs/rules.md#required_sectors: every required sector is the sector of at least one placement."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...models import RuleId
from ..index import Index

RULE = RuleId.REQUIRED_SECTORS
ROWS = ("required_sectors",)  # (ROWS[0], learner, sector)
SLACK_COST = 100  # per sector missing


def missing_sectors(ix: Index, li: int) -> list[str]:
    """Required sectors not already covered by the learner's history."""
    s = ix.scenario
    lr = ix.learners[li]
    done = {s.department_sector(d) for d in lr.history if d in s.department}
    return [sec for sec in s.learner_programme(lr).required_sectors if sec not in done]


def add(ctx) -> None:
    ix: Index = ctx.ix
    model: cp_model.CpModel = ctx.model
    for li, rows in enumerate(ix.rows_of):
        u = ctx.u[li]
        for sector in missing_sectors(ix, li):
            xs = [
                ctx.x[t]
                for r in rows
                for t in ctx.triples_of_row[r]
                if ix.dept_sector[ctx.t_dept[t]] == sector
            ]
            expr = cp_model.LinearExpr.sum(xs) + (u if u is not None else 0)
            ct = model.add(expr >= 1).with_name(f"required_sectors[{ix.learners[li].id}][{sector}]")
            ctx.row_index[(ROWS[0], li, sector)] = ct.index


def relax_learner(em, li: int, ts: list[int], u, mine: bool) -> None:
    """Elastic form: a required sector missing (slack for focus learners)."""
    ix = em.ix
    for sector in missing_sectors(ix, li):
        xs = [em.x[t] for t in ts if ix.dept_sector[em.t_dept[t]] == sector]
        s = em.slack(RULE, 1, (li, sector), mine)
        em.model.add(sum(xs) + u + s >= 1)
