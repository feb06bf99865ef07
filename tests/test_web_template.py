"""The workbench's starter template ("Begin met een sjabloon"): a scenario that validates,
plans with everyone placed and a clean check, is package data (so `pip install .` has it),
and is copied into the workspace under a checked name without overwriting anything."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.io import load_scenario
from scheduler.validate import screen
from scheduler.web.edits import with_buddy_leave, with_new_learner
from scheduler.web.planview import with_capacity
from scheduler.web.uploads import TEMPLATE, start_from_template
from scheduler.web.workspace import Workspace

from .solving import solve_checked

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template():
    return load_scenario(TEMPLATE)


def test_the_template_validates_without_errors_or_warnings(template):
    assert screen(template) == []
    # small enough to read, big enough to show each table
    assert len(template.organisations) == 2 and len(template.departments) == 5
    assert len(template.programmes) == 1 and len(template.learners) == 3
    assert all(any(b.department == d.id for b in template.buddies)
               for d in template.departments)  # a werkbegeleider in every department


def test_the_template_plans_everyone_and_the_checker_agrees(template):
    result = solve_checked(template, time_limit=10)  # check_plan inside: no violation
    assert result.plan is not None
    assert result.plan.placed_learners() == {learner.id for learner in template.learners}
    assert result.plan.unplaced_learners() == set()


def test_the_template_is_package_data_of_an_installed_copy():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["scheduler.web"]
    inside = TEMPLATE.relative_to(ROOT / "scheduler" / "web").as_posix()
    assert any(fnmatch(inside, pattern) for pattern in patterns), inside


def test_starting_from_the_template_copies_it_under_the_typed_name(tmp_path, template):
    ws = Workspace(tmp_path / "ws")
    assert start_from_template(ws, " regio-zwolle ", "mijn-regio") == "regio-zwolle"
    assert ws.names() == ["regio-zwolle"]
    assert ws.load("regio-zwolle") == template


def test_without_a_name_the_first_free_default_is_taken(tmp_path):
    ws = Workspace(tmp_path / "ws")
    assert start_from_template(ws, "", "mijn-regio") == "mijn-regio"
    assert start_from_template(ws, "  ", "mijn-regio") == "mijn-regio-2"
    assert ws.names() == ["mijn-regio", "mijn-regio-2"]


def test_a_taken_name_is_refused_and_the_scenario_there_is_kept(tmp_path):
    ws = Workspace(tmp_path / "ws")
    start_from_template(ws, "twente", "x")
    edited = ws.scenario_file("twente")
    edited.write_text(edited.read_text() + "# edited by hand\n")
    before = edited.read_bytes()
    with pytest.raises(InputError) as caught:
        start_from_template(ws, "twente", "x")
    issue = caught.value.issues[0]
    assert issue.field == "name" and "already" in issue.message
    assert "er is al een scenario 'twente'" in issue.message.text("nl")
    assert edited.read_bytes() == before


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", "-x", "mijn regio", "x" * 65,
                                  "..", "/etc", "regio\\x"])
def test_a_name_that_is_no_folder_of_the_workspace_is_refused(tmp_path, name):
    ws = Workspace(tmp_path / "ws")
    with pytest.raises(InputError) as caught:
        start_from_template(ws, name, "mijn-regio")
    assert caught.value.issues[0].field == "name"
    assert "letters, cijfers" in caught.value.issues[0].message.text("nl")
    assert ws.names() == []
    assert sorted(p.name for p in (tmp_path / "ws").iterdir()) == [".uploads", "scenarios"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]


def test_the_page_s_edits_work_on_the_template(tmp_path, template):
    ws = Workspace(tmp_path / "ws")
    name = start_from_template(ws, "regio", "x")
    scenario = with_capacity(ws.load(name), "DLZ-PG", "2027-12", "2028-01", 1)
    scenario = with_buddy_leave(scenario, "b-dlz-pg-1", "2028-03", "2028-04", away=True)
    scenario = with_new_learner(scenario, "L004", "bbl-vig", "IJZ", "2027-09", ["DLZ"])
    ws.save(name, scenario)
    saved = ws.load(name)
    assert saved.department["DLZ-PG"].capacity_in("2027-12") == 1
    assert len(saved.learners) == 4 and screen(saved) == []
    assert solve_checked(saved, time_limit=10).plan is not None
