"""What the plan page shows and changes: Gantt data, hand moves checked by the checker,
capacity edits, and who moved between two plans. No solver here (the checker's rules)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..check import Violation, check_plan
from ..compare import learner_moves
from ..errors import InputError
from ..models import Plan, PlanRow, RowStatus, Scenario, month_ordinal, ordinal_month
from ..words.messages import Msg
from .workspace import form_error


def gantt_data(scenario: Scenario, plan: Plan, kpis: dict[str, Any] | None) -> dict[str, Any]:
    """Compact JSON for the browser: months, departments, and each learner's segments
    ``[first month index, length, department index (-1: unplaced), buddy, placement, status]``.
    """
    first = month_ordinal(scenario.calendar.start)
    months = [ordinal_month(first + i) for i in range(scenario.calendar.months)]
    depts = [d.id for d in scenario.departments]
    dept_index = {d: i for i, d in enumerate(depts)}
    reasons = {u["learner"]: u for u in (kpis or {}).get("unplaced_learners", [])}
    learners = []
    for lr in scenario.learners:
        rows = plan.by_learner.get(lr.id, [])
        learners.append({
            "id": lr.id, "name": lr.name or "", "programme": lr.programme,
            "home": lr.home or "", "prefs": list(lr.preferences),
            "segs": _segments(rows, first, dept_index),
            "reason": reasons.get(lr.id, {}).get("reason", ""),
        })
    return {
        "months": months,
        "orgs": {o.id: {"name": o.name, "sector": o.sector} for o in scenario.organisations},
        "depts": [[d.id, d.organisation, scenario.department_sector(d.id)]
                  for d in scenario.departments],
        "capacity": [[d.capacity_in(m) for m in months] for d in scenario.departments],
        "learners": learners,
    }


def _segments(rows: list[PlanRow], first: int, dept_index: dict[str, int]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for row in rows:
        at = month_ordinal(row.month) - first
        dept = dept_index.get(row.department, -1) if row.status is not RowStatus.UNPLACED else -1
        key = [dept, row.buddy, row.placement, row.status.value]
        if out and out[-1][2:] == key and out[-1][0] + out[-1][1] == at:
            out[-1][1] += 1
        else:
            out.append([at, 1, *key])
    return out


def organisation_places(scenario: Scenario) -> dict[str, int]:
    """Learner-months each organisation's departments offer over the window (occupancy)."""
    first = month_ordinal(scenario.calendar.start)
    months = [ordinal_month(first + i) for i in range(scenario.calendar.months)]
    out: Counter[str] = Counter()
    for d in scenario.departments:
        out[d.organisation] += sum(d.capacity_in(m) for m in months)
    return dict(out)


# ----- hand moves -----------------------------------------------------------------------
def move_learner(scenario: Scenario, plan: Plan, learner: str, placement: int,
                 department: str) -> Plan:
    """The plan with one placement of ``learner`` in ``department`` (buddies chosen where one
    is free; the checker judges the result, nothing is refused here but unknown ids)."""
    if learner not in scenario.learner:
        raise InputError(Msg("web.unknown_learner", learner=learner[:60]), file="plan")
    if department not in scenario.department:
        raise InputError(Msg("web.unknown_department", department=department[:60]), file="plan")
    spans = {s.index: s for s in scenario.planned_spans(scenario.learner[learner])}
    span = spans.get(placement)
    if span is None or not span.planned:
        raise InputError(Msg("web.no_placement", learner=learner, placement=placement),
                         file="plan")
    months = {ordinal_month(o) for o in span.planned}
    org = scenario.department[department].organisation
    away = set(scenario.learner_unavailable[learner])
    load = _buddy_load(plan, exclude=learner)
    kept = [r for r in plan.rows if not (r.learner == learner and r.month in months)]
    moved = []
    for month in sorted(months):
        if month_ordinal(month) in away:
            moved.append(PlanRow(learner=learner, month=month, organisation=org,
                                 department=department, placement=placement,
                                 status=RowStatus.UNAVAILABLE))
            continue
        buddy = _free_buddy(scenario, department, month, load)
        load[(buddy, month)] += 1
        moved.append(PlanRow(learner=learner, month=month, organisation=org,
                             department=department, buddy=buddy, placement=placement,
                             status=RowStatus.PLACED))
    # an unplaced learner's other placements stay unplaced rows: the checker names them
    return Plan(rows=tuple(sorted(kept + moved, key=lambda r: (r.learner, r.month))))


def _buddy_load(plan: Plan, exclude: str) -> Counter[tuple[str, str]]:
    return Counter((r.buddy, r.month) for r in plan.rows
                   if r.buddy and r.learner != exclude and r.status is RowStatus.PLACED)


def _free_buddy(scenario: Scenario, department: str, month: str,
                load: Counter[tuple[str, str]]) -> str:
    """The available buddy of the department with the most room that month ('' if none)."""
    best, room = "", -1
    for buddy in scenario.buddies_of.get(department, ()):
        if month in buddy.unavailable:
            continue
        free = scenario.buddy_max(buddy) - load[(buddy.id, month)]
        if free > room:
            best, room = buddy.id, free
    return best


def check_draft(scenario: Scenario, plan: Plan) -> list[Violation]:
    """The independent checker on the edited plan: every hard rule it breaks."""
    return check_plan(scenario, plan)


def pin_of(scenario: Scenario, learner: str, placement: int, department: str) -> dict[str, Any]:
    """The pin that holds a hand move in the next re-plan (months of that placement)."""
    span = {s.index: s for s in scenario.planned_spans(scenario.learner[learner])}[placement]
    months = list(span.planned)
    return {"learner": learner, "department": department,
            "from": ordinal_month(months[0]), "to": ordinal_month(months[-1])}


def with_pin(scenario: Scenario, pin: dict[str, Any]) -> Scenario:
    """The scenario with ``pin``, replacing earlier pins of that learner in those months."""
    first, last = month_ordinal(pin["from"]), month_ordinal(pin["to"])
    kept = [p.model_dump(mode="json", by_alias=True, exclude_none=True) for p in scenario.pins
            if not (p.learner == pin["learner"]
                    and month_ordinal(p.first) <= last and month_ordinal(p.last) >= first)]
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["pins"] = [*kept, pin]
    return Scenario.model_validate(data)


def without_pins(scenario: Scenario, pins: list[dict[str, Any]]) -> Scenario:
    """The scenario less the pins given (as :func:`pin_of` made them)."""
    drop = {(p["learner"], p["department"], p["from"], p["to"]) for p in pins}
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["pins"] = [p for p in data.get("pins", [])
                    if (p["learner"], p["department"], p.get("from"), p.get("to")) not in drop]
    return Scenario.model_validate(data)


def with_capacity(scenario: Scenario, department: str, first: str, last: str,
                  capacity: int) -> Scenario:
    """The scenario with ``department``'s capacity set to ``capacity`` from first to last."""
    if department not in scenario.department:
        raise form_error(Msg("web.unknown_department", department=department[:60]),
                         table="departments")
    if capacity < 0:
        raise form_error(Msg("web.capacity_min"), table="departments")
    try:
        lo, hi = month_ordinal(first), month_ordinal(last)
    except ValueError as exc:
        raise form_error(Msg("web.month", problem=exc.args[0] if exc.args else str(exc)),
                         table="departments") from None
    if hi < lo:
        raise form_error(Msg("web.before", last=last, first=first), table="departments")
    if hi - lo > 120:
        raise form_error(Msg("web.at_most_months", n=120), table="departments")
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    for dept in data["departments"]:
        if dept["id"] == department:
            by_month = dict(dept.get("capacity_by_month") or {})
            by_month.update({ordinal_month(o): capacity for o in range(lo, hi + 1)})
            dept["capacity_by_month"] = by_month
    return Scenario.model_validate(data)


def moved_counts(before: Plan, after: Plan) -> dict[str, Any]:
    """Learners and learner-months in another department than in ``before`` (compare.py)."""
    moves = learner_moves(before, after)
    months = sum(m.months for segs in moves.moved.values() for m in segs)
    return {"learners": len(moves.moved), "months": months,
            "who": {lid: [[m.before, m.after, m.first, m.last] for m in segs]
                    for lid, segs in moves.moved.items()}}
