"""One module per hard rule of SPEC §3, registered here in one ordered tuple.

A module contributes ``candidate_mask(ix)`` (a rule that only restricts which
departments a placement may use), ``add(ctx)`` (a constraint), or both. A test asserts
every module in this folder is registered.
"""

from __future__ import annotations

from . import (
    buddy,
    capacity,
    carrousel,
    distinct_departments,
    fair_share,
    level,
    pins,
    placement,
    required_sectors,
    starter_shifts,
    travel,
)

RULES = (
    placement,
    pins,
    capacity,
    buddy,
    starter_shifts,
    carrousel,
    required_sectors,
    distinct_departments,
    level,
    travel,
    fair_share,
)

FILTERS = tuple(m for m in RULES if hasattr(m, "candidate_mask"))
CONSTRAINTS = tuple(m for m in RULES if hasattr(m, "add"))
