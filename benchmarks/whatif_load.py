"""Load: a what-if sweep of 50 variants of the M region, every plan checked, memory bounded.

    .venv/bin/python benchmarks/whatif_load.py                      # M, 50 variants, in-process
    .venv/bin/python benchmarks/whatif_load.py --size S --variants 10 --time-limit 5
    .venv/bin/python benchmarks/whatif_load.py --cli --jobs 2       # `scheduler whatif` itself

In-process mode (default) does what ``scheduler whatif`` does, one variant at a time,
so that each run can be measured: apply the variant, re-plan it against the base plan
(minimal change), write its plan directory, read plan.csv back and run the independent
checker on it. A sampler thread records the peak resident memory (VmRSS) of every run;
a leak shows as growth of the per-run peak over the sweep (reported as MB per run,
fitted over the second half, after warm-up). ``--cli`` runs the real command instead
(``--jobs``), takes its peak memory over the process tree from ``wait4``, and checks
every plan directory it wrote.

Writes ``results.csv`` and ``results.md`` (with the machine, commit, ortools version and
why it ran) into ``benchmarks/results/<date>-whatif-load[-label]/``. Benchmarks report;
the tests assert (see tests/test_interrupt.py and friends for the asserting side).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.suite import BASE, generate  # noqa: E402


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc; else the peak so far)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


class PeakSampler:
    """Samples RSS every 20 ms in a thread; ``take()`` returns the peak since last take."""

    def __init__(self) -> None:
        self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def take(self) -> float:
        peak, self.peak = max(self.peak, rss_mb()), rss_mb()
        return peak

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


# ----- the variants ---------------------------------------------------------------------
def variant_changes(scenario: Any, rnd: random.Random) -> list[dict[str, Any]]:
    """One or two realistic changes: places added or taken, leave, new starters, policy."""
    depts = [d.id for d in scenario.departments]
    buddies = [b.id for b in scenario.buddies]
    programmes = [p.id for p in scenario.programmes]
    orgs = [o.id for o in scenario.organisations]
    start = scenario.calendar.start
    year, month = int(start[:4]), int(start[5:])
    later = f"{year + (month + 5) // 12:04d}-{(month + 5) % 12 + 1:02d}"
    menu = [
        lambda: {"add_capacity": {"department": rnd.choice(depts), "amount": rnd.randint(1, 3),
                                  "from": start, "to": later}},
        lambda: {"add_capacity": {"department": rnd.choice(depts), "amount": 1}},
        lambda: {"buddy_unavailable": {"buddy": rnd.choice(buddies), "from": start,
                                       "to": later}},
        lambda: {"add_learners": {"count": rnd.randint(1, 8), "programme": rnd.choice(programmes),
                                  "start": start, "home": rnd.choice(orgs)}},
        lambda: {"set_policy": {"max_travel_km": rnd.choice([30, 50, 60])}},
    ]
    return [rnd.choice(menu)() for _ in range(rnd.randint(1, 2))]


def write_inputs(folder: Path, size: str, count: int, seed: int) -> tuple[Path, list[Path]]:
    import yaml

    from scheduler.io import write_scenario

    scenario = generate(BASE[size])
    base = folder / "base.yaml"
    write_scenario(scenario, base)
    rnd = random.Random(seed)
    paths = []
    for k in range(1, count + 1):
        path = folder / f"variant-{k:02d}.yaml"
        doc = {"base": "base.yaml", "name": f"variant {k}",
               "changes": variant_changes(scenario, rnd)}
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
        paths.append(path)
    return base, paths


# ----- running --------------------------------------------------------------------------
@dataclass
class Row:
    run: str
    status: str
    learners: int
    placed: int
    violations: int
    solve_seconds: float
    seconds: float
    rss_mb: float
    peak_rss_mb: float


def in_process(base: Path, variants: list[Path], out: Path, args: argparse.Namespace) -> list[Row]:
    from scheduler.check import check_plan
    from scheduler.io import read_plan_csv
    from scheduler.plandir import OutputOptions, write_plan_dir
    from scheduler.whatif import load_entries, solve_task

    entries = load_entries(base, variants)
    sampler = PeakSampler()
    rows: list[Row] = []
    base_plan = None
    options = OutputOptions(reports=args.reports)
    try:
        for e in entries:
            began = time.perf_counter()
            sampler.take()
            task = _task(e, base_plan, args)
            result = solve_task(task)
            if e.slug == "base":
                base_plan = result.plan
            target = out / e.slug
            write_plan_dir(target, e.scenario, result, task.baseline, options)
            violations = -1  # no plan (infeasible or unknown): counted, never averaged
            placed = 0
            if result.plan is not None:
                plan = read_plan_csv(target / "plan.csv")
                violations = len(check_plan(e.scenario, plan))
                placed = len(plan.placed_learners())
            rows.append(Row(e.slug, result.status, len(e.scenario.learners), placed, violations,
                            round(result.solve_seconds, 2),
                            round(time.perf_counter() - began, 2), round(rss_mb(), 1),
                            round(sampler.take(), 1)))
            print(_line(rows[-1]), flush=True)
    finally:
        sampler.close()
    return rows


def _task(e: Any, baseline: Any, args: argparse.Namespace) -> Any:
    from scheduler.whatif import SolveTask

    return SolveTask(e.slug, e.scenario.model_dump(mode="json", by_alias=True), baseline,
                     args.time_limit, args.workers, args.seed)


def via_cli(base: Path, variants: list[Path], out: Path, args: argparse.Namespace) -> list[Row]:
    from scheduler.check import check_plan
    from scheduler.io import load_scenario, read_plan_csv

    command = [sys.executable, "-m", "cli", "whatif", str(base), *map(str, variants),
               "--out", str(out), "--jobs", str(args.jobs), "--time-limit",
               str(args.time_limit), "--seed", str(args.seed)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    began = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    code = os.waitstatus_to_exitcode(status)
    print(f"scheduler whatif: exit {code} in {seconds:.0f}s, peak RSS "
          f"{usage.ru_maxrss / 1024:.0f} MB (largest of its workers: {children:.0f} MB)")
    rows = []
    for folder in sorted(p for p in out.iterdir() if (p / "kpis.json").is_file()):
        import json

        kpis = json.loads((folder / "kpis.json").read_text())
        scenario = load_scenario(folder / "scenario.yaml")
        plan = read_plan_csv(folder / "plan.csv") if (folder / "plan.csv").is_file() else None
        violations = len(check_plan(scenario, plan)) if plan is not None else -1
        rows.append(Row(folder.name, kpis["status"], len(scenario.learners),
                        len(plan.placed_learners()) if plan else 0, violations,
                        kpis["solve_seconds"], round(seconds, 2),
                        round(usage.ru_maxrss / 1024, 1), round(children, 1)))
    return rows


def _line(r: Row) -> str:
    return (f"{r.run:12s} {r.status:11s} placed {r.placed:5d}/{r.learners:<5d} "
            f"violations {r.violations:2d}  {r.seconds:6.1f}s  RSS {r.rss_mb:7.1f} MB  "
            f"peak {r.peak_rss_mb:7.1f} MB")


# ----- report ---------------------------------------------------------------------------
def slope(values: list[float]) -> float:
    """Least-squares MB per run."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    return num / sum((x - mean_x) ** 2 for x in range(n))


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def write_results(rows: list[Row], args: argparse.Namespace, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "results.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(asdict(rows[0])))
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)
    variants = [r for r in rows if r.run != "base"]
    peaks = [r.peak_rss_mb for r in variants]
    late = peaks[len(peaks) // 2:]
    failed = [r.run for r in rows if r.violations > 0]
    no_plan = [f"{r.run} ({r.status})" for r in rows if r.violations < 0]
    planned = [r for r in rows if r.violations >= 0]
    summary = (
        f"{len(variants)} variants of {args.size} ({rows[0].learners} learners in the base), "
        f"{'`scheduler whatif --jobs ' + str(args.jobs) + '`' if args.cli else 'in-process'}"
        f", time limit {args.time_limit:g}s, workers {args.workers or 'default'}, seed "
        f"{args.seed}, reports {'on' if args.reports else 'off'}.\n\n"
        f"- plans checked: {sum(r.violations == 0 for r in planned)}/{len(planned)} without "
        f"violations{'; with violations: ' + ', '.join(failed) if failed else ''}\n"
        f"- no plan: {len(no_plan)}{' (' + ', '.join(no_plan) + ')' if no_plan else ''}\n"
        f"- statuses: {', '.join(f'{s} {n}' for s, n in _counts(rows))}\n"
        f"- peak RSS per run: first {peaks[0] if peaks else 0:.0f} MB, max "
        f"{max(peaks, default=0):.0f} MB, last {peaks[-1] if peaks else 0:.0f} MB; growth "
        f"over the second half {slope(late):+.2f} MB per run\n"
        f"- wall time: {sum(r.seconds for r in rows):.0f}s in all\n"
    )
    machine = f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores)"
    (folder / "results.md").write_text(
        f"# What-if load: {dt.date.today().isoformat()}\n\nWhy: {args.why}\n\n"
        f"Machine: {machine}; commit {commit()}; ortools {version('ortools')}; Python "
        f"{platform.python_version()}.\n\n{summary}\n"
        "| run | status | placed | learners | violations | solve s | s | RSS MB | peak MB |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        + "".join(f"| {r.run} | {r.status} | {r.placed} | {r.learners} | {r.violations} | "
                  f"{r.solve_seconds} | {r.seconds} | {r.rss_mb} | {r.peak_rss_mb} |\n"
                  for r in rows))
    return summary


def _counts(rows: list[Row]) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    for r in rows:
        out[r.status] = out.get(r.status, 0) + 1
    return sorted(out.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="M", choices=sorted(BASE))
    parser.add_argument("--variants", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reports", action="store_true", help="also write pictures/report")
    parser.add_argument("--cli", action="store_true", help="run `scheduler whatif` itself")
    parser.add_argument("--jobs", type=int, default=1, help="with --cli")
    parser.add_argument("--label", default="")
    parser.add_argument("--why", default="issue 10: no leak across a 50-variant sweep")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="whatif-load-") as work:
        folder = Path(work)
        base, variants = write_inputs(folder, args.size, args.variants, args.seed)
        out = folder / "out"
        rows = (via_cli if args.cli else in_process)(base, variants, out, args)
    name = f"{dt.date.today().isoformat()}-whatif-load" + (f"-{args.label}" if args.label else "")
    print(write_results(rows, args, args.out / name))
    print(f"written to {args.out / name}/")
    return 1 if any(r.violations > 0 for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
