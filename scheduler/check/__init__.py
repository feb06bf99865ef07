"""The independent checker: every hard rule (docs/rules.md), re-checked from Scenario + Plan.

It trusts nothing from the solver and imports nothing from it (a test scans the imports):
``check`` runs it on a plan read from ``plan.csv``, also a hand-edited one. All violations
are collected, not just the first. The plan is grouped once (:class:`PlanView`, in
``view.py``); each rule is one small ``check_<rule>`` function (rule 1 and pins in
``placement.py``, the others in ``rules.py``), registered in :data:`CHECKS` in the order
of docs/rules.md.

Conventions (documented in the README): a learner is placed in full or unplaced; a placed
learner's own unavailable month has status ``unavailable`` (department kept, no buddy, no
capacity used); pin months outside the learner's planned months are ignored; rules 4, 7
and 8 judge every department a placement's rows name; rules 5 and 6 count the ``history``
departments together with the first department of each planned placement; malformed rows
(unknown ids, missing, extra or duplicate months, wrong index, mixed statuses) are rule 1
(``RuleId.PLACEMENT``) and are skipped by the other rules where they cannot be judged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..models import Plan, RuleId, Scenario
from .placement import check_pins, check_placement
from .rules import (
    check_buddy,
    check_capacity,
    check_carrousel,
    check_distinct_departments,
    check_fair_share,
    check_level,
    check_required_sectors,
    check_starter_shifts,
    check_travel,
)
from .view import PlanView, Violation

__all__ = ["CHECKS", "CheckFn", "PlanView", "Violation", "check_plan"]

CheckFn = Callable[[PlanView], Iterable[Violation]]

#: Every rule's check, in the order of docs/rules.md. A test asserts each RuleId is registered.
CHECKS: tuple[tuple[RuleId, CheckFn], ...] = (
    (RuleId.PLACEMENT, check_placement),
    (RuleId.PIN, check_pins),
    (RuleId.CAPACITY, check_capacity),
    (RuleId.BUDDY, check_buddy),
    (RuleId.STARTER_SHIFTS, check_starter_shifts),
    (RuleId.CARROUSEL, check_carrousel),
    (RuleId.REQUIRED_SECTORS, check_required_sectors),
    (RuleId.DISTINCT_DEPARTMENTS, check_distinct_departments),
    (RuleId.LEVEL, check_level),
    (RuleId.TRAVEL, check_travel),
    (RuleId.FAIR_SHARE, check_fair_share),
)


def check_plan(scenario: Scenario, plan: Plan) -> list[Violation]:
    """Every violation of a hard rule in the plan (empty: the plan satisfies every hard rule)."""
    view = PlanView(scenario, plan)
    return [violation for _, check in CHECKS for violation in check(view)]
