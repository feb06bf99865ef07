"""``scheduler whatif``: solve a base scenario and its variants, and compare them side by side.

The base is solved first; each variant is then re-planned **with minimal change** against
the base plan (``SolveOptions(baseline=base_plan)``: every learner-month that differs
from the base costs the ``stability`` weight), so only the learners a change affects
move. ``--fresh`` solves every variant from scratch (and the base with them, in parallel).

Solves run in this process (``--jobs 1``), in ``--jobs N`` local worker processes
(``concurrent.futures.ProcessPoolExecutor``), or on an existing Dask cluster
(``--dask ADDRESS``, ``dask.distributed.Client``). All three submit the same picklable
:class:`SolveTask` to the same :func:`solve_task`; a task carries its scenario as data, so
workers need the package installed but no shared folder. Results come back here and are
written under ``--out``: ``base/`` and one plan directory per variant (each with a copy
of its scenario, ``scenario.yaml``, so ``scheduler check``/``plot`` work on it), and
``comparison.csv``, ``comparison.html`` and ``moves.csv``. The whole folder appears in one
rename, or not at all.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compare import (
    build_comparison,
    label,
    learner_moves,
    read_plan_dir,
    render_text,
    write_comparison,
)
from .errors import InputError, InputIssue
from .io import atomic_write_bytes, load_scenario, staged_directory, write_scenario
from .models import Plan, Scenario
from .models.result import SolveResult
from .plandir import OutputOptions, write_plan_dir
from .validate import screen
from .variants import load_variant
from .words.format import num, short
from .words.messages import Msg

MAX_SOLVE_WORKERS = 8
DASK_CONNECT_TIMEOUT = "20s"


@dataclass(frozen=True)
class SolveTask:
    """One solve, as plain data: what a local or a Dask worker needs, nothing more."""

    label: str
    scenario: dict[str, Any]  # Scenario.model_dump(mode="json"), validated again there
    baseline: Plan | None
    time_limit: float
    workers: int | None  # CP-SAT search workers; None: the worker machine's default
    seed: int


def solve_task(task: SolveTask) -> SolveResult:
    """Run one solve (in any process or on any machine)."""
    from .solver import SolveOptions, solve

    scenario = Scenario.model_validate(task.scenario)
    extra = {"workers": task.workers} if task.workers else {}
    options = SolveOptions(time_limit=task.time_limit, seed=task.seed, baseline=task.baseline,
                           quiet=True, **extra)  # type: ignore[arg-type]
    return solve(scenario, options)


@dataclass
class Entry:
    """The base or one variant: what is solved and what came back."""

    slug: str
    name: str
    scenario: Scenario
    source: Path  # the scenario or variant file
    notes: tuple[str, ...] = ()
    baseline: Plan | None = None  # the plan it was re-planned against
    result: SolveResult | None = field(default=None, repr=False)


Runner = Callable[[list[SolveTask]], Iterator[tuple[int, SolveResult]]]


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ----- where the solves run -------------------------------------------------------------
@contextmanager
def runner(jobs: int, dask_address: str | None) -> Iterator[Runner]:
    """A function that runs tasks and yields (task index, result) as they finish."""
    if dask_address:
        with _dask_runner(dask_address) as run:
            yield run
    elif jobs > 1:
        spawn = multiprocessing.get_context("spawn")  # no fork of a process that ran CP-SAT
        with ProcessPoolExecutor(max_workers=jobs, mp_context=spawn) as pool:

            def run_pool(tasks: list[SolveTask]) -> Iterator[tuple[int, SolveResult]]:
                futures = {pool.submit(solve_task, t): i for i, t in enumerate(tasks)}
                for future in as_completed(futures):
                    yield futures[future], future.result()

            yield run_pool
    else:
        yield lambda tasks: ((i, solve_task(t)) for i, t in enumerate(tasks))


@contextmanager
def _dask_runner(address: str) -> Iterator[Runner]:
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise InputError(Msg("dask_missing")) from None
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(Msg("dask_unreachable", address=address, reason=str(exc))) from None
    with client:

        def run(tasks: list[SolveTask]) -> Iterator[tuple[int, SolveResult]]:
            futures = client.map(solve_task, tasks, pure=False)
            index = {f.key: i for i, f in enumerate(futures)}
            for future, result in dask_completed(futures, with_results=True):
                yield index[future.key], result

        yield run


def solver_workers(workers: int | None, jobs: int, dask_address: str | None) -> int | None:
    """CP-SAT workers per solve: as given, else the cores shared among local jobs."""
    if workers or dask_address or jobs <= 1:
        return workers
    return max(1, min(MAX_SOLVE_WORKERS, (os.cpu_count() or 1) // jobs))


# ----- the command ----------------------------------------------------------------------
def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "variant"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def load_entries(scenario: Path, variants: list[Path], *,
                 allow_outside: bool = False) -> list[Entry]:
    """The base and every variant, applied and validated; all files' problems at once.
    ``allow_outside``: the base's CSV tables may lie outside its folder (--allow-outside)."""
    base = load_scenario(scenario, allow_outside=allow_outside)
    entries = [Entry("base", base.name or scenario.stem, base, scenario)]
    taken, issues = {"base"}, []
    for path in variants:
        try:
            v = load_variant(path, expected_base=scenario, base=base)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        errors = tuple(Msg("validate_note", message=f.message) for f in screen(v.scenario)
                       if f.level == "error")
        entries.append(Entry(_slug(path.stem, taken), v.name, v.scenario, path,
                             v.notes + errors))
    if not variants:
        issues.append(InputIssue(str(scenario), Msg("no_variants")))
    if issues:
        raise InputError(issues)
    return entries


def _task(e: Entry, baseline: Plan | None, time_limit: float, workers: int | None,
          seed: int) -> SolveTask:
    e.baseline = baseline
    return SolveTask(e.slug, e.scenario.model_dump(mode="json", by_alias=True), baseline,
                     time_limit, workers, seed)


def _report(e: Entry, base: Entry, lang: str = "nl") -> None:
    r = e.result
    assert r is not None
    seconds = num(r.solve_seconds, lang)
    if r.plan is None:
        _err(label("entry_no_plan", lang, slug=e.slug, status=r.status, seconds=seconds))
        return
    placed = len(r.plan.placed_learners())
    moved = ""
    if e is not base and base.result is not None and base.result.plan is not None:
        moved = label("entry_moved", lang,
                      n=str(len(learner_moves(base.result.plan, r.plan).moved)))
    _err(label("entry_plan", lang, slug=e.slug, status=r.status, placed=str(placed),
               n=str(len(r.plan.by_learner)), moved=moved, seconds=seconds))


def solve_entries(entries: list[Entry], run: Runner, *, fresh: bool, time_limit: float,
                  workers: int | None, seed: int, lang: str = "nl") -> None:
    base, variants = entries[0], entries[1:]
    first = entries if fresh else [base]
    for i, result in run([_task(e, None, time_limit, workers, seed) for e in first]):
        first[i].result = result
        if i == 0 and not fresh:
            _report(base, base, lang)
    if fresh:
        for e in entries:
            _report(e, base, lang)
        return
    assert base.result is not None
    if base.result.plan is None:
        _err(label("base_no_plan", lang))
    tasks = [_task(e, base.result.plan, time_limit, workers, seed) for e in variants]
    for i, result in run(tasks):
        variants[i].result = result
        _report(variants[i], base, lang)


def _for_output(scenario: Scenario, pseudonymise: bool) -> Scenario:
    if not pseudonymise or not any(lr.name for lr in scenario.learners):
        return scenario
    doc = scenario.model_dump(mode="json", by_alias=True)
    for lr in doc["learners"]:
        lr["name"] = None
    return Scenario.model_validate(doc)


def write_entry(stage: Path, out: Path, e: Entry, output: OutputOptions) -> None:
    assert e.result is not None
    final = (out / e.slug / "scenario.yaml").resolve()
    options = OutputOptions(lang=output.lang, pseudonymise=output.pseudonymise,
                            reports=output.reports, scenario_file=str(final))
    target = stage / e.slug
    write_plan_dir(target, e.scenario, e.result, e.baseline, options)
    write_scenario(_for_output(e.scenario, output.pseudonymise), target / "scenario.yaml")
    if e.slug != "base":
        atomic_write_bytes(target / "variant.yaml", e.source.read_bytes())


def run_whatif(
    scenario: Path,
    variants: list[Path],
    *,
    out: Path,
    jobs: int = 1,
    dask_address: str | None = None,
    fresh: bool = False,
    time_limit: float = 60.0,
    workers: int | None = None,
    seed: int = 0,
    force: bool = False,
    lang: str = "nl",
    pseudonymise: bool = False,
    reports: bool = True,
    allow_outside: bool = False,
) -> int:
    """``scheduler whatif``: 0 when every scenario has a plan, 2 when one has none."""
    out = Path(out)
    if out.exists() and not force:
        raise InputError(Msg("whatif_out_exists", out=out), file=str(out))
    entries = load_entries(Path(scenario), [Path(v) for v in variants],
                           allow_outside=allow_outside)
    per_solve = solver_workers(workers, jobs, dask_address)
    where = label("where_dask", lang, address=dask_address) if dask_address \
        else label("where_jobs", lang, jobs=str(jobs))
    _err(label("solving", lang, n=str(len(entries) - 1), where=where,
               how=label("from_scratch" if fresh else "minimal_change", lang),
               limit=short(time_limit, lang)))
    with runner(jobs, dask_address) as run:
        solve_entries(entries, run, fresh=fresh, time_limit=time_limit, workers=per_solve,
                      seed=seed, lang=lang)
    output = OutputOptions(lang=lang, pseudonymise=pseudonymise, reports=reports)
    with staged_directory(out) as stage:
        for e in entries:
            write_entry(stage, out, e, output)
        dirs = [read_plan_dir(stage / e.slug, e.slug) for e in entries]
        comparison = build_comparison(dirs, lang)
        comparison.notes = {e.slug: list(e.notes) for e in entries if e.notes}
        write_comparison(stage, comparison)
    print(render_text(comparison))
    print(label("whatif_written", lang, out=str(out),
                dirs=", ".join(e.slug + "/" for e in entries) + ","))
    failed = [e.slug for e in entries if e.result is None or e.result.plan is None]
    if failed:
        _err(label("whatif_failed", lang, slugs=", ".join(failed)))
        return 2
    return 0
