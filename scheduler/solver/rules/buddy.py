"""docs/rules.md#buddy: a buddy of the department is available in every present month.

As a filter: departments with no buddy capacity in one of a placement's present months
are not candidates. The count (``learners ≤ Σ max_learners``) is part of the effective
capacity in ``capacity.py``; buddies are named after solving (``solver/buddies/``).
"""

from __future__ import annotations

import numpy as np

from ...models import RuleId
from ..index import Index
from ._common import per_signature

RULE = RuleId.BUDDY
ROWS: tuple[str, ...] = ()  # its count is part of capacity's rows (effective capacity)
SLACK_COST = 4  # per extra buddy place per month


def candidate_mask(ix: Index) -> np.ndarray:
    return per_signature(ix, lambda r: r.present, lambda ms: ix.effcap[:, ms].min(axis=1) > 0)


def relax_cell(em, d: int, o: int, load, n: int) -> None:
    """Elastic form, per department × month with ``n`` candidates: extra buddy places."""
    limit = int(em.bud[d, o])
    if n > limit:
        em.model.add(load <= limit + em.slack(RULE, n - limit, (d, o)))
