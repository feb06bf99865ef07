"""The workbench's folder: scenarios, their runs and plan directories, found again on restart.

::

    WORKSPACE/scenarios/<name>/scenario.yaml      the scenario as edited in the page
                              /scenario.xlsx      (an uploaded workbook, until first edited)
                              /runs/<n>/run.json  what was asked and how it ended
                              /runs/<n>/scenario.yaml  the scenario as it was solved
                              /runs/<n>/solve.log      the solve's progress (stderr)
                              /runs/<n>/plan/          the plan directory (docs/outputs.md)
                              /runs/<n>/draft.csv      a plan edited by hand (moves)

Names come from the page: every one is checked against :data:`NAME` before it becomes a
path, so nothing is read or written outside the workspace.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, InputIssue
from ..io import atomic_write_text, load_scenario, write_scenario
from ..models import Scenario
from ..words.messages import Msg

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
RUN_ID = re.compile(r"^[0-9]{1,6}$")
SCENARIO_FILES = ("scenario.yaml", "scenario.xlsx")


def form_seconds(value: Any, lo: float, hi: float) -> float:
    """A time limit typed into a form: seconds between ``lo`` and ``hi``, else refused."""
    try:
        seconds = float(str(value))
    except ValueError:
        raise form_error(Msg("web.time_limit_number"), field="time_limit") from None
    if not lo <= seconds <= hi:
        raise form_error(Msg("web.time_limit_range", lo=lo, hi=hi), field="time_limit")
    return seconds


def form_error(message: str, *, table: str = "", id: str = "",
               field: str = "") -> InputError:
    """A problem with what was typed into a form of the page, located like a file's."""
    return InputError(InputIssue("form", message, table=table, id=id, field=field))


def slug(text: str) -> str:
    """A folder name from a file name or scenario name: letters, digits, '-' and '_'."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text)[:48].strip("-_")
    return cleaned or "scenario"


@dataclass
class Run:
    """One solve of a scenario: its folder and what run.json says about it."""

    scenario: str
    id: str
    folder: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def plan_dir(self) -> Path:
        return self.folder / "plan"

    @property
    def plan_csv(self) -> Path:
        return self.plan_dir / "plan.csv"

    @property
    def kpis_path(self) -> Path:
        return self.plan_dir / "kpis.json"

    @property
    def log(self) -> Path:
        return self.folder / "solve.log"

    @property
    def draft(self) -> Path:
        return self.folder / "draft.csv"

    @property
    def scenario_file(self) -> Path:
        return self.folder / "scenario.yaml"

    def kpis(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.kpis_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save_meta(self) -> None:
        atomic_write_text(self.folder / "run.json", json.dumps(self.meta, indent=2) + "\n")


class Workspace:
    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root.resolve()
        self.scenarios_root = self.root / "scenarios"
        self.scenarios_root.mkdir(exist_ok=True)
        self.uploads = self.root / ".uploads"
        self.uploads.mkdir(exist_ok=True)

    # ----- scenarios ------------------------------------------------------------------
    def folder(self, name: str) -> Path:
        if not NAME.match(name):
            raise InputError(f"'{name[:70]}' is not a scenario name of this workspace")
        return self.scenarios_root / name

    def names(self) -> list[str]:
        return sorted(p.name for p in self.scenarios_root.iterdir()
                      if p.is_dir() and NAME.match(p.name) and self._file_in(p) is not None)

    def exists(self, name: str) -> bool:
        return NAME.match(name) is not None and self._file_in(self.folder(name)) is not None

    def scenario_file(self, name: str) -> Path:
        found = self._file_in(self.folder(name))
        if found is None:
            raise InputError(f"no scenario '{name}' in this workspace")
        return found

    @staticmethod
    def _file_in(folder: Path) -> Path | None:
        for candidate in SCENARIO_FILES:
            if (folder / candidate).is_file():
                return folder / candidate
        return None

    def load(self, name: str) -> Scenario:
        return load_scenario(self.scenario_file(name))

    def save(self, name: str, scenario: Scenario) -> None:
        """Write the edited scenario as YAML (it takes precedence over an uploaded workbook)."""
        write_scenario(scenario, self.folder(name) / "scenario.yaml")

    def free_name(self, wanted: str) -> str:
        base = slug(wanted)
        for n in range(1, 1000):
            name = base if n == 1 else f"{base}-{n}"
            if not self.folder(name).exists():
                return name
        raise InputError(f"too many scenarios named '{base}' in the workspace")

    # ----- runs -----------------------------------------------------------------------
    def runs(self, name: str) -> list[Run]:
        root = self.folder(name) / "runs"
        if not root.is_dir():
            return []
        found = []
        for p in root.iterdir():
            if RUN_ID.match(p.name):
                try:
                    found.append(self.run(name, p.name))
                except InputError:  # a run being made (no run.json yet), or a broken one
                    continue
        return sorted(found, key=lambda r: int(r.id), reverse=True)

    def run(self, name: str, run_id: str) -> Run:
        if not RUN_ID.match(run_id):
            raise InputError(f"'{run_id[:20]}' is not a run of this workspace")
        folder = self.folder(name) / "runs" / run_id
        try:
            meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise InputError(f"no run {run_id} of scenario '{name}'") from None
        return Run(name, run_id, folder, meta)

    def new_run(self, name: str, meta: dict[str, Any]) -> Run:
        """A fresh run folder with the scenario as it is now (the solve reads this copy)."""
        root = self.folder(name) / "runs"
        root.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name) for p in root.iterdir() if RUN_ID.match(p.name)]
        for n in range(max(numbers, default=0) + 1, 1_000_000):
            folder = root / str(n)
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            run = Run(name, str(n), folder, {"id": str(n), **meta})
            write_scenario(self.load(name), run.scenario_file)
            run.save_meta()
            return run
        raise InputError("too many runs")
