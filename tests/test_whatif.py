"""whatif: minimal-change re-planning, parallel runs (local processes, Dask), plans that check."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.check import check_plan
from scheduler.errors import InputError
from scheduler.io import load_scenario, read_plan_csv
from scheduler.models import Plan, RowStatus, Scenario, add_months
from scheduler.solver import SolveOptions, solve
from scheduler.variants import apply_changes
from scheduler.whatif import run_whatif

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "data" / "small_region.yaml"
FAST = {"time_limit": 10.0, "workers": 1, "seed": 0, "lang": "en", "reports": False}

# Two roomy departments outside ZGD, so that every learner ZGD hosted can move there.
ROOM = [
    {"add_department": {"id": "GGZT-NEW", "organisation": "GGZT", "shifts": "fixed",
                        "capacity": 3, "buddies": 2}},
    {"add_department": {"id": "ZHO-NEW", "organisation": "ZHO", "shifts": "fixed",
                        "capacity": 3, "buddies": 2}},
]
VARIANTS: dict[str, list[dict[str, Any]]] = {
    "same": [],
    "zgd-leaves": [*ROOM, {"remove_organisation": "ZGD"}],
    "more-room": ROOM,
    "leave": [{"buddy_unavailable": {"buddy": "b-int-1", "from": "2028-01", "to": "2028-02"}}],
}


def write_variants(folder: Path, variants: dict[str, list[dict[str, Any]]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, changes in variants.items():
        path = folder / f"{name}.yaml"
        doc = {"base": os.path.relpath(SMALL, folder), "name": name, "changes": changes}
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def departments(plan: Plan) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in plan.rows:
        out.setdefault(r.learner, {})[r.month] = (
            "" if r.status is RowStatus.UNPLACED else r.department)
    return out


def moved(base: Plan, other: Plan) -> set[str]:
    """Learners of both plans whose department differs in some month (independent of compare)."""
    old, new = departments(base), departments(other)
    return {lid for lid in old.keys() & new.keys() if old[lid] != new[lid]}


def assert_plans_check(out: Path) -> None:
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        scenario = load_scenario(folder / "scenario.yaml")
        violations = check_plan(scenario, read_plan_csv(folder / "plan.csv"))
        assert violations == [], f"{folder.name}: " + "\n".join(map(str, violations))


@pytest.fixture(scope="module")
def whatif_out(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("whatif")
    paths = write_variants(tmp / "variants", VARIANTS)
    code = run_whatif(SMALL, paths, out=tmp / "out", jobs=1, dask_address=None, fresh=False,
                      force=False, pseudonymise=False, **FAST)  # type: ignore[arg-type]
    assert code == 0
    return tmp / "out"


def test_every_plan_written_passes_the_checker(whatif_out):
    assert {p.name for p in whatif_out.iterdir()} >= {
        "base", *VARIANTS, "comparison.csv", "comparison.html", "moves.csv"}
    assert_plans_check(whatif_out)


def plan(out: Path, name: str) -> Plan:
    return read_plan_csv(out / name / "plan.csv")


def test_a_variant_identical_to_the_base_moves_nobody(whatif_out):
    assert moved(plan(whatif_out, "base"), plan(whatif_out, "same")) == set()
    kpis = json.loads((whatif_out / "same" / "kpis.json").read_text())
    assert kpis["changed_learner_months"] == 0


def test_more_room_alone_moves_nobody(whatif_out):
    assert moved(plan(whatif_out, "base"), plan(whatif_out, "more-room")) == set()


def test_removing_an_organisation_moves_exactly_its_learners(whatif_out):
    base = plan(whatif_out, "base")
    hosted = {r.learner for r in base.rows if r.organisation == "ZGD"}
    assert hosted  # the small region places learners at ZGD
    after = plan(whatif_out, "zgd-leaves")
    assert after.unplaced_learners() == set()
    assert moved(base, after) == hosted
    assert not any(r.organisation == "ZGD" for r in after.rows)


def test_moves_are_reported_per_variant(whatif_out):
    with (whatif_out / "comparison.csv").open(encoding="utf-8") as handle:
        rows = {r["kpi"]: r for r in csv.DictReader(handle)}
    for name in VARIANTS:
        expected = moved(plan(whatif_out, "base"), plan(whatif_out, name))
        assert int(rows["moved"][name]) == len(expected), name
    with (whatif_out / "moves.csv").open(encoding="utf-8") as handle:
        listed = {(r["variant"], r["learner"]) for r in csv.DictReader(handle)}
    expected_pairs = {("zgd-leaves", lid)
                      for lid in moved(plan(whatif_out, "base"), plan(whatif_out, "zgd-leaves"))}
    assert {p for p in listed if p[0] == "zgd-leaves"} == expected_pairs


def test_an_existing_folder_is_refused_without_force(whatif_out, tmp_path):
    before = sorted(p.name for p in whatif_out.iterdir())
    variant = write_variants(tmp_path, {"same": []})
    with pytest.raises(InputError, match="exists already"):
        run_whatif(SMALL, variant, out=whatif_out, jobs=1, dask_address=None, fresh=True,
                   force=False, pseudonymise=False, **FAST)  # type: ignore[arg-type]
    assert sorted(p.name for p in whatif_out.iterdir()) == before
    out = tmp_path / "again"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    assert run_whatif(SMALL, variant, out=out, jobs=1, dask_address=None, fresh=True,
                      force=True, pseudonymise=True, **FAST) == 0  # type: ignore[arg-type]
    assert sorted(p.name for p in out.iterdir()) == [
        "base", "comparison.csv", "comparison.html", "moves.csv", "same"]
    copy = load_scenario(out / "same" / "scenario.yaml")
    assert not any(lr.name for lr in copy.learners)  # --pseudonymise: no names in the copy


def test_a_variant_without_a_plan_exits_2_and_still_writes_the_comparison(tmp_path):
    # B03 is pinned in ZGD-PG1 in 2027-09/10: closing it breaks a hard rule
    variant = write_variants(tmp_path, {"closed": [
        {"set_capacity": {"department": "ZGD-PG1", "capacity": 0}}]})
    out = tmp_path / "out"
    code = run_whatif(SMALL, variant, out=out, jobs=1, dask_address=None, fresh=False,
                      force=False, pseudonymise=False, **FAST)  # type: ignore[arg-type]
    assert code == 2
    assert json.loads((out / "closed" / "kpis.json").read_text())["status"] == "infeasible"
    assert "infeasible" in (out / "comparison.csv").read_text()


# ----- property: more capacity never hurts ----------------------------------------------
@pytest.fixture(scope="module")
def small() -> tuple[Scenario, Any]:
    scenario = load_scenario(SMALL)
    return scenario, solve(scenario, SolveOptions(time_limit=10, workers=1, quiet=True))


DEPARTMENTS = ["ZHO-INT", "ZHO-GER", "ZGD-PG1", "ZGD-SOM", "GGZT-KL"]
add_capacity = st.builds(
    lambda d, amount, start, length: {"add_capacity": {
        "department": d, "amount": amount, "from": add_months("2027-09", start),
        "to": add_months("2027-09", start + length - 1)}},
    st.sampled_from(DEPARTMENTS), st.integers(1, 3), st.integers(0, 11), st.integers(1, 12))
add_buddies = st.builds(lambda d: {"add_buddies": {"department": d, "count": 1}},
                        st.sampled_from(DEPARTMENTS))


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.one_of(add_capacity, add_capacity, add_buddies), min_size=1,
                        max_size=3))
def test_adding_capacity_never_places_fewer_and_never_costs_more(small, changes):
    base, base_result = small
    variant, _ = apply_changes(base, changes, "property.yaml")
    result = solve(variant, SolveOptions(time_limit=10, workers=1, quiet=True))  # --fresh
    assert (base_result.status, result.status) == ("optimal", "optimal")
    assert result.plan is not None and base_result.plan is not None
    assert check_plan(variant, result.plan) == []
    assert len(result.plan.placed_learners()) >= len(base_result.plan.placed_learners())
    assert result.objective <= base_result.objective + 1e-9


# ----- parallel: local processes through the real CLI, and a real Dask cluster ----------
def test_jobs_run_in_worker_processes_via_the_cli(tmp_path):
    paths = write_variants(tmp_path / "v", {"leave": VARIANTS["leave"]})  # + base: 2 solves
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "whatif", str(SMALL), *map(str, paths), "--out", str(out),
         "--jobs", "2", "--workers", "1", "--time-limit", "10", "--fresh", "--lang", "en"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "learners moved" in done.stdout and "2 local job(s)" in done.stderr
    assert_plans_check(out)
    check = subprocess.run(
        [sys.executable, "-m", "cli", "check", str(out / "leave" / "scenario.yaml"),
         str(out / "leave" / "plan.csv")], capture_output=True, text=True, env=env, cwd=REPO)
    assert check.returncode == 0, check.stdout + check.stderr


def test_dask_runs_the_same_solves_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    paths = write_variants(tmp_path / "v", {"same": [], "zgd-leaves": VARIANTS["zgd-leaves"]})
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        code = run_whatif(SMALL, paths, out=out, jobs=1, dask_address=cluster.scheduler_address,
                          fresh=False, force=False, pseudonymise=False,
                          **FAST)  # type: ignore[arg-type]
    assert code == 0
    assert_plans_check(out)
    base = plan(out, "base")
    assert moved(base, plan(out, "same")) == set()
    assert moved(base, plan(out, "zgd-leaves")) == {
        r.learner for r in base.rows if r.organisation == "ZGD"}


def test_an_unreachable_dask_scheduler_is_an_input_error(tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    monkeypatch.setattr("scheduler.whatif.DASK_CONNECT_TIMEOUT", "1s")
    paths = write_variants(tmp_path / "v", {"same": []})
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        run_whatif(SMALL, paths, out=tmp_path / "out", jobs=1, dask_address="tcp://nowhere:1",
                   fresh=True, force=False, pseudonymise=False, **FAST)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()
