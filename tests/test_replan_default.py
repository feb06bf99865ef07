"""Small edits keep the plan (issue 23, point 3): solving a scenario again into the same
--out with --force re-plans against the plan there (minimal change) unless --fresh, and
says how many learner-months moved."""

from __future__ import annotations

import json
from pathlib import Path

from scheduler.compare import learner_moves
from scheduler.io import read_plan
from tests.cli_in_process import run

ROOT = Path(__file__).parents[1]
SMALL = ROOT / "tests" / "data" / "small_region.yaml"


def solve(scenario: Path, out: Path, *extra: str) -> tuple[str, str, dict]:
    code, text, err = run("solve", str(scenario), "--out", str(out), "--workers", "1",
                          "--time-limit", "20", "--lang", "en", *extra)
    assert code == 0, err
    return text, err, json.loads((out / "kpis.json").read_text(encoding="utf-8"))


def test_solving_again_into_the_same_place_keeps_the_plan(tmp_path: Path):
    scenario = tmp_path / "region.yaml"
    scenario.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "plan"
    text, err, kpis = solve(scenario, out)
    assert kpis["changed_learner_months"] is None and "previous plan" not in err
    first = read_plan(out / "plan.csv")
    # an edit: one more place in a department (the previous plan stays valid)
    scenario.write_text(scenario.read_text(encoding="utf-8").replace(
        "{id: ZGD-SOM, organisation: ZGD, shifts: rotating, capacity: 2}",
        "{id: ZGD-SOM, organisation: ZGD, shifts: rotating, capacity: 3}"), encoding="utf-8")
    assert "capacity: 3}" in scenario.read_text(encoding="utf-8")
    text, err, kpis = solve(scenario, out, "--force")
    assert f"minimal change against the previous plan in {out}" in err
    again = read_plan(out / "plan.csv")
    moved = learner_moves(first, again)
    months = sum(m.months for s in moved.moved.values() for m in s)
    assert kpis["changed_learner_months"] == months  # the previous plan was the baseline
    assert f"moved against the baseline: {months} learner-months of {len(moved.moved)} " \
        "learners" in text
    text, err, kpis = solve(scenario, out, "--force", "--fresh")
    assert "previous plan" not in err and "moved against" not in text
    assert kpis["changed_learner_months"] is None


def test_another_scenario_into_the_same_place_is_planned_from_scratch(tmp_path: Path):
    out = tmp_path / "plan"
    solve(SMALL, out)
    other = tmp_path / "copy.yaml"
    other.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    _, err, kpis = solve(other, out, "--force")
    assert "previous plan" not in err and kpis["changed_learner_months"] is None


def test_fresh_and_baseline_do_not_go_together(tmp_path: Path):
    code, _, err = run("solve", str(SMALL), "--out", str(tmp_path / "p"), "--fresh",
                       "--baseline", str(tmp_path / "plan.csv"))
    assert code == 1 and "--fresh" in err and "--baseline" in err
