"""Benchmark suite of issue 9: every approach on every instance, side by side.

    .venv/bin/python benchmarks/run.py --quick                 # S and M, under 3 minutes
    .venv/bin/python benchmarks/run.py --sizes L --time-limit 60

Each (instance, approach) runs in its own process (``run_one.py``); results go to
``<out>/<date>-<host>[-label]/`` as results.jsonl (raw, with traces), results.csv, results.md,
gap.png and README.md. An invalid plan (``check_plan`` not empty) fails the run (exit 1).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
import suite  # noqa: E402
from run_one import APPROACHES  # noqa: E402


def default_workers() -> int:
    from scheduler.solver.options import default_workers as ours

    return ours()


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
    return value


def _whole(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # bad input: the message and exit code 1 (not 2)
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = _Parser(description="Run the benchmark suite of issue 9.")
    ap.add_argument("--quick", action="store_true",
                    help="S and M only, time limit 10 s unless given (under 3 minutes on 2 cores)")
    ap.add_argument("--sizes", default="S,M,L,XL", help="comma list of S,M,L,XL")
    ap.add_argument("--approaches", default=",".join(APPROACHES))
    ap.add_argument("--time-limit", type=_positive, default=None,
                    help="seconds per solve (default 60; 10 with --quick)")
    ap.add_argument("--workers", type=_whole, default=None,
                    help="CP-SAT workers / HiGHS threads (default: ours' default)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--memory-limit", type=_positive, default=None,
                    help="GB of resident memory per run before it is stopped and recorded "
                         "as memory-limit (default: min(16, 3/4 of this machine's memory))")
    ap.add_argument("--no-tight", action="store_true", help="skip the tight variants")
    ap.add_argument("--out", default=str(HERE / "results"))
    ap.add_argument("--label", default="", help="suffix of the results folder")
    ap.add_argument("--why", default="manual run", help="recorded in the folder's README")
    a = ap.parse_args(argv)
    if a.quick:
        a.sizes = "S,M"
    for option, given, known in (("--sizes", a.sizes, suite.BASE),
                                 ("--approaches", a.approaches, APPROACHES)):
        unknown = [x for x in _items(given) if x not in known]
        if unknown or not _items(given):
            ap.error(f"argument {option}: unknown {', '.join(unknown) or '(none given)'}; "
                     f"choose from {','.join(known)}")
    if a.time_limit is None:
        a.time_limit = 10.0 if a.quick else 60.0
    if a.workers is None:
        a.workers = default_workers()
    if a.memory_limit is None:
        a.memory_limit = default_memory_limit()
    return a


def _items(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def default_memory_limit() -> float:
    """GB: the exact peers' unpruned models outgrow a small machine on XL (L: 5-6 GB)."""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 16.0
    return round(min(16.0, 0.75 * kb / 1024 ** 2), 1)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 ** 2:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    host = re.sub(r"[^A-Za-z0-9-]", "", socket.gethostname())[:20] or "host"
    return {"cores": os.cpu_count(), "cpu": model, "memory": mem, "host": host}


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


@dataclass(frozen=True)
class Watched:
    """How a child run ended: ``outcome`` is done, timeout or memory-limit."""

    returncode: int
    stdout: str
    stderr: str
    outcome: str
    seconds: float
    peak_rss_mb: float  # as sampled by the parent (the child's own figure is exact)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def run_watched(cmd: list[str], timeout: float, memory_mb: float | None,
                poll: float = 0.25) -> Watched:
    """Run ``cmd``, stopping it past ``timeout`` seconds or ``memory_mb`` of resident
    memory, so one run cannot take the machine (or the run) down with it."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, outcome = 0.0, "done"
    while True:
        try:
            out, err = proc.communicate(timeout=poll)
            break
        except subprocess.TimeoutExpired:
            pass
        peak = max(peak, _rss_mb(proc.pid))
        if memory_mb is not None and peak > memory_mb:
            outcome = "memory-limit"
        elif time.monotonic() - started > timeout:
            outcome = "timeout"
        if outcome != "done":
            proc.kill()
            out, err = proc.communicate()
            break
    return Watched(proc.returncode, out, err, outcome, time.monotonic() - started, peak)


def run_one(inst: str, approach: str, a: argparse.Namespace) -> tuple[dict, int]:
    cmd = [sys.executable, str(HERE / "run_one.py"), "--instance", inst, "--approach", approach,
           "--time-limit", str(a.time_limit), "--workers", str(a.workers), "--seed", str(a.seed)]
    base = {"instance": inst, "size": suite.by_name(inst).size, "approach": approach,
            "workers": a.workers, "seed": a.seed, "time_limit": a.time_limit}
    w = run_watched(cmd, 3 * a.time_limit + 300, 1024 * a.memory_limit)
    if w.outcome == "timeout":
        return {**base, "status": "timeout", "end_seconds": None, "rss_mb": w.peak_rss_mb,
                "error": f"stopped after {w.seconds:.0f} s at {w.peak_rss_mb:.0f} MB "
                         "resident"}, 124
    if w.outcome == "memory-limit":
        return {**base, "status": "memory-limit", "end_seconds": None,
                "rss_mb": w.peak_rss_mb,
                "error": f"stopped at {w.peak_rss_mb:.0f} MB resident (limit "
                         f"{a.memory_limit:g} GB) after {w.seconds:.0f} s"}, 137
    lines = [ln for ln in w.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = w.stderr.strip().splitlines()[-1:] or [""]
        return {**base, "status": "error", "error": tail[0][:300], "end_seconds": None}, \
            w.returncode
    return json.loads(lines[-1]), w.returncode


def folder_name(stamp: str, host: str, label: str) -> str:
    """``<date>-<host>[-label]``, with the host named once.

    Earlier runs were labelled with the host in front (``--label vm-quick``), which gave
    folders such as ``2026-11-23-vm-vm-quick``; a label that starts with the host (or is
    the host) no longer repeats it.
    """
    if label == host:
        label = ""
    elif label.startswith(host + "-"):
        label = label[len(host) + 1:]
    return f"{stamp}-{host}{'-' + label if label else ''}"


def main(argv: list[str] | None = None) -> int:
    a = parse(argv)
    sizes, approaches = _items(a.sizes), _items(a.approaches)
    insts = [i for i in suite.instances(sizes) if not (a.no_tight and i.name.endswith("tight"))]
    info = machine()
    stamp = datetime.date.today().isoformat()
    folder = Path(a.out) / folder_name(stamp, info["host"], a.label)
    folder.mkdir(parents=True, exist_ok=True)
    records, invalid = [], []
    raw = folder / "results.jsonl"
    with raw.open("w") as fh:
        for inst in insts:
            for approach in approaches:
                rec, rc = run_one(inst.name, approach, a)
                fh.write(json.dumps(rec) + "\n")
                fh.flush()
                records.append(rec)
                if rc == 3 or rec.get("check") not in ("ok", None):
                    invalid.append(rec)
                    print(f"INVALID PLAN: {inst.name} {approach}: {rec.get('check')}",
                          file=sys.stderr)
                print(report.one_line(rec), flush=True)
    meta = {"machine": info, "commit": commit(), "args": vars(a), "why": a.why,
            "folder": folder.name,
            "ortools": _version("ortools"), "highspy": _version("highspy")}
    report.write_all(folder, records, meta)
    print(f"\nresults in {folder}\n")
    print((folder / "results.md").read_text())
    if invalid:
        print(f"FAILED: {len(invalid)} invalid plan(s)", file=sys.stderr)
        return 1
    return 0


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    raise SystemExit(main())
