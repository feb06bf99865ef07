"""validate.py: reference checks (one family each) and the quick screens, on tiny scenarios.

Capacities of tests/fixtures/tiny.yaml, by hand (effective = min(capacity, buddies)):
ZGT-CHIR 2, ZGT-GER 1 (0 in 2027-12), LIV-WIJK1 2 (0 in 2027-12: its only buddy is away),
LIV-WIJK2 1, CAR-PG1 2, CAR-SOM 2, CAR-GGZ 1: 11 places a month, 8 in 2027-12.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.models import RuleId, Scenario, distance_km
from scheduler.validate import Finding, reference_issues, screen

TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
BASE: dict[str, Any] = yaml.safe_load(TINY.read_text())


def tiny(mutate: Callable[[dict[str, Any]], object] = lambda d: None) -> Scenario:
    doc = copy.deepcopy(BASE)
    mutate(doc)
    return Scenario.model_validate(doc)


def only(findings: list[Finding], rule: RuleId, level: str = "warning") -> list[str]:
    return [f.message for f in findings if f.rule is rule and f.level == level]


def test_tiny_is_clean() -> None:
    s = tiny()
    assert reference_issues(s, "tiny.yaml") == []
    assert screen(s) == []


# ----- reference_issues: one family per test --------------------------------------------
def _refs(mutate: Callable[[dict[str, Any]], object]) -> list[tuple[str, int | None, str, str]]:
    return [(i.table, i.row, i.id, i.field) for i in reference_issues(tiny(mutate), "t.yaml")]


def test_duplicate_ids() -> None:
    assert _refs(lambda d: d["buddies"].append(dict(d["buddies"][0]))) == [
        ("buddies", 10, "b-chir-1", "id")]


def test_department_references_and_levels() -> None:
    def broken(d: dict[str, Any]) -> None:
        d["departments"][0]["organisation"] = "ZGX"
        d["departments"][1]["levels"] = []
    # (negative capacity_by_month values are refused by the model: test_bad_input.py)
    assert _refs(broken) == [("departments", 1, "ZGT-CHIR", "organisation"),
                             ("departments", 2, "ZGT-GER", "levels")]


def test_buddy_department() -> None:
    assert _refs(lambda d: d["buddies"][3].update(department="LIV-WIJK")) == [
        ("buddies", 4, "b-wijk1-1", "department")]


def test_programme_contradictions() -> None:
    def broken(d: dict[str, Any]) -> None:
        # (a placement of 0 months is refused by the model: test_bad_input.py)
        d["programmes"][1]["carrousel_min_away"] = 4  # 3 placements
        d["programmes"][3]["required_sectors"] = ["ZKH", "VVT"]  # 1 placement
    assert _refs(broken) == [("programmes", 2, "bbl-vig", "carrousel_min_away"),
                             ("programmes", 4, "bol-stage", "required_sectors")]


def test_learner_references() -> None:
    def broken(d: dict[str, Any]) -> None:
        d["learners"][0]["programme"] = "trainees"
        d["learners"][1]["home"] = "LIVIO"
        d["learners"][2]["preferences"] = ["CAR", "CAR-XX"]
        d["learners"][4]["history"] = ["LIV-WIJK1", "LIV-WIJK2"]  # 1 placement done
    assert _refs(broken) == [("learners", 1, "T1", "programme"),
                             ("learners", 2, "T2", "home"),
                             ("learners", 3, "B1", "preferences"),
                             ("learners", 5, "B0", "history")]


def test_history_of_a_learner_who_starts_in_the_window() -> None:
    issues = reference_issues(tiny(lambda d: d["learners"][0].update(history=["CAR-SOM"])), "t")
    assert "only 0 placement(s) ended before the calendar start 2027-09" in issues[0].message


def test_pin_references() -> None:
    def broken(d: dict[str, Any]) -> None:
        d["pins"][0]["buddy"] = "b-som-1"  # of CAR-SOM, pin is in CAR-PG1
        d["pins"][1]["learner"] = "T7"
        d["pins"][2]["department"] = "ZGT-OK"
    issues = reference_issues(tiny(broken), "t.yaml")
    assert [(i.table, i.row, i.id, i.field) for i in issues] == [
        ("pins", 1, "B0", "buddy"), ("pins", 2, "T7", "learner"), ("pins", 3, "H1", "department")]
    assert "belongs to department 'CAR-SOM', not 'CAR-PG1'" in issues[0].message
    assert "did you mean 'ZGT-GER'?" in issues[2].message


# ----- screens: capacity -----------------------------------------------------------------
def _extra(d: dict[str, Any], n: int, **learner: Any) -> None:
    d["learners"] += [{"id": f"X{i}", **learner} for i in range(n)]


def test_regional_demand_above_capacity() -> None:
    # 6 learners present in 2027-09 (T1 T2 B1 B2 B0 H1) + 6 extra = 12 > 11 places;
    # 2027-12 has 8 places
    s = tiny(lambda d: _extra(d, 6, programme="trainee", home="CAR", start="2027-09"))
    [message] = only(screen(s), RuleId.CAPACITY)
    assert "2027-09: 12 learners, 11 places" in message
    assert "2027-12: 12 learners, 8 places" in message


def test_required_sector_demand_above_its_capacity() -> None:
    # GGZ: H1, H2 and 10 extra hbo learners each need ≥ 4 learner-months = 48; CAR-GGZ
    # offers 1 place in each of the 16 months 2027-09..2028-12 they are planned: 16
    s = tiny(lambda d: _extra(d, 10, programme="hbo-duaal", home="ZGT", start="2027-09",
                              level=5))
    messages = only(screen(s), RuleId.REQUIRED_SECTORS)
    assert ("sector 'GGZ': 12 learners need a placement there, at least 48 learner-months, "
            "but its departments offer only 16 learner-months") in " ".join(messages)


def test_required_sector_that_no_department_has() -> None:
    s = tiny(lambda d: d["programmes"][2].update(required_sectors=["ZKH", "GZZ"]))
    messages = only(screen(s), RuleId.REQUIRED_SECTORS)
    assert any("'GZZ' is required by 2 learners' programmes, but no department" in m
               for m in messages)


def test_starters_exceed_fixed_shift_places() -> None:
    # One organisation: a fixed department with 1 place and a rotating one with 5.
    # bbl: 3 placements of 3 months, the first 3 months only fixed shifts. Three starters
    # in 2027-09 need a fixed place in 2027-09, 2027-10, 2027-11: 3 learners, 1 place.
    s = Scenario.model_validate({
        "calendar": {"start": "2027-09", "months": 9},
        "organisations": [{"id": "A", "sector": "VVT", "fte_care": 100, "lat": 52, "lon": 6}],
        "departments": [{"id": "A-FIX", "organisation": "A", "shifts": "fixed", "capacity": 1},
                        {"id": "A-ROT", "organisation": "A", "shifts": "rotating",
                         "capacity": 5}],
        "buddies": [{"id": "b1", "department": "A-FIX"},
                    *({"id": f"r{i}", "department": "A-ROT"} for i in range(3))],
        "programmes": [{"id": "bbl", "kind": "bbl", "placements": [3, 3, 3],
                        "starter_fixed_shifts_months": 3, "distinct_departments": False}],
        "learners": [{"id": f"L{i}", "programme": "bbl", "home": "A", "start": "2027-09"}
                     for i in range(3)],
    })
    [message] = only(screen(s), RuleId.STARTER_SHIFTS)
    assert "cohort 2027-09" in message
    for month in ("2027-09", "2027-10", "2027-11"):
        assert f"{month}: 3 learners need a fixed-shift place, 1 available" in message
    assert "2027-12" not in message
    assert only(screen(s), RuleId.CAPACITY) == []  # 3 learners, 6 places in the region


# ----- screens: reach, window, set-up ----------------------------------------------------
def test_learner_without_a_required_sector_within_reach() -> None:
    # an hbo student living in Maastricht: CAR-GGZ (Hengelo) is the only GGZ department
    s = tiny(lambda d: d["learners"].append(
        {"id": "M1", "programme": "hbo-duaal", "start": "2027-09", "lat": 50.85, "lon": 5.69}))
    km = distance_km(50.85, 5.69, 52.265, 6.793)
    messages = only(screen(s), RuleId.TRAVEL)
    assert (f"learner M1 needs a placement in sector 'GGZ', but no 'GGZ' department lies within "
            f"40 km; the nearest is CAR-GGZ at {km:.1f} km") in messages
    assert any(m.startswith("learner M1 has 3 placement(s) to plan, but only 0") for m in messages)


def test_level_limits_reach() -> None:
    # level 2: ZGT-CHIR (levels 4-6) does not count, ZGT-GER (all levels) does
    s = tiny(lambda d: d["learners"][5].update(level=2))
    assert only(screen(s), RuleId.TRAVEL) == []
    s = tiny(lambda d: (d["learners"][5].update(level=2),
                        d["departments"][1].update(levels=[4])))
    [message] = only(screen(s), RuleId.TRAVEL)
    assert message.startswith("learner H1 needs a placement in sector 'ZKH'")
    assert "department accepting level 2 lies within 60 km" in message


def test_programme_running_past_the_window() -> None:
    # bbl-vig lasts 18 months: from 2028-09 to 2030-02; the window ends 2029-02
    s = tiny(lambda d: _extra(d, 2, programme="bbl-vig", home="CAR", start="2028-09"))
    [message] = [f.message for f in screen(s) if f.rule is None]
    assert message.startswith("2 learner(s) of programme bbl-vig starting 2028-09 (X0, X1) "
                              "run until 2030-02, past the window's last month 2029-02")


def test_department_without_buddies() -> None:
    s = tiny(lambda d: d["buddies"].pop(4))  # b-wijk2-1, the only buddy of LIV-WIJK2
    assert any("LIV-WIJK2 has capacity but no buddies" in m for m in only(screen(s), RuleId.BUDDY))


# ----- screens: pins that no plan can satisfy (errors) ------------------------------------
def _pin_errors(*pins: dict[str, Any]) -> list[Finding]:
    return [f for f in screen(tiny(lambda d: d["pins"].extend(pins))) if f.level == "error"]


def test_pin_outside_the_programme() -> None:
    [f] = _pin_errors({"learner": "T1", "month": "2029-05", "department": "LIV-WIJK1"})
    assert f.rule is RuleId.PIN
    assert "covers 2029-05, outside the learner's programme (2027-09..2028-08)" in f.message


def test_pin_with_an_unavailable_buddy() -> None:
    [f] = _pin_errors({"learner": "T2", "month": "2028-01", "department": "ZGT-CHIR",
                       "buddy": "b-chir-2"})
    assert f.rule is RuleId.BUDDY
    assert f.message == ("pin of learner T2 names buddy b-chir-2, who is unavailable in "
                         "2028-01")


def test_pins_naming_two_buddies_in_one_month() -> None:
    [f] = _pin_errors({"learner": "B0", "month": "2027-10", "department": "CAR-PG1",
                       "buddy": "b-pg1-2"})
    assert f.rule is RuleId.PIN
    assert f.message == ("pins name two buddies for learner B0 in 2027-10 (one of them "
                         "b-pg1-2); a learner has one buddy a month")


def test_conflicting_pins_in_one_placement() -> None:
    [f] = _pin_errors({"learner": "T1", "month": "2027-10", "department": "LIV-WIJK1"})
    assert f.message == ("pins put learner T1 in LIV-WIJK1, ZGT-GER during placement 1, "
                         "which has one department")


def test_pins_above_capacity() -> None:
    errors = _pin_errors({"learner": "T1", "month": "2028-03", "department": "LIV-WIJK2"},
                         {"learner": "T2", "month": "2028-03", "department": "LIV-WIJK2"})
    assert [f.message for f in errors] == [
        "pins put 2 learners in LIV-WIJK2 in 2028-03, but it takes only 1 (capacity 1, "
        "buddies 2)"]


def test_pin_level_and_starter_shifts() -> None:
    errors = _pin_errors({"learner": "B1", "month": "2027-09", "department": "LIV-WIJK2"},
                         {"learner": "B2", "month": "2028-03", "department": "ZGT-CHIR"})
    assert {(f.rule, f.message) for f in errors} == {
        (RuleId.STARTER_SHIFTS, "pin of learner B1 in LIV-WIJK2 (2027-09): a starter placement "
                                "needs a fixed-shift department, this one has rotating shifts"),
        (RuleId.LEVEL, "pin of learner B2 in ZGT-CHIR (2028-03): the department does not "
                       "accept level 3"),
    }


def test_errors_come_first() -> None:
    def change(d: dict[str, Any]) -> None:
        _extra(d, 2, programme="bbl-vig", home="CAR", start="2028-09")
        d["pins"].append({"learner": "T1", "month": "2029-05", "department": "LIV-WIJK1"})
    findings = screen(tiny(change))
    assert [f.level for f in findings] == ["error", "warning"]


def test_finding_is_frozen() -> None:
    finding = Finding("warning", "x")
    with pytest.raises(AttributeError):
        finding.message = "y"  # type: ignore[misc]


def test_history_that_repeats_a_department() -> None:
    from tests.solving import build

    s = build(
        departments=[{"id": "A1", "organisation": "A", "shifts": "fixed", "capacity": 2}],
        buddies=[{"id": "b1", "department": "A1", "max_learners": 2}],
        programmes=[{"id": "tr", "kind": "trainee", "placements": [2, 2, 2]}],
        learners=[
            {"id": "L1", "programme": "tr", "home": "A", "start": "2027-05",
             "history": ["A1", "A1"]},
        ],
    )  # fmt: skip
    [message] = only(screen(s), RuleId.DISTINCT_DEPARTMENTS)
    assert message.startswith("learner L1: history repeats A1") and "cannot be placed" in message
