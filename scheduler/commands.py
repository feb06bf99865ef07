"""The one place that joins io, validation, checking, solving and reporting."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, NoPlanError
from .io import load_scenario, read_plan
from .models import parse_month

if TYPE_CHECKING:  # the solver (ortools) is imported only by the commands that solve
    from .solver import Interrupt


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def validate(path: Path, *, allow_outside: bool = False, lang: str = "nl") -> int:
    from .validate import screen
    from .words.messages import level_name, say_line, text_of

    try:
        scenario = load_scenario(path, allow_outside=allow_outside)
    except InputError:
        _refuse_variant(path)
        raise
    findings = screen(scenario)
    for finding in findings:
        _err(say_line("finding", lang, level=level_name(finding.level, lang),
                      message=text_of(finding.message, lang)))
    errors = [f for f in findings if f.level == "error"]
    print(say_line("validate_summary", lang, path=path, learners=len(scenario.learners),
                   departments=len(scenario.departments),
                   organisations=len(scenario.organisations), errors=len(errors),
                   warnings=len(findings) - len(errors)))
    return 1 if errors else 0


def _refuse_variant(path: Path) -> None:
    """A what-if variant given where a scenario belongs: say what it is and what to run."""
    import os

    from .io.scenario_schema import CellError, decode_text, read_input_bytes
    from .io.yaml_reader import load_yaml_text

    if path.suffix.lower() not in (".yaml", ".yml"):
        return
    try:  # a regular file within the size limit only (never a FIFO, never 10 GB)
        doc = load_yaml_text(decode_text(read_input_bytes(path, "scenario file")), str(path))
    except (InputError, CellError):
        return
    if not (isinstance(doc, dict) and "base" in doc and "changes" in doc
            and "scenario" not in doc):
        return
    base = doc["base"] if isinstance(doc["base"], str) else "BASE.yaml"
    shown = base if Path(base).is_absolute() else os.path.normpath(path.parent / base)
    raise InputError(
        f"this is a what-if variant (changes to the scenario {base}), not a scenario; "
        f"solve it next to its base with: scheduler whatif {shown} {path} --out DIR",
        file=str(path))


def check(scenario_path: Path, plan_path: Path, *, allow_outside: bool = False,
          lang: str = "nl") -> int:
    from .check import check_plan
    from .words.messages import say_line

    scenario = load_scenario(scenario_path, allow_outside=allow_outside)
    plan = read_plan(plan_path)
    violations = check_plan(scenario, plan)
    for v in violations:
        print(v.text(lang))
    if violations:
        _err(say_line("check_bad", lang, path=plan_path, n=len(violations)))
        return 1
    print(say_line("check_ok", lang, path=plan_path))
    return 0


def export(path: Path, out: Path, *, lang: str = "nl", force: bool = False,
           allow_outside: bool = False) -> int:
    """Write SCENARIO as a workbook to edit; it loads back to the identical scenario."""
    from .io.scenario_export import export_scenario

    if out.suffix.lower() != ".xlsx":
        raise InputError("--out must name an Excel workbook (.xlsx)", file=str(out))
    if out.exists() and (out.resolve() == path.resolve() or not force):
        why = "is the scenario being exported" if out.resolve() == path.resolve() else \
            "exists; add --force to replace it"
        raise InputError(why, file=str(out))
    scenario = load_scenario(path, allow_outside=allow_outside)
    export_scenario(scenario, out, lang=lang)
    if load_scenario(out) != scenario:  # never hand out a workbook that reads differently
        raise InputError("the written workbook does not read back to the same scenario "
                         "(please report this)", file=str(out))
    print(f"{out}: {len(scenario.learners)} learners, {len(scenario.departments)} departments, "
          f"{len(scenario.organisations)} organisations; edit it and give it to validate, "
          f"solve or whatif as SCENARIO")
    return 0


@contextmanager
def _signals_stop(interrupt: Interrupt) -> Iterator[None]:
    """SIGINT/SIGTERM stop the search; the best plan so far is still written.

    A second signal gives up at once: exit 130, nothing written. While CP-SAT searches,
    the main thread is inside C++ and runs no Python signal handler until the solver calls
    back, so each signal's number also goes through a pipe (``signal.set_wakeup_fd``) to
    a watcher thread, which stops the search at once, whichever thread the OS delivered
    the signal to. CP-SAT never catches SIGINT itself (``solver.cp.new_solver``), so
    these handlers stay in place for every stage of the solve.
    """
    import os
    import threading

    def request() -> bool:
        if interrupt.requested:
            return False
        _err("interrupt: stopping the search and writing the best plan so far ...")
        interrupt.request()
        return True

    def handler(signum, frame):  # noqa: ARG001
        if watcher is None and not request():  # a second Ctrl-C: give up at once
            raise KeyboardInterrupt

    def watch(fd: int) -> None:
        while data := os.read(fd, 64):
            if any(b in (signal.SIGINT, signal.SIGTERM) for b in data) and not request():
                _err("interrupted again: stopping at once, no plan written")
                os._exit(130)

    watcher = None
    if os.name == "posix" and threading.current_thread() is threading.main_thread():
        read_fd, write_fd = os.pipe()
        os.set_blocking(write_fd, False)
        watcher = threading.Thread(target=watch, args=(read_fd,), name="signals", daemon=True)
        watcher.start()
        wakeup = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if watcher is not None:
            signal.set_wakeup_fd(wakeup)
            os.close(write_fd)
            watcher.join(timeout=2)
            os.close(read_fd)


def solve(
    path: Path,
    *,
    out: str | None,
    force: bool = False,
    time_limit: float = 60.0,
    workers: int | None = None,
    seed: int = 0,
    baseline: str | None = None,
    freeze_until: str | None = None,
    objective: str = "weighted",
    quiet: bool = False,
    allow_outside: bool = False,
    lang: str = "nl",
    pseudonymise: bool = False,
    clock_start: float | None = None,
    reports: bool = True,
    fresh: bool = False,
) -> int:
    from .plandir import OutputOptions, choose_out_dir, write_plan_dir, writing_seconds
    from .solver import Interrupt, SolveOptions
    from .solver import solve as run_solver

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
    with _signals_stop(interrupt):
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

    try:
        kpis = json.loads((out_dir / "kpis.json").read_text(encoding="utf-8"))
        same = isinstance(kpis, dict) and kpis.get("scenario_file") == str(
            scenario_path.resolve())
        return read_plan(out_dir / "plan.csv") if same and (out_dir / "plan.csv").is_file() \
            else None
    except (OSError, ValueError, InputError):
        return None


def _moved(before, after) -> None:  # (Plan, Plan)
    from .compare import learner_moves

    moves = learner_moves(before, after)
    months = sum(m.months for segments in moves.moved.values() for m in segments)
    print(f"moved against the baseline: {months} learner-months of {len(moves.moved)} "
          f"learners; {len(moves.added)} learners new, {len(moves.removed)} gone")


def _explanation(scenario, options, lang: str) -> tuple[str, str]:
    """Why no plan exists (exit 2, docs/commands.md#exit-codes): text and explain.json."""
    import json

    from .explain import explain, render_text, to_json

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
