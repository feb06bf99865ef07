"""A closed stdout or stderr never costs the plan (issue 25, scheduler/console.py).

Real console-script processes whose output goes into a pipe with no reader: closed before
the first line (``| head -0``), or after one line (``2>&1 | head -1`` during the solve),
stderr alone (``2>&1 >file | head``) and stdout alone (stderr kept in a file, which must
then hold no traceback and no "Exception ignored"). Each must exit with the code the same
command gives without a pipe, and write its files: every plan passes the checker of
``scheduler check``. The module's runs go three at a time.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from scheduler.check import check_plan
from scheduler.io import load_scenario, read_plan_csv
from tests.test_fuzz_inputs import CLI, CLI_SECONDS, ROOT

TWENTE = ROOT / "scenarios" / "twente.yaml"
VARIANT = ROOT / "scenarios" / "variants" / "four-extra-places.yaml"
FAST = ["--time-limit", "2", "--workers", "1"]
AT_ONCE = 3  # processes at a time (each solve uses one search worker)

pytestmark = pytest.mark.slow

# How the output goes: "closed_before" (stdout and stderr into one pipe, reader closed
# before the process starts), "closed_during" (2>&1 into a pipe, reader closed after the
# first line), "stderr_closed" (stdout to a file), "stdout_closed" (stderr to a file),
# "plain" (both to files: the exit code to compare with).
MODES = ("closed_before", "closed_during", "stderr_closed", "stdout_closed")


@dataclass
class Done:
    code: int
    stdout: str  # "" where it went into the closed pipe
    stderr: str


def _closed_pipe() -> int:
    """The write end of a pipe whose reader is already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


def start(args: list[str], mode: str) -> Callable[[], Done]:
    """Start ``scheduler ARGS`` with its output as ``mode`` says; the result waits."""
    out_file, err_file = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    stdout: int | object = out_file
    stderr: int | object = err_file
    pipe = None
    if mode == "closed_before":
        pipe = _closed_pipe()
        stdout = stderr = pipe
    elif mode == "closed_during":
        stdout, stderr = subprocess.PIPE, subprocess.STDOUT
    elif mode == "stderr_closed":
        pipe = stderr = _closed_pipe()
    elif mode == "stdout_closed":
        pipe = stdout = _closed_pipe()
    proc = subprocess.Popen([*CLI, *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=stdout, stderr=stderr)  # type: ignore[arg-type]
    if pipe is not None:
        os.close(pipe)
    killer = threading.Timer(CLI_SECONDS, proc.kill)
    killer.start()

    def wait() -> Done:
        if mode == "closed_during":
            assert proc.stdout is not None
            proc.stdout.readline()  # one line (the solve has begun), then the reader goes
            proc.stdout.close()
        code = proc.wait()
        killer.cancel()
        out_file.seek(0)
        err_file.seek(0)
        return Done(code, out_file.read().decode(errors="replace"),
                    err_file.read().decode(errors="replace"))

    return wait


def _commands(folder: Path, mode: str) -> dict[str, list[str]]:
    return {
        "solve": ["solve", str(TWENTE), "--out", str(folder / f"solve-{mode}"), *FAST,
                  "--lang", "en"],
        "whatif": ["whatif", str(TWENTE), str(VARIANT), "--out", str(folder / f"whatif-{mode}"),
                   *FAST],
        "explain": ["explain", str(TWENTE), "--out", str(folder / f"explain-{mode}"), *FAST],
        "validate": ["validate", str(TWENTE)],
    }


CASES = [("solve", mode) for mode in MODES] + [
    ("whatif", "closed_before"), ("whatif", "closed_during"),  # two solves and reports each
    *((command, mode) for command in ("explain", "validate")
      for mode in ("closed_before", "closed_during", "stdout_closed"))]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, str], Done]]:
    folder = tmp_path_factory.mktemp("closed-output")
    jobs = {case: _commands(folder, case[1])[case[0]] for case in CASES}
    jobs.update({(command, "plain"): args for command, args in _commands(folder, "plain").items()})
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        done = {case: pool.submit(lambda a, m: start(a, m)(), args, case[1])
                for case, args in jobs.items()}
        return folder, {case: future.result() for case, future in done.items()}


def _check(plan_dir: Path, scenario: Path) -> None:
    """What ``scheduler check SCENARIO PLAN`` does, in this process (saves a start-up)."""
    assert (plan_dir / "plan.csv").is_file(), sorted(p.name for p in plan_dir.iterdir())
    violations = check_plan(load_scenario(scenario), read_plan_csv(plan_dir / "plan.csv"))
    assert violations == [], [str(v) for v in violations[:5]]


@pytest.mark.parametrize("command, mode", CASES)
def test_a_closed_output_still_writes_every_file(
        runs: tuple[Path, dict[tuple[str, str], Done]], command: str, mode: str) -> None:
    folder, done = runs
    run, plain = done[(command, mode)], done[(command, "plain")]
    assert plain.code in (0, 2), plain.stderr[-2000:]  # the reference run itself worked
    assert run.code == plain.code, (run.code, plain.code, run.stderr[-2000:])
    for text in (run.stdout, run.stderr):
        assert "Traceback" not in text and "Exception ignored" not in text, text[-2000:]
    if mode == "stderr_closed":  # stdout still says what was written
        assert "plan written to" in run.stdout
    if command == "solve":
        _check(folder / f"solve-{mode}", TWENTE)
    elif command == "whatif":
        for slug in ("base", "four-extra-places"):
            _check(folder / f"whatif-{mode}" / slug, folder / f"whatif-{mode}" / slug /
                   "scenario.yaml")
        assert (folder / f"whatif-{mode}" / "comparison.csv").is_file()
    elif command == "explain":
        assert (folder / f"explain-{mode}" / "explain.json").is_file()
