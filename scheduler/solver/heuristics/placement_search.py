"""The depth-first search that places one learner: the greedy's and the repair's.

A learner is placed in full or not at all, so its placements are searched together, in
each placement's candidate order, keeping the Carrousel, distinct departments and
required sectors; capacity is the caller's (``place``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NODE_LIMIT = 2_000
FORCED_NODE_LIMIT = 200_000  # pinned/frozen learners must be placed: search much harder


def search_room(ix, li, cands, remaining, present, need_away, sectors):
    """Depth-first over the learner's placements, pruning on what can still be met."""

    def place(r, d):
        if len(present[r]) and remaining[d, present[r]].min() < 1:
            return None
        return _nothing

    limit = FORCED_NODE_LIMIT if ix.forced_placed[li] else NODE_LIMIT
    return search_placements(ix, li, cands, need_away, sectors, limit, place)


def _nothing() -> None:
    return None


def search_placements(
    ix: Any, li: int, cands: Any, need_away: int, sectors: Any, limit: int,
    place: Callable[[int, int], Callable[[], None] | None],
    accept: Callable[[list[tuple[int, int]]], bool] | None = None,
) -> list[tuple[int, int]] | None:
    """Depth-first over the learner's placements in candidate order, keeping the
    Carrousel, distinct departments and required sectors; ``place(r, d)`` says whether
    row r may take department d now (None: no; else a callable that undoes whatever
    ``place`` did, run on backtracking). ``accept(picks)``, where given, has the last
    word on a complete choice (False: search on). Returns [(row, dept)] or None."""
    rows = ix.rows_of[li]
    home = ix.organisations.index(ix.learners[li].home) if ix.learners[li].home else -1
    distinct = ix.scenario.learner_programme(ix.learners[li]).distinct_departments
    max_home = len(rows) - need_away
    if max_home < 0:
        return None
    nodes = 0
    picked: list[tuple[int, int]] = []

    def rec(k: int, at_home: int, missing: frozenset[str]) -> bool:
        nonlocal nodes
        if k == len(rows):
            return not missing and (accept is None or accept(picked))
        rows_left = len(rows) - k
        r = rows[k]
        order = cands[r]
        if missing and len(missing) >= rows_left:  # this placement must cover a sector
            order = [d for d in order if ix.dept_sector[d] in missing]
        for d in order:
            nodes += 1
            if nodes > limit:
                return False
            h = at_home + (ix.dept_org[d] == home)
            if h > max_home or (distinct and any(d == e for _, e in picked)):
                continue
            undo = place(r, d)
            if undo is None:
                continue
            picked.append((r, d))
            if rec(k + 1, h, missing - {ix.dept_sector[d]}):
                return True
            picked.pop()
            undo()
        return False

    return list(picked) if rec(0, 0, frozenset(sectors)) else None
