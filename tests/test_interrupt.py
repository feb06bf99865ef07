"""Interruptions: real signals to a real ``scheduler solve`` process.

SIGINT (Ctrl-C) and SIGTERM (a laptop shutting down, a job scheduler) during the search
write the best plan found so far, with status ``interrupted``, and exit 130 within
seconds; the plan passes ``scheduler check``. A second signal gives up at once. SIGKILL
(no chance to clean up) in the middle of writing leaves the old plan directory or none,
never a half-written one: only hidden ``.NAME.*.partial`` / ``.old`` folders, which the
next run into that folder tidies (putting back a plan that was moved aside).

The scenario is a generated region that CP-SAT cannot finish within its 60 s limit on
one worker, so the signal always arrives mid-search (after the first progress line).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.slow  # real solves in subprocesses: part of make test, ~bounded

ROOT = Path(__file__).resolve().parents[1]
SMALL = Path(__file__).parent / "data" / "small_region.yaml"
SCRIPT = Path(sys.executable).parent / "scheduler"
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "cli"]
# a progress line of the search: CP-SAT's plans, or HiGHS's (first, on small models; it
# proves the busy region in ~3-5 s, so a signal at its first line lands mid-search)
PROGRESS = re.compile(r"^\d+(\.\d+)? s: (plan \d+|exact search \(HiGHS\)):")
# the solver's first line (--lang en): the scenario is read, the search begins
SEARCHING = " organisations read; "
STOP_SECONDS = 5.0  # signal → "interrupt: stopping the search" (the watcher; ~0.05 s here)
EXIT_SECONDS = 90.0  # signal → exit: mostly drawing the report (~5 s idle, 30-60 s when busy)
SECTORS = ("ZKH", "VVT", "GGZ", "GHZ", "WIJK")


# ----- a region that keeps CP-SAT busy ----------------------------------------------------
def busy_region(learners: int = 30, organisations: int = 8, seed: int = 1,
                prefix: str = "L", name: str = "busy region") -> dict[str, Any]:
    """A region with more demand than fits, preferences and fair share: CP-SAT with one
    worker does not prove it optimal within a minute (~2 s to the first plan here)."""
    rnd = random.Random(seed)
    orgs, depts, buddies = [], [], []
    for o in range(organisations):
        oid = f"O{o:02d}"
        orgs.append({"id": oid, "name": f"Zorgorganisatie {o}", "sector": SECTORS[o % 5],
                     "fte_care": rnd.randint(200, 2000), "lat": round(52.2 + rnd.random() * 0.3, 3),
                     "lon": round(6.5 + rnd.random() * 0.4, 3)})
        for d in range(4):
            did = f"{oid}-D{d}"
            depts.append({"id": did, "organisation": oid, "capacity": rnd.randint(1, 3),
                          "shifts": "fixed" if d % 2 == 0 else "rotating"})
            buddies += [{"id": f"b-{did}-{b}", "department": did} for b in range(2)]
    programmes = [
        {"id": "trainee", "kind": "trainee", "placements": [6, 6, 6, 6],
         "carrousel_min_away": 2, "required_sectors": ["VVT", "GGZ"]},
        {"id": "bbl", "kind": "bbl", "placements": [6, 6, 6], "starter_fixed_shifts_months": 3},
        {"id": "hbo", "kind": "hbo_duaal", "placements": [4, 4, 4], "carrousel_min_away": 1},
    ]
    ids = [d["id"] for d in depts]
    people = [{"id": f"{prefix}{i:04d}", "name": f"Voornaam{i:04d} Achternaam{prefix}",
               "programme": rnd.choice(programmes)["id"], "home": rnd.choice(orgs)["id"],
               "start": rnd.choice(["2027-09", "2027-10", "2028-01"]),
               "preferences": rnd.sample(ids, 3)} for i in range(learners)]
    return {"scenario": 1, "name": name, "calendar": {"start": "2027-09", "months": 24},
            "policy": {"max_travel_km": 60}, "organisations": orgs, "departments": depts,
            "buddies": buddies, "programmes": programmes, "learners": people, "pins": []}


def write_busy_region(path: Path, **kwargs: Any) -> Path:
    """The busy region as a scenario file (through ``scheduler.generate`` once it exists,
    when no ids/names are asked for)."""
    try:
        from scheduler.generate import generate_region
        from scheduler.io import write_scenario
    except ImportError:
        generate_region = None
    if generate_region is not None and not kwargs:
        write_scenario(generate_region(60, 10, seed=1), path)
        return path
    path.write_text(yaml.safe_dump(busy_region(**kwargs), sort_keys=False, allow_unicode=True))
    return path


# ----- a CLI process we can signal ------------------------------------------------------
class Solve:
    """``scheduler ARGS`` in a subprocess; its stderr lines are watched as they come."""

    def __init__(self, *args: str, cwd: Path = ROOT, prefix: list[str] | None = None) -> None:
        self.proc = subprocess.Popen([*(prefix or CLI), *args], cwd=cwd, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL)
        self.started = time.perf_counter()
        self.err: list[str] = []
        self.out: list[str] = []
        self.arrived: dict[str, float] = {}  # first line containing a mark → when
        self.searching = threading.Event()  # the solver's first line came (SEARCHING)
        self.progress = threading.Event()  # a progress line came
        self.marks: dict[str, threading.Event] = {}
        self.ended = 0.0  # when the process exited (perf_counter)
        self.readers = [threading.Thread(target=self._read, args=(s, b), daemon=True)
                        for s, b in ((self.proc.stderr, self.err), (self.proc.stdout, self.out))]
        self.readers.append(threading.Thread(target=self._wait, daemon=True))
        for reader in self.readers:
            reader.start()

    def _wait(self) -> None:
        self.proc.wait()
        self.ended = time.perf_counter()

    def _read(self, stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line)
            if line.startswith("interrupt"):
                self.arrived.setdefault("interrupt", time.perf_counter())
            if SEARCHING in line:
                self.searching.set()
            if PROGRESS.match(line):
                self.progress.set()
            for mark, event in list(self.marks.items()):
                if mark in line:
                    event.set()

    def wait_for(self, mark: str, timeout: float = 60) -> None:
        event = self.marks.setdefault(mark, threading.Event())
        if not event.wait(timeout) and not any(mark in line for line in self.err):
            self.proc.kill()
            raise AssertionError(f"no '{mark}' within {timeout}s:\n{self.stderr}")

    def wait_until_searching(self, fallback: float = 15.0, timeout: float = 60) -> None:
        """Until the first progress line (at most ``fallback`` s after the solve began)."""
        assert self.searching.wait(timeout), self.stderr
        self.progress.wait(fallback)
        assert self.proc.poll() is None, f"finished before the signal:\n{self.stderr}"

    def send(self, signum: int) -> float:
        self.proc.send_signal(signum)
        return time.perf_counter()

    def finish(self, timeout: float = 120) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        for reader in self.readers:
            reader.join(5)
        self.ended = self.ended or time.perf_counter()
        return code

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    @property
    def stdout(self) -> str:
        return "".join(self.out)


def check(scenario: Path, plan: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([*CLI, "check", str(scenario), str(plan)], text=True, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def leftovers(folder: Path) -> list[str]:
    """Hidden staging folders and lock files left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ----- SIGINT / SIGTERM -----------------------------------------------------------------
@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_busy_region(tmp_path_factory.mktemp("busy") / "busy.yaml")


@pytest.fixture(scope="module")
def interrupted(busy: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """SIGINT, SIGTERM and a double SIGINT, each to its own solve; all run at once."""
    signals = {"SIGINT": [signal.SIGINT], "SIGTERM": [signal.SIGTERM],
               "twice": [signal.SIGINT, signal.SIGINT]}
    runs = {}
    for name in signals:
        out = tmp_path_factory.mktemp(name) / "plan"
        runs[name] = (Solve("solve", str(busy), "--out", str(out), "--time-limit", "60",
                            "--workers", "1", "--lang", "en"), out)
    sent: dict[str, float] = {}
    for name, (solve, _) in runs.items():
        solve.wait_until_searching()
        for signum in signals[name]:
            sent[name] = solve.send(signum)
            time.sleep(0.1)
    results = {}
    for name, (solve, out) in runs.items():
        code = solve.finish(timeout=EXIT_SECONDS + 60)
        results[name] = {"code": code, "seconds": solve.ended - sent[name], "out": out,
                         "stopping": solve.arrived.get("interrupt", 1e9) - sent[name],
                         "stderr": solve.stderr, "stdout": solve.stdout}
    checks = {n: check(busy, r["out"] / "plan.csv") for n, r in results.items()
              if (r["out"] / "plan.csv").exists()}
    for name, proc in checks.items():
        stdout, stderr = proc.communicate(timeout=120)
        results[name]["check"] = (proc.returncode, stdout + stderr)
    return results


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_signal_writes_the_best_plan_so_far(interrupted: dict[str, Any], name: str) -> None:
    r = interrupted[name]
    assert r["code"] == 130, r["stderr"][-3000:]
    assert r["stopping"] < STOP_SECONDS, f"the search stopped {r['stopping']:.1f}s after"
    assert r["seconds"] < EXIT_SECONDS, f"exit {r['seconds']:.1f}s after the signal"
    assert "Traceback" not in r["stderr"] + r["stdout"]
    assert "interrupt: stopping the search" in r["stderr"]
    kpis = json.loads((r["out"] / "kpis.json").read_text())
    assert kpis["status"] == "interrupted"
    assert kpis["solve_seconds"] < 50  # stopped, not run to the 60 s limit
    assert (r["out"] / "plan.csv").stat().st_size > 0
    code, text = r["check"]
    assert code == 0, text[-3000:]
    assert leftovers(r["out"].parent) == []


def test_second_signal_gives_up_at_once_and_leaves_nothing_half_written(
    interrupted: dict[str, Any],
) -> None:
    r = interrupted["twice"]
    assert r["code"] == 130, r["stderr"][-3000:]
    assert r["seconds"] < 15, f"exit {r['seconds']:.1f}s after the second signal"
    assert "Traceback" not in r["stderr"] + r["stdout"]
    if r["out"].exists():  # the first signal's plan was complete before the second came
        assert json.loads((r["out"] / "kpis.json").read_text())["status"] == "interrupted"
        assert r["check"][0] == 0, r["check"][1][-3000:]
    # at most a stage folder and a stale lock file, both hidden and tidied by the next run
    assert all(n.endswith((".partial", ".lock")) for n in leftovers(r["out"].parent))


def test_no_cp_sat_solve_catches_sigint_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.io import load_scenario
    from scheduler.solver import SolveOptions, pipeline, solve

    seen: list[bool] = []

    class Recording(pipeline.cp_model.CpSolver):  # type: ignore[misc,name-defined]
        def solve(self, *args: Any, **kwargs: Any) -> Any:
            seen.append(self.parameters.catch_sigint_signal)
            return super().solve(*args, **kwargs)

    monkeypatch.setattr(pipeline.cp_model, "CpSolver", Recording)
    solve(load_scenario(SMALL), SolveOptions(time_limit=5, workers=1, quiet=True, use_hint=True))
    assert len(seen) >= 2  # the hint's fixer and the search
    assert not any(seen), seen


# ----- SIGKILL in the middle of writing -------------------------------------------------
# Runs the real CLI with the plan writer slowed down (or a rename cut short), so that the
# SIGKILL lands while the plan directory is being written, every time.
SLOW_WRITER = """
import sys, time
import scheduler.plandir as plandir
write = plandir.atomic_write_text
def slow(path, text):
    write(path, text)
    print(f"WROTE {path.name}", file=sys.stderr, flush=True)
    time.sleep(2.0)
plandir.atomic_write_text = slow
from cli import main
main(sys.argv[1:])
"""
DIES_BETWEEN_RENAMES = """
import os, signal, sys
real = os.replace
def replace(src, dst):
    real(src, dst)
    if str(dst).endswith("previous"):  # the old plan was moved aside, the new not yet in
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from cli import main
main(sys.argv[1:])
"""


def plan_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_sigkill_mid_write_leaves_the_old_plan_or_none(tmp_path: Path) -> None:
    solve = ["solve", str(SMALL), "--workers", "1", "--time-limit", "10", "--quiet"]
    old = tmp_path / "old" / "plan"
    first = Solve(*solve, "--out", str(old))
    assert first.finish() == 0, first.stderr
    before = plan_files(old)
    assert "plan.csv" in before and "kpis.json" in before
    between = tmp_path / "between" / "plan"
    shutil.copytree(old, between)

    kills = {  # folder → (process, the line after which it is killed or None: it kills itself)
        "replace": (Solve(*solve, "--out", str(old), "--force",
                          prefix=[sys.executable, "-c", SLOW_WRITER]), "WROTE plan.csv"),
        "new": (Solve(*solve, "--out", str(tmp_path / "new" / "plan"),
                      prefix=[sys.executable, "-c", SLOW_WRITER]), "WROTE kpis.json"),
        "between": (Solve(*solve, "--out", str(between), "--force",
                          prefix=[sys.executable, "-c", DIES_BETWEEN_RENAMES]), None),
    }
    for name, (proc, mark) in kills.items():
        if mark is not None:
            proc.wait_for(mark)
            proc.send(signal.SIGKILL)
        assert proc.finish(timeout=60) == -signal.SIGKILL, (name, proc.stderr)

    # replacing: the old plan is untouched; the new files only in a hidden stage folder
    # (a killed process also leaves its lock file: the OS released the lock itself)
    assert plan_files(old) == before
    assert all(n.endswith((".partial", ".lock")) for n in leftovers(old.parent))
    # a new folder: nothing at all under its name
    assert not (tmp_path / "new" / "plan").exists()
    assert all(n.endswith((".partial", ".lock")) for n in leftovers(tmp_path / "new"))
    # killed between the two renames: the old plan waits in a hidden ".old" folder ...
    assert not between.exists()
    assert any(n.endswith(".old") for n in leftovers(between.parent))

    # ... and the next run puts it back (and, without --force, writes beside it); a run
    # into the other killed folder tidies its stage folder and lock file
    beside = Solve(*solve, "--out", str(between))
    over = Solve(*solve, "--out", str(old), "--force")
    assert beside.finish() == 0, beside.stderr
    assert over.finish() == 0, over.stderr
    assert plan_files(between) == before
    assert (between.parent / "plan-2" / "plan.csv").is_file()
    assert "exists already" in beside.stderr
    assert leftovers(between.parent) == []
    assert leftovers(old.parent) == []
