"""The independent checker: per rule a tiny valid plan, and the same plan with that rule
broken (see ``tests/factories.py`` for the default tiny region ``world()``)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scheduler.check import CHECKS, Violation, check_plan
from scheduler.models import (
    Plan,
    PlanRow,
    RowStatus,
    RuleId,
    Scenario,
    month_ordinal,
    ordinal_month,
)

from .factories import (
    add_row,
    buddy,
    build_plan,
    change_rows,
    department,
    drop_rows,
    learner,
    organisation,
    programme,
    world,
    world_dict,
)

CHECK_PACKAGE = Path(__file__).resolve().parents[1] / "scheduler" / "check"


def rules(violations: list[Violation]) -> set[RuleId]:
    return {v.rule for v in violations}


def assert_only(scenario: Scenario, plan: Plan, rule: RuleId) -> list[Violation]:
    found = check_plan(scenario, plan)
    assert found, f"expected a {rule.value} violation, found none"
    assert rules(found) == {rule}, [str(v) for v in found]
    return found


def assert_valid(scenario: Scenario, plan: Plan) -> None:
    found = check_plan(scenario, plan)
    assert found == [], [str(v) for v in found]


# ----- structure of the checker -----------------------------------------------------------
def test_every_rule_has_one_registered_check() -> None:
    registered = [rule for rule, _ in CHECKS]
    assert sorted(registered) == sorted(RuleId)  # each RuleId exactly once
    assert all(fn.__name__.startswith("check_") for _, fn in CHECKS)


def _imported_modules(path: Path, package: str) -> set[str]:
    """Absolute names of the modules (and names) that the file at ``path`` in ``package``
    imports, relative imports resolved."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            anchor = parts[: len(parts) - node.level + 1] if node.level else []
            base = ".".join([*anchor, node.module] if node.module else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_the_checker_package_imports_nothing_from_the_solver() -> None:
    modules = sorted(CHECK_PACKAGE.rglob("*.py"))
    assert {p.name for p in modules} >= {"__init__.py", "view.py", "placement.py", "rules.py"}
    imported: set[str] = set()
    for path in modules:
        package = ".".join(("scheduler", "check", *path.relative_to(CHECK_PACKAGE).parent.parts))
        imported |= _imported_modules(path, package)
    # the scan sees relative imports, resolved: ``..models`` and ``.view``
    assert {"scheduler.models", "scheduler.check.view"} <= imported
    bad = {m for m in imported if m.startswith(("scheduler.solver", "ortools"))}
    assert not bad, sorted(bad)


def test_importing_the_checker_loads_no_solver_module() -> None:
    code = (
        "import sys, scheduler.check\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ortools', 'scheduler.solver'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_violation_text_names_rule_section_place_and_numbers() -> None:
    v = Violation(RuleId.CAPACITY, "3 learners present, capacity 2 (L003, L009, L011)",
                  department="A-PG1", month="2027-10")
    assert str(v) == (
        "[capacity] A-PG1 2027-10: 3 learners present, capacity 2 (L003, L009, L011)"
    )


# ----- valid plans ----------------------------------------------------------------------------
def test_default_world_plan_is_valid() -> None:
    s = world()
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))


def test_unplaced_learner_is_valid() -> None:
    s = world()
    assert_valid(s, build_plan(s, {"L1": None}))


def test_learner_with_history_is_planned_from_the_window() -> None:
    # start 2027-07, placements 2+2+2: placement 1 (2027-07..08) is history; rows 2027-09..12
    # carry placement indices 2 and 3.
    s = world(programmes=[programme(placements=(2, 2, 2))],
              learners=[learner("L1", start="2027-07", level=3, history=["A-2"])])
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})
    assert [(r.month, r.placement) for r in plan.rows] == [
        ("2027-09", 2), ("2027-10", 2), ("2027-11", 3), ("2027-12", 3)]
    assert_valid(s, plan)
    assert_only(s, change_rows(plan, "L1", "2027-09", placement=1), RuleId.PLACEMENT)


def test_placement_begun_before_the_window_keeps_its_remaining_month() -> None:
    # start 2027-08: placement 1 = 2027-08..09, only 2027-09 planned; placement 2 = 2027-10..11.
    s = world(learners=[learner("L1", start="2027-08", level=3)])
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})
    assert [r.month for r in plan.rows] == ["2027-09", "2027-10", "2027-11"]
    assert_valid(s, plan)


def test_placements_are_not_cut_at_the_window_end() -> None:
    # start 2028-01 in a window ending 2028-02: rows run to 2028-04; dropping those is wrong.
    s = world(learners=[learner("L1", start="2028-01", level=3)])
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})
    assert [r.month for r in plan.rows][-1] == "2028-04"
    assert_valid(s, plan)
    assert_only(s, drop_rows(plan, "L1", "2028-04"), RuleId.PLACEMENT)


def test_unavailable_month_uses_no_capacity_and_no_buddy() -> None:
    # L2 is at school all of placement 1, in A-1 beside L1: capacity 1 and buddy a1 hold.
    s = world(learners=[learner("L1", level=3),
                        learner("L2", level=3, unavailable=["2027-09/2027-10"])])
    plan = build_plan(s, {"L1": ["A-1", "B-1"], "L2": ["A-1", "A-2"]})
    assert {r.status for r in plan.rows if r.learner == "L2" and r.department == "A-1"} == {
        RowStatus.UNAVAILABLE}
    assert_valid(s, plan)


# ----- rule 1: placement rows ---------------------------------------------------------------
def _placed_row(**fields: object) -> dict[str, object]:
    return {"learner": "L1", "organisation": "B", "department": "B-1", "buddy": "b1",
            "placement": 2, "status": "placed", **fields}


PLACEMENT_BREAKS: dict[str, tuple[Callable[[Plan], Plan], bool]] = {
    # name: (break the valid plan {L1: [A-1, B-1]}, only PLACEMENT is reported)
    "department change inside a placement": (
        lambda p: change_rows(p, "L1", "2027-10", department="A-2", buddy="a2"), True),
    "missing month": (lambda p: drop_rows(p, "L1", "2027-10"), True),
    "extra month past the programme": (
        lambda p: add_row(p, **_placed_row(month="2028-01")), True),
    "duplicate month": (  # also counts twice for capacity and buddy
        lambda p: add_row(p, **_placed_row(month="2027-12")), False),
    "wrong placement index": (lambda p: change_rows(p, "L1", "2027-10", placement=2), True),
    "placed in part": (
        lambda p: change_rows(p, "L1", "2027-11", status="unplaced", organisation="",
                              department="", buddy=""), True),
    "unknown learner": (
        lambda p: add_row(p, **_placed_row(learner="L9", month="2027-09", placement=1)), True),
    "organisation is not the department's": (
        lambda p: change_rows(p, "L1", "2027-09", organisation="B"), True),
    "unknown department": (
        lambda p: change_rows(p, "L1", "2027-09", department="X-9", buddy=""), False),
    "unknown buddy": (lambda p: change_rows(p, "L1", "2027-09", buddy="zz"), True),
    "unavailable status in an available month": (
        lambda p: change_rows(p, "L1", "2027-09", status="unavailable", buddy=""), True),
    "learner missing from the plan": (lambda p: drop_rows(p, "L1"), True),
}


@pytest.mark.parametrize("name", sorted(PLACEMENT_BREAKS))
def test_placement_rule_broken(name: str) -> None:
    s = world()
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})
    assert_valid(s, plan)
    breaker, only = PLACEMENT_BREAKS[name]
    broken = breaker(plan)
    if only:
        assert_only(s, broken, RuleId.PLACEMENT)
    else:
        assert RuleId.PLACEMENT in rules(check_plan(s, broken))


def test_unplaced_row_naming_a_department_is_a_placement_violation() -> None:
    s = world()
    plan = build_plan(s, {"L1": None})
    assert_only(s, change_rows(plan, "L1", "2027-09", department="A-1"), RuleId.PLACEMENT)


def test_placed_status_in_the_learners_unavailable_month() -> None:
    s = world(learners=[learner("L1", level=3, unavailable=["2027-10"])])
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})
    assert_valid(s, plan)
    broken = change_rows(plan, "L1", "2027-10", status="placed", buddy="a1")
    found = assert_only(s, broken, RuleId.PLACEMENT)
    assert [(v.learner, v.month) for v in found] == [("L1", "2027-10")]


def test_learner_whose_programme_ended_before_the_window_needs_no_rows() -> None:
    s = world(learners=[learner("L1", level=3),
                        learner("L0", start="2027-01", history=["A-1", "B-1"])])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))


# ----- pins -------------------------------------------------------------------------------------
PIN_B1 = {"learner": "L1", "from": "2027-11", "to": "2027-12", "department": "B-1"}


def test_pin_holds_and_breaks() -> None:
    s = world(pins=[PIN_B1])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))
    found = assert_only(s, build_plan(s, {"L1": ["A-1", "A-2"]}), RuleId.PIN)
    assert [v.month for v in found] == ["2027-11", "2027-12"]


def test_pinned_learner_must_be_placed() -> None:
    s = world(pins=[PIN_B1])
    assert_only(s, build_plan(s, {"L1": None}), RuleId.PIN)


def test_pinned_buddy_holds_and_breaks() -> None:
    s = world(buddies=[buddy("a1", "A-1"), buddy("b1", "B-1"), buddy("b2", "B-1")],
              pins=[{**PIN_B1, "buddy": "b2"}])
    b2 = {("L1", month_ordinal(m)): "b2" for m in ("2027-11", "2027-12")}
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}, b2))
    assert_only(s, build_plan(s, {"L1": ["A-1", "B-1"]}), RuleId.PIN)  # names b1


def test_pin_outside_the_programme_is_ignored() -> None:
    s = world(pins=[{"learner": "L1", "month": "2028-02", "department": "B-1"}])
    assert_valid(s, build_plan(s, {"L1": None}))


# ----- rule 2: capacity -------------------------------------------------------------------------
def test_capacity() -> None:
    s = world(learners=[learner("L1", level=3), learner("L2", level=3)],
              buddies=[buddy("a1", "A-1", 2), buddy("a2", "A-2"), buddy("b1", "B-1", 2)])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"], "L2": ["B-1", "A-1"]}))
    found = assert_only(s, build_plan(s, {"L1": ["A-1", "B-1"], "L2": ["A-1", "B-1"]}),
                        RuleId.CAPACITY)
    assert str(found[0]) == (
        "[capacity] A-1 2027-09: 2 learners present, capacity 1 (L1, L2)"
    )
    assert len(found) == 4  # A-1 in 2027-09/10, B-1 in 2027-11/12


def test_capacity_by_month_override() -> None:
    depts = world_dict()["departments"]
    depts[0] = department("A-1", "A", capacity_by_month={"2027-10": 0})
    s = world(departments=depts)
    found = assert_only(s, build_plan(s, {"L1": ["A-1", "B-1"]}), RuleId.CAPACITY)
    assert [(v.department, v.month) for v in found] == [("A-1", "2027-10")]


# ----- rule 3: buddies --------------------------------------------------------------------------
def test_missing_buddy() -> None:
    s = world()
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})
    assert_only(s, change_rows(plan, "L1", "2027-09", buddy=""), RuleId.BUDDY)


def test_buddy_of_another_department() -> None:
    s = world()
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})
    assert_only(s, change_rows(plan, "L1", "2027-09", buddy="a2"), RuleId.BUDDY)


def test_unavailable_buddy() -> None:
    s = world(buddies=[buddy("a1", "A-1", unavailable=["2027-10"]), buddy("a3", "A-1"),
                       buddy("b1", "B-1")])
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})  # first_buddy gives a3 in 2027-10
    assert [r.buddy for r in plan.rows][:2] == ["a1", "a3"]
    assert_valid(s, plan)
    found = assert_only(s, change_rows(plan, "L1", "2027-10", buddy="a1"), RuleId.BUDDY)
    assert [(v.buddy, v.month) for v in found] == [("a1", "2027-10")]


def test_buddy_max_learners() -> None:
    # A-1 takes 2 learners but each of its buddies a1, a3 guides only 1
    depts = world_dict()["departments"]
    depts[0] = department("A-1", "A", capacity=2)
    s = world(departments=depts, learners=[learner("L1", level=3), learner("L2", level=3)],
              buddies=[buddy("a1", "A-1"), buddy("a3", "A-1"), buddy("a2", "A-2"),
                       buddy("b1", "B-1")])
    plans = {"L1": ["A-1", "B-1"], "L2": ["A-1", "A-2"]}
    to_a3 = {("L2", month_ordinal(m)): "a3" for m in ("2027-09", "2027-10")}
    assert_valid(s, build_plan(s, plans, to_a3))
    found = assert_only(s, build_plan(s, plans), RuleId.BUDDY)  # both named a1
    assert [(v.buddy, v.month) for v in found] == [("a1", "2027-09"), ("a1", "2027-10")]
    assert "guides 2 learners, max_learners 1 (L1, L2)" in found[0].message


def test_buddy_named_in_the_learners_unavailable_month() -> None:
    s = world(learners=[learner("L1", level=3, unavailable=["2027-10"])])
    plan = build_plan(s, {"L1": ["A-1", "B-1"]})
    assert_only(s, change_rows(plan, "L1", "2027-10", buddy="a1"), RuleId.BUDDY)


# ----- rules 4 to 8 -----------------------------------------------------------------------------
def test_starter_shifts() -> None:
    # the first month needs fixed shifts: placement 1 (2027-09..10) in a fixed department
    s = world(programmes=[programme(starter_fixed_shifts_months=1)])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "A-2"]}))
    found = assert_only(s, build_plan(s, {"L1": ["A-2", "A-1"]}), RuleId.STARTER_SHIFTS)
    assert [(v.department, v.month) for v in found] == [("A-2", "2027-09")]


def test_starter_months_reaching_into_the_second_placement() -> None:
    s = world(programmes=[programme(starter_fixed_shifts_months=3)])
    assert_only(s, build_plan(s, {"L1": ["A-1", "A-2"]}), RuleId.STARTER_SHIFTS)


def _history_world(history: list[str], **prog: Any) -> Scenario:
    # start 2027-07, placements 2+2+2: one history placement, two planned
    depts = [*world_dict()["departments"], department("A-3", "A")]
    return world(departments=depts, programmes=[programme(placements=(2, 2, 2), **prog)],
                 learners=[learner("L1", start="2027-07", level=3, history=history)])


def test_carrousel() -> None:
    s = world(programmes=[programme(carrousel_min_away=1)])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))
    assert_only(s, build_plan(s, {"L1": ["A-1", "A-2"]}), RuleId.CARROUSEL)


def test_carrousel_counts_history() -> None:
    assert_valid(s := _history_world(["B-1"], carrousel_min_away=1),
                 build_plan(s, {"L1": ["A-1", "A-2"]}))
    s = _history_world(["A-3"], carrousel_min_away=1)
    assert_only(s, build_plan(s, {"L1": ["A-1", "A-2"]}), RuleId.CARROUSEL)


def test_carrousel_bol_learner_is_always_away() -> None:
    s = world(programmes=[programme(carrousel_min_away=2)], learners=[learner("L1", home=None)])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "A-2"]}))
    s = world(programmes=[programme(carrousel_min_away=3)], learners=[learner("L1", home=None)])
    assert_only(s, build_plan(s, {"L1": ["A-1", "A-2"]}), RuleId.CARROUSEL)


def test_required_sectors() -> None:
    s = world(programmes=[programme(required_sectors=["GGZ"])])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))
    found = assert_only(s, build_plan(s, {"L1": ["A-1", "A-2"]}), RuleId.REQUIRED_SECTORS)
    assert "GGZ" in found[0].message


def test_required_sectors_count_history_and_department_sector() -> None:
    assert_valid(s := _history_world(["B-1"], required_sectors=["GGZ"]),
                 build_plan(s, {"L1": ["A-1", "A-2"]}))
    depts = world_dict()["departments"]
    depts[1] = department("A-2", "A", "rotating", sector="GGZ")  # a GGZ team inside A
    s = world(departments=depts, programmes=[programme(required_sectors=["GGZ"])])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "A-2"]}))


def test_distinct_departments() -> None:
    s = world()
    found = assert_only(s, build_plan(s, {"L1": ["A-1", "A-1"]}), RuleId.DISTINCT_DEPARTMENTS)
    assert [v.department for v in found] == ["A-1"]
    s = world(programmes=[programme(distinct_departments=False)])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "A-1"]}))


def test_distinct_departments_counts_history() -> None:
    s = _history_world(["A-1"])
    assert_only(s, build_plan(s, {"L1": ["A-1", "B-1"]}), RuleId.DISTINCT_DEPARTMENTS)


def test_level() -> None:
    s = world(learners=[learner("L1", level=2)])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "A-2"]}))
    found = assert_only(s, build_plan(s, {"L1": ["A-1", "B-1"]}), RuleId.LEVEL)
    assert [(v.department, v.month) for v in found] == [("B-1", "2027-11")]
    s = world(learners=[learner("L1")])  # no level given: every department accepts
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))


def test_travel() -> None:
    # A and B are ~13.1 km apart; L1 lives at A (its home)
    s = world(policy={"max_travel_km": 5})
    assert_valid(s, build_plan(s, {"L1": ["A-1", "A-2"]}))
    found = assert_only(s, build_plan(s, {"L1": ["A-1", "B-1"]}), RuleId.TRAVEL)
    assert "13.1 km" in found[0].message
    s = world(policy={"max_travel_km": 5}, learners=[learner("L1", level=3, max_travel_km=20)])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))


def test_travel_unknown_location_has_no_limit() -> None:
    s = world(policy={"max_travel_km": 5}, learners=[learner("L1", home=None, level=3)])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))


def test_travel_learner_location_overrides_home() -> None:
    # L1 works for A but lives at B: B-1 is near, A-1 is ~13 km away
    s = world(policy={"max_travel_km": 5}, programmes=[programme(placements=(4,))],
              learners=[learner("L1", level=3, lat=52.1, lon=6.1)])
    assert_valid(s, build_plan(s, {"L1": ["B-1"]}))
    assert_only(s, build_plan(s, {"L1": ["A-1"]}), RuleId.TRAVEL)


# ----- rule 9: fair share -----------------------------------------------------------------------
def test_fair_share() -> None:
    # equal FTE: 4 hosted learner-months should split 2/2 (±10 %)
    s = world(policy={"fair_share_tolerance": 0.1})
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))
    found = assert_only(s, build_plan(s, {"L1": ["A-1", "A-2"]}), RuleId.FAIR_SHARE)
    assert len(found) == 2  # A hosts 4 (target 2), B hosts 0 (target 2)
    assert "organisation A hosts 4 learner-months; fair share 2.0" in found[0].message


def test_fair_share_counts_only_placed_rows_and_is_off_by_default() -> None:
    # L1 unavailable in 2027-12: A hosts 2, B hosts 1, H = 3, targets 1.5 ± 50 %
    s = world(policy={"fair_share_tolerance": 0.5},
              learners=[learner("L1", level=3, unavailable=["2027-12"])])
    assert_valid(s, build_plan(s, {"L1": ["A-1", "B-1"]}))
    s = world(policy={"fair_share_tolerance": 0.2},
              learners=[learner("L1", level=3, unavailable=["2027-12"])])
    assert_only(s, build_plan(s, {"L1": ["A-1", "B-1"]}), RuleId.FAIR_SHARE)
    assert_valid(world(), build_plan(world(), {"L1": ["A-1", "A-2"]}))


# ----- all violations at once, and speed --------------------------------------------------------
def test_all_violations_are_collected() -> None:
    s = world(policy={"max_travel_km": 5}, programmes=[programme(carrousel_min_away=1)],
              learners=[learner("L1", level=2)])
    plan = change_rows(build_plan(s, {"L1": ["A-1", "A-1"]}), "L1", "2027-09", buddy="")
    assert rules(check_plan(s, plan)) == {RuleId.BUDDY, RuleId.CARROUSEL,
                                          RuleId.DISTINCT_DEPARTMENTS}


def _big_region(n_learners: int, n_depts: int, months: int) -> tuple[Scenario, Plan]:
    orgs = [organisation(f"O{i}", fte=100 + i) for i in range(20)]
    depts = [department(f"D{j}", f"O{j % 20}", capacity=30) for j in range(n_depts)]
    buddies = [buddy(f"b{j}", f"D{j}", 30) for j in range(n_depts)]
    learners = [learner(f"L{i:05d}", home=f"O{i % 20}", level=3) for i in range(n_learners)]
    s = Scenario.model_validate(world_dict(
        calendar={"start": "2027-09", "months": months}, organisations=orgs, departments=depts,
        buddies=buddies, programmes=[programme(placements=(6,) * (months // 6))],
        learners=learners, policy={"fair_share_tolerance": 10.0}))
    base = s.calendar.first
    rows = []
    for i in range(n_learners):  # placement k of learner i in D[(i + 37k) % n]: 25 per dept
        for t in range(months):
            j = (i + 37 * (t // 6)) % n_depts
            rows.append(PlanRow.model_construct(
                learner=f"L{i:05d}", month=ordinal_month(base + t), organisation=f"O{j % 20}",
                department=f"D{j}", buddy=f"b{j}", placement=t // 6 + 1, status=RowStatus.PLACED))
    return s, Plan(rows=tuple(rows))


def test_checks_a_150k_row_plan_and_finds_one_missing_row() -> None:
    # region scale (its speed is measured in benchmarks/, not asserted here)
    s, plan = _big_region(5_000, 200, 30)
    assert len(plan.rows) == 150_000
    found = check_plan(s, plan)
    assert found == [], [str(v) for v in found[:5]]
    broken = Plan(rows=plan.rows[1:])
    assert rules(check_plan(s, broken)) == {RuleId.PLACEMENT}
