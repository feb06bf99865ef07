"""docs/rules.md#capacity (and #buddy as a count): learners present ≤ effective capacity per month.

Any available buddy of a department may guide any learner placed there, so a buddy
assignment exists iff learners present ≤ Σ max_learners of the available buddies. The
effective capacity min(capacity, buddy capacity) covers rules 2 and 3 together; buddies
are named after solving (``solver/buddies/``). Placements with the same present months
in a department share one integer sum (interval classes), which keeps rows short.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from ...models import RuleId, ordinal_month
from ..index import Index
from ._common import per_signature

RULE = RuleId.CAPACITY
CELL, CLASS = "capacity", "capacity_class"  # (CELL, dept, month), (CLASS, dept, present)
ROWS = (CELL, CLASS)
SLACK_COST = 4  # per extra place per month


def candidate_mask(ix: Index) -> np.ndarray:
    """Departments whose own capacity is zero in a present month are not candidates."""
    return per_signature(ix, lambda r: r.present, lambda ms: ix.deptcap[:, ms].min(axis=1) > 0)


def add(ctx) -> None:
    ix: Index = ctx.ix
    model: cp_model.CpModel = ctx.model
    classes: dict[tuple[int, tuple[int, ...]], list] = defaultdict(list)
    for t, (row, d) in enumerate(zip(ctx.t_row, ctx.t_dept, strict=True)):
        present = ix.rows[row].present
        if present:
            classes[(int(d), present)].append(ctx.x[t])
    per_cell: dict[tuple[int, int], list] = defaultdict(list)
    most: dict[tuple[int, int], int] = defaultdict(int)  # learners that could be present
    for (d, present), xs in classes.items():
        if len(xs) > 1 and len(present) > 1:
            # A pruned model bounds y by the capacity, which holds for every candidate
            # (``pricing`` adds pruned triples of this class to this row).
            top = int(ix.effcap[d, list(present)].min()) if ctx.pruned else len(xs)
            y = model.new_int_var(0, top, f"class[{ix.departments[d]}][{present[0]}]")
            ct = model.add(y == cp_model.LinearExpr.sum(xs))
            ctx.row_index[(CLASS, d, present)] = ct.index
            term = [y]
        else:
            term = xs
        for m in present:
            per_cell[(d, m)].extend(term)
            most[(d, m)] += len(xs)
    for (d, m), terms in per_cell.items():
        limit = int(ix.effcap[d, m])
        if most[(d, m)] <= limit:  # can never be exceeded
            continue
        binding = "buddy" if ix.effcap[d, m] < ix.deptcap[d, m] else "capacity"
        name = f"{binding}[{ix.departments[d]}][{ordinal_month(ix.base + m)}]"
        ct = model.add(cp_model.LinearExpr.sum(terms) <= limit).with_name(name)
        ctx.row_index[(CELL, d, m)] = ct.index


def relax_cell(em, d: int, o: int, load, n: int) -> None:
    """Elastic form, per department × month with ``n`` candidates: extra places."""
    limit = int(em.ix.deptcap[d, o])
    if n > limit:
        em.model.add(load <= limit + em.slack(RULE, n - limit, (d, o)))
