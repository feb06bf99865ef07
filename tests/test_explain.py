"""`scheduler explain`: one constructed scenario per rule family (docs/rules.md), each with a
single known cause. The explanation must name that rule with the right ids and months,
and the first suggestion, applied and solved again, must place the learner (the plan
re-checked by the independent checker).

The tiny region (calendar 2027-09, 6 months), unless a test says otherwise::

    A  VVT  100 FTE  52.0 N 6.0 E        B  GGZ  100 FTE  52.1 N 6.1 E  (13.1 km from A)
    programme p: one placement of 4 months (2027-09..2027-12); learners live at A
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.check import check_plan
from scheduler.explain import Explanation, explain, render_text, to_json
from scheduler.models import RuleId, Scenario
from scheduler.solver import SolveOptions, solve
from scheduler.solver.diagnosis.suggest import apply_changes

ROOT = Path(__file__).resolve().parents[1]
A = {"id": "A", "sector": "VVT", "fte_care": 100, "lat": 52.0, "lon": 6.0}
B = {"id": "B", "sector": "GGZ", "fte_care": 100, "lat": 52.1, "lon": 6.1}


def dept(id: str, org: str = "A", shifts: str = "fixed", capacity: int = 1, **kw: Any) -> dict:
    return {"id": id, "organisation": org, "shifts": shifts, "capacity": capacity, **kw}


def buddy(id: str, department: str, max_learners: int = 1, **kw: Any) -> dict:
    return {"id": id, "department": department, "max_learners": max_learners, **kw}


def learner(id: str, **kw: Any) -> dict:
    return {"id": id, "programme": "p", "home": "A", "start": "2027-09", **kw}


def region(**top: Any) -> dict:
    doc: dict[str, Any] = {
        "scenario": 1,
        "name": "explain test",
        "calendar": {"start": "2027-09", "months": 6},
        "policy": {},
        "organisations": [A, B],
        "departments": [dept("A-1")],
        "buddies": [buddy("a1", "A-1")],
        "programmes": [{"id": "p", "kind": "bbl", "placements": [4]}],
        "learners": [learner("L1")],
        "pins": [],
    }
    doc.update(top)
    return doc


def run(doc: dict) -> Explanation:
    return explain(Scenario.model_validate(doc), time_limit=20, workers=1)


def placed_after_first_suggestion(ex: Explanation) -> set[str]:
    """Apply the first suggestion, solve again, check the plan; the learners placed."""
    assert ex.suggestions, render_text(ex)
    changed = apply_changes(ex.scenario, ex.suggestions[0].changes)
    result = solve(changed, SolveOptions(time_limit=10, workers=1, quiet=True))
    assert result.plan is not None, result.status
    assert check_plan(changed, result.plan) == []
    return result.plan.placed_learners()


def only_cause(ex: Explanation) -> tuple[str, Any]:
    assert ex.status == "unplaced" and len(ex.causes) == 1, render_text(ex)
    return next(iter(ex.causes.items()))


# ===== one family each ===================================================================
def test_capacity_full_department_names_it_and_its_months():
    # A-1 takes 1 learner, L1 and L2 both need it in 2027-09..2027-12
    ex = run(region(learners=[learner("L1"), learner("L2")]))
    lid, cause = only_cause(ex)
    assert cause.rule is RuleId.CAPACITY
    text = cause.text("en")
    assert "A-1" in text and "2027-09..2027-12" in text and "no free places" in text
    first = ex.suggestions[0]
    assert first.rule is RuleId.CAPACITY and first.gain == 1 and first.places == [lid]
    assert {"add_capacity": {"department": "A-1", "amount": 1, "from": "2027-09",
                             "to": "2027-12"}} in first.changes
    assert placed_after_first_suggestion(ex) == {"L1", "L2"}


def test_buddy_away_names_the_only_buddy_and_the_months():
    # A-1 has room for 2, but its only buddy a1 is away 2027-10..2027-11
    ex = run(region(departments=[dept("A-1", capacity=2)],
                    buddies=[buddy("a1", "A-1", 2, unavailable=["2027-10/2027-11"])]))
    lid, cause = only_cause(ex)
    assert lid == "L1" and cause.rule is RuleId.BUDDY
    assert "no free buddies in 2027-10..2027-11" in cause.text("en")
    lines = [c.text("en") for _, c in ex.breaks]
    assert any("Buddy a1 is the only buddy of A-1 and is away 2027-10..2027-11" in x
               for x in lines), lines
    assert placed_after_first_suggestion(ex) == {"L1"}
    ops = {op for s in ex.suggestions for c in s.changes for op in c}
    assert {"add_buddies", "buddy_available"} <= ops  # both checked to help


def test_starter_rule_names_fixed_shifts_and_the_starter_months():
    # two starters (first 2 months fixed shifts only); one fixed place, one rotating
    ex = run(region(
        departments=[dept("A-1"), dept("A-2", shifts="rotating")],
        buddies=[buddy("a1", "A-1"), buddy("a2", "A-2")],
        programmes=[{"id": "p", "kind": "bbl", "placements": [2, 2],
                     "starter_fixed_shifts_months": 2}],
        learners=[learner("S1"), learner("S2")]))
    lid, cause = only_cause(ex)
    assert cause.rule is RuleId.STARTER_SHIFTS and RuleId.CAPACITY in cause.rules
    text = cause.text("en")
    assert "placement 1 (2027-09..2027-10)" in text and "A-2 has room but has rotating" in text
    assert [(b.rule, b.department, b.months) for b, _ in ex.breaks][0] == (
        RuleId.CAPACITY, "A-1", (24332, 24333))  # 2027-09, 2027-10
    first = ex.suggestions[0]
    assert {"add_capacity": {"department": "A-1", "amount": 1, "from": "2027-09",
                             "to": "2027-10"}} in first.changes
    assert placed_after_first_suggestion(ex) == {"S1", "S2"}


def test_carrousel_names_the_home_and_the_full_departments_elsewhere():
    # both must work once at B; B-1 takes 1 learner in 2027-09..10 and none after
    ex = run(region(
        departments=[dept("A-1"), dept("A-2"),
                     dept("B-1", "B", capacity_by_month={"2027-11": 0, "2027-12": 0})],
        buddies=[buddy("a1", "A-1"), buddy("a2", "A-2"), buddy("b1", "B-1")],
        programmes=[{"id": "p", "kind": "hbo_duaal", "placements": [2, 2],
                     "carrousel_min_away": 1}],
        learners=[learner("L1"), learner("L2")]))
    lid, cause = only_cause(ex)
    assert cause.rule is RuleId.CARROUSEL
    assert cause.text("en") == (f"{lid} needs 1 placement(s) away from A (Carrousel), but the "
                            "departments of other organisations it may use (B-1) are full")
    assert any(op.get("add_capacity", {}).get("department") == "B-1"
               for op in ex.suggestions[0].changes)
    assert placed_after_first_suggestion(ex) == {"L1", "L2"}


def test_required_sector_out_of_reach_names_the_sector_and_the_nearest():
    # L1 needs GGZ; the only GGZ department (B-1) is 13.1 km away, L1 travels 10 km
    ex = run(region(
        departments=[dept("A-1"), dept("A-2"), dept("B-1", "B")],
        buddies=[buddy("a1", "A-1"), buddy("a2", "A-2"), buddy("b1", "B-1")],
        programmes=[{"id": "p", "kind": "trainee", "placements": [2, 2],
                     "required_sectors": ["GGZ"]}],
        learners=[learner("L1", max_travel_km=10)]))
    lid, cause = only_cause(ex)
    assert cause.rule is RuleId.REQUIRED_SECTORS
    assert cause.text("en") == (
        "No GGZ department within 10 km of learner L1 (nearest: 13.1 km at B-1)")
    assert ex.suggestions[0].changes == [{"set_learner": {"learner": "L1", "max_travel_km": 14}}]
    assert placed_after_first_suggestion(ex) == {"L1"}


def test_travel_names_the_limit_and_the_nearest_department():
    ex = run(region(departments=[dept("B-1", "B")], buddies=[buddy("b1", "B-1")],
                    learners=[learner("L1", max_travel_km=10)]))
    lid, cause = only_cause(ex)
    assert cause.rule is RuleId.TRAVEL
    assert cause.text("en") == ("L1, placement 1 (2027-09..2027-12): no department within 10 km "
                            "(nearest: 13.1 km at B-1)")
    travel = [c.text("en") for b, c in ex.breaks if b.rule is RuleId.TRAVEL]
    assert travel == ["L1: placement 1 at B-1 is 13.1 km away; limit 10 km"]
    assert ex.suggestions[0].changes == [{"set_learner": {"learner": "L1", "max_travel_km": 14}}]
    assert placed_after_first_suggestion(ex) == {"L1"}


def test_level_names_the_level_and_the_accepted_levels():
    ex = run(region(departments=[dept("A-1", levels=[3, 4])], learners=[learner("L1", level=2)]))
    lid, cause = only_cause(ex)
    assert cause.rule is RuleId.LEVEL
    assert "no department within reach accepts level 2" in cause.text("en")
    assert "A-1 accepts levels 3 and 4" in cause.text("en")
    assert ex.suggestions[0].changes == [{"add_level": {"department": "A-1", "level": 2}}]
    assert placed_after_first_suggestion(ex) == {"L1"}


def test_conflicting_pins_mean_no_plan_and_name_both_learners():
    # L1 and L2 are both pinned in A-1 (capacity 1) in 2027-10; A-2 has room for others
    ex = run(region(
        departments=[dept("A-1"), dept("A-2", capacity=2)],
        buddies=[buddy("a1", "A-1", 2), buddy("a2", "A-2", 2)],
        learners=[learner("L1"), learner("L2"), learner("L3")],
        pins=[{"learner": "L1", "month": "2027-10", "department": "A-1"},
              {"learner": "L2", "month": "2027-10", "department": "A-1"}]))
    assert ex.status == "no_plan" and ex.exit_code == 2 and ex.proven
    pins = [c for _, c in ex.breaks if c.rule is RuleId.PIN]
    assert [c.text("en") for c in pins] == [
        "Pins of L1 and L2 put 2 learners in A-1 in 2027-09..2027-12; capacity 1"]
    assert pins[0].rules == (RuleId.PIN, RuleId.CAPACITY)
    assert placed_after_first_suggestion(ex) == {"L1", "L2", "L3"}
    drops = [s for s in ex.suggestions if s.rule is RuleId.PIN]
    assert drops and drops[0].changes[0]["remove_pin"]["learner"] in {"L1", "L2"}
    assert any(f.level == "error" and f.rule is RuleId.CAPACITY for f in ex.screens)


def test_fair_share_tolerance_names_the_organisation():
    # B has half the FTE but no departments: with ±10 % nobody can be hosted at A
    ex = run(region(policy={"fair_share_tolerance": 0.1}, departments=[dept("A-1")]))
    lid, cause = only_cause(ex)
    assert cause.rule is RuleId.FAIR_SHARE
    assert cause.text("en") == "placing L1 would take A beyond the fair-share tolerance (±10 %)"
    fair = [c.text("en") for b, c in ex.breaks if b.rule is RuleId.FAIR_SHARE]
    assert any(t.startswith("A would host 4 learner-months") for t in fair), fair
    assert ex.suggestions[0].changes == [{"set_policy": {"fair_share_tolerance": 1.0}}]
    assert placed_after_first_suggestion(ex) == {"L1"}


# ===== status, language, JSON ============================================================
def test_everyone_placeable_needs_no_relaxation():
    ex = run(region())
    assert ex.status == "ok" and ex.exit_code == 0 and ex.relaxation is None
    assert "All 1 learners can be placed" in render_text(ex)


def test_dutch_text_uses_the_coordinator_terms():
    ex = run(region(departments=[dept("A-1", capacity=2)],
                    buddies=[buddy("a1", "A-1", 2, unavailable=["2027-10/2027-11"])]))
    text = render_text(ex, "nl")
    assert "Werkbegeleider a1 is de enige van A-1 en is afwezig 2027-10..2027-11" in text
    assert "Voorstellen" in text and "plaatst de ongeplaatste leerling" in text


def test_json_carries_rules_ids_months_and_checked_suggestions():
    ex = run(region(learners=[learner("L1"), learner("L2")]))
    doc = json.loads(json.dumps(to_json(ex)))
    assert doc["status"] == "unplaced" and doc["exit_code"] == 0 and doc["placed"] == 1
    (entry,) = doc["unplaced_learners"]
    assert entry["rule"] == "capacity" and entry["section"] == "3.2"
    assert entry["params"]["departments"] == ["A-1"]
    assert entry["params"]["full_months"] == ["2027-09", "2027-10", "2027-11", "2027-12"]
    assert doc["relaxation"]["found"] and doc["relaxation"]["breaks"]
    top = doc["suggestions"][0]
    assert top["rank"] == 1 and top["plan_exists"] and top["gain"] == 1 and top["text"]


# ===== the real CLI ======================================================================
def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", "explain", *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture()
def pinned_yaml(tmp_path: Path) -> Path:
    doc = region(
        departments=[dept("A-1"), dept("A-2", capacity=2)],
        buddies=[buddy("a1", "A-1", 2), buddy("a2", "A-2", 2)],
        learners=[learner("L1"), learner("L2")],
        pins=[{"learner": "L1", "month": "2027-10", "department": "A-1"},
              {"learner": "L2", "month": "2027-10", "department": "A-1"}])
    path = tmp_path / "pinned.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def test_cli_no_plan_exits_2_and_writes_explain_json(pinned_yaml: Path, tmp_path: Path):
    out = tmp_path / "why"
    r = cli(str(pinned_yaml), "--lang", "en", "--out", str(out), "--workers", "1",
            "--time-limit", "20")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "Pins of L1 and L2 put 2 learners in A-1" in r.stdout
    doc = json.loads((out / "explain.json").read_text())
    assert doc["status"] == "no_plan" and doc["exit_code"] == 2
    assert doc["suggestions"] and doc["suggestions"][0]["plan_exists"]
    variants = {f"suggestion-{k}.yaml" for k in range(1, len(doc["suggestions"]) + 1)}
    assert {p.name for p in out.iterdir()} == {"explain.json"} | variants  # no temp files left


def test_cli_unplaced_exits_0_in_dutch_by_default_without_suggestions(tmp_path: Path):
    path = tmp_path / "full.yaml"
    path.write_text(yaml.safe_dump(region(learners=[learner("L1"), learner("L2")])))
    r = cli(str(path), "--no-suggestions", "--workers", "1", "--out", str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 van de 2 leerlingen kunnen geplaatst worden" in r.stdout
    assert "Voorstellen overgeslagen" in r.stdout
    doc = json.loads((tmp_path / "explain.json").read_text())
    assert doc["status"] == "unplaced" and "suggestions" not in doc and doc["lang"] == "nl"


def test_cli_missing_scenario_exits_1(tmp_path: Path):
    r = cli(str(tmp_path / "nope.yaml"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
