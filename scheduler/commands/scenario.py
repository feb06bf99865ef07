"""The commands on a scenario file itself: ``validate``, ``check`` and ``export``.

The loaders and checks are imported when a command runs: ``scheduler --help`` stays quick."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..words.messages import Msg
from .common import DEFAULT_LANG, scenario_or_default
from .common import err as _err


def validate(path: Path | None = None, *, allow_outside: bool = False,
             lang: str = DEFAULT_LANG) -> int:
    """Schema, references and quick capacity-vs-demand screens; 1 when any error."""
    from ..io import load_scenario
    from ..validate import screen
    from ..words.messages import level_name, say_line, text_of

    path = scenario_or_default(path)
    try:
        scenario = load_scenario(path, allow_outside=allow_outside)
    except InputError:
        _refuse_variant(path)
        raise
    findings = screen(scenario)
    for finding in findings:
        _err(say_line("finding", lang, level=level_name(finding.level, lang),
                      message=text_of(finding.message, lang)))
    errors = [f for f in findings if f.level == "error"]
    print(say_line("validate_summary", lang, path=path, learners=len(scenario.learners),
                   departments=len(scenario.departments),
                   organisations=len(scenario.organisations), errors=len(errors),
                   warnings=len(findings) - len(errors)))
    return 1 if errors else 0


def _refuse_variant(path: Path) -> None:
    """A what-if variant given where a scenario belongs: say what it is and what to run."""
    import os

    from ..io.scenario_schema import CellError, decode_text, read_input_bytes
    from ..io.yaml_reader import load_yaml_text

    if path.suffix.lower() not in (".yaml", ".yml"):
        return
    try:  # a regular file within the size limit only (never a FIFO, never 10 GB)
        doc = load_yaml_text(decode_text(read_input_bytes(path, "scenario file")), str(path))
    except (InputError, CellError):
        return
    if not (isinstance(doc, dict) and "base" in doc and "changes" in doc
            and "scenario" not in doc):
        return
    base = doc["base"] if isinstance(doc["base"], str) else "BASE.yaml"
    shown = base if Path(base).is_absolute() else os.path.normpath(path.parent / base)
    raise InputError(Msg("is_variant", base=base, shown=shown, path=path), file=str(path))


def check(scenario_path: Path, plan_path: Path, *, allow_outside: bool = False,
          lang: str = DEFAULT_LANG) -> int:
    """Re-check a plan against every hard rule (docs/rules.md); 1 when any is broken."""
    from ..check import check_plan
    from ..io import load_scenario, read_plan
    from ..words.messages import say_line

    scenario = load_scenario(scenario_path, allow_outside=allow_outside)
    plan = read_plan(plan_path)
    violations = check_plan(scenario, plan)
    for v in violations:
        print(v.text(lang))
    if violations:
        _err(say_line("check_bad", lang, path=plan_path, n=len(violations)))
        return 1
    print(say_line("check_ok", lang, path=plan_path))
    return 0


def export(path: Path, out: Path, *, lang: str = DEFAULT_LANG, force: bool = False,
           allow_outside: bool = False) -> int:
    """Write SCENARIO as a workbook to edit; it loads back to the identical scenario."""
    from ..io import load_scenario
    from ..io.scenario_export import export_scenario

    if out.suffix.lower() != ".xlsx":
        raise InputError(Msg("export_not_xlsx"), file=str(out))
    if out.exists() and (out.resolve() == path.resolve() or not force):
        why = Msg("export_is_scenario") if out.resolve() == path.resolve() else \
            Msg("export_exists")
        raise InputError(why, file=str(out))
    scenario = load_scenario(path, allow_outside=allow_outside)
    export_scenario(scenario, out, lang=lang)
    if load_scenario(out) != scenario:  # never hand out a workbook that reads differently
        raise InputError(Msg("export_mismatch"), file=str(out))
    print(f"{out}: {len(scenario.learners)} learners, {len(scenario.departments)} departments, "
          f"{len(scenario.organisations)} organisations; edit it and give it to validate, "
          f"solve or whatif as SCENARIO")
    return 0
