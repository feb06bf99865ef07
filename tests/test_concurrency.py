"""Two runs into one plan directory at once: one wins cleanly, the other says so.

``solve`` takes the output folder's write lock (a hidden ``.NAME.lock`` beside it) when it
chooses the folder and keeps it until its files are renamed into place. A second run
meanwhile writes a numbered sibling and says why (``note: another scheduler run ...``);
with ``--force`` it stops with exit 1 before solving. Never are the files of two runs
mixed in one folder: each folder's plan.csv, kpis.json and scenario belong together.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.plandir import choose_out_dir
from tests.test_interrupt import CLI, ROOT, SEARCHING, Solve, leftovers, write_busy_region

pytestmark = pytest.mark.slow  # real solves in subprocesses: part of make test, ~bounded

HOLD_LOCK = """
import sys, time
from scheduler.io.atomic import try_lock_directory
assert try_lock_directory(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


@pytest.fixture(scope="module")
def regions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two different regions: learner ids A0000.. and B0000.., names 'region A'/'B'."""
    folder = tmp_path_factory.mktemp("regions")
    return {k: write_busy_region(folder / f"{k}.yaml", learners=20, organisations=6, seed=s,
                                 prefix=k, name=f"region {k}")
            for k, s in (("A", 1), ("B", 2))}


def start_both(regions: dict[str, Path], out: Path, *extra: str) -> dict[str, Solve]:
    runs = {k: Solve("solve", str(path), "--out", str(out), "--time-limit", "3",
                     "--workers", "1", "--lang", "en", *extra) for k, path in regions.items()}
    return runs


def belongs_together(folder: Path, regions: dict[str, Path]) -> str:
    """Which region the folder's files are of; fails if they mix two runs."""
    kpis = json.loads((folder / "kpis.json").read_text())
    region = kpis["scenario"].removeprefix("region ")
    lines = (folder / "plan.csv").read_text().splitlines()[1:]
    learners = {line.split(",", 1)[0] for line in lines}
    assert learners and all(lid.startswith(region) for lid in learners), (folder, learners)
    assert kpis["counts"]["learners"] == len(learners)
    assert kpis["scenario_file"] == str(regions[region].resolve())
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    check = subprocess.run([*CLI, "check", str(regions[region]), str(folder / "plan.csv")],
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    return region


def test_two_solves_into_one_folder_write_two_whole_folders(regions: dict[str, Path],
                                                             tmp_path: Path) -> None:
    out = tmp_path / "plan"
    runs = start_both(regions, out)
    codes = {k: r.finish() for k, r in runs.items()}
    assert codes == {"A": 0, "B": 0}, {k: r.stderr[-2000:] for k, r in runs.items()}
    for r in runs.values():
        assert "Traceback" not in r.stderr + r.stdout
    numbered = out.with_name("plan-2")
    assert {belongs_together(out, regions), belongs_together(numbered, regions)} == {"A", "B"}
    loser = [r for r in runs.values() if f"writing to {numbered} instead" in r.stderr]
    assert len(loser) == 1, [r.stderr for r in runs.values()]
    assert "another scheduler run" in loser[0].stderr or "exists already" in loser[0].stderr
    assert f"plan written to {numbered}/" in loser[0].stdout
    assert leftovers(tmp_path) == []


def test_two_forced_solves_one_wins_the_other_stops(regions: dict[str, Path],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "plan"
    runs = start_both(regions, out, "--force")
    codes = {k: r.finish() for k, r in runs.items()}
    assert sorted(codes.values()) in ([0, 0], [0, 1]), {k: r.stderr for k, r in runs.items()}
    for r in runs.values():
        assert "Traceback" not in r.stderr + r.stdout
    if sorted(codes.values()) == [0, 1]:  # they overlapped (the usual case)
        loser = next(r for k, r in runs.items() if codes[k] == 1)
        assert "another scheduler run (process " in loser.stderr
        assert f"is writing {out} right now" in loser.stderr
        assert SEARCHING not in loser.stderr  # it stopped before spending the time
    belongs_together(out, regions)
    assert not out.with_name("plan-2").exists()
    assert leftovers(tmp_path) == []


def test_a_folder_locked_by_another_process(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(InputError, match=rf"process {holder.pid}\) is writing"):
            choose_out_dir(out, force=True)
        assert choose_out_dir(out, force=False) == tmp_path / "plan-2"
    finally:
        holder.kill()
        holder.wait()
    # the holder died: its lock went with it; the stale lock file is taken over
    time.sleep(0.1)
    assert choose_out_dir(out, force=True) == out
    from scheduler.io.atomic import unlock_directory

    unlock_directory(out)
    unlock_directory(tmp_path / "plan-2")
    assert leftovers(tmp_path) == []
