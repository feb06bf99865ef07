"""Naming buddies (werkbegeleiders) after the placements are fixed (docs/rules.md#buddy).

The model guarantees, per department and month, learners present ≤ Σ max_learners of
the available buddies, so a naming always exists. We name month by month, keeping a
learner's buddy while it is available and has room; otherwise we take the available
buddy with room whose availability covers the longest run of the learner's remaining
months. ``min_switches`` is the fewest changes a placement needs when loads don't bind:
the model charges it per candidate, so the objective is exact whenever naming reaches it.
Where the month-by-month naming of a department needs more changes than that, the
department is named again by a small exact model (``naming_cp``), which keeps the fewest
changes the buddies' loads allow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ...models import Scenario
from .naming_cp import changes, name_department_exact


def min_switches(s: Scenario, dept: str, months: Sequence[int]) -> int:
    """Fewest buddy changes to cover ``months`` (ordinals, ascending) in ``dept``."""
    if not months:
        return 0
    buddies = [b for b in s.buddies_of[dept] if s.buddy_max(b) > 0]
    away = [s.buddy_unavailable[b.id] for b in buddies]
    if not any(away_set.intersection(months) for away_set in away):
        return 0
    switches, i = -1, 0
    while i < len(months):
        best = max((_covered(a, months, i) for a in away), default=0)
        if best == 0:
            return 0  # no buddy at all that month: the placement is not a candidate
        switches += 1
        i += best
    return switches


def _covered(away: frozenset[int], months: Sequence[int], start: int) -> int:
    n = 0
    for m in months[start:]:
        if m in away:
            break
        n += 1
    return n


def name_buddies_by_department(
    s: Scenario,
    placements: list[tuple[str, int, str, list[int]]],
    fixed: dict[tuple[str, int], str],
) -> dict[tuple[str, int], str]:
    """``placements``: (learner, placement index, department, present ordinals)."""
    by_dept: dict[str, list[tuple[str, int, list[int]]]] = defaultdict(list)
    for learner, p, dept, months in placements:
        if months:
            by_dept[dept].append((learner, p, months))
    named: dict[tuple[str, int], str] = {}
    for dept in sorted(by_dept):
        items = by_dept[dept]
        greedy = _name_department(s, dept, items, fixed)
        lower = sum(min_switches(s, dept, months) for _, _, months in items)
        if changes(greedy, items) > lower:
            greedy = name_department_exact(s, dept, items, fixed, greedy, lower)
        named.update(greedy)
    return named


def _name_department(s, dept, items, fixed) -> dict[tuple[str, int], str]:
    buddies = [b for b in s.buddies_of[dept] if s.buddy_max(b) > 0]
    cap = {b.id: s.buddy_max(b) for b in buddies}
    away = {b.id: s.buddy_unavailable[b.id] for b in buddies}
    at: dict[int, list[tuple[str, int, list[int], int]]] = defaultdict(list)
    for learner, p, months in items:
        for k, m in enumerate(months):
            at[m].append((learner, p, months, k))
    named: dict[tuple[str, int], str] = {}
    current: dict[tuple[str, int], str] = {}
    for m in sorted(at):
        load: dict[str, int] = defaultdict(int)
        todo = sorted(at[m], key=lambda it: (it[0], it[1]))
        rest = []
        for it in todo:  # pins and frozen months first
            b = fixed.get((it[0], m))
            if b is not None:
                named[(it[0], m)] = current[(it[0], it[1])] = b
                load[b] += 1
            else:
                rest.append(it)
        later = []
        for it in rest:  # keep last month's buddy while available and with room
            b = current.get((it[0], it[1]))
            if b is not None and m not in away[b] and load[b] < cap[b]:
                named[(it[0], m)] = b
                load[b] += 1
            else:
                later.append(it)
        for learner, p, months, k in later:
            free = [b.id for b in buddies if m not in away[b.id] and load[b.id] < cap[b.id]]
            if not free:
                raise RuntimeError(f"no buddy left in {dept} (model/naming mismatch)")
            b = max(free, key=lambda bid: (_covered(away[bid], months, k), -load[bid], bid))
            named[(learner, m)] = current[(learner, p)] = b
            load[b] += 1
    return named
