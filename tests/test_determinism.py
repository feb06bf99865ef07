"""Same scenario, seed and one worker → byte-identical plan.csv (via the CLI).

Also across the three forms of one scenario (YAML, YAML with CSV tables, Excel), across
working folders and across Python's string-hash seeds (set iteration order must not
leak into the model or the output). This holds when the search ends by proof (status
``optimal``); a wall-clock ``--time-limit`` that cuts the search short stops it at a
point that depends on the machine's speed (see SECURITY.md, "Determinism").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scheduler.io import load_scenario, write_scenario
from tests.test_interrupt import CLI

pytestmark = pytest.mark.slow  # real solves in subprocesses: part of make test, ~bounded

SMALL = Path(__file__).parent / "data" / "small_region.yaml"


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three solves at once, each from another form, working folder and hash seed."""
    folder = tmp_path_factory.mktemp("forms")
    scenario = load_scenario(SMALL)
    shutil.copy(SMALL, folder / "small.yaml")
    (folder / "csv").mkdir()
    write_scenario(scenario, folder / "csv" / "small.yaml", csv_tables=True)
    write_scenario(scenario, folder / "small.xlsx")
    runs = {
        "yaml": (folder / "small.yaml", folder, "0"),
        "csv": (folder / "csv" / "small.yaml", folder / "csv", "4242"),
        "xlsx": (folder / "small.xlsx", folder / "csv", "random"),
    }
    procs = {}
    for name, (path, cwd, hashseed) in runs.items():
        out = tmp_path_factory.mktemp(name) / "plan"
        procs[name] = (out, subprocess.Popen(
            [*CLI, "solve", str(path), "--out", str(out), "--workers", "1", "--seed", "7",
             "--time-limit", "120", "--quiet"], cwd=cwd, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONHASHSEED": hashseed}))
    result = {}
    for name, (out, proc) in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, (name, stderr[-2000:])
        result[name] = out
    return result


def test_same_seed_one_worker_gives_a_byte_identical_plan(plans: dict[str, Path]) -> None:
    first = (plans["yaml"] / "plan.csv").read_bytes()
    assert first.count(b"\n") > 10
    for name in ("csv", "xlsx"):
        assert (plans[name] / "plan.csv").read_bytes() == first, name


def test_kpis_agree_except_for_clocks_and_paths(plans: dict[str, Path]) -> None:
    def stable(path: Path) -> dict:
        kpis = json.loads((path / "kpis.json").read_text())
        assert kpis["status"] == "optimal"  # identity is promised for proven plans
        for key in ("solve_seconds", "build_seconds", "scenario_file", "model", "solver"):
            kpis.pop(key, None)
        return kpis

    first = stable(plans["yaml"])
    for name in ("csv", "xlsx"):
        assert stable(plans[name]) == first, name
