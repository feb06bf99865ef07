"""One (instance, approach) run in its own process; prints one JSON line on stdout.

    python benchmarks/run_one.py --instance L --approach ours --time-limit 60 --workers 2

The plan is verified with ``scheduler.check.check_plan``; an invalid plan exits 3 (the
JSON line is still printed, with ``check`` listing the violations). The objective
reported is ``scheduler.kpis.objective`` of the plan, not the solver's own value.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import peers  # noqa: E402
import suite  # noqa: E402

from scheduler.check import check_plan  # noqa: E402
from scheduler.kpis import objective  # noqa: E402
from scheduler.solver.extract import build_plan  # noqa: E402

APPROACHES = ("by_hand", "highs_mip", "cpsat_textbook", "ours")


def ours(scenario, clock: float, time_limit: float, workers: int, seed: int):
    from scheduler.solver import SolveOptions, solve

    res = solve(scenario, SolveOptions(time_limit=time_limit, workers=workers, seed=seed,
                                       quiet=True))
    # On a pruned model the solver reports only bounds priced over every candidate
    # (``scheduler/solver/lp/pricing.py``), never CP-SAT's bound of the pruned model.
    trace: peers.Trace = list(res.trace)
    out = peers.Outcome("no_plan" if res.plan is None else res.status, None, trace=trace,
                        bound=res.bound, bound_source=res.bound_source,
                        solver_objective=res.objective, build_seconds=res.build_seconds,
                        model=dict(res.model), notes=list(res.notes))
    out.model["cp_sat_status"] = res.solver.get("cp_sat_status")
    return out, res.plan


def run(instance: str, approach: str, time_limit: float, workers: int, seed: int) -> dict:
    inst = suite.by_name(instance)
    scenario = suite.generate(inst)
    clock = time.perf_counter()
    if approach == "ours":
        out, plan = ours(scenario, clock, time_limit, workers, seed)
    else:
        fn = getattr(peers, approach)
        out, p = fn(scenario, clock, time_limit=time_limit, workers=workers, seed=seed)
        plan = None if out.assignment is None else build_plan(p.ix, out.assignment,
                                                              p.fixed_buddies)
    end = time.perf_counter() - clock
    record: dict = {
        "instance": inst.name, "size": inst.size, "approach": approach, "workers": workers,
        "seed": seed, "time_limit": time_limit, "status": out.status, "end_seconds": end,
        "build_seconds": out.build_seconds, "bound": out.bound, "bound_source": out.bound_source,
        "solver_objective": out.solver_objective, "model": out.model, "notes": out.notes,
        "learners": len(scenario.learners), "placed": None, "objective": None, "check": None,
    }
    if plan is not None:
        obj = objective(scenario, plan)
        if approach == "by_hand":
            out.trace = [(end, obj, None)]
        violations = check_plan(scenario, plan)
        placed = {r.learner for r in plan.rows if r.status.value != "unplaced"}
        record.update(objective=obj, placed=len(placed),
                      check="ok" if not violations else [str(v) for v in violations[:20]])
    record["trace"] = out.trace
    record["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the largest child (the Lagrangian ascent is forked: its resident pages include
    # those it shares with this process, so the two figures must not simply be added)
    record["rss_child_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return record


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instance", required=True)
    ap.add_argument("--approach", required=True, choices=APPROACHES)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    record = run(a.instance, a.approach, a.time_limit, a.workers, a.seed)
    print(json.dumps(record), flush=True)
    return 0 if record["check"] in ("ok", None) else 3


if __name__ == "__main__":
    raise SystemExit(main())
