"""Writing a plan directory (SPEC §6): all files appear whole, in one rename, or not at all."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .io import atomic_write_text, plan_to_csv_text, staged_directory
from .kpis import compute_kpis
from .models import Plan, Scenario
from .models.result import SolveResult


PLAN_MARKERS = ("kpis.json", "plan.csv")


def is_plan_dir(path: Path) -> bool:
    """A folder we may replace: a plan directory we wrote, or an empty folder."""
    if not path.is_dir():
        return False
    names = {p.name for p in path.iterdir()}
    return not names or any(m in names for m in PLAN_MARKERS)


def choose_out_dir(out: Path, force: bool) -> Path:
    """``out`` itself, or with --force replaced; otherwise a new numbered sibling.

    --force only ever replaces a plan directory (or an empty folder): pointing --out at
    a folder of other files is refused, so no coordinator loses documents to a typo.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder")
    if force and out.exists() and not is_plan_dir(out):
        raise InputError(
            f"--out {out} holds files that are not a plan; refusing to replace it "
            "(choose another folder)"
        )
    if force or not out.exists():
        return out
    n = 2
    while (candidate := out.with_name(f"{out.name}-{n}")).exists():
        n += 1
    return candidate


def kpis_document(scenario: Scenario, result: SolveResult, baseline: Plan | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "scenario": scenario.name,
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "bound_source": result.bound_source or None,
        "gap": result.gap,
        "solve_seconds": round(result.solve_seconds, 3),
        "build_seconds": round(result.build_seconds, 3),
    }
    if result.plan is not None:
        kpis = compute_kpis(scenario, result.plan, baseline)
        kpis["objective"] = result.objective
        doc.update({k: v for k, v in kpis.items() if k not in doc})
    doc["unplaced_learners"] = [u.as_dict() for u in result.unplaced]
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
) -> dict[str, Any]:
    """Write every file of SPEC §6 into a staging folder, then rename it to ``out``."""
    output = output or OutputOptions()
    doc = kpis_document(scenario, result, baseline)
    doc["scenario_file"] = output.scenario_file or None
    with staged_directory(out) as stage:
        if result.plan is not None:
            atomic_write_text(stage / "plan.csv", plan_to_csv_text(result.plan))
        atomic_write_text(stage / "kpis.json", json.dumps(doc, indent=2, default=str) + "\n")
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
