"""How long the pictures, plan.xlsx and report.html of a large plan take (issue 6).

Target: a 5,000-learner plan renders every output in under a minute on a 2-core machine.
The script generates a region (``scheduler.generate.generate_region``, the XL instance of
the benchmark suite by default), solves it with a short time limit (the plan's quality
does not matter here, its size does), writes plan.csv + kpis.json, and then times
``scheduler.report.write_reports`` (what ``solve`` and ``scheduler plot`` run) and the
whole ``scheduler plot DIR`` path (reading the plan directory back included).

    .venv/bin/python benchmarks/render_large.py                 # 5,000 learners, 2 cores
    .venv/bin/python benchmarks/render_large.py --learners 2000 --organisations 80 --seed 303

It prints one table; with ``--out`` the plan directory is kept there to look at.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.generate import generate_region  # noqa: E402
from scheduler.io import write_scenario  # noqa: E402
from scheduler.plandir import OutputOptions, write_plan_dir  # noqa: E402
from scheduler.solver import SolveOptions, solve  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the forked renderers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(label: str, rows: list[tuple[str, float, float]], fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), _cpu()
    out = fn(*args, **kwargs)
    rows.append((label, time.perf_counter() - wall, _cpu() - cpu))
    print(f"  {label}: {rows[-1][1]:.1f} s", file=sys.stderr, flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=5_000)
    parser.add_argument("--organisations", type=int, default=150)
    parser.add_argument("--seed", type=int, default=404)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--cores", type=int, default=2, help="CPU cores to run on (affinity)")
    parser.add_argument("--lang", default="nl")
    parser.add_argument("--out", type=Path, default=None, help="keep the plan directory here")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity") and args.cores:
        available = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, set(available[: args.cores]))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    from scheduler.io import load_scenario, read_plan_csv
    from scheduler.report import redraw, write_reports

    rows: list[tuple[str, float, float]] = []
    base = args.out or Path(tempfile.mkdtemp(prefix="render-large-"))
    base.mkdir(parents=True, exist_ok=True)
    scenario = _timed("generate", rows, generate_region, args.learners, args.organisations,
                      args.seed)
    scenario_file = base / "scenario.yaml"
    write_scenario(scenario, scenario_file)
    result = _timed("solve", rows, solve, scenario,
                    SolveOptions(time_limit=args.time_limit, workers=cores or 1, quiet=True))
    if result.plan is None:
        print(f"no plan ({result.status}); nothing to render", file=sys.stderr)
        return 2
    plan_dir = base / "plan"
    doc = write_plan_dir(plan_dir, scenario, result, output=OutputOptions(
        lang=args.lang, reports=False, scenario_file=str(scenario_file)))
    plan = read_plan_csv(plan_dir / "plan.csv")
    _timed("write_reports (all outputs)", rows, write_reports, plan_dir, scenario, plan, doc,
           lang=args.lang)
    _timed("scheduler plot DIR (read + render)", rows, redraw, plan_dir, lang=args.lang)
    _timed("  of which: read scenario + plan.csv", rows,
           lambda: (load_scenario(scenario_file), read_plan_csv(plan_dir / "plan.csv")))

    files = sorted(p for p in plan_dir.iterdir() if not p.name.startswith("."))
    pages = [p for p in files if p.name.startswith("gantt-learners-")]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"\n{len(result.plan.by_learner)} learners, {len(scenario.organisations)} "
          f"organisations, {len(scenario.departments)} departments, "
          f"{len(scenario.buddies)} buddies; status {result.status}, "
          f"{len(result.plan.unplaced_learners())} unplaced")
    print(f"{len(files)} files ({len(pages)} Gantt pages), {size_mb:.1f} MB, in {plan_dir}")
    print(f"machine: {platform.machine()}, {cores} cores, load average "
          f"{os.getloadavg()[0]:.1f}, python {platform.python_version()}\n")
    print("| step | wall s | CPU s |\n|---|---|---|")
    for label, wall, cpu in rows:
        print(f"| {label} | {wall:.1f} | {cpu:.1f} |")
    render = next(w for label, w, _ in rows if label.startswith("write_reports"))
    print(f"\nall outputs rendered in {render:.1f} s (target < 60 s on 2 cores): "
          f"{'OK' if render < 60 else 'TOO SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
