"""Reading and writing the plan: ``plan.csv``, and the ``plan`` sheet of ``plan.xlsx``.

The format is in docs/outputs.md#plancsv.

One reader, :func:`read_plan`, serves ``check``, ``solve --baseline`` and ``compare``. It
takes ``plan.csv`` as ``solve`` writes it, the CSV dialects Dutch Excel saves (``;`` as
separator, a UTF-8 byte-order mark, or Windows-1252 text) and the ``plan.xlsx`` that
``solve`` writes (its ``plan`` sheet holds the same columns as ``plan.csv``). A file that
is something else (a scenario, a table, ``kpis.json``) gets a message saying what it is
and what is expected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, InputIssue
from ..models import PLAN_COLUMNS, Plan, PlanRow
from ..words.messages import Msg
from .atomic import atomic_write_text
from .safe import safe_cell, unsafe_cell
from .scenario_build import friendly
from .scenario_schema import CellError, decode_text, read_input_bytes, short

MAX_PLAN_ROWS = 2_000_000
MAX_PLAN_BYTES = 200 * 1024 * 1024  # 2,000,000 rows of ~100 characters
TEXT_COLUMNS = ("learner", "organisation", "department", "buddy", "status")
EXPECTED = Msg("plan_expected")  # "give plan.csv or the plan.xlsx that `scheduler solve` wrote"


def plan_to_csv_text(plan: Plan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLAN_COLUMNS)
    for cells in plan_cells(plan):
        writer.writerow(cells)
    return buffer.getvalue()


def plan_cells(plan: Plan) -> Iterator[list[Any]]:
    """The rows of ``plan.csv`` (and of the ``plan`` sheet), sorted, text cells made safe."""
    for r in sorted(plan.rows, key=lambda r: (r.learner, r.month)):
        yield [safe_cell(r.learner), r.month, safe_cell(r.organisation),
               safe_cell(r.department), safe_cell(r.buddy), r.placement, r.status.value]


def write_plan_csv(plan: Plan, path: str | Path) -> None:
    atomic_write_text(path, plan_to_csv_text(plan))


def read_plan(path: str | Path) -> Plan:
    """Read a plan file (also a hand-edited one); every bad row is reported, exit 1."""
    path = Path(path)
    name = str(path)
    data = _plan_bytes(path, name)
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        from .plan_xlsx import plan_sheet_rows

        header, rows = plan_sheet_rows(data, name)
        return _plan_rows(name, header, rows)
    try:
        text = decode_text(data)
    except CellError:
        raise InputError(Msg("plan_not_text", expected=EXPECTED), file=name) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        return _plan_rows(name, header, enumerate(reader, start=1), text=text)
    except csv.Error as exc:  # e.g. a cell over the csv module's field limit
        raise InputError(InputIssue(name, Msg("plan_csv_unreadable", line=reader.line_num,
                                              reason=str(exc)), table="plan")) from None


read_plan_csv = read_plan  # the name every caller knew; the same reader


def _plan_bytes(path: Path, name: str) -> bytes:
    if path.is_dir():
        raise InputError(Msg("plan_folder", expected=EXPECTED, example=path / "plan.csv"),
                         file=name)
    try:  # a regular file, read with a bounded read: never a FIFO or /dev/zero
        return read_input_bytes(path, "plan file", limit=MAX_PLAN_BYTES)
    except CellError as exc:
        raise InputError(exc.message, file=name) from None


def what_it_is(header: list[str], text: str = "") -> str | None:
    """What a file that is no plan is, when it is recognisably something else."""
    from .scenario_schema import TABLES

    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return Msg("kind.json")
    if "base:" in text and "changes:" in text:
        return Msg("kind.variant")
    if re.search(r"^(scenario|calendar|organisations|learners):", text, re.MULTILINE):
        return Msg("kind.scenario")
    columns = {h for h in header if h}
    for table, known in TABLES.items():
        if "id" in columns and columns <= set(known):
            return Msg("kind.table", table=table)
    return None


def _plan_rows(name: str, header: list[Any],
               rows: Iterable[tuple[int, list[Any]]], text: str = "") -> Plan:
    header = [str(h).strip().lower() if h is not None else "" for h in header]
    missing = [c for c in PLAN_COLUMNS if c not in header]
    if missing:
        kind = what_it_is(header, text)
        if kind and not (isinstance(kind, Msg) and kind.key == "kind.table"):
            raise InputError(Msg("plan_is_other", kind=kind, expected=EXPECTED), file=name)
        found = ", ".join(h for h in header[:8] if h) or Msg("none_found")
        lacking = Msg("plan_missing_columns", columns=", ".join(missing), found=found,
                      expected=EXPECTED)
        raise InputError(InputIssue(
            name, Msg("plan_other_missing", kind=kind, missing=lacking) if kind else lacking,
            table="plan"))
    index = {c: header.index(c) for c in PLAN_COLUMNS}
    plan_rows: list[PlanRow] = []
    issues: list[InputIssue] = []
    for number, cells in rows:
        if len(plan_rows) + len(issues) >= MAX_PLAN_ROWS:
            issues.append(InputIssue(name, Msg("too_many_rows", n=MAX_PLAN_ROWS), table="plan"))
            break
        if all(_blank(c) for c in cells):
            continue
        data = {k: _cell(k, cells[i]) if i < len(cells) else "" for k, i in index.items()}
        try:
            plan_rows.append(PlanRow.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"])
                issues.append(InputIssue(name, _row_message(field, err), table="plan", row=number,
                                         id=str(data["learner"]), field=field))
    if issues:
        raise InputError(issues)
    return Plan(rows=tuple(plan_rows))


def _row_message(field: str, err: Any) -> str:
    """A bad cell of a plan row in plain words (a month as the calendar says it)."""
    if field in ("placement", "status") and err.get("type") != "missing":
        return Msg("must_be_got", hint=Msg(f"plan_hint.{field}"), value=short(err.get("input")))
    return friendly(err)[1]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(column: str, value: Any) -> Any:
    """A cell as the model takes it: text stripped and un-escaped; Excel's numbers in a
    text column (an id typed as ``1001``) as text, whole floats (``2.0``) as ints; dates
    (a month Excel turned into a date) as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unsafe_cell(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and column in TEXT_COLUMNS:
        return str(value)
    return value
