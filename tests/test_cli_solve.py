"""End to end: the real CLI solves, writes the plan directory, and check agrees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small_region.yaml"


def run(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plans") / "small"
    r = run("solve", str(SMALL), "--out", str(out), "--workers", "1", "--time-limit", "30")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return out


def test_solve_writes_plan_and_kpis_that_check_accepts(solved: Path):
    assert (solved / "plan.csv").is_file() and (solved / "kpis.json").is_file()
    r = run("check", str(SMALL), str(solved / "plan.csv"))
    assert r.returncode == 0, r.stdout + r.stderr
    kpis = json.loads((solved / "kpis.json").read_text())
    assert kpis["status"] == "optimal"
    assert kpis["counts"]["placed"] == 6 and kpis["unplaced_learners"] == []
    for key in (
        "objective",
        "bound",
        "gap",
        "solve_seconds",
        "preferences",
        "fair_share",
        "travel",
        "buddy_changes",
        "solver",
        "model",
    ):
        assert key in kpis
    orgs = {o["organisation"] for o in kpis["fair_share"]["organisations"]}
    assert orgs == {"ZHO", "ZGD", "GGZT"}
    assert kpis["model"]["triples"] > 0 and kpis["build_seconds"] >= 0


def test_plan_csv_has_spec_columns_and_no_names(solved: Path):
    text = (solved / "plan.csv").read_text()
    assert text.splitlines()[0] == "learner,month,organisation,department,buddy,placement,status"
    for name in ("Sanne Visser", "Daan Smit", "HYPERLINK"):
        assert name not in text
        assert name not in (solved / "kpis.json").read_text()


def test_existing_out_dir_is_not_overwritten_without_force(solved: Path):
    before = (solved / "plan.csv").read_bytes()
    r = run("solve", str(SMALL), "--out", str(solved), "--workers", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    numbered = solved.with_name(solved.name + "-2")
    assert (numbered / "plan.csv").is_file()
    assert (solved / "plan.csv").read_bytes() == before


def test_same_seed_one_worker_gives_identical_plan(tmp_path: Path):
    outs = []
    for k in (1, 2):
        out = tmp_path / f"p{k}"
        r = run("solve", str(SMALL), "--out", str(out), "--workers", "1", "--seed", "7", "--quiet")
        assert r.returncode == 0, r.stderr
        outs.append((out / "plan.csv").read_bytes())
    assert outs[0] == outs[1]


def test_replan_with_own_baseline_and_freeze_moves_nobody(solved: Path, tmp_path: Path):
    out = tmp_path / "again"
    r = run(
        "solve",
        str(SMALL),
        "--out",
        str(out),
        "--baseline",
        str(solved / "plan.csv"),
        "--freeze-until",
        "2028-01",
        "--workers",
        "1",
        "--quiet",
    )
    assert r.returncode == 0, r.stderr
    kpis = json.loads((out / "kpis.json").read_text())
    assert kpis["changed_learner_months"] == 0
    assert run("check", str(SMALL), str(out / "plan.csv")).returncode == 0


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--freeze-until", "2028-01"], "--freeze-until needs --baseline"),
        (["--time-limit", "abc"], "time-limit"),
        (["--baseline", "/nonexistent/plan.csv"], "plan file not found"),
        (["--workers", "0"], "workers"),
    ],
)
def test_bad_solve_options_exit_1_without_traceback(args, needle, tmp_path: Path):
    r = run("solve", str(SMALL), "--out", str(tmp_path / "x"), *args, "--lang", "en")
    assert r.returncode == 1, r.stdout + r.stderr
    assert needle in r.stderr and "Traceback" not in r.stderr


def test_conflicting_pins_exit_2_print_and_write_the_explanation(tmp_path: Path):
    text = SMALL.read_text().replace(
        "pins:\n",
        "pins:\n  - {learner: B01, month: 2027-09, department: ZHO-INT}\n",  # rotating: starter
    )
    scenario = tmp_path / "conflict.yaml"
    scenario.write_text(text)
    out = tmp_path / "out"
    r = run("solve", str(scenario), "--out", str(out), "--workers", "1", "--quiet",
            "--lang", "en")
    assert r.returncode == 2, r.stdout + r.stderr
    assert json.loads((out / "kpis.json").read_text())["status"] == "infeasible"
    assert not (out / "plan.csv").exists()
    # docs/commands.md#exit-codes: on exit 2 the explanation is printed and written
    why = json.loads((out / "explain.json").read_text())
    assert why["status"] == "no_plan" and why["exit_code"] == 2
    assert "B01" in r.stdout and "starter" in r.stdout.lower()
    assert str(out / "explain.json") in r.stderr and "Traceback" not in r.stderr


def test_force_never_replaces_a_folder_that_is_not_a_plan(tmp_path: Path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "notes.txt").write_text("keep me")
    r = run("solve", str(SMALL), "--out", str(documents), "--force", "--quiet", "--workers", "1",
            "--lang", "en")
    assert r.returncode == 1 and "not a plan" in r.stderr and "Traceback" not in r.stderr
    r = run("solve", str(SMALL), "--out", str(documents), "--force", "--quiet", "--workers", "1")
    assert r.returncode == 1 and "bevat bestanden die geen plan zijn" in r.stderr, r.stderr
    assert (documents / "notes.txt").read_text() == "keep me"
