"""Variant files: every operation on the small region, and clear errors (exit 1) for bad ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.errors import InputError
from scheduler.io import load_scenario
from scheduler.models import Scenario
from scheduler.variants import apply_changes, load_variant

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "data" / "small_region.yaml"
TWENTE = REPO / "scenarios" / "twente.yaml"


@pytest.fixture(scope="module")
def base() -> Scenario:
    return load_scenario(SMALL)


def apply(base: Scenario, *changes: dict[str, Any]) -> tuple[Scenario, list[str]]:
    return apply_changes(base, list(changes), "v.yaml")


def write_variant(folder: Path, changes: Any, base: str | None = None, **extra: Any) -> Path:
    doc = {"base": base if base is not None else str(SMALL), "name": "test", "changes": changes}
    doc.update(extra)
    path = folder / "variant.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def error_text(base: Scenario, *changes: dict[str, Any]) -> str:
    with pytest.raises(InputError) as info:
        apply(base, *changes)
    return str(info.value)


# ----- operations -----------------------------------------------------------------------
def test_add_capacity_adds_in_the_months_given_only(base):
    s, _ = apply(base, {"add_capacity": {"department": "ZHO-GER", "amount": 2,
                                         "from": "2028-02", "to": "2028-03"}})
    ger = s.department["ZHO-GER"]  # base capacity 2
    assert [ger.capacity_in(m) for m in ("2028-01", "2028-02", "2028-03", "2028-04")] == [
        2, 4, 4, 2]
    assert base.department["ZHO-GER"].capacity_by_month == {}  # the base is untouched


def test_add_capacity_without_months_changes_every_month(base):
    s, _ = apply(base, {"set_capacity": {"department": "ZGD-PG1", "capacity": 1,
                                         "from": "2027-12", "to": "2027-12"}},
                 {"add_capacity": {"department": "ZGD-PG1", "amount": 1}})
    pg1 = s.department["ZGD-PG1"]  # 3, then 1 in 2027-12, then +1 everywhere
    assert (pg1.capacity, pg1.capacity_in("2027-12")) == (4, 2)


def test_add_capacity_notes_missing_buddies(base):
    # ZHO-INT: one buddy guiding at most 2, capacity 2 -> 5 places need more buddies
    _, notes = apply(base, {"add_capacity": {"department": "ZHO-INT", "amount": 3}})
    assert any("ZHO-INT" in n and "add_buddies" in n for n in notes)
    _, notes = apply(base, {"add_capacity": {"department": "ZHO-INT", "amount": 2}},
                     {"add_buddies": {"department": "ZHO-INT", "count": 1}})
    assert notes == []


def test_add_department_with_buddies(base):
    s, _ = apply(base, {"add_department": {"id": "ZHO-NEW", "organisation": "ZHO",
                                           "shifts": "fixed", "capacity": 2, "buddies": 2,
                                           "buddy_max_learners": 1}})
    assert s.department["ZHO-NEW"].capacity == 2
    assert [(b.id, b.max_learners) for b in s.buddies_of["ZHO-NEW"]] == [
        ("ZHO-NEW-b1", 1), ("ZHO-NEW-b2", 1)]


def test_add_buddies_skips_ids_in_use(base):
    s, _ = apply(base, {"add_department": {"id": "X", "organisation": "ZHO", "shifts": "fixed",
                                           "capacity": 2, "buddies": 1}},
                 {"add_buddies": {"department": "X", "count": 2}})
    assert [b.id for b in s.buddies_of["X"]] == ["X-b1", "X-b2", "X-b3"]


def test_add_learners_by_count_never_clashes(base):
    s, _ = apply(base,
                 {"add_learners": [{"id": "new-bbl-vig-02", "programme": "bbl-vig",
                                    "home": "ZHO", "start": "2027-09"}]},
                 {"add_learners": {"count": 3, "programme": "bbl-vig", "start": "2027-10",
                                   "home": "ZGD", "level": 3}})
    new = [lr for lr in s.learners if lr.id.startswith("new-")]
    assert [lr.id for lr in new] == ["new-bbl-vig-02", "new-bbl-vig-01", "new-bbl-vig-03",
                                     "new-bbl-vig-04"]
    assert {(lr.home, lr.start, lr.level) for lr in new[1:]} == {("ZGD", "2027-10", 3)}


def test_remove_learners_drops_their_pins(base):
    s, notes = apply(base, {"remove_learners": {"ids": ["B03", "T01"]}})
    assert "B03" not in s.learner and "T01" not in s.learner and s.pins == ()
    assert len(s.learners) == len(base.learners) - 2 and notes


def test_remove_organisation_keeps_its_employees(base):
    s, notes = apply(base, {"remove_organisation": "ZGD"})
    assert "ZGD" not in s.organisation
    assert not any(d.organisation == "ZGD" for d in s.departments)
    assert not any(b.department.startswith("ZGD") for b in s.buddies)
    assert s.pins == ()  # B03 was pinned in ZGD-PG1
    zgd = base.organisation["ZGD"]
    for lid in ("T02", "B01", "B03"):  # employed by ZGD: stay, no home, ZGD's location
        lr = s.learner[lid]
        assert lr.home is None and (lr.lat, lr.lon) == (zgd.lat, zgd.lon)
    assert s.learner["T01"].preferences == ("GGZT-KL",)  # ZGD dropped
    assert s.learner["B01"].preferences == ()  # ZGD-PG1 dropped
    assert len(s.learners) == len(base.learners)
    assert any("pins dropped for B03" in n for n in notes)


def test_buddy_unavailable_merges_months_and_frees_pins(base):
    s, notes = apply(base, {"buddy_unavailable": {"buddy": "b-pg1-1", "from": "2027-10",
                                                  "to": "2027-11"}},
                     {"buddy_unavailable": {"buddy": "b-pg1-2", "months": ["2028-05"]}})
    assert s.buddy["b-pg1-1"].unavailable == ("2027-10", "2027-11")
    assert s.buddy["b-pg1-2"].unavailable == ("2028-01", "2028-02", "2028-05")
    assert s.pins[0].buddy is None and s.pins[0].department == "ZGD-PG1"
    assert any("B03" in n for n in notes)


def test_set_policy_merges_weights(base):
    s, _ = apply(base, {"set_policy": {"max_travel_km": 50, "weights": {"travel": 0.5}}})
    assert s.policy.max_travel_km == 50 and s.policy.weights.travel == 0.5
    assert s.policy.weights.unplaced == base.policy.weights.unplaced


def test_no_changes_gives_the_base(base):
    s, notes = apply(base)
    assert s == base and notes == []


def test_variant_file_base_is_relative_to_the_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "region.yaml").write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    path = write_variant(tmp_path / "sub", [{"remove_learners": ["T03"]}], base="../region.yaml")
    v = load_variant(path)
    assert v.name == "test" and v.base == (tmp_path / "region.yaml").resolve()
    assert v.scenario.name == "test" and "T03" not in v.scenario.learner


@pytest.mark.skipif(not TWENTE.is_file(), reason="scenarios/twente.yaml not there yet")
def test_shipped_variants_apply_to_the_default_scenario():
    files = sorted((REPO / "scenarios" / "variants").glob("*.yaml"))
    assert len(files) >= 4
    base = load_scenario(TWENTE)
    for path in files:
        v = load_variant(path, expected_base=TWENTE, base=base)
        assert v.scenario != base, path


# ----- errors ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"add_capacity": {"department": "ZHO-GRR", "amount": 1}},
         ["change 1 (add_capacity)", "field 'department'", "unknown department 'ZHO-GRR'",
          "did you mean 'ZHO-GER'"]),
        ({"add_capacity": {"department": "ZHO-GER", "amount": "four"}},
         ["field 'amount'", "whole number"]),
        ({"add_capacity": {"department": "ZHO-GER", "amount": -3}},
         ["field 'amount'", "would become -1"]),
        ({"add_capacity": {"department": "ZHO-GER", "amount": 1, "from": "2028-03"}},
         ["field 'to'", "give both 'from' and 'to'"]),
        ({"add_capacity": {"department": "ZHO-GER", "amount": 1, "form": "2028-03"}},
         ["field 'form'", "did you mean 'from'"]),
        ({"add_department": {"id": "ZHO-GER", "organisation": "ZHO", "shifts": "fixed",
                             "capacity": 1}}, ["field 'id'", "exists already"]),
        ({"add_department": {"id": "N", "organisation": "ZHO", "shifts": "sometimes",
                             "capacity": 1}}, ["id 'N'", "field 'shifts'", "'fixed'"]),
        ({"add_learners": {"count": 2, "programme": "bbl", "start": "2027-09"}},
         ["change 1 (add_learners)", "field 'programme'", "unknown programme 'bbl'"]),
        ({"remove_organisation": "ZZZ"}, ["unknown organisation 'ZZZ'"]),
        ({"remove_learners": ["T01", "T99"]}, ["id 'T99'", "unknown learner"]),
        ({"buddy_unavailable": {"buddy": "b-int-1", "from": "2028-13"}},
         ["field 'from'", "2028-13"]),
        ({"set_policy": {"max_travel_km": -5}}, ["max_travel_km"]),
        ({"set_policy": {"speed": 3}}, ["field 'speed'", "not a known field"]),
        ({"rename_department": {"id": "X"}},
         ["change 1", "unknown operation 'rename_department'", "remove_department"]),
        ("add_capacity", ["change 1", "one operation"]),
    ],
)
def test_bad_changes_name_the_change_the_field_and_the_problem(base, change, expected):
    text = error_text(base, change)
    assert text.startswith("v.yaml"), text
    for part in expected:
        assert part in text, text


def test_the_failing_change_is_counted_from_one(base):
    text = error_text(base, {"add_capacity": {"department": "ZHO-GER", "amount": 1}},
                      {"remove_organisation": "ZHO"}, {"remove_learners": ["nobody"]})
    assert "change 3 (remove_learners)" in text


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"base": "missing.yaml", "changes": []}, ["field 'base'", "not found"]),
        ({"changes": []}, ["field 'base'", "give the base scenario"]),
        ({"base": str(SMALL), "changes": {"add_capacity": {}}}, ["field 'changes'", "a list"]),
        ({"base": str(SMALL), "chanegs": []}, ["unknown key(s) 'chanegs'"]),
    ],
)
def test_bad_variant_files(tmp_path, doc, expected):
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_variant(path)
    for part in expected:
        assert part in str(info.value), str(info.value)


def test_a_base_with_errors_is_reported_in_its_own_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("scenario: 1\ncalendar: {start: 2027-09, months: 0}\n", encoding="utf-8")
    path = write_variant(tmp_path, [], base="broken.yaml")
    with pytest.raises(InputError) as info:
        load_variant(path)
    assert "broken.yaml" in str(info.value)


def test_whatif_refuses_a_variant_written_against_another_base(tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    path = write_variant(tmp_path, [], base="other.yaml")
    with pytest.raises(InputError, match="written against"):
        load_variant(path, expected_base=SMALL)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=120)


def test_bad_variant_files_exit_1_with_clear_text_via_the_cli(tmp_path):
    # each case: changes, base, the English words, the Dutch words (Dutch unless --lang en)
    cases = {
        "unknown-op.yaml": ([{"grow": {"department": "ZHO-GER"}}], None,
                            "unknown operation 'grow'", "onbekende operatie 'grow'"),
        "unknown-id.yaml": ([{"buddy_unavailable": {"buddy": "b-nobody", "from": "2028-01",
                                                    "to": "2028-02"}}], None,
                            "unknown buddy 'b-nobody'", "onbekende werkbegeleider 'b-nobody'"),
        "no-base.yaml": ([], "nowhere/region.yaml", "the base scenario 'nowhere/region.yaml' "
                                                    "was not found",
                         "het basisscenario 'nowhere/region.yaml' is niet gevonden"),
        "bad-amount.yaml": ([{"add_capacity": {"department": "ZHO-GER", "amount": "veel"}}],
                            None, "field 'amount': must be a whole number, got 'veel'",
                            "veld 'amount': moet een geheel getal zijn, maar is 'veel'"),
    }
    paths = []
    for name, (changes, base, _, _) in cases.items():
        doc = {"base": base or str(SMALL), "name": name, "changes": changes}
        (tmp_path / name).write_text(yaml.safe_dump(doc), encoding="utf-8")
        paths.append(str(tmp_path / name))
    out = tmp_path / "out"
    for lang, column in (("en", 2), ("nl", 3)):
        extra = ("--lang", "en") if lang == "en" else ()
        done = _cli("whatif", str(SMALL), *paths, "--out", str(out), "--time-limit", "5",
                    *extra)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("error: " if lang == "en" else "fout: "), done.stderr
        for name, case in cases.items():  # every file's problem, at once
            assert f"{name}" in done.stderr and case[column] in done.stderr, done.stderr
        assert not out.exists()
