"""Command line: ``scheduler``. Thin: parses options and calls the library (SPEC §5)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scheduler.errors import SchedulerError

REPO_ROOT = Path(__file__).resolve().parent
DEFAULT_SCENARIO = REPO_ROOT / "scenarios" / "twente.yaml"


def _scenario_path(value: str | None) -> Path:
    return Path(value) if value else DEFAULT_SCENARIO


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
@click.option("--allow-outside", is_flag=True, help="Allow CSV tables outside the scenario folder.")
def validate(scenario: str | None, allow_outside: bool) -> int:
    """Schema, references and quick capacity-vs-demand screens."""
    from scheduler import commands

    return commands.validate(_scenario_path(scenario), allow_outside=allow_outside)


@cli.command()
@click.argument("scenario")
@click.argument("plan")
@click.option("--allow-outside", is_flag=True, help="Allow CSV tables outside the scenario folder.")
def check(scenario: str, plan: str, allow_outside: bool) -> int:
    """Re-check PLAN (a plan.csv) against every hard rule of SPEC §3."""
    from scheduler import commands

    return commands.check(Path(scenario), Path(plan), allow_outside=allow_outside)


@cli.command()
@click.argument("scenario", required=False)
@click.option("--out", "out", default=None, help="Plan directory (default out/<scenario name>).")
@click.option("--force", is_flag=True, help="Replace an existing plan directory.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds of search.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Search workers (default: cores, at most 8).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--baseline", type=str, default=None, help="Re-plan with minimal change against this plan.csv."
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
@click.option("--allow-outside", is_flag=True, help="Allow CSV tables outside the scenario folder.")
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of the report labels.",
)
@click.option("--pseudonymise", is_flag=True, help="Replace learner names by ids in every output.")
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
    allow_outside: bool,
    lang: str,
    pseudonymise: bool,
) -> int:
    """Plan SCENARIO and write the plan files (SPEC §6)."""
    from scheduler import commands

    return commands.solve(
        _scenario_path(scenario),
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
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point: maps our errors and click's usage errors to SPEC exit codes."""
    try:
        code = cli.main(args=argv, prog_name="scheduler", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:  # usage errors: SPEC wants 1, click says 2
        exc.show()
        sys.exit(1)
    except SchedulerError as exc:
        click.echo(f"error: {exc}" if exc.exit_code == 1 else str(exc), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
