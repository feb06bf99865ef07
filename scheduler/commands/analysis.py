"""The commands that look at plans and their causes: ``explain``, ``whatif``, ``compare``
and ``plot``. Each joins its loaders, the analysis and the writers here; the heavy
modules (the solver, the pictures) are imported only when the command runs."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..words.messages import Msg
from .common import DEFAULT_LANG, scenario_or_default


def explain(
    path: Path | None = None,
    *,
    lang: str = DEFAULT_LANG,
    out: Path | None = None,
    time_limit: float = 30.0,
    workers: int | None = None,
    suggestions: bool = True,
    allow_outside: bool = False,
) -> int:
    """Why learners cannot be placed, or why no plan exists: 0 with a plan, 2 without."""
    from ..explain import explain as analyse
    from ..explain import write_explanation
    from ..io import load_scenario

    path = scenario_or_default(path)
    scenario = load_scenario(path, allow_outside=allow_outside)
    if out is not None and out.exists() and not out.is_dir():
        raise InputError(Msg("out_is_file", out=out))
    ex = analyse(scenario, time_limit=time_limit, workers=workers, suggestions=suggestions)
    text = write_explanation(ex, path, out, lang)
    print(text, end="", flush=True)
    return ex.exit_code


def whatif(
    path: Path,
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
    lang: str = DEFAULT_LANG,
    pseudonymise: bool = False,
    allow_outside: bool = False,
) -> int:
    """Solve the base and every variant; plans and a comparison (0, or 2: one has no plan)."""
    from ..whatif import run_whatif

    return run_whatif(Path(path), [Path(v) for v in variants], out=Path(out), jobs=jobs,
                      dask_address=dask_address, fresh=fresh, time_limit=time_limit,
                      workers=workers, seed=seed, force=force, lang=lang,
                      pseudonymise=pseudonymise, allow_outside=allow_outside)


def compare(dir_a: Path, dir_b: Path, *, out: Path | None = None,
            lang: str = DEFAULT_LANG) -> int:
    """KPI deltas between two plan directories (DIR_A the base), and who moved where."""
    from ..compare import (
        build_comparison,
        label,
        read_plan_dir,
        render_text,
        write_comparison,
    )

    paths = [Path(dir_a), Path(dir_b)]
    dirs = [read_plan_dir(p, name) for p, name in zip(paths, _labels(paths), strict=True)]
    comparison = build_comparison(dirs, lang)
    print(render_text(comparison))
    if out is not None:
        write_comparison(Path(out), comparison)
        print(label("written", lang, out=str(out)))
    return 0


def _labels(paths: list[Path]) -> list[str]:
    names = [p.name or str(p) for p in paths]
    if len(set(names)) == len(names):
        return names
    return [str(p) for p in paths]


def plot(
    plan_dir: Path,
    *,
    scenario: Path | None = None,
    lang: str = DEFAULT_LANG,
    pseudonymise: bool = False,
    departments: bool = False,
    allow_outside: bool = False,
) -> int:
    """(Re)draw the pictures, plan.xlsx and report.html of a plan directory."""
    from ..report import redraw

    return redraw(Path(plan_dir), scenario=scenario, lang=lang, pseudonymise=pseudonymise,
                  departments=departments, allow_outside=allow_outside)
