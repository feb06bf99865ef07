"""docs/rules.md#starter_shifts: starter months only in fixed-shift departments (geen
wisseldiensten)."""

from __future__ import annotations

import numpy as np

from ...models import RuleId
from ..index import Index

RULE = RuleId.STARTER_SHIFTS
ROWS: tuple[str, ...] = ()  # a filter: no rows of its own
SLACK_COST = 100  # per placement in a rotating department during starter months


def candidate_mask(ix: Index) -> np.ndarray:
    fixed = np.array([ix.scenario.is_fixed(d) for d in ix.departments], dtype=bool)
    needs = np.array([r.needs_fixed for r in ix.rows], dtype=bool)
    return ~needs[:, None] | fixed[None, :]


def row_cost(ix: Index, li: int, r: int) -> np.ndarray:
    """Elastic form: the price of each department for placement row ``r``."""
    return (~ix.masks[RULE.value][r]) * SLACK_COST
