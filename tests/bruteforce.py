"""Brute force over tiny scenarios: every valid plan, and the best objective among them.

Each learner is unplaced or gets one department per planned placement. A learner's
options are pruned with ``check_plan`` on a plan holding that learner alone (rules 4–8 and
pins only look at the learner's own rows; capacity 0 or no buddy at all rule an option
out too), the combination with the department capacities (min of capacity and buddy
capacity, a necessary condition for rules 2 and 3), and every plan is finally accepted
only when ``check_plan`` finds nothing. So the enumerator trusts the checker; the solver
tests compare the solver against it.

Buddies are named by :func:`name_buddies`: pinned buddies first, then placements in order
of their first present month, each one buddy with room for all its present months
(greedy interval colouring), else month by month. With always-available buddies, no
unavailable learner months and no pinned buddies (``strategies.scenarios(simple_buddies=
True)``) this names buddies without any buddy change whenever the departments allow a
plan, so :func:`best_objective` is the exact optimum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from itertools import product

from scheduler.check import Violation, check_plan
from scheduler.models import Learner, Plan, RuleId, Scenario, month_ordinal

from .factories import build_plan

Option = tuple[str, ...] | None  # a department per planned placement, or None: unplaced
Assignment = dict[str, Option]
Cell = tuple[str, int]  # (department or buddy, month ordinal)


def present_cells(scenario: Scenario, learner: Learner, option: Option) -> list[Cell]:
    """(department, month) of every month the learner is placed and not unavailable."""
    if option is None:
        return []
    away = scenario.learner_unavailable[learner.id]
    spans = scenario.planned_spans(learner)
    return [(d, o) for span, d in zip(spans, option, strict=True) for o in span.planned
            if o not in away]


def _pinned_buddies(scenario: Scenario, assignment: Assignment) -> Iterator[tuple[str, int, str]]:
    """(learner, month, buddy) the pins force, in months where the pinned department holds."""
    for pin in scenario.pins:
        option = assignment.get(pin.learner)
        if pin.buddy is None or option is None:
            continue
        learner = scenario.learner[pin.learner]
        pinned = range(month_ordinal(pin.first), month_ordinal(pin.last) + 1)
        for d, o in present_cells(scenario, learner, option):
            if o in pinned and d == pin.department:
                yield pin.learner, o, pin.buddy


class _Buddies:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.load: Counter[Cell] = Counter()
        self.named: dict[tuple[str, int], str] = {}

    def fits(self, buddy: str, o: int) -> bool:
        b = self.s.buddy[buddy]
        return (o not in self.s.buddy_unavailable[buddy]
                and self.load[(buddy, o)] < self.s.buddy_max(b))

    def take(self, learner: str, o: int, buddy: str) -> None:
        self.named[(learner, o)] = buddy
        self.load[(buddy, o)] += 1

    def name_placement(self, learner: str, dept: str, months: list[int]) -> bool:
        todo = [o for o in months if (learner, o) not in self.named]
        prefer = [self.named[(learner, o)] for o in months if (learner, o) in self.named]
        candidates = list(dict.fromkeys([*prefer, *(b.id for b in self.s.buddies_of[dept])]))
        whole = next((b for b in candidates if all(self.fits(b, o) for o in todo)), None)
        last = whole or (prefer[0] if prefer else None)
        for o in todo:
            if last is None or not self.fits(last, o):
                last = next((b for b in candidates if self.fits(b, o)), None)
                if last is None:
                    return False
            self.take(learner, o, last)
        return True


def name_buddies(scenario: Scenario, assignment: Assignment) -> dict[tuple[str, int], str] | None:
    """A buddy for every present month of the assignment, or None when there is none."""
    book = _Buddies(scenario)
    for lid, o, bid in _pinned_buddies(scenario, assignment):
        if (lid, o) in book.named:
            if book.named[(lid, o)] != bid:
                return None  # two pins name different buddies for one month
            continue
        if bid not in scenario.buddy or not book.fits(bid, o):
            return None
        book.take(lid, o, bid)
    placements = []
    for lid, option in assignment.items():
        if option is None:
            continue
        learner = scenario.learner[lid]
        away = scenario.learner_unavailable[lid]
        for span, dept in zip(scenario.planned_spans(learner), option, strict=True):
            months = [o for o in span.planned if o not in away]
            if months:
                placements.append((months[0], lid, dept, months))
    for _, lid, dept, months in sorted(placements):
        if not book.name_placement(lid, dept, months):
            return None
    return book.named


def _concerns(violation: Violation, learner_id: str) -> bool:
    """Does a violation of a one-learner plan rule this learner's option out?"""
    if violation.rule is RuleId.FAIR_SHARE:
        return False  # a global rule: decided on the whole plan
    if violation.rule is RuleId.PLACEMENT and violation.learner == learner_id:
        raise AssertionError(f"build_plan wrote a malformed row: {violation}")
    # the other learners are absent from a one-learner plan (missing rows, their pins);
    # capacity and buddy load name no learner and here count this learner alone
    return violation.rule is not RuleId.PLACEMENT and violation.learner in ("", learner_id)


def _feasible_alone(scenario: Scenario, learner: Learner, option: Option) -> bool:
    cells = present_cells(scenario, learner, option)
    if any(scenario.effective_capacity(d, o) < 1 for d, o in cells):
        return False
    assignment: Assignment = {learner.id: option}
    buddies = name_buddies(scenario, assignment)
    if buddies is None:
        return False
    plan = build_plan(scenario, assignment, buddies)
    return not any(_concerns(v, learner.id) for v in check_plan(scenario, plan))


def learner_options(scenario: Scenario, learner: Learner) -> list[Option]:
    """The learner's options that break no rule on their own: placed ones first."""
    n = len(scenario.planned_spans(learner))
    if n == 0:
        return [None]  # nothing to plan: no rows
    candidates: list[Option] = [*product(scenario.department, repeat=n), None]
    return [opt for opt in candidates if _feasible_alone(scenario, learner, opt)]


def enumerate_plans(scenario: Scenario) -> Iterator[Plan]:
    """Every plan (with buddies named by :func:`name_buddies`) that ``check_plan`` accepts."""
    learners = list(scenario.learners)
    options = [learner_options(scenario, lr) for lr in learners]
    cells = [[present_cells(scenario, lr, opt) for opt in opts]
             for lr, opts in zip(learners, options, strict=True)]
    capacity = {
        cell: scenario.effective_capacity(*cell)
        for per_learner in cells for per_option in per_learner for cell in per_option
    }
    load: Counter[Cell] = Counter()
    chosen: Assignment = {}

    def search(i: int) -> Iterator[Plan]:
        if i == len(learners):
            buddies = name_buddies(scenario, chosen)
            if buddies is not None:
                plan = build_plan(scenario, chosen, buddies)
                if not check_plan(scenario, plan):
                    yield plan
            return
        for option, need in zip(options[i], cells[i], strict=True):
            if all(load[c] < capacity[c] for c in need):
                load.update(need)
                chosen[learners[i].id] = option
                yield from search(i + 1)
                load.subtract(need)
        chosen.pop(learners[i].id, None)

    yield from search(0)


def best_objective(
    scenario: Scenario, objective_fn: Callable[[Scenario, Plan], float]
) -> tuple[float, set[str]] | None:
    """(min objective over all valid plans, learners placed in at least one valid plan);
    None when no plan satisfies the hard rules."""
    best: float | None = None
    placeable: set[str] = set()
    for plan in enumerate_plans(scenario):
        value = objective_fn(scenario, plan)
        best = value if best is None else min(best, value)
        placeable |= plan.placed_learners()
    return None if best is None else (best, placeable)
