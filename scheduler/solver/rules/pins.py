"""docs/rules.md#pin: a pinned month's placement is in the pinned department (a filter).

A pinned learner must be placed; a pin that contradicts another rule leaves its
placement without candidates, which makes the model infeasible (exit 2, explained).
Pinned buddies are kept by the buddy naming; pins whose buddies cannot all hold
(on leave, two buddies in one month, more learners than ``max_learners``) make the
model infeasible as well.
"""

from __future__ import annotations

import numpy as np

from ...models import RuleId, month_ordinal, ordinal_month
from ..index import Index

RULE = RuleId.PIN
ROWS: tuple[str, ...] = ()  # a filter: no rows of its own
SLACK_COST = 50  # per pin dropped


def candidate_mask(ix: Index) -> np.ndarray:
    s = ix.scenario
    ok = np.ones((ix.n_rows, len(ix.departments)), dtype=bool)
    for li, lr in enumerate(ix.learners):
        for pin in s.pins_of.get(lr.id, ()):
            first, last = month_ordinal(pin.first) - ix.base, month_ordinal(pin.last) - ix.base
            for r in ix.rows_of[li]:
                months = ix.rows[r].months
                if any(first <= m <= last for m in months):
                    only = np.zeros(len(ix.departments), dtype=bool)
                    if pin.department in ix.dept_pos:
                        only[ix.dept_pos[pin.department]] = True
                    ok[r] &= only
                    ix.forced_placed[li] = True
    return ok


def add(ctx) -> None:
    _, conflicts = ctx.ix.scenario.pinned_buddies
    for c in conflicts:
        name = f"pin_buddy[{c.learner}][{ordinal_month(c.ordinal)}][{c.buddy}]: {c.kind}"
        ctx.model.add_bool_or([]).with_name(name)


def relax(em) -> None:
    """Elastic form: a pin may be dropped (one slack per pin); a pinned learner is left
    unplaced only where one of its pins is dropped."""
    ix, m = em.ix, em.model
    relaxed = RULE in em.relax
    position = {lr.id: i for i, lr in enumerate(ix.learners)}
    for p, pin in enumerate(ix.scenario.pins):
        k = position.get(pin.learner)
        if k is None or pin.learner in em.keep or not ix.forced_placed[k]:
            continue
        a, b = month_ordinal(pin.first) - ix.base, month_ordinal(pin.last) - ix.base
        rows = [r for r in ix.rows_of[k] if any(a <= o <= b for o in ix.rows[r].months)]
        if not rows:
            continue
        drop = m.new_bool_var(f"drop_pin[{p}]") if relaxed else 0
        if relaxed:
            em.drops[p] = drop
            em.slacks.append((drop, SLACK_COST, (RULE, p)))
        for r in rows:
            for t in em.of_row[r]:
                if ix.departments[em.t_dept[t]] != pin.department:
                    m.add(em.x[t] <= drop)
    for li, lr in enumerate(ix.learners):
        if ix.forced_placed[li] and em.u[li] is not None:
            mine = [v for p, v in em.drops.items() if ix.scenario.pins[p].learner == lr.id]
            m.add(em.u[li] <= sum(mine))
