"""docs/rules.md#distinct_departments: never the same department twice (history counted)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from ...models import RuleId
from ..index import Index

RULE = RuleId.DISTINCT_DEPARTMENTS
ROWS = ("distinct_departments",)  # (ROWS[0], learner, dept)
SLACK_COST = 100  # per department used twice


def applies(ix: Index, li: int) -> bool:
    return ix.scenario.learner_programme(ix.learners[li]).distinct_departments


def candidate_mask(ix: Index) -> np.ndarray:
    ok = np.ones((ix.n_rows, len(ix.departments)), dtype=bool)
    for li, rows in enumerate(ix.rows_of):
        if not applies(ix, li):
            continue
        seen = [ix.dept_pos[d] for d in ix.learners[li].history if d in ix.dept_pos]
        if len(set(seen)) < len(seen):  # history already repeats one: no valid placement left
            ok[rows, :] = False
        elif seen:
            ok[np.ix_(rows, seen)] = False
    return ok


def add(ctx) -> None:
    ix: Index = ctx.ix
    model: cp_model.CpModel = ctx.model
    for li, rows in enumerate(ix.rows_of):
        if len(rows) < 2 or not applies(ix, li):
            continue
        by_dept: dict[int, list] = defaultdict(list)
        for r in rows:
            for t in ctx.triples_of_row[r]:
                by_dept[int(ctx.t_dept[t])].append(ctx.x[t])
        for d, xs in by_dept.items():
            if len(xs) > 1:
                name = f"distinct_departments[{ix.learners[li].id}][{ix.departments[d]}]"
                ct = model.add_at_most_one(xs).with_name(name)
                ctx.row_index[(ROWS[0], li, d)] = ct.index


def row_cost(ix: Index, li: int, r: int) -> np.ndarray:
    """Elastic form of the history part: the price of each department for row ``r``."""
    return (~ix.masks[RULE.value][r]) * SLACK_COST


def relax_learner(em, li: int, ts: list[int], u, mine: bool) -> None:
    """Elastic form within the plan: a department used twice (slack for focus learners)."""
    ix = em.ix
    if not applies(ix, li) or len(ix.rows_of[li]) < 2:
        return
    by_dept: dict[int, list] = defaultdict(list)
    for t in ts:
        by_dept[em.t_dept[t]].append(em.x[t])
    for d, xs in by_dept.items():
        if len(xs) > 1:
            s = em.slack(RULE, len(xs) - 1, (li, d), mine)
            em.model.add(sum(xs) <= 1 + s)
