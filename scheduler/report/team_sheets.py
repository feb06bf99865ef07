"""plan.xlsx sheets beyond the overview: one per organisation, and the ``plan`` sheet.

An organisation's sheet is what its team leaders need on paper: who is with us, in which
department, from which month to which, with which buddy. One row per stay: consecutive
months of one learner in one department with one buddy (a buddy change or an unavailable
month starts a new row). The ``plan`` sheet holds the rows of ``plan.csv`` with the same
column names, so an edited ``plan.xlsx`` can be checked and used as a baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..io import plan_cells, safe_cell
from ..models import PLAN_COLUMNS, PlanRow, RowStatus, month_ordinal
from .context import ReportContext
from .printing import print_setup

PLAN_SHEET = "plan"  # read back by scheduler.io.read_plan; the same in every language
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
HEADER_FONT = Font(bold=True)


@dataclass(frozen=True)
class Stay:
    """Consecutive months of one learner in one department with one buddy."""

    learner: str
    department: str
    buddy: str
    first: str
    last: str
    months: int
    unavailable: bool


def stays(rows: list[PlanRow]) -> list[Stay]:
    """A learner's rows (any order) as stays; unplaced months are left out."""
    out: list[Stay] = []
    current: list[PlanRow] = []

    def close() -> None:
        if current:
            head = current[0]
            out.append(Stay(head.learner, head.department, head.buddy, head.month,
                            current[-1].month, len(current),
                            head.status is RowStatus.UNAVAILABLE))
            current.clear()

    for r in sorted(rows, key=lambda r: r.month):
        if current and (_key(r) != _key(current[-1]) or
                        month_ordinal(r.month) != month_ordinal(current[-1].month) + 1):
            close()
        if r.status is not RowStatus.UNPLACED:
            current.append(r)
    close()
    return out


def _key(r: PlanRow) -> tuple[str, str, RowStatus, int]:
    return (r.department, r.buddy, r.status, r.placement)


def sheet_name(wanted: str, used: set[str]) -> str:
    """A valid, unused sheet name (Excel: at most 31 characters, no []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("-", wanted).strip("'") or "-"
    name, n = base[:MAX_SHEET_NAME], 1
    while name.lower() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    used.add(name.lower())
    return name


def _header(ws: Any, values: list[str]) -> None:
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for v in values:
        c = WriteOnlyCell(ws, value=safe_cell(v))
        c.fill, c.font = HEADER_FILL, HEADER_FONT
        cells.append(c)
    ws.append(cells)


def organisation_sheets(wb: Workbook, ctx: ReportContext, used: set[str]) -> None:
    """One sheet per organisation that hosts anyone, in the scenario's order."""
    t = ctx.text
    dept_org = {d.id: d.organisation for d in ctx.scenario.departments}
    by_org: dict[str, list[Stay]] = {}
    for rows in ctx.plan.by_learner.values():
        for stay in stays(rows):
            by_org.setdefault(dept_org.get(stay.department, ""), []).append(stay)
    names = ctx.show_names
    header = [t["department"], t["learner"]] + ([t["name"]] if names else []) + [
        t["programme"], t["home"], t["from_month"], t["to_month"], t["months_col"],
        t["buddy"], t["remark"]]
    widths = [14, 10] + ([22] if names else []) + [12, 12, 10, 12, 10, 16, 22]
    for org in ctx.scenario.organisations:
        org_stays = sorted(by_org.get(org.id, []),
                           key=lambda s: (s.department, s.first, s.learner))
        if not org_stays:
            continue
        ws = wb.create_sheet(sheet_name(org.id, used))
        ws.freeze_panes = "A2"
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        print_setup(ws, title_cols=None,
                    header=t("org_sheet_header", name=org.name, id=org.id))
        _header(ws, header)
        for s in org_stays:
            learner = ctx.scenario.learner.get(s.learner)
            ws.append([safe_cell(v) for v in [s.department, s.learner]
                       + ([ctx.name(s.learner)] if names else [])
                       + [learner.programme if learner else "",
                          (learner.home or "") if learner else "",
                          t.month(s.first, year=True), t.month(s.last, year=True), s.months,
                          s.buddy, t["unavailable"] if s.unavailable else ""]])
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(org_stays) + 1}"


def plan_sheet(wb: Workbook, ctx: ReportContext) -> None:
    """The rows of plan.csv, machine-readable (English column names, as in plan.csv)."""
    ws = wb.create_sheet(PLAN_SHEET)
    ws.freeze_panes = "A2"
    for i, w in enumerate([10, 9, 12, 14, 14, 9, 12], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    print_setup(ws, title_cols=None, header=PLAN_SHEET, landscape=False)
    _header(ws, list(PLAN_COLUMNS))
    n = 0
    for cells in plan_cells(ctx.plan):
        ws.append(cells)
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(PLAN_COLUMNS))}{n + 1}"


__all__ = ["PLAN_SHEET", "Stay", "organisation_sheets", "plan_sheet", "sheet_name", "stays"]
