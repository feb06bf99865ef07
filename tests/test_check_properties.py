"""Property tests of the checker: valid plans of random tiny scenarios (from the brute-force
enumerator), each broken in one way, must be reported under the expected RuleId."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from scheduler.check import check_plan
from scheduler.models import Plan, PlanRow, RowStatus, RuleId, Scenario, month_ordinal

from .bruteforce import best_objective, enumerate_plans
from .factories import build_plan, department, learner, programme, world, world_dict
from .strategies import scenarios

T = TypeVar("T")
Pick = Callable[[Sequence[T]], T]
Broken = tuple[Scenario, Plan] | None


# ----- small plan and scenario edits -------------------------------------------------------
def _rows(plan: Plan, status: RowStatus | None = RowStatus.PLACED) -> list[PlanRow]:
    return [r for r in plan.rows if status is None or r.status is status]


def _edit(plan: Plan, target: PlanRow, **changes: Any) -> Plan:
    new = PlanRow.model_validate({**target.model_dump(), **changes})
    return Plan(rows=tuple(new if r is target else r for r in plan.rows))


def _move_placement(s: Scenario, plan: Plan, learner_id: str, index: int, dept: str) -> Plan:
    """The learner's placement ``index`` moved to ``dept`` (first available buddy named)."""
    def moved(r: PlanRow) -> PlanRow:
        if r.learner != learner_id or r.placement != index or r.status is RowStatus.UNPLACED:
            return r
        buddy = ""
        if r.status is RowStatus.PLACED:
            o = month_ordinal(r.month)
            buddy = next((b.id for b in s.buddies_of[dept] if o not in s.buddy_unavailable[b.id]),
                         "")
        return PlanRow.model_validate({**r.model_dump(), "department": dept, "buddy": buddy,
                                       "organisation": s.department[dept].organisation})
    return Plan(rows=tuple(moved(r) for r in plan.rows))


def _rebuild(s: Scenario, table: str, key: str, value: str, **changes: Any) -> Scenario:
    """The scenario with the entity ``table[key == value]`` changed."""
    data = s.model_dump(by_alias=True)
    data[table] = [{**e, **changes} if e[key] == value else e for e in data[table]]
    return Scenario.model_validate(data)


def _with(s: Scenario, **top: Any) -> Scenario:
    data = s.model_dump(by_alias=True)
    for k, v in top.items():
        data[k] = {**data[k], **v} if isinstance(v, dict) else v
    return Scenario.model_validate(data)


def _load(plan: Plan, dept: str, month: str) -> int:
    return sum(1 for r in _rows(plan) if r.department == dept and r.month == month)


# ----- one injection per kind of violation -----------------------------------------------
def inject_full_department(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """Move a placement into a department that is full (or closed) in one of its months."""
    options = [(r, d) for r in _rows(plan) for d in s.department if d != r.department
               and _load(plan, d, r.month) >= s.department_capacity(d, month_ordinal(r.month))]
    if not options:
        return None
    row, dept = pick(options)
    return s, _move_placement(s, plan, row.learner, row.placement, dept)


def inject_drop_buddy(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rows = _rows(plan)
    return (s, _edit(plan, pick(rows), buddy="")) if rows else None


def inject_buddy_of_other_department(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    options = [(r, b.id) for r in _rows(plan) for b in s.buddies if b.department != r.department]
    if not options:
        return None
    row, bid = pick(options)
    return s, _edit(plan, row, buddy=bid)


def inject_unavailable_buddy(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """The named buddy turns out to be on leave that month."""
    rows = _rows(plan)
    if not rows:
        return None
    row = pick(rows)
    leave = (*s.buddy[row.buddy].unavailable, row.month)
    return _rebuild(s, "buddies", "id", row.buddy, unavailable=list(leave)), plan


def inject_buddy_overload(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """The named buddy may guide one learner fewer than it guides that month."""
    rows = _rows(plan)
    if not rows:
        return None
    row = pick(rows)
    load = sum(1 for r in rows if r.buddy == row.buddy and r.month == row.month)
    return _rebuild(s, "buddies", "id", row.buddy, max_learners=load - 1), plan


def inject_starter_in_rotating(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rotating = [d for d in s.department if not s.is_fixed(d)]
    options = [
        (lid, span.index, d)
        for lid in sorted(plan.placed_learners())
        for span in s.planned_spans(s.learner[lid])
        if s.needs_fixed_shifts(s.learner[lid], span)
        for d in rotating
    ]
    if not options:
        return None
    lid, index, dept = pick(options)
    return s, _move_placement(s, plan, lid, index, dept)


def inject_department_change(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """One month of a placement (not its first row) in another department."""
    seen: set[tuple[str, int]] = set()
    options = []
    for r in sorted(_rows(plan, None), key=lambda r: (r.learner, r.month)):
        key = (r.learner, r.placement)
        if r.status is not RowStatus.UNPLACED and key in seen:
            options += [(r, d) for d in s.department if d != r.department]
        seen.add(key)
    if not options:
        return None
    row, dept = pick(options)
    org = s.department[dept].organisation
    return s, _edit(plan, row, department=dept, organisation=org, buddy="")


def inject_delete_row(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rows = _rows(plan, None)
    if not rows:
        return None
    row = pick(rows)
    return s, Plan(rows=tuple(r for r in plan.rows if r is not row))


def inject_duplicate_row(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rows = _rows(plan, None)
    return (s, Plan(rows=(*plan.rows, pick(rows)))) if rows else None


def inject_unplace_one_month(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """One month of a placed learner unplaced (placed in part): needs a second row."""
    count = Counter(r.learner for r in plan.rows)
    rows = [r for r in _rows(plan, None)
            if r.status is not RowStatus.UNPLACED and count[r.learner] > 1]
    if not rows:
        return None
    return s, _edit(plan, pick(rows), status="unplaced", organisation="", department="", buddy="")


def inject_wrong_index(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rows = _rows(plan, None)
    if not rows:
        return None
    row = pick(rows)
    return s, _edit(plan, row, placement=row.placement + 1)


def inject_wrong_organisation(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rows = [r for r in _rows(plan, None) if r.status is not RowStatus.UNPLACED]
    return (s, _edit(plan, pick(rows), organisation="ZZ")) if rows else None


def inject_unavailable_status(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rows = _rows(plan)
    return (s, _edit(plan, pick(rows), status="unavailable", buddy="")) if rows else None


def inject_unknown_learner(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rows = _rows(plan, None)
    if not rows:
        return None
    extra = PlanRow.model_validate({**pick(rows).model_dump(), "learner": "X0"})
    return s, Plan(rows=(*plan.rows, extra))


def inject_level(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """The department of a placement stops accepting the learner's level."""
    rows = [r for r in _rows(plan, None) if r.status is not RowStatus.UNPLACED]
    if not rows:
        return None
    row = pick(rows)
    s = _rebuild(s, "departments", "id", row.department, levels=[9])
    if s.learner[row.learner].level is None:
        s = _rebuild(s, "learners", "id", row.learner, level=3)
    return s, plan


def inject_travel(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """The learner moves ~170 km north, with a 10 km limit."""
    learners = sorted(plan.placed_learners())
    if not learners:
        return None
    lid = pick(learners)
    return _rebuild(s, "learners", "id", lid, lat=53.9, lon=6.0, max_travel_km=10), plan


def inject_distinct(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """A planned placement's department also appears in the learner's history."""
    rows = [r for r in _rows(plan, None) if r.status is not RowStatus.UNPLACED]
    if not rows:
        return None
    row = pick(rows)
    lr = s.learner[row.learner]
    s = _rebuild(s, "learners", "id", lr.id, history=[*lr.history, row.department])
    return _rebuild(s, "programmes", "id", lr.programme, distinct_departments=True), plan


def inject_carrousel(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    learners = sorted(plan.placed_learners())
    if not learners:
        return None
    lr = s.learner[pick(learners)]
    need = len(s.placement_spans(lr)) + len(lr.history) + 1
    return _rebuild(s, "programmes", "id", lr.programme, carrousel_min_away=need), plan


def inject_required_sector(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    learners = sorted(plan.placed_learners())
    if not learners:
        return None
    lr = s.learner[pick(learners)]
    sectors = [*s.programme[lr.programme].required_sectors, "ZZZ"]
    return _rebuild(s, "programmes", "id", lr.programme, required_sectors=sectors), plan


def inject_pin_elsewhere(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    options = [(r, d) for r in _rows(plan, None) if r.status is not RowStatus.UNPLACED
               for d in s.department if d != r.department]
    if not options:
        return None
    row, dept = pick(options)
    pin = {"learner": row.learner, "month": row.month, "department": dept}
    return _with(s, pins=[*s.model_dump(by_alias=True)["pins"], pin]), plan


def inject_pin_unplaced(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    rows = _rows(plan, RowStatus.UNPLACED)
    if not rows:
        return None
    row = pick(rows)
    pin = {"learner": row.learner, "month": row.month, "department": pick(list(s.department))}
    return _with(s, pins=[*s.model_dump(by_alias=True)["pins"], pin]), plan


def inject_fair_share(s: Scenario, plan: Plan, pick: Pick) -> Broken:
    """Tolerance 0 on a plan whose hosted months are not exactly FTE-proportional."""
    hosted = Counter(r.organisation for r in _rows(plan))
    total = sum(hosted.values())
    if total == 0 or len(s.organisations) < 2:
        return None
    if all(abs(hosted[o.id] - total * s.fte_share(o.id)) < 1e-6 for o in s.organisations):
        org = pick(sorted(hosted))
        s = _rebuild(s, "organisations", "id", org, fte_care=s.organisation[org].fte_care * 2)
    return _with(s, policy={"fair_share_tolerance": 0.0}), plan


INJECTIONS: dict[str, tuple[RuleId, Callable[[Scenario, Plan, Pick], Broken]]] = {
    "full department": (RuleId.CAPACITY, inject_full_department),
    "drop a buddy": (RuleId.BUDDY, inject_drop_buddy),
    "buddy of another department": (RuleId.BUDDY, inject_buddy_of_other_department),
    "unavailable buddy": (RuleId.BUDDY, inject_unavailable_buddy),
    "buddy over max_learners": (RuleId.BUDDY, inject_buddy_overload),
    "starter in a rotating department": (RuleId.STARTER_SHIFTS, inject_starter_in_rotating),
    "department change inside a placement": (RuleId.PLACEMENT, inject_department_change),
    "delete a row": (RuleId.PLACEMENT, inject_delete_row),
    "duplicate a row": (RuleId.PLACEMENT, inject_duplicate_row),
    "unplace one month": (RuleId.PLACEMENT, inject_unplace_one_month),
    "wrong placement index": (RuleId.PLACEMENT, inject_wrong_index),
    "wrong organisation": (RuleId.PLACEMENT, inject_wrong_organisation),
    "unavailable status in an available month": (RuleId.PLACEMENT, inject_unavailable_status),
    "row of an unknown learner": (RuleId.PLACEMENT, inject_unknown_learner),
    "level not accepted": (RuleId.LEVEL, inject_level),
    "too far to travel": (RuleId.TRAVEL, inject_travel),
    "department twice": (RuleId.DISTINCT_DEPARTMENTS, inject_distinct),
    "too few placements away": (RuleId.CARROUSEL, inject_carrousel),
    "required sector missing": (RuleId.REQUIRED_SECTORS, inject_required_sector),
    "pinned elsewhere": (RuleId.PIN, inject_pin_elsewhere),
    "pinned learner unplaced": (RuleId.PIN, inject_pin_unplaced),
    "fair share off": (RuleId.FAIR_SHARE, inject_fair_share),
}


def _first_plans(s: Scenario, n: int = 3) -> list[Plan]:
    return list(islice(enumerate_plans(s), n))


# ----- every injection applies somewhere (deterministic) ----------------------------------
def _rich_world() -> Scenario:
    # world() plus A-3 (fixed, capacity 2, buddy a3 for 2); programme p has one starter
    # month in a fixed department; L1 and L2 (BOL, a month later) can be placed; L3 never
    # (its programme needs sector ZZZ, which no department has), so it has unplaced rows.
    depts = [*world_dict()["departments"], department("A-3", "A", capacity=2)]
    return world(
        departments=depts,
        buddies=[{"id": "a1", "department": "A-1", "max_learners": 1},
                 {"id": "a2", "department": "A-2", "max_learners": 1},
                 {"id": "a3", "department": "A-3", "max_learners": 2},
                 {"id": "b1", "department": "B-1", "max_learners": 1}],
        programmes=[programme(starter_fixed_shifts_months=1),
                    programme("q", (2,), required_sectors=["ZZZ"])],
        learners=[learner("L1", level=3), learner("L2", home=None, start="2027-10"),
                  learner("L3", programme="q")],
    )


@pytest.mark.parametrize("kind", sorted(INJECTIONS))
def test_each_injection_is_reported_on_a_fixed_world(kind: str) -> None:
    rule, inject = INJECTIONS[kind]
    s = _rich_world()
    plans = [p for p in _first_plans(s, 5) if len(p.placed_learners()) == 2]
    assert plans, "the rich world has valid plans placing L1 and L2"
    broken = inject(s, plans[0], lambda seq: seq[0])
    assert broken is not None, f"{kind} does not apply to the rich world"
    assert check_plan(s, plans[0]) == []
    found = check_plan(*broken)
    assert rule in {v.rule for v in found}, [str(v) for v in found]


# ----- random tiny scenarios ---------------------------------------------------------------
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data(), simple=st.booleans())
def test_injected_violations_are_reported(data: st.DataObject, simple: bool) -> None:
    s = data.draw(scenarios(simple_buddies=simple), label="scenario")
    plans = _first_plans(s)
    assume(plans)
    plan = data.draw(st.sampled_from(plans), label="plan")
    assert check_plan(s, plan) == []

    def pick(seq: Sequence[T]) -> T:
        return data.draw(st.sampled_from(seq))

    applied = 0
    for kind, (rule, inject) in INJECTIONS.items():
        broken = inject(s, plan, pick)
        if broken is None:
            continue
        applied += 1
        found = check_plan(*broken)
        note(f"{kind}: {[str(v) for v in found]}")
        assert rule in {v.rule for v in found}, kind
    # deleting, duplicating and re-indexing a row apply to every plan that has rows
    assert applied >= 3 or not plan.rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_row_order_does_not_matter(data: st.DataObject) -> None:
    s = data.draw(scenarios())
    plans = _first_plans(s, 1)
    assume(plans)
    shuffled = data.draw(st.permutations(plans[0].rows))
    broken = Plan(rows=tuple(shuffled[1:]))  # drop one row too, so there is something to find
    in_order = Plan(rows=tuple(sorted(broken.rows, key=lambda r: (r.learner, r.month))))
    assert check_plan(s, broken) == check_plan(s, in_order)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=scenarios(simple_buddies=True))
def test_simple_buddies_are_named_once_per_placement(s: Scenario) -> None:
    for plan in islice(enumerate_plans(s), 20):
        buddies: dict[tuple[str, int], set[str]] = {}
        for r in _rows(plan):
            buddies.setdefault((r.learner, r.placement), set()).add(r.buddy)
        assert all(len(b) == 1 for b in buddies.values())


# ----- the enumerator itself on hand-counted worlds ----------------------------------------
def test_enumerator_finds_every_plan_of_the_default_world() -> None:
    # L1 (level 3) takes 2 distinct departments of, B-1 in order (3 * 2 = 6), or
    # is unplaced: 7 plans.
    s = world()
    plans = list(enumerate_plans(s))
    assert len(plans) == 7
    assert build_plan(s, {"L1": None}) in plans
    assert best_objective(s, lambda _s, p: len(p.unplaced_learners())) == (0, {"L1"})


def test_enumerator_respects_capacity_between_learners() -> None:
    # two learners, one placement of 2 months each, three departments of capacity 1:
    # 3 * 2 ordered pairs of distinct departments, 3 + 3 with one unplaced, 1 with both.
    s = world(programmes=[programme(placements=(2,))],
              learners=[learner("L1", level=3), learner("L2", level=3)])
    assert len(list(enumerate_plans(s))) == 6 + 6 + 1


def test_best_objective_is_none_without_any_valid_plan() -> None:
    s = world(pins=[{"learner": "L1", "month": "2027-09", "department": "A-2"}],
              programmes=[programme(starter_fixed_shifts_months=1)])
    assert best_objective(s, lambda _s, p: 0.0) is None



@st.composite
def _garbage_rows(draw: st.DrawFn, s: Scenario) -> Plan:
    """Rows mixing known and unknown ids, months, statuses and indices."""
    months = [*s.calendar.month_list(), "2026-01"]
    learners = [*s.learner, "X0"]
    depts = [*s.department, "X-D", ""]
    buddies = [*s.buddy, "x-b", ""]
    orgs = [*s.organisation, "X-O", ""]
    rows = draw(st.lists(st.builds(
        PlanRow,
        learner=st.sampled_from(learners), month=st.sampled_from(months),
        organisation=st.sampled_from(orgs), department=st.sampled_from(depts),
        buddy=st.sampled_from(buddies), placement=st.integers(1, 4),
        status=st.sampled_from(list(RowStatus)),
    ), max_size=12))
    return Plan(rows=tuple(rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_rows_are_checked_without_crashing(data: st.DataObject) -> None:
    s = data.draw(scenarios())
    plan = data.draw(_garbage_rows(s))
    found = check_plan(s, plan)
    assert all(str(v).startswith(f"[{v.rule.value}] ") for v in found)
    if any(r.learner == "X0" for r in plan.rows):
        assert any(v.rule is RuleId.PLACEMENT and v.learner == "X0" for v in found)
