"""`scheduler explain --out DIR`: each checked suggestion as a variant file for `whatif`.

The file is a variant file (docs/commands.md#variant-files: ``base``, ``name``,
``description``, ``changes``), with ``base`` relative to the file, so ``scheduler whatif
SCENARIO DIR/suggestie-1.yaml --out CMP`` takes it as it is. A comment at the top says
what the suggestion does and how to try it. Files of an earlier run that this run does not
write again are removed (only files that start with this module's marker line).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .io import atomic_write_text
from .models import month_ordinal
from .words import column
from .words.explain import SENTENCES, jsonable, render

MARKER = "# scheduler explain: suggestion"


def _texts(lang: str) -> dict[str, str]:
    """The variant files' words: ``variant_*`` of words/explain.py without the prefix."""
    return {k.removeprefix("variant_"): v for k, v in column(SENTENCES, lang).items()
            if k.startswith("variant_")}


def _base_ref(scenario_path: Path, folder: Path) -> str:
    target = scenario_path.resolve()
    try:
        return Path(os.path.relpath(target, folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows): absolute
        return str(target)


def variant_text(k: int, text: str, changes: list[dict[str, Any]], base: str,
                 file: str, lang: str) -> str:
    t = _texts(lang)
    doc = {"base": base, "name": t["name"].format(k=k), "description": text,
           "changes": changes}
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=None)
    return (f"{MARKER} {k}\n# {t['try'].format(base=base, file=file)}\n" + body)


def write_variants(suggestions: Sequence[tuple[str, list[dict[str, Any]]]],
                   scenario_path: Path, out: Path, lang: str) -> list[str]:
    """Write each suggestion (its sentence, its changes) into ``out`` as a variant file;
    the lines to print about them."""
    t = _texts(lang)
    if not suggestions:
        return []
    base = _base_ref(scenario_path, out)
    written: set[str] = set()
    lines = []
    for k, (text, changes) in enumerate(suggestions, start=1):
        name = t["file"].format(k=k)
        atomic_write_text(out / name, variant_text(
            k, text, jsonable(changes), base, str(out / name), lang))
        written.add(name)
        lines.append(t["written"].format(k=k, path=out / name))
    for stale in out.glob(t["file"].replace("{k}", "*")):
        if stale.name not in written and _ours(stale):
            stale.unlink()
    return lines


def _ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().startswith(MARKER)
    except (OSError, UnicodeDecodeError):
        return False


def change_text(change: dict[str, Any], lang: str) -> str:
    """A variant operation in words (explain's sentences: `op_<operation>`)."""
    ((op, a),) = change.items()
    p = {k: v for k, v in a.items() if k not in ("from", "to")}
    if "from" in a:
        p["months"] = list(range(month_ordinal(a["from"]), month_ordinal(a["to"]) + 1))
    if op == "set_policy":
        p = {"pct": round(100 * a.get("fair_share_tolerance", 0), 1)}
    key = f"op_{op}"
    if a.get("amount", a.get("count")) == 1:
        key += "_1"
    return render(key, lang, **p)


def hint(lang: str) -> str:
    return _texts(lang)["hint"]


__all__ = ["change_text", "hint", "variant_text", "write_variants"]
