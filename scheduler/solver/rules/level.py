"""docs/rules.md#level: the learner's level is accepted by the department (a filter)."""

from __future__ import annotations

import numpy as np

from ...models import RuleId
from ..index import Index

RULE = RuleId.LEVEL
ROWS: tuple[str, ...] = ()  # a filter: no rows of its own
SLACK_COST = 20  # per placement at a department not accepting the level


def candidate_mask(ix: Index) -> np.ndarray:
    s = ix.scenario
    ok = np.ones((len(ix.learners), len(ix.departments)), dtype=bool)
    for j, d in enumerate(ix.departments):
        levels = s.department[d].levels
        if levels is None:
            continue
        for i, lr in enumerate(ix.learners):
            if lr.level is not None and lr.level not in levels:
                ok[i, j] = False
    return ok[ix.row_learner()]


def row_cost(ix: Index, li: int, r: int) -> np.ndarray:
    """Elastic form: the price of each department for placement row ``r``."""
    return (~ix.masks[RULE.value][r]) * SLACK_COST
