"""Reading and writing ``plan.csv`` (SPEC §6)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, InputIssue
from ..models import PLAN_COLUMNS, Plan, PlanRow
from .atomic import atomic_write_text
from .safe import safe_cell, unsafe_cell
from .scenario_schema import CellError, read_input_bytes

MAX_PLAN_ROWS = 2_000_000
MAX_PLAN_BYTES = 200 * 1024 * 1024  # 2,000,000 rows of ~100 characters


def plan_to_csv_text(plan: Plan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLAN_COLUMNS)
    for r in sorted(plan.rows, key=lambda r: (r.learner, r.month)):
        writer.writerow(
            [
                safe_cell(r.learner),
                r.month,
                safe_cell(r.organisation),
                safe_cell(r.department),
                safe_cell(r.buddy),
                r.placement,
                r.status.value,
            ]
        )
    return buffer.getvalue()


def write_plan_csv(plan: Plan, path: str | Path) -> None:
    atomic_write_text(path, plan_to_csv_text(plan))


def read_plan_csv(path: str | Path) -> Plan:
    """Read a plan file (also a hand-edited one); every bad row is reported, exit 1."""
    path = Path(path)
    name = str(path)
    try:  # a regular file, read with a bounded read: never a FIFO or /dev/zero
        text = read_input_bytes(path, "plan file", limit=MAX_PLAN_BYTES).decode("utf-8-sig")
    except CellError as exc:
        raise InputError(str(exc), file=name) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read plan file as UTF-8 text ({exc})", file=name) from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _plan_rows(name, reader)
    except csv.Error as exc:  # e.g. a cell over the csv module's field limit
        line = reader.reader.line_num
        raise InputError(InputIssue(name, f"not a readable CSV file at line {line} ({exc})",
                                    table="plan")) from None


def _plan_rows(name: str, reader: csv.DictReader) -> Plan:
    missing = [c for c in PLAN_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            InputIssue(name, f"missing column(s): {', '.join(missing)}", table="plan")
        )
    rows: list[PlanRow] = []
    issues: list[InputIssue] = []
    for number, raw in enumerate(reader, start=1):
        if number > MAX_PLAN_ROWS:
            issues.append(InputIssue(name, f"more than {MAX_PLAN_ROWS} rows", table="plan"))
            break
        data = {k: unsafe_cell((raw.get(k) or "").strip()) for k in PLAN_COLUMNS}
        try:
            rows.append(PlanRow.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"])
                issues.append(
                    InputIssue(name, err["msg"], table="plan", row=number,
                               id=data["learner"], field=field)
                )
    if issues:
        raise InputError(issues)
    return Plan(rows=tuple(rows))
