"""The one place that joins io, validation, checking, solving and reporting."""

from __future__ import annotations

import sys
from pathlib import Path

from .check import check_plan
from .io import load_scenario, read_plan_csv
from .validate import screen


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def validate(path: Path, *, allow_outside: bool = False) -> int:
    scenario = load_scenario(path, allow_outside=allow_outside)
    findings = screen(scenario)
    for finding in findings:
        _err(f"{finding.level}: {finding.message}")
    errors = [f for f in findings if f.level == "error"]
    print(
        f"{path}: {len(scenario.learners)} learners, {len(scenario.departments)} departments, "
        f"{len(scenario.organisations)} organisations; "
        f"{len(errors)} errors, {len(findings) - len(errors)} warnings"
    )
    return 1 if errors else 0


def check(scenario_path: Path, plan_path: Path, *, allow_outside: bool = False) -> int:
    scenario = load_scenario(scenario_path, allow_outside=allow_outside)
    plan = read_plan_csv(plan_path)
    violations = check_plan(scenario, plan)
    for v in violations:
        print(str(v))
    if violations:
        _err(f"{plan_path}: {len(violations)} violations of the hard rules")
        return 1
    print(f"{plan_path}: OK, every hard rule of SPEC §3 holds")
    return 0


def solve(path: Path, *, out: str | None, force: bool) -> int:
    raise NotImplementedError("solve comes with the solver core")
