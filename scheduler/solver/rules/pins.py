"""SPEC §3.1 (pins): a pinned month's placement is in the pinned department (a filter).

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
