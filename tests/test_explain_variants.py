"""`explain --out DIR` writes each checked suggestion as a variant file that `whatif`
takes as it is (issue 23, point 6); `validate` on a variant file says what it is.

Tiny regions from tests/test_explain.py, one per kind of suggested change: capacity and
buddies for an over-subscribed department, a pin to drop where no plan exists, a travel
limit, a level, a buddy's leave. Each variant's plan from whatif is re-checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.check import check_plan
from scheduler.io import load_scenario, read_plan
from scheduler.variants import load_variant
from tests.cli_in_process import run
from tests.test_explain import buddy, dept, learner, region

ROOT = Path(__file__).parents[1]
CASES: dict[str, tuple[dict[str, Any], set[str]]] = {  # scenario, operations suggested
    "oversubscribed": (region(learners=[learner("L1"), learner("L2")]), {"add_capacity"}),
    "conflicting_pins": (region(
        departments=[dept("A-1"), dept("A-2", capacity=2)],
        buddies=[buddy("a1", "A-1", 2), buddy("a2", "A-2", 2)],
        learners=[learner("L1"), learner("L2"), learner("L3")],
        pins=[{"learner": "L1", "month": "2027-10", "department": "A-1"},
              {"learner": "L2", "month": "2027-10", "department": "A-1"}]), {"remove_pin"}),
    "buddy_away": (region(departments=[dept("A-1", capacity=2)],
                          buddies=[buddy("a1", "A-1", 2, unavailable=["2027-10/2027-11"])]),
                   {"buddy_available", "add_buddies"}),
    "travel": (region(departments=[dept("B-1", "B")], buddies=[buddy("b1", "B-1")],
                      learners=[learner("L1", max_travel_km=10)]), {"set_learner"}),
    "level": (region(departments=[dept("A-1", levels=[3, 4])],
                     learners=[learner("L1", level=2)]), {"add_level"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_suggestion_is_a_variant_that_whatif_takes(case: str, tmp_path: Path):
    doc, operations = CASES[case]
    scenario = tmp_path / "region.yaml"
    scenario.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    why = tmp_path / "why"
    code, text, err = run("explain", str(scenario), "--out", str(why), "--workers", "1",
                          "--time-limit", "20", "--lang", "en")
    assert code in (0, 2), err
    files = sorted(why.glob("suggestion-*.yaml"))
    assert files, text
    assert f"Suggestion 1 as a variant: {why / 'suggestion-1.yaml'}" in text
    used = set()
    for f in files:
        variant = yaml.safe_load(f.read_text(encoding="utf-8"))
        assert set(variant) == {"base", "name", "description", "changes"}
        assert (f.parent / variant["base"]).resolve() == scenario.resolve()
        used |= {op for change in variant["changes"] for op in change}
        assert load_variant(f).scenario != load_scenario(scenario)  # the changes apply
    assert operations <= used, used
    out = tmp_path / "cmp"
    code, _, err = run("whatif", str(scenario), *map(str, files), "--out", str(out),
                       "--workers", "1", "--time-limit", "20", "--lang", "en")
    if case == "conflicting_pins":  # whatif's exit 2 names the base only, which has no plan
        assert code == 2 and "no plan satisfies the hard rules for: base (" in err, err
    else:
        assert code == 0, err
    for f in files:  # every checked suggestion places everyone here; the plan is valid
        plan = read_plan(out / f.stem / "plan.csv")
        assert plan.rows and not plan.unplaced_learners(), f
        assert check_plan(load_variant(f).scenario, plan) == []


def test_a_second_run_removes_its_own_stale_suggestions_only(tmp_path: Path):
    scenario = tmp_path / "region.yaml"
    scenario.write_text(yaml.safe_dump(CASES["travel"][0], sort_keys=False), encoding="utf-8")
    why = tmp_path / "why"
    why.mkdir()
    (why / "suggestion-9.yaml").write_text("# scheduler explain: suggestion 9\nbase: x\n")
    (why / "suggestion-8.yaml").write_text("# my own notes\n")
    assert run("explain", str(scenario), "--out", str(why), "--workers", "1",
               "--lang", "en")[0] == 0
    names = {p.name for p in why.iterdir()}
    assert "suggestion-1.yaml" in names and "suggestion-8.yaml" in names
    assert "suggestion-9.yaml" not in names


def test_without_out_explain_says_how_to_get_the_files(tmp_path: Path):
    scenario = tmp_path / "region.yaml"
    scenario.write_text(yaml.safe_dump(CASES["level"][0], sort_keys=False), encoding="utf-8")
    code, text, _ = run("explain", str(scenario), "--workers", "1")
    assert code == 0 and "Met --out MAP schrijft explain elk voorstel als variantbestand" in text
    assert not list(tmp_path.glob("suggestie-*.yaml"))


def test_validate_on_a_variant_names_it_and_the_whatif_command():
    variant = ROOT / "scenarios" / "variants" / "four-extra-places.yaml"
    code, out, err = run("validate", str(variant), "--lang", "en")
    assert code == 1 and "Traceback" not in err
    assert "this is a what-if variant" in err
    assert f"scheduler whatif {ROOT / 'scenarios' / 'twente.yaml'} {variant} --out DIR" in err
    code, out, err = run("validate", str(variant))  # Dutch unless --lang en
    assert code == 1 and "Traceback" not in err
    assert "dit is een wat-als-variant" in err
    assert f"scheduler whatif {ROOT / 'scenarios' / 'twente.yaml'} {variant} --out MAP" in err
