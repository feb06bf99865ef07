"""``scheduler solve``: load the scenario, search, write the plan directory (docs/commands.md,
docs/outputs.md)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, NoPlanError
from ..interrupts import on_signals
from .common import DEFAULT_LANG, scenario_or_default
from .common import err as _err


def solve(
    path: Path | None = None,
    *,
    out: str | None = None,
    force: bool = False,
    time_limit: float = 60.0,
    workers: int | None = None,
    seed: int = 0,
    baseline: str | None = None,
    freeze_until: str | None = None,
    objective: str = "weighted",
    quiet: bool = False,
    allow_outside: bool = False,
    lang: str = DEFAULT_LANG,
    pseudonymise: bool = False,
    clock_start: float | None = None,
    reports: bool = True,
    fresh: bool = False,
) -> int:
    from ..io import load_scenario, read_plan
    from ..models import parse_month
    from ..plandir import OutputOptions, choose_out_dir, write_plan_dir, writing_seconds
    from ..solver import Interrupt, SolveOptions
    from ..solver import solve as run_solver

    path = scenario_or_default(path)
    scenario = load_scenario(path, allow_outside=allow_outside)
    if fresh and baseline:
        raise InputError("--fresh plans from scratch; it cannot go with --baseline")
    out_dir = Path(out) if out else Path("out") / path.stem
    base_plan = read_plan(baseline) if baseline else None
    previous = None if (fresh or baseline or not force) else _previous_plan(out_dir, path)
    if previous is not None:
        base_plan = previous
        if not quiet:
            _err(f"re-planning with minimal change against the previous plan in {out_dir} "
                 "(--fresh for a plan from scratch)")
    if freeze_until is not None:
        if base_plan is None:
            raise InputError("--freeze-until needs --baseline PLAN (plan.csv or plan.xlsx)",
                             file=str(path))
        try:
            freeze_until = parse_month(freeze_until)
        except ValueError as exc:
            raise InputError(f"--freeze-until: {exc}") from None
    kwargs = {"workers": workers} if workers else {}
    options = SolveOptions(
        time_limit=time_limit,
        seed=seed,
        baseline=base_plan,
        freeze_until=freeze_until,
        objective=objective,  # type: ignore[arg-type]
        quiet=quiet,
        clock_start=clock_start,
        output_seconds=writing_seconds(len(scenario.learners), reports),
        **kwargs,  # type: ignore[arg-type]
    )
    target = choose_out_dir(out_dir, force)
    interrupt = Interrupt()
    progress = None if quiet else _err
    if not quiet:
        _err(
            f"solving {path.name}: {len(scenario.learners)} learners, "
            f"time limit {time_limit:g}s, {options.workers} workers"
        )
    with on_signals(stop=interrupt.request):  # the best plan so far is still written
        result = run_solver(scenario, options, progress=progress, interrupt=interrupt)
    output = OutputOptions(lang=lang, pseudonymise=pseudonymise, reports=reports,
                           scenario_file=str(path.resolve()))
    why = _explanation(scenario, options, lang) if result.status == "infeasible" else None
    extra = {"explain.json": why[1]} if why else None
    doc = write_plan_dir(target, scenario, result, base_plan, output, extra)
    _summary(doc, target, result.status)
    if base_plan is not None and result.plan is not None:
        _moved(base_plan, result.plan)
    if why:
        print(why[0], end="", flush=True)
    if result.plan is None and result.status == "interrupted":
        _err("interrupted before any valid plan was found; nothing but kpis.json written")
        return 130
    if result.status == "unknown":
        raise NoPlanError(
            f"no valid plan found within {time_limit:g} s, and none proven impossible; "
            f"raise --time-limit (details in {target / 'kpis.json'})"
        )
    if result.status == "infeasible" or result.plan is None:
        raise NoPlanError(
            f"no plan satisfies the hard rules; the explanation above is also in "
            f"{target / 'explain.json'}"
        )
    return 130 if result.status == "interrupted" else 0


def _previous_plan(out_dir: Path, scenario_path: Path):  # -> Plan | None
    """The plan an earlier ``solve`` of this same scenario file wrote into ``out_dir``:
    solving again into the same place keeps changes minimal against it (the stability
    term, docs/rules.md#term-stability). None when there is none, it came from another
    scenario file, or it cannot be read (then the new plan is made from scratch, as before)."""
    import json

    from ..io import read_plan

    try:
        kpis = json.loads((out_dir / "kpis.json").read_text(encoding="utf-8"))
        same = isinstance(kpis, dict) and kpis.get("scenario_file") == str(
            scenario_path.resolve())
        return read_plan(out_dir / "plan.csv") if same and (out_dir / "plan.csv").is_file() \
            else None
    except (OSError, ValueError, InputError):
        return None


def _moved(before, after) -> None:  # (Plan, Plan)
    from ..compare import learner_moves

    moves = learner_moves(before, after)
    months = sum(m.months for segments in moves.moved.values() for m in segments)
    print(f"moved against the baseline: {months} learner-months of {len(moves.moved)} "
          f"learners; {len(moves.added)} learners new, {len(moves.removed)} gone")


def _explanation(scenario, options, lang: str) -> tuple[str, str]:
    """Why no plan exists (exit 2, docs/commands.md#exit-codes): text and explain.json."""
    import json

    from ..explain import explain, render_text, to_json

    ex = explain(scenario, time_limit=min(30.0, options.time_limit), workers=options.workers,
                 suggestions=True)
    doc = json.dumps(to_json(ex, lang), indent=2, ensure_ascii=False) + "\n"
    return render_text(ex, lang), doc


def _summary(doc: dict, target: Path, status: str) -> None:
    if "counts" not in doc:
        print(f"status {status}: no plan; details in {target}")
        return
    c, p, f = doc["counts"], doc["preferences"], doc["fair_share"]
    gap = "n/a" if doc["gap"] is None else f"{100 * doc['gap']:.2f}%"
    first = "n/a" if p["first_choice_pct"] is None else f"{p['first_choice_pct']}%"
    upper = doc.get("placed_upper_bound")
    most = "" if upper is None else f"; no plan can place more than {upper}"
    print(
        f"placed {c['placed']}/{c['learners']} learners ({c['unplaced']} unplaced{most}), "
        f"first choice {first}, fair-share deviation {f['total_abs_deviation']} "
        f"learner-months (max {f['max_abs_deviation_pct']}%)\n"
        f"status {status}, objective {doc['objective']}, gap {gap}, "
        f"build {doc['build_seconds']}s, solve {doc['solve_seconds']}s\n"
        f"plan written to {target}/"
    )
    for u in doc["unplaced_learners"][:20]:
        print(f"  unplaced {u['learner']}: {u['reason']} [{u['rule']}]")
    if len(doc["unplaced_learners"]) > 20:
        print(f"  ... and {len(doc['unplaced_learners']) - 20} more (kpis.json)")
