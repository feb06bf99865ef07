"""SPEC §3.3: a buddy of the department is available in every present month.

As a filter: departments with no buddy capacity in one of a placement's present months
are not candidates. The count (``learners ≤ Σ max_learners``) is part of the effective
capacity in ``capacity.py``; buddies are named after solving (``solver/buddies.py``).
"""

from __future__ import annotations

import numpy as np

from ...models import RuleId
from ..index import Index
from ._common import per_signature

RULE = RuleId.BUDDY


def candidate_mask(ix: Index) -> np.ndarray:
    return per_signature(ix, lambda r: r.present, lambda ms: ix.effcap[:, ms].min(axis=1) > 0)
