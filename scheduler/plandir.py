"""Writing a plan directory (docs/outputs.md): all files appear whole, in one rename, or not."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .interrupts import on_signals
from .io import atomic_write_text, plan_to_csv_text, staged_directory
from .io.atomic import busy_error, lock_holder, try_lock_directory, unlock_directory
from .kpis import compute_kpis
from .models import Plan, Scenario
from .models.result import SolveResult
from .words.messages import Msg

PLAN_MARKERS = ("kpis.json", "plan.csv")


def is_plan_dir(path: Path) -> bool:
    """A folder we may replace: a plan directory we wrote, or an empty folder."""
    if not path.is_dir():
        return False
    names = {p.name for p in path.iterdir()}
    return not names or any(m in names for m in PLAN_MARKERS)


MAX_NUMBERED = 1_000  # out-2 ... out-1000


def _note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr, flush=True)


def choose_out_dir(out: Path, force: bool) -> Path:
    """``out`` itself, or with --force replaced; otherwise a new numbered sibling.

    --force only ever replaces a plan directory (or an empty folder): pointing --out at
    a folder of other files is refused, so no coordinator loses documents to a typo.
    The chosen folder's write lock is held from here until :func:`write_plan_dir` has
    renamed the new files into place: a second run meanwhile takes the next numbered
    folder (with --force: stops with exit 1), and never mixes its files with ours.
    """
    if out.exists() and not out.is_dir():
        raise InputError(Msg("out_is_file", out=out))
    if force and out.exists() and not is_plan_dir(out):
        raise InputError(Msg("out_not_plan", out=out))
    try:
        if force:
            if not try_lock_directory(out):
                raise busy_error(out)
            return out
        return _free_sibling(out)
    except OSError as exc:
        raise InputError(Msg("cannot_write_into", folder=out.parent,
                             reason=exc.strerror or exc), file=str(out)) from None


def _free_sibling(out: Path) -> Path:
    """The first of out, out-2, out-3, ... that does not exist and is not being written."""
    busy = ""
    for n in range(1, MAX_NUMBERED + 1):
        candidate = out if n == 1 else out.with_name(f"{out.name}-{n}")
        if os.path.lexists(candidate):
            continue
        if not try_lock_directory(candidate):
            pid = lock_holder(candidate)
            busy = busy or f"another scheduler run{f' (process {pid})' if pid else ''} is " \
                           f"writing {candidate}"
            continue
        if os.path.lexists(candidate):  # written by another run just before we locked
            unlock_directory(candidate)
            continue
        if candidate != out:
            why = busy or f"{out} exists already (give --force to replace it)"
            _note(f"{why}; writing to {candidate} instead")
        return candidate
    raise InputError(Msg("out_all_taken", out=out, n=MAX_NUMBERED - 1), file=str(out))


# Seconds to write a plan directory, kept from the time limit so that `solve` returns
# within it: a fixed part (imports, the pictures, plan.xlsx) plus a part per learner. The
# per-learner part is larger up to about 600 learners because the report's print pages of
# the Gantt chart, the costliest output per learner, stop growing there (the printed chart
# is capped); beyond that only the tables and the paged pictures grow. The figures are a
# generous estimate from measured writes on a slow, shared 2-core machine, so a faster one
# only returns earlier.
WRITE_SECONDS = 3.0
WRITE_PER_LEARNER = ((600, 0.025), (None, 0.004))  # (up to this many learners, seconds)
WRITE_DATA_ONLY = (0.2, 0.0002)  # plan.csv and kpis.json only (--no-reports)


def writing_seconds(learners: int, reports: bool = True) -> float:
    if not reports:
        return WRITE_DATA_ONLY[0] + WRITE_DATA_ONLY[1] * learners
    seconds, counted = WRITE_SECONDS, 0
    for upto, per_learner in WRITE_PER_LEARNER:
        span = learners - counted if upto is None else max(0, min(learners, upto) - counted)
        seconds += per_learner * span
        counted += span
    return seconds


def kpis_document(scenario: Scenario, result: SolveResult, baseline: Plan | None,
                  lang: str = "nl") -> dict[str, Any]:
    """kpis.json; the unplaced reasons in ``lang`` (with their sentence key and parameters,
    so a report in the other language renders them again)."""
    doc: dict[str, Any] = {
        "scenario": scenario.name,
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "bound_source": result.bound_source or None,
        "gap": result.gap,
        "placed_upper_bound": result.placed_upper_bound,
        "placed_bound_source": result.placed_bound_source or None,
        "solve_seconds": round(result.solve_seconds, 3),
        "build_seconds": round(result.build_seconds, 3),
    }
    if result.plan is not None:
        kpis = compute_kpis(scenario, result.plan, baseline)
        kpis["objective"] = result.objective
        doc.update({k: v for k, v in kpis.items() if k not in doc})
    doc["unplaced_learners"] = [u.as_dict(lang) for u in result.unplaced]
    doc["model"] = result.model
    doc["solver"] = result.solver
    doc["notes"] = result.notes
    return doc


@dataclass(frozen=True)
class OutputOptions:
    """How the plan directory is written (report language, personal data)."""

    lang: str = "nl"
    pseudonymise: bool = False
    reports: bool = True  # pictures, plan.xlsx and report.html besides plan.csv/kpis.json
    scenario_file: str = ""  # recorded in kpis.json so `scheduler plot DIR` can redraw


def write_plan_dir(
    out: Path,
    scenario: Scenario,
    result: SolveResult,
    baseline: Plan | None = None,
    output: OutputOptions | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Write every file of docs/outputs.md (and ``extra``: name → text) into a staging folder,
    then rename it to ``out``."""
    output = output or OutputOptions()
    doc = kpis_document(scenario, result, baseline, output.lang)
    doc["scenario_file"] = output.scenario_file or None
    with on_signals(), staged_directory(out) as stage:  # the files whole, then Ctrl-C
        if result.plan is not None:
            atomic_write_text(stage / "plan.csv", plan_to_csv_text(result.plan))
        atomic_write_text(stage / "kpis.json", json.dumps(doc, indent=2, default=str) + "\n")
        for name, text in (extra or {}).items():
            atomic_write_text(stage / name, text)
        if output.reports and result.plan is not None:
            write_report_files(stage, scenario, result.plan, doc, output)
    return doc


def write_report_files(
    folder: Path, scenario: Scenario, plan: Plan, kpis: dict[str, Any], output: OutputOptions
) -> None:
    """Pictures, plan.xlsx and report.html (the report issue fills this in)."""
    try:
        from .report import write_reports
    except ImportError:  # the report package is not there yet
        return
    write_reports(folder, scenario, plan, kpis, lang=output.lang, pseudonymise=output.pseudonymise)
