"""docs/rules.md#travel: learner → department distance ≤ the learner's max_travel_km (a filter)."""

from __future__ import annotations

import numpy as np

from ...models import RuleId
from ..index import Index

RULE = RuleId.TRAVEL
ROWS: tuple[str, ...] = ()  # a filter: no rows of its own
SLACK_COST = 10  # per placement out of reach, plus 1 per km too far


def candidate_mask(ix: Index) -> np.ndarray:
    limit = np.array([ix.scenario.learner_max_travel(lr) for lr in ix.learners], dtype=float)
    ok = ix.distance <= limit[:, None] + 1e-6
    return ok[ix.row_learner()]


def row_cost(ix: Index, li: int, r: int) -> np.ndarray:
    """Elastic form: the price of each department for placement row ``r``."""
    limit = ix.scenario.learner_max_travel(ix.learners[li])
    over = np.ceil(np.maximum(0.0, ix.distance[li] - limit)).astype(np.int64)
    return (~ix.masks[RULE.value][r]) * SLACK_COST + over
