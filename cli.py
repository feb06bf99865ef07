"""Command line: ``scheduler``. Thin: parses options and calls one function of the command
layer (``scheduler.commands``) per command (docs/commands.md); options that several
commands take are defined once below, with the command layer's defaults."""

from __future__ import annotations

import os
import time

# The command's clock starts here, before the heavy imports: `solve --time-limit T` returns
# with its files written within T seconds of this (plus a little), not of the solve's start.
_STARTED = time.perf_counter()
_STARTED_IN = os.getpid()

import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import click  # noqa: E402

from scheduler import commands  # noqa: E402  (light: each command imports its own work)
from scheduler.errors import SchedulerError  # noqa: E402

# ----- options several commands take: one definition each -------------------------------
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


_LANG = [commands.DEFAULT_LANG]  # the running command's --lang: its errors speak it too


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    _LANG[0] = value
    return value


def _lang_option(help: str | None = None) -> Decorator:
    """--lang nl|en (Dutch by default), the same on every command that writes for people;
    an input error the command raises is printed in the same language."""
    return click.option("--lang", type=click.Choice(commands.LANGS),
                        default=commands.DEFAULT_LANG, show_default=True, help=help,
                        callback=_remember_lang)


def _allow_outside_option() -> Decorator:
    """--allow-outside, on every command that loads a scenario file: its CSV tables may
    lie outside the scenario's folder (the loader refuses them otherwise)."""
    return click.option("--allow-outside", is_flag=True,
                        help="Allow CSV tables outside the scenario folder.")


def _force_option(what: str) -> Decorator:
    return click.option("--force", is_flag=True, help=f"Replace an existing {what}.")


def _time_limit_option(default: float, help: str = "Seconds of search.") -> Decorator:
    return click.option("--time-limit", type=click.FloatRange(min=0.1), default=default,
                        show_default=True, help=help)


def _workers_option() -> Decorator:
    return click.option("--workers", type=click.IntRange(min=1), default=None,
                        help="Search workers (default: cores, at most 8).")


def _seed_option() -> Decorator:
    return click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")


def _pseudonymise_option(help: str = "Replace learner names by ids in every output.",
                         ) -> Decorator:
    return click.option("--pseudonymise", is_flag=True, help=help)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


# ----- the commands ---------------------------------------------------------------------
@click.group(invoke_without_command=True)
@click.version_option(package_name="regio-scheduler")
@click.pass_context
def cli(ctx: click.Context) -> int | None:
    """Plan trainees and work-and-learn students over a region's departments."""
    if ctx.invoked_subcommand is None:
        return ctx.invoke(solve, scenario=None, out="out/default", force=True)  # defaults below
    return None


@cli.command()
@click.argument("scenario", required=False)
@_allow_outside_option()
@_lang_option("Language of the findings.")
def validate(scenario: str | None, allow_outside: bool, lang: str) -> int:
    """Schema, references and quick capacity-vs-demand screens."""
    return commands.validate(_path(scenario), allow_outside=allow_outside, lang=lang)


@cli.command()
@click.argument("scenario")
@click.option("--out", required=True, help="Workbook to write (.xlsx).")
@_lang_option("Language of the notes.")
@_force_option("workbook")
@_allow_outside_option()
def export(scenario: str, out: str, lang: str, force: bool, allow_outside: bool) -> int:
    """Write SCENARIO as an Excel workbook to edit: dropdowns, notes, frozen headers."""
    return commands.export(Path(scenario), Path(out), lang=lang, force=force,
                           allow_outside=allow_outside)


@cli.command()
@click.argument("scenario")
@click.argument("plan")
@_allow_outside_option()
@_lang_option("Language of the violations.")
def check(scenario: str, plan: str, allow_outside: bool, lang: str) -> int:
    """Re-check PLAN (plan.csv or plan.xlsx) against every hard rule (docs/rules.md)."""
    return commands.check(Path(scenario), Path(plan), allow_outside=allow_outside, lang=lang)


@cli.command()
@click.argument("scenario", required=False)
@click.option("--out", "out", default=None, help="Plan directory (default out/<scenario name>).")
@_force_option("plan directory")
@_time_limit_option(60.0)
@_workers_option()
@_seed_option()
@click.option(
    "--baseline",
    type=str,
    default=None,
    help="Re-plan with minimal change against this plan (plan.csv or plan.xlsx).",
)
@click.option(
    "--freeze-until",
    type=str,
    default=None,
    help="YYYY-MM: keep every month before it as in the baseline.",
)
@click.option(
    "--objective",
    type=click.Choice(["weighted", "lexicographic"]),
    default="weighted",
    show_default=True,
)
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.option("--details", is_flag=True,
              help="Add the solver's figures (objective, bound, gap) to the closing status "
              "line too (progress lines always end with them).")
@click.option("--progress-json", type=click.Path(dir_okay=False), default=None,
              help="Also write each progress event as a JSON line into this file.")
@_allow_outside_option()
@_lang_option("Language of the progress, the summary and the report labels.")
@_pseudonymise_option()
@click.option(
    "--no-reports",
    is_flag=True,
    help="Write plan.csv and kpis.json only (draw the rest later with `scheduler plot DIR`).",
)
@click.option(
    "--fresh",
    is_flag=True,
    help="With --force into an earlier plan of this scenario: plan from scratch instead of "
    "keeping changes minimal against it.",
)
def solve(
    scenario: str | None,
    out: str | None,
    force: bool,
    time_limit: float,
    workers: int | None,
    seed: int,
    baseline: str | None,
    freeze_until: str | None,
    objective: str,
    quiet: bool,
    details: bool,
    progress_json: str | None,
    allow_outside: bool,
    lang: str,
    pseudonymise: bool,
    no_reports: bool,
    fresh: bool,
) -> int:
    """Plan SCENARIO and write the plan files (docs/outputs.md)."""
    return commands.solve(
        _path(scenario),
        out=out,
        force=force,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        baseline=baseline,
        freeze_until=freeze_until,
        objective=objective,
        quiet=quiet,
        allow_outside=allow_outside,
        lang=lang,
        pseudonymise=pseudonymise,
        clock_start=_clock_start(),
        reports=not no_reports,
        fresh=fresh,
        details=details,
        progress_json=progress_json,
    )


def _clock_start() -> float:
    """When this command began: at import for the first command of the process that
    imported this module; else now (the CLI called again in one process, as the tests do,
    or in a process forked later, as the workbench's solves are)."""
    global _STARTED
    started, _STARTED = _STARTED, -1.0
    fresh = started >= 0 and os.getpid() == _STARTED_IN
    return started if fresh else time.perf_counter()


@cli.command()
@click.argument("plan_dir")
@click.option("--scenario", default=None, help="Scenario file (default: the one in kpis.json).")
@_lang_option()
@_pseudonymise_option()
@click.option("--departments", is_flag=True, help="Also draw one panel per department.")
@_allow_outside_option()
def plot(
    plan_dir: str, scenario: str | None, lang: str, pseudonymise: bool, departments: bool,
    allow_outside: bool,
) -> int:
    """(Re)draw the pictures, plan.xlsx and report.html of PLAN_DIR without solving."""
    return commands.plot(Path(plan_dir), scenario=_path(scenario), lang=lang,
                         pseudonymise=pseudonymise, departments=departments,
                         allow_outside=allow_outside)


@cli.command()
@click.argument("scenario", required=False)
@_lang_option()
@click.option("--out", default=None, help="Write explain.json into this folder.")
@_time_limit_option(30.0)
@_workers_option()
@click.option("--no-suggestions", is_flag=True, help="Skip the re-solves that check fixes.")
@_allow_outside_option()
def explain(
    scenario: str | None,
    lang: str,
    out: str | None,
    time_limit: float,
    workers: int | None,
    no_suggestions: bool,
    allow_outside: bool,
) -> int:
    """Why learners cannot be placed, or why no plan exists: rules, ids, months, numbers."""
    return commands.explain(
        _path(scenario),
        lang=lang,
        out=_path(out),
        time_limit=time_limit,
        workers=workers,
        suggestions=not no_suggestions,
        allow_outside=allow_outside,
    )


@cli.command()
@click.argument("scenario")
@click.argument("variants", nargs=-1, required=True)
@click.option("--out", required=True, help="Comparison directory to write.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--dask", "dask_address", default=None, help="Dask scheduler address.")
@click.option("--fresh", is_flag=True, help="Solve variants from scratch, not minimal change.")
@_time_limit_option(60.0, help="Seconds of search for each scenario.")
@_workers_option()
@_seed_option()
@_force_option("comparison directory")
@_lang_option()
@_pseudonymise_option()
@_allow_outside_option()
def whatif(
    scenario: str,
    variants: tuple[str, ...],
    out: str,
    jobs: int,
    dask_address: str | None,
    fresh: bool,
    time_limit: float,
    workers: int | None,
    seed: int,
    force: bool,
    lang: str,
    pseudonymise: bool,
    allow_outside: bool,
) -> int:
    """Solve SCENARIO and every VARIANT file; write plans and a side-by-side comparison."""
    return commands.whatif(
        Path(scenario),
        [Path(v) for v in variants],
        out=Path(out),
        jobs=jobs,
        dask_address=dask_address,
        fresh=fresh,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        force=force,
        lang=lang,
        pseudonymise=pseudonymise,
        allow_outside=allow_outside,
    )


@cli.command()
@click.argument("dir_a")
@click.argument("dir_b")
@click.option("--out", default=None, help="Write comparison.csv/.html into this folder.")
@_lang_option()
def compare(dir_a: str, dir_b: str, out: str | None, lang: str) -> int:
    """KPI deltas between two plan directories, and which learners moved where."""
    return commands.compare(Path(dir_a), Path(dir_b), out=_path(out), lang=lang)


@cli.command()
@click.option("--learners", type=click.IntRange(min=1, max=100_000), required=True)
@click.option("--organisations", type=click.IntRange(min=1, max=2_000), required=True)
@_seed_option()
@click.option("--out", required=True, help="Scenario file to write (.yaml or .xlsx).")
@click.option("--utilisation", type=click.FloatRange(0.05, 2.0), default=0.85, show_default=True)
@click.option(
    "--region",
    default="twente",
    show_default=True,
    help="twente|drenthe|limburg|drechtsteden or 'lat,lon,km'.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "xlsx"]),
    default=None,
    help="Default: from the --out suffix.",
)
@click.option("--months", type=click.IntRange(6, 60), default=24, show_default=True)
@click.option(
    "--pinned-share",
    type=click.FloatRange(0.0, 0.9),
    default=0.0,
    show_default=True,
    help="Share of extra learners of earlier cohorts, pinned in place.",
)
def generate(
    learners: int,
    organisations: int,
    seed: int,
    out: str,
    utilisation: float,
    region: str,
    fmt: str | None,
    months: int,
    pinned_share: float,
) -> int:
    """Write a synthetic, realistic region (FACTS.md distributions)."""
    return commands.generate(
        learners=learners,
        organisations=organisations,
        seed=seed,
        out=Path(out),
        utilisation=utilisation,
        region=region,
        fmt=fmt,  # type: ignore[arg-type]  # click.Choice guarantees yaml|xlsx|None
        months=months,
        pinned_share=pinned_share,
    )


@cli.command()
@click.argument("workspace", required=False, default="workspace")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any but the loopback address needs the printed token.",
)
def serve(workspace: str, port: int, host: str) -> int:
    """The workbench in the browser: open, check, plan, edit and re-plan scenarios."""
    return commands.serve(Path(workspace), entry=main, host=host, port=port)


def main(argv: list[str] | None = None) -> None:
    """Entry point: maps our errors and click's usage errors to exit codes.

    The exit codes are in docs/commands.md#exit-codes.

    A closed stdout or stderr (``| head``, a quit pager) only silences the output: the
    command still finishes and writes its files (scheduler/console.py).
    """
    from scheduler.console import quiet_on_closed_output

    with quiet_on_closed_output():
        _run(argv)


def _run(argv: list[str] | None) -> None:
    _LANG[0] = commands.DEFAULT_LANG  # commands without --lang speak Dutch
    try:
        code = cli.main(args=argv, prog_name="scheduler", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:  # usage errors: ours is 1, click's 2
        exc.show()
        sys.exit(1)
    except SchedulerError as exc:
        click.echo(commands.error_text(exc, _LANG[0]), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except OSError as exc:  # e.g. a full disk: outputs are atomic, so nothing is half written
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {where}{exc.strerror or exc} (files being written were left as "
                   "they were)", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
