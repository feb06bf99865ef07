"""The entry points agree (issue 24): cli.py only parses options and calls the command
layer; every command that loads a scenario takes --allow-outside; the CLI's defaults are
the command functions' defaults (Dutch texts everywhere); one Ctrl-C handler."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import click
import pytest

import cli
from scheduler import commands

ROOT = Path(__file__).resolve().parents[1]
CLI_MAY_IMPORT = {"scheduler.commands", "scheduler.errors", "scheduler.console"}


def _commands() -> dict[str, click.Command]:
    return dict(cli.cli.commands)


def _param(command: click.Command, name: str) -> click.Parameter | None:
    return next((p for p in command.params if p.name == name), None)


def _given(name: str) -> dict[str, Any]:
    """What the command receives when nothing is typed: the CLI's defaults."""
    return _commands()[name].make_context(name, [], resilient_parsing=True).params


def test_every_command_has_one_function_in_the_command_layer():
    assert set(_commands()) == set(commands.COMMANDS)


@pytest.mark.parametrize("name", sorted(cli.cli.commands))
def test_a_command_that_loads_a_scenario_takes_allow_outside(name: str):
    command = _commands()[name]
    scenario = _param(command, "scenario")
    if scenario is None:
        return
    flag = _param(command, "allow_outside")
    assert isinstance(flag, click.Option) and flag.is_flag, f"{name}: no --allow-outside"
    assert flag.opts == ["--allow-outside"] and _given(name)["allow_outside"] is False
    assert "allow_outside" in inspect.signature(commands.COMMANDS[name]).parameters


def test_the_commands_with_a_scenario_argument_are_the_ones_we_know():
    # the walk above sees them all (it could pass by finding none)
    with_argument = {n for n, c in _commands().items()
                     if isinstance(_param(c, "scenario"), click.Argument)}
    assert with_argument == {"validate", "check", "export", "solve", "explain", "whatif"}
    assert isinstance(_param(_commands()["plot"], "scenario"), click.Option)


def test_every_lang_option_defaults_to_dutch():
    langs = {n: _param(c, "lang") for n, c in _commands().items() if _param(c, "lang")}
    assert len(langs) >= 6
    for name, option in langs.items():
        assert _given(name)["lang"] == "nl", name
        assert isinstance(option.type, click.Choice) and list(option.type.choices) == ["nl",
                                                                                       "en"]


def test_the_command_functions_default_to_dutch():
    with_lang = {n: f for n, f in commands.COMMANDS.items()
                 if "lang" in inspect.signature(f).parameters}
    assert set(with_lang) >= {"export", "solve", "explain", "whatif", "compare", "plot"}
    for name, function in with_lang.items():
        assert inspect.signature(function).parameters["lang"].default == "nl", name


def _same(cli_default: Any, function_default: Any) -> bool:
    if isinstance(function_default, Path):
        return cli_default is not None and Path(cli_default) == function_default
    return bool(cli_default == function_default)


@pytest.mark.parametrize("name", sorted(cli.cli.commands))
def test_the_cli_defaults_are_the_command_functions_defaults(name: str):
    signature = inspect.signature(commands.COMMANDS[name]).parameters
    compared = 0
    for param in _commands()[name].params:
        given = signature.get(param.name or "")
        if given is None or given.default is inspect.Parameter.empty or param.required:
            continue
        cli_default = _given(name)[param.name or ""]
        assert _same(cli_default, given.default), (name, param.name, cli_default,
                                                   given.default)
        compared += 1
    assert compared, name  # every command has an option with a default


def _scheduler_imports(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in out if m.split(".")[0] == "scheduler"}


def test_cli_imports_only_the_command_layer():
    tree = ast.parse((ROOT / "cli.py").read_text(encoding="utf-8"))
    imported = _scheduler_imports(tree)
    assert "scheduler.commands" in imported  # `from scheduler import commands`
    outside = {m for m in imported if m != "scheduler"
               and not any(m == k or m.startswith(k + ".") for k in CLI_MAY_IMPORT)}
    assert outside == set()


def test_one_ctrl_c_handler():
    """Only scheduler/interrupts.py installs a handler of its own for SIGINT or SIGTERM
    (others may only put back the defaults or ignore them, e.g. in worker processes)."""
    allowed = {"SIG_DFL", "SIG_IGN", "default_int_handler"}
    offenders = []
    for path in sorted((ROOT / "scheduler").rglob("*.py")) + [ROOT / "cli.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("signal", "set_wakeup_fd")):
                continue
            handler = node.args[1] if node.func.attr == "signal" and len(node.args) > 1 \
                else None
            if isinstance(handler, ast.Attribute) and handler.attr in allowed:
                continue
            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders and all(o.startswith("scheduler/interrupts.py") for o in offenders), \
        offenders


# ----- --allow-outside means the same on every command ----------------------------------
def _outside(tmp_path: Path) -> Path:
    """tiny in CSV form, its pins table one folder up (outside the scenario's folder)."""
    from tests.test_paths import TINY_CSV, scenario_with

    (tmp_path / "pins.csv").write_bytes((TINY_CSV / "pins.csv").read_bytes())
    return scenario_with(tmp_path / "region", "../pins.csv")


def test_every_scenario_command_refuses_outside_tables_unless_allowed(tmp_path: Path):
    from tests.cli_in_process import run

    path = str(_outside(tmp_path))
    plan_dir = tmp_path / "plan"  # enough of a plan directory for plot to load the scenario
    plan_dir.mkdir()
    (plan_dir / "kpis.json").write_text("{}")
    (plan_dir / "plan.csv").write_text("learner,month,organisation,department,buddy,"
                                       "placement,status\n")
    variant = tmp_path / "region" / "variant.yaml"
    variant.write_text("base: tiny.yaml\nchanges: []\n")
    argvs = {
        "validate": ["validate", path],
        "check": ["check", path, str(plan_dir / "plan.csv")],
        "export": ["export", path, "--out", str(tmp_path / "x.xlsx")],
        "solve": ["solve", path, "--out", str(tmp_path / "out"), "--quiet"],
        "explain": ["explain", path],
        "whatif": ["whatif", path, str(variant), "--out", str(tmp_path / "cmp")],
        "plot": ["plot", str(plan_dir), "--scenario", path],
    }
    assert set(argvs) == {n for n, c in _commands().items() if _param(c, "scenario")}
    for name, argv in argvs.items():  # the English message (Dutch by default: test_words)
        code, out, err = run(*argv, "--lang", "en")
        assert code == 1 and "leaves the scenario file's folder" in err, (name, out, err)
        assert "--allow-outside" in err, name
    code, out, err = run("explain", path, "--allow-outside", "--time-limit", "2",
                         "--workers", "1", "--no-suggestions", "--lang", "en")
    assert code in (0, 2) and out.startswith("Explanation: Tiny"), (out, err)  # loaded
