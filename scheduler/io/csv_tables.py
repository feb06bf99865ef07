"""Scenario tables as CSV files: reading them into raw rows, writing them from models.

A table file has a header row with the column names of docs/scenario-format.md. The
separator is ``,``; a file whose header holds ``;`` but no ``,`` (Dutch Excel's "CSV") is
read with ``;`` (list cells must then be quoted). Cells are read as text;
:mod:`.scenario_schema` coerces them. Text cells are written spreadsheet-injection safe
and read back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..words.messages import Msg, count
from .safe import safe_cell, unsafe_cell
from .scenario_schema import (
    MAX_COLUMNS,
    MAX_TABLE_ROWS,
    TABLES,
    CellError,
    Kind,
    decode_text,
    read_input_bytes,
)

csv.field_size_limit(1_000_000)


@dataclass
class RawTable:
    """One table as read: rows with their 1-based row numbers, and what went wrong."""

    name: str
    file: str
    rows: list[tuple[int, Any]] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (row, message)


def header_problems(table: str, header: list[str]) -> list[str]:
    """Unknown, duplicate or empty column names in a table's header."""
    out: list[str] = []
    known = TABLES[table]
    unknown = [h for h in header if h and h not in known]
    if unknown:
        out.append(Msg("unknown_columns", columns=", ".join(repr(u) for u in unknown),
                       table=table, known=", ".join(known)))
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            out.append(Msg("column_twice", column=h))
        seen.add(h)
    return out


def read_csv_table(path: Path, file: str, table: str) -> RawTable:
    """Read one CSV table file; problems are collected, never raised."""
    raw = RawTable(table, file)
    try:
        text = decode_text(read_input_bytes(path, "CSV file"))
    except CellError as exc:
        raw.problems.append((None, exc.message))
        return raw
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raw.problems.append((None, Msg("csv_empty", columns=", ".join(TABLES[table]))))
            return raw
        header = [h.strip().lower() for h in header[: MAX_COLUMNS + 1]]
        if len(header) > MAX_COLUMNS:
            raw.problems.append((None, Msg("too_many_columns", n=MAX_COLUMNS)))
            return raw
        raw.problems.extend((None, p) for p in header_problems(table, header))
        for number, cells in enumerate(reader, start=1):
            if number > MAX_TABLE_ROWS:
                raw.problems.append((None, Msg("too_many_rows", n=count(MAX_TABLE_ROWS))))
                break
            _add_row(raw, number, header, cells)
    except csv.Error as exc:
        raw.problems.append((None, Msg("csv_unreadable", reason=str(exc))))
    return raw


def _add_row(raw: RawTable, number: int, header: list[str], cells: list[str]) -> None:
    if not any(c.strip() for c in cells):
        return  # blank line: skipped, still counted
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
        raw.problems.append((number, Msg("row_too_long", cells=len(cells),
                                         columns=len(header))))
    known = TABLES[raw.name]
    row = {h: unsafe_cell(c.strip()) for h, c in zip(header, cells, strict=False) if h in known}
    raw.rows.append((number, row))


# ----- writing --------------------------------------------------------------------------
def cell_text(kind: Kind, value: Any) -> Any:
    """A model value (JSON mode) as one cell: lists ``;``-joined, maps ``m=n;…``."""
    if value is None:
        return ""
    if kind is Kind.MONTH_MAP:
        return ";".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return safe_cell(";".join(_scalar_text(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _scalar_text(value)
    return safe_cell(str(value))


def _scalar_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def used_columns(table: str, rows: Iterable[dict[str, Any]]) -> list[str]:
    present: set[str] = set()
    for row in rows:
        present.update(row)
    return [c for c in TABLES[table] if c in present]


def csv_table_text(table: str, rows: list[dict[str, Any]]) -> str:
    columns = used_columns(table, rows) or list(TABLES[table])
    kinds = TABLES[table]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(kinds[c], row.get(c)) for c in columns])
    return buffer.getvalue()
