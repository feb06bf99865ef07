"""plan.xlsx: the plan as a coordinator opens it in Excel (docs/outputs.md#planxlsx).

Sheets: learners × months (department per cell, coloured by organisation, header row and
id column frozen, filters on), department occupancy, buddy load, fair share and KPIs;
then one sheet per organisation for its team leaders (who, which department, which
months, which buddy), and the ``plan`` sheet: the rows of ``plan.csv``, which ``check``,
``solve --baseline`` and ``compare`` read back. Every sheet prints on A4 landscape, one
page wide, with the header row (and the id column) repeated on every page.
Every text cell goes through :func:`scheduler.io.safe_cell`, so a name like
``=HYPERLINK(...)`` stays text. Written in openpyxl's write-only mode (fast for 5,000
learners).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..io import safe_cell
from ..models import RowStatus, month_ordinal, ordinal_month
from ..plot import palette
from ..words.format import up
from .context import ReportContext
from .printing import pages_wide, print_setup
from .team_sheets import PLAN_SHEET, organisation_sheets, plan_sheet

HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
HEADER_FONT = Font(bold=True)
GREY = PatternFill("solid", fgColor=palette.UNAVAILABLE.lstrip("#"))
OVER = PatternFill("solid", fgColor=palette.tint(palette.OVER_CAPACITY, 0.3).lstrip("#"))
FULL = PatternFill("solid", fgColor=palette.tint("#08519C", 0.55).lstrip("#"))
ITALIC = Font(italic=True)
MAX_SHEET_NAME = 31


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=palette.tint(colour, 0.45).lstrip("#"))


class _Sheet:
    """A write-only sheet with a styled header row, safe text cells and print settings."""

    def __init__(self, wb: Workbook, title: str, header: Sequence[str],
                 widths: Sequence[float] = (), freeze: str | None = "B2",
                 title_cols: str | None = "A:A", page_header: str = "") -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(title[:MAX_SHEET_NAME])
        # write-only sheets write their views and columns with the first row: set them now
        if freeze:
            self.ws.freeze_panes = freeze
        n_titles = column_index_from_string(title_cols.split(":")[1]) if title_cols else 0
        titles = sum(widths[:n_titles])
        print_setup(self.ws, title_cols=title_cols, header=page_header or title,
                    wide=pages_wide(widths, titles))
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.columns = len(header)
        self.rows = 1
        self._styles: dict[tuple[int, int], tuple[Any, Any, Any]] = {}
        self.ws.append([self.cell(h, fill=HEADER_FILL, font=HEADER_FONT) for h in header])

    def cell(self, value: Any, *, fill: PatternFill | None = None,
             font: Font | None = None) -> Cell:
        """A cell with a safe value; styles are looked up once per (fill, font) and then
        copied (setting them per cell hashes the style objects: a third of the time)."""
        c = WriteOnlyCell(self.ws, value=safe_cell(value))
        if fill is None and font is None:
            return c
        key = (id(fill), id(font))
        style = self._styles.get(key)
        if style is None:
            if fill is not None:
                c.fill = fill
            if font is not None:
                c.font = font
            self._styles[key] = (copy(c._style), fill, font)  # keep fill/font alive
        else:
            c._style = copy(style[0])
        return c

    def append(self, values: Iterable[Any]) -> None:
        self.ws.append([v if isinstance(v, Cell) else safe_cell(v) for v in values])
        self.rows += 1

    def finish(self, autofilter: bool = True) -> None:
        if autofilter and self.rows > 1:
            self.ws.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{self.rows}"


def _month_headers(ctx: ReportContext) -> list[str]:
    return [ordinal_month(o) for o in ctx.months]


def _learners_sheet(wb: Workbook, ctx: ReportContext) -> None:
    t = ctx.text
    names = ctx.show_names
    fixed = [t["learner"]] + ([t["name"]] if names else []) + [
        t["programme"], t["home"], t["start"], t["status"], t["reason"]]
    sheet = _Sheet(wb, t["sheet_learners"], fixed + _month_headers(ctx),
                   [10] + ([22] if names else []) + [12, 12, 9, 14, 30] + [11] * len(ctx.months),
                   freeze=f"{get_column_letter(len(fixed) + 1)}2",
                   title_cols="A:B" if names else "A:A")
    colours = palette.organisation_colours(ctx.scenario.organisations)
    fills = {o: _fill(c) for o, c in colours.items()}
    first = ctx.months.start
    for learner in ctx.scenario.learners:
        rows = ctx.plan.by_learner.get(learner.id)
        if not rows:
            continue
        unplaced = any(r.status is RowStatus.UNPLACED for r in rows)
        rule, reason = ctx.reasons.get(learner.id, ("", ""))
        cells: list[Any] = [learner.id] + ([ctx.name(learner.id)] if names else []) + [
            learner.programme, learner.home or "", learner.start,
            t["unplaced"] if unplaced else t["placed"],
            f"{t.rule(rule)}: {reason}" if rule else ""]
        months: list[Any] = [None] * len(ctx.months)
        for r in rows:
            j = month_ordinal(r.month) - first
            if r.status is RowStatus.PLACED:
                away = learner.home is not None and r.organisation != learner.home
                months[j] = sheet.cell(r.department, fill=fills.get(r.organisation),
                                       font=ITALIC if away else None)
            elif r.status is RowStatus.UNAVAILABLE:
                months[j] = sheet.cell(r.department, fill=GREY)
        sheet.append(cells + months)
    sheet.finish()


def _occupancy_sheet(wb: Workbook, ctx: ReportContext) -> None:
    t = ctx.text
    occ = ctx.occupancy
    sheet = _Sheet(wb, t["sheet_occupancy"],
                   [t["department"], t["organisation"], t["shifts"], t["measure"]]
                   + _month_headers(ctx), [14, 12, 16, 18] + [9] * len(ctx.months), freeze="E2")
    shifts = {d.id: t[d.shifts.value] for d in ctx.scenario.departments}
    for i, dept in enumerate(occ.departments):
        head = [dept, occ.organisation_of[dept], shifts[dept]]
        present = []
        for j in range(len(occ.months)):
            p, c = int(occ.present[i, j]), int(occ.capacity[i, j])
            b = int(occ.buddy_capacity[i, j])
            fill = OVER if p > min(c, b) else FULL if p and p == min(c, b) else None
            present.append(sheet.cell(p, fill=fill))
        sheet.append(head + [t["m_present"]] + present)
        sheet.append(head + [t["m_capacity"]] + [int(v) for v in occ.capacity[i]])
        sheet.append(head + [t["m_buddy_capacity"]] + [int(v) for v in occ.buddy_capacity[i]])
    sheet.finish()


def _buddy_sheet(wb: Workbook, ctx: ReportContext) -> None:
    t = ctx.text
    load = ctx.buddy_load
    dept_of = {b.id: b.department for b in ctx.scenario.buddies}
    org_of = {d.id: d.organisation for d in ctx.scenario.departments}
    sheet = _Sheet(wb, t["sheet_buddies"],
                   [t["buddy"], t["department"], t["organisation"], t["max_learners"]]
                   + _month_headers(ctx), [16, 14, 12, 10] + [9] * len(ctx.months))
    for i, buddy in enumerate(load.buddies):
        cells: list[Any] = []
        for j in range(len(load.months)):
            n = int(load.load[i, j])
            if load.unavailable[i, j] and not n:
                cells.append(sheet.cell(t["absent"], fill=GREY))
            elif n > load.maximum[i] or (n and load.unavailable[i, j]):
                cells.append(sheet.cell(n, fill=OVER))
            else:
                cells.append(n)
        dept = dept_of[buddy]
        sheet.append([buddy, dept, org_of.get(dept, ""), load.maximum[i]] + cells)
    sheet.finish()


def _fair_sheet(wb: Workbook, ctx: ReportContext) -> None:
    t = ctx.text
    fs = ctx.fair_share
    names = {o.id: o.name for o in ctx.scenario.organisations}
    sheet = _Sheet(wb, t["sheet_fair"], [
        t["organisation"], t["name"], t["fair_fte"], t["fair_target_col"], t["fair_hosted_col"],
        t["fair_dev_col"], t["fair_rate_col"], t["fair_quota_col"]],
        [12, 30, 10, 16, 12, 12, 18, 16])
    for i, org in enumerate(fs.organisations):
        sheet.append([org, names[org], float(fs.fte[i]), round(float(fs.target[i]), 2),
                      int(fs.hosted[i]), round(float(fs.hosted[i] - fs.target[i]), 2),
                      round(float(fs.rate_per_100_fte[i]), 2),
                      round(float(fs.fte[i]) * fs.quota / 100.0, 1)])
    sheet.finish()


def kpi_rows(ctx: ReportContext) -> list[tuple[str, Any]]:
    """(label, value) pairs of the KPI summary, shared with the HTML page."""
    t, k = ctx.text, ctx.kpis
    counts = k.get("counts") or {}
    prefs = k.get("preferences") or {}
    fair = k.get("fair_share") or {}
    travel = k.get("travel") or {}
    return [
        (t["scenario"], k.get("scenario") or ctx.scenario.name),
        (t["kpi_placed"], f"{counts.get('placed', '?')} / {counts.get('learners', '?')}"),
        (t["kpi_unplaced"], counts.get("unplaced", len(ctx.reasons))),
        (t["kpi_first_choice"], t.pct(prefs.get("first_choice_pct"))),
        (t["kpi_any_preference"], t.pct(prefs.get("any_preference_pct"))),
        (t["kpi_fair_dev"], t.pct(fair.get("max_abs_deviation_pct"))),
        (t["kpi_travel"], t("kpi_travel_value", mean=t.num(travel.get("mean_km_per_placement")),
                            max=t.num(travel.get("max_km")))),
        (t["kpi_buddy_changes"], k.get("buddy_changes", 0)),
        (t["kpi_quality"], quality_line(ctx)),
    ]


NEAR_GAP = 0.001  # "practically as good as the best possible plan"
WITHIN_GAP = 0.05  # up to here the gap is said in words; beyond it the bound is too loose


def quality_line(ctx: ReportContext) -> str:
    """The plan's quality in plain words: how many are placed against the most any plan can
    place, then how close the rest is to the best possible plan (the solver's figures are
    in ``detail_rows``)."""
    t, k = ctx.text, ctx.kpis
    status = k.get("status")
    if status == "optimal":
        return t["quality_optimal"]
    counts = k.get("counts") or {}
    placed, learners = counts.get("placed"), counts.get("learners")
    upper = k.get("placed_upper_bound")
    if placed is not None and placed == learners:
        first = t["quality_all_placed"]
    elif placed is not None and upper is not None and placed >= upper:
        first = t["quality_most_placed"]
    elif upper is not None and learners is not None:
        first = t("quality_placed_upper", upper=t.num(upper, 0), learners=t.num(learners, 0))
    else:
        first = t("quality_placed", placed=t.num(placed or 0, 0),
                  learners=t.num(learners or 0, 0))
    if status == "interrupted":
        return f"{t['quality_interrupted']} {first}"
    gap = k.get("gap")
    if gap is not None and float(gap) <= NEAR_GAP:
        rest = t["quality_near"]
    elif gap is not None and float(gap) <= WITHIN_GAP:
        rest = t("quality_within", pct=t.pct(up(100 * float(gap))))
    else:
        rest = t["quality_unknown"]
    return f"{first} {rest}"


def detail_rows(ctx: ReportContext) -> list[tuple[str, str]]:
    """The solver's figures for the details part (report.html and the KPI sheet)."""
    t, k = ctx.text, ctx.kpis
    solver = k.get("solver") or {}
    parameters = solver.get("parameters") or {}
    gap = k.get("gap")
    return [
        (t["detail_status"], t.status(k.get("status"))),
        (t["detail_objective"], _num(ctx, k.get("objective"), 2)),
        (t["detail_bound"], _num(ctx, k.get("bound"), 2)),
        (t["detail_bound_source"], str(k.get("bound_source") or "–")),
        (t["detail_gap"], "–" if gap is None else t.pct(100 * float(gap), 2)),
        (t["detail_placed_upper"], _num(ctx, k.get("placed_upper_bound"), 0)),
        (t["detail_placed_source"], str(k.get("placed_bound_source") or "–")),
        (t["detail_build"], _num(ctx, k.get("build_seconds"), 1)),
        (t["detail_solve"], _num(ctx, k.get("solve_seconds"), 1)),
        (t["detail_solver"], " ".join(str(v) for v in (
            solver.get("name"), solver.get("ortools"), solver.get("cp_sat_status")) if v)
         or "–"),
        (t["detail_time_limit"], _num(ctx, parameters.get("time_limit"), 0)),
        (t["detail_workers"], _num(ctx, parameters.get("workers"), 0)),
    ]


def _num(ctx: ReportContext, value: Any, digits: int) -> str:
    return ctx.text.num(float(value), digits) if isinstance(value, int | float) else "–"


def _kpi_sheet(wb: Workbook, ctx: ReportContext) -> None:
    t = ctx.text
    sheet = _Sheet(wb, t["sheet_kpis"], [t["kpi"], t["value"]], [44, 70], freeze=None,
                   title_cols=None)
    for label, value in kpi_rows(ctx):
        sheet.append([label, value])
    if ctx.reasons:
        sheet.append([])
        sheet.append([sheet.cell(t["unplaced_section"], font=HEADER_FONT)])
        for learner, (rule, reason) in sorted(ctx.reasons.items()):
            sheet.append([learner, f"{t.rule(rule)}: {reason}"])
    sheet.append([])
    sheet.append([sheet.cell(t["details_section"], font=HEADER_FONT)])
    for label, value in detail_rows(ctx):
        sheet.append([label, value])
    sheet.append([])
    sheet.append([t["legend_sheet"]])
    sheet.finish(autofilter=False)


def workbook_bytes(ctx: ReportContext) -> bytes:
    """The whole workbook as bytes (written atomically by the caller)."""
    wb = Workbook(write_only=True)
    _learners_sheet(wb, ctx)
    _occupancy_sheet(wb, ctx)
    _buddy_sheet(wb, ctx)
    _fair_sheet(wb, ctx)
    _kpi_sheet(wb, ctx)
    used = {ws.title.lower() for ws in wb.worksheets} | {PLAN_SHEET}
    organisation_sheets(wb, ctx, used)
    plan_sheet(wb, ctx)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


__all__ = ["detail_rows", "kpi_rows", "quality_line", "workbook_bytes"]
