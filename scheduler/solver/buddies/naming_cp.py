"""Exact buddy naming for one department: the fewest changes the buddies' loads allow.

Used only where the month-by-month naming (``buddies._name_department``) needs more
changes than the per-placement minimum. One boolean per learner-month and available
buddy with room; each present month names one buddy, no buddy exceeds ``max_learners``,
pins and frozen months keep their buddy, and a change between two consecutive present
months of a placement costs 1. Departments are small, so this is solved in milliseconds;
if the time limit ends the search first, the better of the two namings is kept.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ...models import Scenario
from ..cp import new_solver

TIME_LIMIT = 5.0


def changes(named: dict[tuple[str, int], str], items) -> int:
    """Buddy changes inside the placements ``items`` (learner, placement, months)."""
    return sum(
        named[(learner, a)] != named[(learner, b)]
        for learner, _, months in items
        for a, b in zip(months, months[1:], strict=False)
    )


def name_department_exact(
    s: Scenario,
    dept: str,
    items: list[tuple[str, int, list[int]]],
    fixed: dict[tuple[str, int], str],
    start: dict[tuple[str, int], str],
    lower: int,
) -> dict[tuple[str, int], str]:
    """``start`` is a valid naming (the hint and fallback); ``lower`` a bound on changes."""
    buddies = [b.id for b in s.buddies_of[dept] if s.buddy_max(b) > 0]
    cap = {b: s.buddy_max(s.buddy[b]) for b in buddies}
    model = cp_model.CpModel()
    y: dict[tuple[str, int], dict[str, cp_model.IntVar]] = {}
    load: dict[tuple[str, int], list] = defaultdict(list)
    for learner, _, months in items:
        for m in months:
            pin = fixed.get((learner, m))
            options = [pin] if pin else [
                b for b in buddies if m not in s.buddy_unavailable[b]
            ]
            y[(learner, m)] = {b: model.new_bool_var("") for b in options}
            model.add_exactly_one(y[(learner, m)].values())
            for b, v in y[(learner, m)].items():
                load[(b, m)].append(v)
                model.add_hint(v, start[(learner, m)] == b)
    for (b, _), vs in load.items():
        model.add(sum(vs) <= cap.get(b, len(vs)))
    cost = []
    for learner, _, months in items:
        for a, nxt in zip(months, months[1:], strict=False):
            change = model.new_bool_var("")
            model.add_hint(change, start[(learner, a)] != start[(learner, nxt)])
            for b, v in y[(learner, a)].items():
                keep = y[(learner, nxt)].get(b)
                model.add(change >= v - keep if keep is not None else change >= v)
            cost.append(change)
    model.minimize(sum(cost))
    model.add(sum(cost) >= lower)
    solver = new_solver()
    solver.parameters.max_time_in_seconds = TIME_LIMIT
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start
    named = {
        key: next(b for b, v in vs.items() if solver.value(v)) for key, vs in y.items()
    }
    return named if changes(named, items) < changes(start, items) else start
