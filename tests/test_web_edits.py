"""Scenario edits of the workbench (``scheduler/web/edits.py``) without a browser: each edit
gives a scenario that saves and loads again, and a bad edit a located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.io import load_scenario, write_scenario
from scheduler.models import month_ordinal
from scheduler.web.edits import (
    preference_list,
    with_buddy_leave,
    with_learner,
    with_new_learner,
    without_learner,
)

from .solving import solve_checked

SMALL = Path(__file__).resolve().parent / "data" / "small_region.yaml"


@pytest.fixture(scope="module")
def small():
    return load_scenario(SMALL)


def _reloaded(scenario, tmp_path):
    path = tmp_path / "edited.yaml"
    write_scenario(scenario, path)
    return load_scenario(path)


def test_buddy_leave_is_added_and_taken_back(small, tmp_path):
    away = with_buddy_leave(small, "b-int-1", "2027-11", "2028-01", away=True)
    months = {month_ordinal(m) for m in ("2027-11", "2027-12", "2028-01")}
    assert away.buddy_unavailable["b-int-1"] == months
    assert _reloaded(away, tmp_path).buddy_unavailable["b-int-1"] == months
    back = with_buddy_leave(away, "b-int-1", "2027-12", "2027-12", away=False)
    assert back.buddy_unavailable["b-int-1"] == months - {month_ordinal("2027-12")}
    # the other buddies keep their leave (b-pg1-2: 2028-01/2028-02 in the file)
    assert back.buddy_unavailable["b-pg1-2"] == small.buddy_unavailable["b-pg1-2"]


@pytest.mark.parametrize(("args", "words"), [
    (("nobody", "2027-09", "2027-10"), "unknown id 'nobody'"),
    (("b-int-1", "2027-12", "2027-10"), "before"),
    (("b-int-1", "2027-13", "2027-10"), "month"),
    (("b-int-1", "2027-09", "2037-09"), "at most 120 months"),
])
def test_bad_leave_is_refused_with_a_located_message(small, args, words):
    with pytest.raises(InputError) as caught:
        with_buddy_leave(small, *args, away=True)
    issue = caught.value.issues[0]
    assert words in issue.message and issue.table == "buddies"


def test_a_learner_s_start_and_preferences_change(small, tmp_path):
    edited = with_learner(small, "T03", "2027-10", ["GGZT-KL", "ZGD"])
    learner = _reloaded(edited, tmp_path).learner["T03"]
    assert learner.start == "2027-10" and list(learner.preferences) == ["GGZT-KL", "ZGD"]
    assert edited.learner["T01"] == small.learner["T01"]  # the others as they were


def test_a_preference_for_an_unknown_department_is_refused(small):
    with pytest.raises(InputError) as caught:
        with_learner(small, "T03", "2027-09", ["NOWHERE"])
    text = str(caught.value)
    assert "NOWHERE" in text and "T03" in text


def test_a_start_that_is_no_month_is_refused(small):
    with pytest.raises(InputError) as caught:
        with_learner(small, "T03", "september", [])
    issue = caught.value.issues[0]
    assert issue.table == "learners" and issue.id == "T03" and issue.field == "start"


def test_preferences_as_typed():
    assert preference_list("ZGD, GGZT-KL;ZHO-INT  ZHO") == ["ZGD", "GGZT-KL", "ZHO-INT", "ZHO"]
    assert preference_list("  ") == []


def test_added_learner_is_planned_and_a_removed_one_takes_its_pins(small, tmp_path):
    added = with_new_learner(small, "N01", "trainee", "ZGD", "2027-09", ["ZHO-INT"])
    assert _reloaded(added, tmp_path).learner["N01"].home == "ZGD"
    result = solve_checked(added, time_limit=10)  # the checker re-verifies every rule
    assert result.plan is not None and "N01" in result.plan.by_learner
    pinned = small.pins[0].learner
    removed = without_learner(added, pinned)
    assert pinned not in removed.learner
    assert all(p.learner != pinned for p in removed.pins)
    assert len(removed.learners) == len(small.learners)


@pytest.mark.parametrize(("args", "words"), [
    (("T01", "trainee", "ZGD", "2027-09", []), "exists already"),
    (("", "trainee", "ZGD", "2027-09", []), "give the new learner an id"),
    (("N02", "no-such-programme", "ZGD", "2027-09", []), "no-such-programme"),
    (("N02", "trainee", "NOWHERE", "2027-09", []), "NOWHERE"),
])
def test_a_bad_new_learner_is_refused(small, args, words):
    with pytest.raises(InputError) as caught:
        with_new_learner(small, *args)
    assert words in str(caught.value)


def test_removing_an_unknown_learner_is_refused(small):
    with pytest.raises(InputError, match="unknown id 'X9'"):
        without_learner(small, "X9")


def test_a_refused_edit_is_told_in_the_page_s_language(small):
    from scheduler.words.web import issue_line

    with pytest.raises(InputError) as caught:
        with_buddy_leave(small, "b-int-1", "2027-12", "2027-10", away=True)
    issue = caught.value.issues[0]
    assert "'2027-10' ligt vóór '2027-12'" in issue_line(issue, "nl")
    assert "'2027-10' is before '2027-12'" in issue_line(issue, "en")
