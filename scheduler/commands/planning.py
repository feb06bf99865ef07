"""``scheduler solve``: load the scenario, search, write the plan directory (docs/commands.md,
docs/outputs.md)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, NoPlanError
from ..interrupts import on_signals
from ..words.messages import Msg
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
    details: bool = False,
    progress_json: str | None = None,
) -> int:
    from ..words.progress import reading_line

    started = time.perf_counter() if clock_start is None else clock_start
    path = scenario_or_default(path)
    printer = _Printer(lang, details, quiet, progress_json, started)
    try:
        if not quiet:  # the first line, before the heavy imports and the reading
            _err(reading_line(time.perf_counter() - started, path.name, lang))
        return _solve(path, printer, out=out, force=force, time_limit=time_limit,
                      workers=workers, seed=seed, baseline=baseline,
                      freeze_until=freeze_until, objective=objective, quiet=quiet,
                      allow_outside=allow_outside, lang=lang, pseudonymise=pseudonymise,
                      clock_start=clock_start, reports=reports, fresh=fresh)
    finally:
        printer.close()


def _solve(path: Path, printer: _Printer, *, out: str | None, force: bool, time_limit: float,
           workers: int | None, seed: int, baseline: str | None, freeze_until: str | None,
           objective: str, quiet: bool, allow_outside: bool, lang: str, pseudonymise: bool,
           clock_start: float | None, reports: bool, fresh: bool) -> int:
    from ..io import load_scenario, read_plan
    from ..words.progress import line

    scenario = load_scenario(path, allow_outside=allow_outside)
    from ..models import parse_month
    from ..plandir import OutputOptions, choose_out_dir, write_plan_dir, writing_seconds
    from ..solver import PRUNED_NO_PLAN, Interrupt, SolveOptions
    from ..solver import solve as run_solver

    if fresh and baseline:
        raise InputError(Msg("opt_fresh_baseline"))
    out_dir = Path(out) if out else Path("out") / path.stem
    base_plan = read_plan(baseline) if baseline else None
    previous = None if (fresh or baseline or not force) else _previous_plan(out_dir, path)
    if previous is not None:
        base_plan = previous
        if not quiet:
            _err(line("replanning", lang, dir=out_dir))
    if freeze_until is not None:
        if base_plan is None:
            raise InputError(Msg("opt_freeze_needs_baseline"), file=str(path))
        try:
            freeze_until = parse_month(freeze_until)
        except ValueError as exc:
            message = exc.args[0] if exc.args and isinstance(exc.args[0], Msg) else str(exc)
            raise InputError(Msg("opt_value", option="--freeze-until", message=message)) from None
    kwargs = {"workers": workers} if workers else {}
    options = SolveOptions(
        time_limit=time_limit,
        seed=seed,
        baseline=base_plan,
        freeze_until=freeze_until,
        objective=objective,  # type: ignore[arg-type]
        quiet=quiet and printer.json is None,  # the events still go to --progress-json
        clock_start=clock_start,
        output_seconds=writing_seconds(len(scenario.learners), reports),
        **kwargs,  # type: ignore[arg-type]
    )
    target = choose_out_dir(out_dir, force)
    interrupt = Interrupt()
    printer.limit, printer.workers = time_limit, options.workers
    with on_signals(stop=interrupt.request):  # the best plan so far is still written
        result = run_solver(scenario, options, progress=printer, interrupt=interrupt)
    printer.writing(len(scenario.learners))
    output = OutputOptions(lang=lang, pseudonymise=pseudonymise, reports=reports,
                           scenario_file=str(path.resolve()))
    why = _explanation(scenario, options, lang) if result.status == "infeasible" else None
    extra = {"explain.json": why[1]} if why else None
    doc = write_plan_dir(target, scenario, result, base_plan, output, extra)
    _summary(doc, target, result.status, lang, printer.details)
    if base_plan is not None and result.plan is not None:
        _moved(base_plan, result.plan, lang)
    if why:
        print(why[0], end="", flush=True)
    if result.plan is None and result.status == "interrupted":
        _err(line("interrupted_no_plan", lang))
        return 130
    if result.status == "unknown":
        pruned = [n for n in result.notes if n.startswith(PRUNED_NO_PLAN)]
        raise NoPlanError(
            f"{pruned[0]} (details in {target / 'kpis.json'})" if pruned else
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


def _moved(before, after, lang: str) -> None:  # (Plan, Plan)
    from ..compare import learner_moves
    from ..words.progress import line

    moves = learner_moves(before, after)
    months = sum(m.months for segments in moves.moved.values() for m in segments)
    print(line("moved", lang, months=months, n=len(moves.moved), added=len(moves.added),
               removed=len(moves.removed)))


def _explanation(scenario, options, lang: str) -> tuple[str, str]:
    """Why no plan exists (exit 2, docs/commands.md#exit-codes): text and explain.json."""
    import json

    from ..explain import explain, render_text, to_json

    ex = explain(scenario, time_limit=min(30.0, options.time_limit), workers=options.workers,
                 suggestions=True)
    doc = json.dumps(to_json(ex, lang), indent=2, ensure_ascii=False) + "\n"
    return render_text(ex, lang), doc


def _summary(doc: dict, target: Path, status: str, lang: str, details: bool) -> None:
    from ..words.progress import summary_lines

    print("\n".join(summary_lines(doc, str(target), status, lang, details)))


class _Printer:
    """The solver's progress events (``ProgressEvent``): a line in words on stderr (unless
    ``--quiet``) and, with ``--progress-json FILE``, the event as one JSON line in FILE
    (flushed at once, for the workbench). Called from the solver's threads: one at a time."""

    def __init__(self, lang: str, details: bool, quiet: bool, json_path: str | None,
                 started: float) -> None:
        self.lang, self.details, self.quiet, self.started = lang, details, quiet, started
        self.limit: float | None = None
        self.workers: int | None = None
        self._lock = threading.Lock()
        self.json: IO[str] | None = None
        if json_path is not None:
            try:
                self.json = open(json_path, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise InputError(Msg("opt_cannot_write", option="--progress-json",
                                     path=json_path, reason=exc.strerror or exc)) from None

    def __call__(self, event: Any) -> None:  # a ProgressEvent
        from ..words.progress import progress_line

        with self._lock:
            if self.json is not None:
                try:
                    self.json.write(event.to_json() + "\n")
                    self.json.flush()
                except OSError:  # a full disk costs the progress file, never the plan
                    self.json = None
            if not self.quiet:
                # the plain words first; a plan's objective and bound always follow after
                # 'details:' (the contract's progress: elapsed time, best objective, bound)
                _err(progress_line(event, self.lang, True, self.limit, self.workers))

    def writing(self, learners: int) -> None:
        from ..models.progress import ProgressEvent

        self(ProgressEvent(seconds=time.perf_counter() - self.started, phase="writing",
                           learners=learners, improving=False))

    def close(self) -> None:
        with self._lock:
            if self.json is not None:
                self.json.close()
                self.json = None
