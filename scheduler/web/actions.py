"""What several pages of the workbench do: start a solve (the CLI's `scheduler solve` in
a child process), hand out a scenario (or the starter template) as a file, and read a
variant's description."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi.responses import Response

from ..errors import InputError
from ..io import atomic_write_bytes, write_scenario
from ..io.scenario_export import export_scenario
from ..models import Scenario
from ..words.messages import Msg
from .bench import Bench
from .progress import PROGRESS_FILE, PROGRESS_OPTION
from .workspace import form_seconds


def scenario_file(scenario: Scenario, stem: str, fmt: str, *,
                  dressed: str | None = None) -> Response:
    """The scenario written by the CLI's writer, as YAML or as an Excel workbook; with
    ``dressed`` (a language) the workbook is `scheduler export`'s, with its explanation
    sheet and drop-down lists."""
    if fmt not in ("yaml", "xlsx"):
        raise InputError(Msg("web.no_download", name="." + fmt[:10]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{stem}.{fmt}"
        if fmt == "xlsx" and dressed is not None:
            export_scenario(scenario, path, lang=dressed)
        else:
            write_scenario(scenario, path)
        data = path.read_bytes()
    kind = ("application/x-yaml" if fmt == "yaml" else
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(data, media_type=kind,
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


def start_run(bench: Bench, name: str, limit: Any, baseline: Any) -> Any:
    """A new run folder and its solve: the CLI's `scheduler solve`, in a child process."""
    seconds = form_seconds(limit, 0.5, 3600)
    meta: dict[str, Any] = {"time_limit": seconds}
    if baseline is not None:
        meta["baseline_run"] = baseline[0]
    run = bench.ws.new_run(name, meta)
    argv = ["solve", str(run.scenario_file), "--out", str(run.plan_dir), "--force",
            "--time-limit", f"{seconds:g}", "--no-reports",
            PROGRESS_OPTION, str(run.folder / PROGRESS_FILE)]  # read by progress.describe
    if baseline is not None:  # a copy: later moves on the base plan do not change it
        copy = run.folder / "baseline.csv"
        atomic_write_bytes(copy, Path(baseline[1]).read_bytes())
        run.meta["baseline"] = str(copy)
        argv += ["--baseline", str(copy)]
    bench.runner.start_solve(run, argv)
    return run


def variant_of(bench: Bench, name: str) -> dict[str, Any] | None:
    try:
        doc = json.loads((bench.ws.folder(name) / "variant.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None
