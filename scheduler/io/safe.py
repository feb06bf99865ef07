"""Spreadsheet-injection safe cells (docs/outputs.md#safe-cells)."""

from __future__ import annotations

from typing import Any

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    """Starts, after any leading apostrophes, with a character a spreadsheet evaluates."""
    return text.lstrip("'").startswith(_DANGEROUS)


def safe_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe.

    Numbers are left alone (a negative number is not a formula); only strings change.
    Text like ``'=1`` (already an apostrophe, then ``=``) gets one more, so that
    :func:`unsafe_cell` gives back exactly what was written.
    """
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def unsafe_cell(value: Any) -> Any:
    """Undo :func:`safe_cell` when reading our own files back (one apostrophe less)."""
    if isinstance(value, str) and value.startswith("'") and _formula_like(value):
        return value[1:]
    return value
