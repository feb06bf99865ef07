"""docs/rules.md#carrousel: at least carrousel_min_away placements away from the home
organisation."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...models import RuleId
from ..index import Index

RULE = RuleId.CARROUSEL
ROWS = ("carrousel",)  # (ROWS[0], learner)
SLACK_COST = 100  # per placement away from home too few


def away_needed(ix: Index, li: int) -> int:
    """Away placements still needed in the planned placements (history counted).

    A learner without a home (BOL) is away in every placement.
    """
    s = ix.scenario
    lr = ix.learners[li]
    need = s.learner_programme(lr).carrousel_min_away
    if need == 0:
        return 0
    away_before = sum(
        1 for d in lr.history if d in s.department and s.department[d].organisation != lr.home
    )
    return max(0, need - away_before)


def home_index(ix: Index, li: int) -> int:
    """The home organisation's index, or -1 (no department is at home)."""
    home = ix.learners[li].home
    return ix.organisations.index(home) if home in ix.organisations else -1


def add(ctx) -> None:
    ix: Index = ctx.ix
    model: cp_model.CpModel = ctx.model
    for li, rows in enumerate(ix.rows_of):
        need = away_needed(ix, li)
        if need == 0:
            continue
        home = home_index(ix, li)
        at_home = [
            ctx.x[t]
            for r in rows
            for t in ctx.triples_of_row[r]
            if ix.dept_org[ctx.t_dept[t]] == home
        ]
        limit = len(rows) - need
        if limit < 0:  # cannot be met: the learner stays unplaced
            if ctx.u[li] is not None:
                model.add(ctx.u[li] == 1).with_name(f"carrousel[{ix.learners[li].id}]")
            else:
                model.add_bool_or([]).with_name(f"carrousel[{ix.learners[li].id}]")
            continue
        if len(at_home) > limit:
            name = f"carrousel[{ix.learners[li].id}]"
            ct = model.add(cp_model.LinearExpr.sum(at_home) <= limit).with_name(name)
            ctx.row_index[(ROWS[0], li)] = ct.index


def relax_learner(em, li: int, ts: list[int], u, mine: bool) -> None:
    """Elastic form: placements away from home too few (slack for focus learners)."""
    ix = em.ix
    need = away_needed(ix, li)
    if need:
        home = home_index(ix, li)
        away = [em.x[t] for t in ts if ix.dept_org[em.t_dept[t]] != home]
        s = em.slack(RULE, need, (li,), mine)
        em.model.add(sum(away) + s >= need - need * u)
