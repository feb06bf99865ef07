"""SPEC §3.4: starter months only in fixed-shift departments (geen wisseldiensten)."""

from __future__ import annotations

import numpy as np

from ...models import RuleId
from ..index import Index

RULE = RuleId.STARTER_SHIFTS


def candidate_mask(ix: Index) -> np.ndarray:
    fixed = np.array([ix.scenario.is_fixed(d) for d in ix.departments], dtype=bool)
    needs = np.array([r.needs_fixed for r in ix.rows], dtype=bool)
    return ~needs[:, None] | fixed[None, :]
