"""Forked render workers end when the pool ends, even inside the plan writer's
"finish writing first" SIGTERM handler (which they inherit): a 400-learner solve hung
at exit once the Gantt print pages made the pool's work longer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SCRIPT = """
import signal, sys, tempfile
from pathlib import Path
import scheduler.report.files as files
from scheduler.io import load_scenario
from scheduler.solver import SolveOptions, solve

files.PARALLEL_MIN_LEARNERS = 1  # fork workers for this small plan too
scenario = load_scenario(sys.argv[1])
result = solve(scenario, SolveOptions(workers=1, time_limit=20, quiet=True))
signal.signal(signal.SIGTERM, lambda *a: print("parent ignored SIGTERM", file=sys.stderr))
with tempfile.TemporaryDirectory() as folder:
    names = files.write_reports(Path(folder), scenario, result.plan, {})
    assert files._workers(files.ReportContext(scenario, result.plan, {}, files.text_for("nl"))) > 1
print("written", len(names))
"""


def test_render_workers_do_not_keep_the_pool_waiting():
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "tests" / "data" /
                                                                "small_region.yaml")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "written" in done.stdout


def _sigterm_is_default(_: int) -> bool:
    import signal

    return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_render_pool_workers_die_on_sigterm_whatever_the_parent_does():
    import signal

    from scheduler.report.files import render_pool

    old = signal.signal(signal.SIGTERM, lambda *a: None)  # as the plan writer's handler
    pool = render_pool(2)
    try:
        defaults = pool.map(_sigterm_is_default, range(4))
    finally:
        pool.close()  # ends the workers by message, not by signal: no hang if this fails
        pool.join()
        signal.signal(signal.SIGTERM, old)
    assert all(defaults)
