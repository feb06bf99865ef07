"""Spreadsheet-injection safe cells (SPEC §6)."""

from __future__ import annotations

from typing import Any

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe.

    Numbers are left alone (a negative number is not a formula); only strings change.
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def unsafe_cell(value: Any) -> Any:
    """Undo :func:`safe_cell` when reading our own files back."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_DANGEROUS):
        return value[1:]
    return value
