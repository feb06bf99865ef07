"""SPEC §3.8: learner → department distance ≤ the learner's max_travel_km (a filter)."""

from __future__ import annotations

import numpy as np

from ...models import RuleId
from ..index import Index

RULE = RuleId.TRAVEL


def candidate_mask(ix: Index) -> np.ndarray:
    limit = np.array([ix.scenario.learner_max_travel(lr) for lr in ix.learners], dtype=float)
    ok = ix.distance <= limit[:, None] + 1e-6
    return ok[ix.row_learner()]
