"""Suggestions that would fix it, each checked by solving the changed scenario again.

Candidates come from elastic solutions (``elastic.py``): one with every rule family
relaxable (the cheapest combined change), and one per family a coordinator can act on
(places = capacity with buddies, travel radius, accepted levels, pins, fair-share
tolerance), with only that family relaxable. Their broken rules become concrete changes
in the vocabulary of variant files (``add_capacity``, ``add_buddies``, ``set_policy``)
plus a few of our own (``buddy_available``, ``set_learner``, ``add_level``,
``remove_pin``). Every candidate is applied to the scenario (rebuilt with
``Scenario.model_validate``) and solved again for the fewest unplaced learners; only
those that help are kept, most learners placed first, then the smallest change.
Programme rules (starter shifts, Carrousel, sectors, distinct departments) are never
suggested away: their fixes are places elsewhere, which the places family finds.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...check import check_plan
from ...models import Plan, RuleId, Scenario, month_ordinal, ordinal_month
from ...models.result import SolveResult
from ..budget import Budget
from ..extract import build_plan
from ..index import build_index
from ..options import SolveOptions
from .elastic import COST, Break, Relaxation, Request, masked_index, relax

R = RuleId
Change = dict[str, Any]
Fix = tuple[RuleId, list[Change], int]  # rule family, changes, effort
FAMILIES: tuple[tuple[RuleId, frozenset[RuleId]], ...] = (
    (R.CAPACITY, frozenset({R.CAPACITY, R.BUDDY})),
    (R.TRAVEL, frozenset({R.TRAVEL})),
    (R.LEVEL, frozenset({R.LEVEL})),
    (R.PIN, frozenset({R.PIN})),
    (R.FAIR_SHARE, frozenset({R.FAIR_SHARE})),
)
MAX_CHECKED = 10


@dataclass
class Suggestion:
    rule: RuleId  # the rule family it relaxes
    changes: list[Change]
    effort: int  # the elastic price of the change
    checked: bool = False
    plan_exists: bool = False
    placed: int = 0  # learners placed after the change
    gain: int = 0  # unplaced learners before minus after (with a plan before)
    places: list[str] = field(default_factory=list)  # learners placed that were not
    unplaced_after: list[str] = field(default_factory=list)
    relaxed: dict[str, list[str]] | None = field(default=None, repr=False)  # its relaxed plan

    @property
    def key(self) -> str:
        return json.dumps(self.changes, sort_keys=True)


# ===== solving for the fewest unplaced learners =========================================
def placement_only(scenario: Scenario) -> Scenario:
    """The scenario with only the ``unplaced`` weight: a fast, exact count of placeable."""
    doc = scenario.model_dump(by_alias=True, mode="json")
    doc["policy"]["weights"] = {"unplaced": 1, "preference": 0, "fair_share": 0, "travel": 0,
                                "buddy_change": 0, "stability": 0}
    return Scenario.model_validate(doc)


def solve_min_unplaced(scenario: Scenario, time_limit: float, workers: int) -> SolveResult:
    """The fewest unplaced learners. With the full LP relaxation (linearization level 2)
    CP-SAT proves this count quickly on a region short of one sector (Twente with a GGZ
    shortage), where the default level leaves the bound open far longer."""
    from ..pipeline import solve

    options = SolveOptions(time_limit=max(0.2, time_limit), workers=workers, quiet=True,
                           linearization_level=2)
    return solve(placement_only(scenario), options)


# ===== changes ===========================================================================
def _months(first: str, last: str) -> list[str]:
    return [ordinal_month(o) for o in range(month_ordinal(first), month_ordinal(last) + 1)]


def _find(rows: list[dict], key: str, value: Any, what: str) -> dict:
    for row in rows:
        if row.get(key) == value:
            return row
    raise KeyError(f"unknown {what} {value!r}")


def _add_capacity(doc: dict, a: dict) -> None:
    dept = _find(doc["departments"], "id", a["department"], "department")
    by_month = dict(dept.get("capacity_by_month") or {})
    for m in _months(a["from"], a["to"]):
        by_month[m] = by_month.get(m, dept["capacity"]) + a["amount"]
    dept["capacity_by_month"] = by_month


def _add_buddies(doc: dict, a: dict) -> None:
    used = {b["id"] for b in doc["buddies"]}
    for _ in range(a["count"]):
        n = 1
        while f"{a['department']}-extra{n}" in used:
            n += 1
        bid = f"{a['department']}-extra{n}"
        used.add(bid)
        doc["buddies"].append({"id": bid, "department": a["department"],
                               "max_learners": a["max_learners"]})


def _buddy_available(doc: dict, a: dict) -> None:
    buddy = _find(doc["buddies"], "id", a["buddy"], "buddy")
    free = set(_months(a["from"], a["to"]))
    buddy["unavailable"] = [m for m in buddy.get("unavailable") or () if m not in free]


def _set_learner(doc: dict, a: dict) -> None:
    learner = _find(doc["learners"], "id", a["learner"], "learner")
    learner.update({k: v for k, v in a.items() if k != "learner"})


def _add_level(doc: dict, a: dict) -> None:
    dept = _find(doc["departments"], "id", a["department"], "department")
    if dept.get("levels") is not None and a["level"] not in dept["levels"]:
        dept["levels"] = sorted([*dept["levels"], a["level"]])


def _remove_pin(doc: dict, a: dict) -> None:
    def same(p: dict) -> bool:
        first = p.get("month") or p.get("from")
        last = p.get("month") or p.get("to") or first
        return (p["learner"], p["department"], first, last) == (
            a["learner"], a["department"], a["from"], a["to"])

    doc["pins"] = [p for p in doc["pins"] if not same(p)]


def _set_policy(doc: dict, a: dict) -> None:
    doc["policy"].update(a)


APPLY: dict[str, Callable[[dict, dict], None]] = {
    "add_capacity": _add_capacity, "add_buddies": _add_buddies,
    "buddy_available": _buddy_available, "set_learner": _set_learner,
    "add_level": _add_level, "remove_pin": _remove_pin, "set_policy": _set_policy,
}  # fmt: skip


def apply_changes(scenario: Scenario, changes: list[Change]) -> Scenario:
    """The scenario with the changes applied, validated again."""
    doc = scenario.model_dump(by_alias=True, mode="json")
    for change in changes:
        ((op, args),) = change.items()
        APPLY[op](doc, args)
    return Scenario.model_validate(doc)


# ===== from broken rules to changes ======================================================
def _dept_changes(s: Scenario, breaks: list[Break]) -> list[Fix]:
    """Per department: extra places (and buddies) in the months the relaxed plan needs."""
    by_dept: dict[str, list[Break]] = defaultdict(list)
    for b in breaks:
        if b.rule in (R.CAPACITY, R.BUDDY):
            by_dept[b.department].append(b)
    out = []
    for dept, bs in sorted(by_dept.items()):
        cap = [b for b in bs if b.rule is R.CAPACITY]
        bud = [b for b in bs if b.rule is R.BUDDY]
        effort = sum(COST[b.rule] * b.amount * len(b.months) for b in bs)
        changes: list[Change] = [
            {"add_capacity": {"department": dept, "amount": amount, "from": ordinal_month(a),
                              "to": ordinal_month(b)}} for a, b, amount in _runs(cap)]
        per = max(1, s.policy.buddy_max_learners)
        if bud:
            need = max(b.amount for b in bud)
            changes.append({"add_buddies": {"department": dept, "count": math.ceil(need / per),
                                            "max_learners": per}})
        out.append((R.CAPACITY if cap else R.BUDDY, changes, effort))
    return out


def _runs(breaks: list[Break]) -> list[tuple[int, int, int]]:
    """Contiguous months as (first, last, largest amount): one change a coordinator reads."""
    need: dict[int, int] = {}
    for b in breaks:
        for o in b.months:
            need[o] = max(need.get(o, 0), b.amount)
    runs: list[list[int]] = []
    for o in sorted(need):
        if runs and o == runs[-1][1] + 1:
            runs[-1][1], runs[-1][2] = o, max(runs[-1][2], need[o])
        else:
            runs.append([o, o, need[o]])
    return [(a, b, n) for a, b, n in runs]


def _leave_changes(s: Scenario, breaks: list[Break]) -> list[Fix]:
    """Alternatives to extra buddies: the buddies on leave stay available."""
    by_dept: dict[str, list[Break]] = defaultdict(list)
    for b in breaks:
        if b.rule is R.BUDDY and b.info.get("away"):
            by_dept[b.department].append(b)
    out = []
    for dept, bud in sorted(by_dept.items()):
        if any(b.rule is R.CAPACITY and b.department == dept for b in breaks):
            continue
        months = sorted({o for b in bud for o in b.months})
        away = sorted({bid for b in bud for bid in b.info["away"]
                       if any(o in s.buddy_unavailable[bid] for o in months)})
        first, last = ordinal_month(months[0]), ordinal_month(months[-1])
        effort = sum(COST[b.rule] * b.amount * len(b.months) for b in bud)
        out.append((R.BUDDY, [{"buddy_available": {"buddy": bid, "from": first, "to": last}}
                              for bid in away], effort))
    return out


def _tolerance_needed(s: Scenario, assignment: dict[str, list[str]]) -> float:
    """The smallest tolerance (whole %) the relaxed plan keeps."""
    hosted: dict[str, int] = defaultdict(int)
    for lid, depts in assignment.items():
        lr = s.learner[lid]
        away = s.learner_unavailable[lid]
        for span, dept in zip(s.planned_spans(lr), depts, strict=True):
            months = sum(1 for o in span.planned if o not in away)
            hosted[s.department[dept].organisation] += months
    total = sum(hosted.values())
    if total == 0:
        return 0.0
    worst = max(abs(hosted[o.id] - s.fte_share(o.id) * total) / (s.fte_share(o.id) * total)
                for o in s.organisations)
    return math.ceil(100 * worst - 1e-6) / 100


def candidates(s: Scenario, rel: Relaxation) -> tuple[list[Fix], list[Fix]]:
    """Concrete changes for the broken rules of one relaxed plan: (fixes that together
    make the relaxed plan valid, alternatives to some of them)."""
    out = _dept_changes(s, rel.breaks)
    travel: dict[str, Break] = {}
    for b in rel.breaks:
        if b.rule is R.TRAVEL and (b.learner not in travel
                                   or b.info["km"] > travel[b.learner].info["km"]):
            travel[b.learner] = b
    for lid, b in sorted(travel.items()):
        km = b.info.get("km", b.value)
        out.append((R.TRAVEL, [{"set_learner": {"learner": lid, "max_travel_km": math.ceil(km)}}],
                    COST[R.TRAVEL] + b.amount))
    levels = sorted({(b.department, int(b.value)) for b in rel.breaks if b.rule is R.LEVEL})
    for dept, level in levels:
        out.append((R.LEVEL, [{"add_level": {"department": dept, "level": level}}],
                    COST[R.LEVEL]))
    for b in rel.breaks:
        if b.rule is R.PIN:
            pin = s.pins[b.info["pin"]]
            out.append((R.PIN, [{"remove_pin": {"learner": pin.learner,
                                                "department": pin.department,
                                                "from": pin.first, "to": pin.last}}],
                        COST[R.PIN]))
    if any(b.rule is R.FAIR_SHARE for b in rel.breaks):
        tol = _tolerance_needed(s, rel.assignment)
        effort = sum(COST[R.FAIR_SHARE] * b.amount for b in rel.breaks
                     if b.rule is R.FAIR_SHARE)
        out.append((R.FAIR_SHARE, [{"set_policy": {"fair_share_tolerance": tol}}], effort))
    return out, _leave_changes(s, rel.breaks)


# ===== checking ==========================================================================
def relaxed_plan(changed: Scenario, assignment: dict[str, list[str]]) -> Plan | None:
    """The relaxed plan in the changed scenario, if the independent checker accepts it."""
    ix = build_index(changed)
    rows: dict[int, str] = {}
    for li, lr in enumerate(ix.learners):
        depts = assignment.get(lr.id)
        if depts is not None and len(depts) == len(ix.rows_of[li]):
            rows.update(zip(ix.rows_of[li], depts, strict=True))
    fixed = {(p.learner, o): p.buddy for p in changed.pins if p.buddy
             for o in range(month_ordinal(p.first), month_ordinal(p.last) + 1)}
    try:
        plan = build_plan(ix, rows, fixed)
    except (KeyError, ValueError):  # no buddy naming: the change does not cover it
        return None
    return plan if not check_plan(changed, plan) else None


def _record(sug: Suggestion, plan: Plan, before: set[str] | None) -> None:
    unplaced = plan.unplaced_learners()
    sug.plan_exists, sug.checked = True, True
    sug.unplaced_after = sorted(unplaced)
    sug.placed = len(plan.placed_learners())
    if before is not None:
        sug.places = sorted(before - unplaced)
        sug.gain = len(before) - len(unplaced)


def check(s: Scenario, sug: Suggestion, before: set[str] | None, limit: float,
          workers: int) -> Suggestion:
    """Apply the change; record whether a plan exists and how many it places.

    A change made from a relaxed plan is first checked exactly and at once: that plan,
    in the changed scenario, through the independent checker. If it places everyone it
    can, that is the answer; otherwise the changed scenario is solved again.
    """
    changed = apply_changes(s, sug.changes)
    if sug.relaxed is not None:
        plan = relaxed_plan(changed, sug.relaxed)
        if plan is not None:
            _record(sug, plan, before)
            if not sug.unplaced_after:
                return sug
    result = solve_min_unplaced(changed, limit, workers)
    sug.checked = True
    found = result.plan
    if found is not None and (not sug.plan_exists
                              or len(found.unplaced_learners()) < len(sug.unplaced_after)):
        _record(sug, found, before)
    return sug


def _families(s: Scenario, request: Request) -> list[tuple[RuleId, frozenset[RuleId]]]:
    """The families whose relaxation can matter for the focus learners."""
    ix = masked_index(s)
    rows = [r for li, lr in enumerate(ix.learners) if lr.id in request.focus
            or (lr.id not in request.keep and ix.forced_placed[li]) for r in ix.rows_of[li]]
    pinned = any(ix.forced_placed[li] and lr.id not in request.keep
                 for li, lr in enumerate(ix.learners))
    has = {
        R.CAPACITY: True,
        R.TRAVEL: any(not ix.masks["travel"][r].all() for r in rows),
        R.LEVEL: any(not ix.masks["level"][r].all() for r in rows),
        R.PIN: pinned,
        R.FAIR_SHARE: s.policy.fair_share_tolerance is not None,
    }
    return [f for f in FAMILIES if has[f[0]]]


def suggest(
    s: Scenario,
    request: Request,
    overall: Relaxation | None,
    *,
    before: set[str] | None,
    seconds: float,
    workers: int,
    hint: Plan | None = None,
) -> tuple[list[Suggestion], int]:
    """Checked suggestions, best first, and how many candidates were checked.

    ``before``: the learners unplaced now (None when no plan exists). A suggestion is
    kept when a plan exists after it and (with a plan now) it places more learners.
    """
    budget = Budget.seconds(seconds)
    families = _families(s, request)
    pool: list[Suggestion] = []
    seen: set[str] = set()

    def add(found: list[Fix], relaxed: dict[str, list[str]] | None = None) -> None:
        for rule, changes, effort in found:
            sug = Suggestion(rule, changes, effort, relaxed=relaxed)
            if changes and sug.key not in seen:
                seen.add(sug.key)
                pool.append(sug)

    def add_relaxation(rel: Relaxation) -> None:
        found, alternatives = candidates(s, rel)
        if found:  # together they make the relaxed plan valid (unless a rule is left)
            add([(found[0][0], [c for _, cs, _ in found for c in cs],
                  sum(e for _, _, e in found))], rel.assignment)
        add(found)
        add(alternatives)

    for k, (_, relaxable) in enumerate(families):
        if overall is not None and overall.found and overall.breaks and all(
                b.rule in relaxable for b in overall.breaks):
            add_relaxation(overall)  # the cheapest overall change lies in this family
            continue
        share = budget.left(at_least=0.0) / (2 * (len(families) - k))
        if share < 0.05:
            break
        rel = relax(s, Request(request.keep, request.focus, relaxable), time_limit=share,
                    hint=hint)
        if rel.found:
            add_relaxation(rel)
    if overall is not None and overall.found:
        add_relaxation(overall)
    checked = 0
    kept = []
    for k, sug in enumerate(pool[:MAX_CHECKED]):
        share = budget.left(at_least=0.0) / (min(len(pool), MAX_CHECKED) - k)
        if share < 0.05:
            break
        check(s, sug, before, 0.8 * share, workers)
        checked += 1
        if sug.plan_exists and (before is None or sug.gain > 0):
            kept.append(sug)
    kept.sort(key=lambda g: (-g.gain, -g.placed, g.effort, len(g.changes)))
    return kept, checked
