"""`scheduler export`: a scenario as a workbook a coordinator edits comfortably.

The same sheets as any scenario workbook (docs/scenario-format.md#excel-workbook), so it
loads back to the identical scenario, plus what makes editing easy: every column of every
table (empty = default), column widths, a frozen header row and id column, dropdown lists
(data validation) for references (organisation, department, programme, learner, buddy),
sectors, shift kinds, programme kinds and months, a ``toelichting`` (``explanation``)
sheet explaining each column and an explanation next to each key of the ``scenario``
sheet. The lists behind the dropdowns of ids are the id columns of the sheets themselves,
so a row added there appears in them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import Scenario, month_ordinal, ordinal_month
from ..words.messages import Msg
from ..words.notes import HEADINGS, LISTS_SHEET, NOTES_SHEET, note
from .atomic import atomic_write_bytes
from .scenario_io import scenario_tables
from .scenario_schema import TABLE_ORDER, TABLES, CellError
from .xlsx_io import SETTINGS_SHEET, workbook_bytes

STANDARD_SECTORS = ("VVT", "GHZ", "GGZ", "ZKH", "WIJK")
KINDS = ("trainee", "bbl", "hbo_duaal", "bol")
SPARE_ROWS = 500  # dropdowns reach this many rows below the data, for rows added later
MONTHS_BACK = 48  # months before the window in the months list (earlier cohorts)
# (table, column) -> the table whose id column lists the allowed values
REFERENCES = {
    ("departments", "organisation"): "organisations", ("buddies", "department"): "departments",
    ("learners", "programme"): "programmes", ("learners", "home"): "organisations",
    ("pins", "learner"): "learners", ("pins", "department"): "departments",
    ("pins", "buddy"): "buddies",
}  # fmt: skip
LISTS = ("months", "sectors", "kinds", "shifts", "booleans")  # columns A.. of the lists sheet
LISTED = {
    ("organisations", "sector"): "sectors", ("departments", "sector"): "sectors",
    ("departments", "shifts"): "shifts", ("programmes", "kind"): "kinds",
    ("programmes", "distinct_departments"): "booleans", ("learners", "start"): "months",
    ("pins", "month"): "months", ("pins", "from"): "months", ("pins", "to"): "months",
}  # fmt: skip
STRICT = {"shifts", "booleans"}  # other lists warn but accept a new value


class ExportDressing:
    """Widths, frozen panes, dropdowns and notes for :func:`workbook_bytes`."""

    def __init__(self, scenario: Scenario, lang: str) -> None:
        self.lang = lang
        self.rows = {t: len(getattr(scenario, t)) for t in TABLE_ORDER}
        first = min([scenario.calendar.first - MONTHS_BACK]
                    + [month_ordinal(lr.start) for lr in scenario.learners])
        last = scenario.calendar.first + scenario.calendar.months + 12
        sectors = [s for s in STANDARD_SECTORS]
        for org in scenario.organisations:
            if org.sector not in sectors:
                sectors.append(org.sector)
        self.lists: dict[str, list[str]] = {
            "months": [ordinal_month(o) for o in range(first, last)], "sectors": sectors,
            "kinds": list(KINDS), "shifts": ["fixed", "rotating"], "booleans": ["true", "false"]}

    def columns(self, table: str, rows: list[dict[str, Any]]) -> list[str]:  # noqa: ARG002
        return list(TABLES[table])

    def sheet(self, ws: Any, name: str, header: list[str],
              rows: list[list[Any]]) -> tuple[list[Any], list[list[Any]]]:
        from openpyxl.utils import get_column_letter

        if name == SETTINGS_SHEET:
            header = [*header, HEADINGS[self.lang][2]]
            rows = [[*row, note("", str(row[0]), self.lang)] for row in rows]
        for i, column in enumerate(header, start=1):
            longest = max([len(str(column))] + [len(str(r[i - 1])) for r in rows
                                                if i - 1 < len(r) and r[i - 1] is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 9), 60)
        ws.freeze_panes = "A2" if name in (SETTINGS_SHEET, "pins") else "B2"
        _print_setup(ws)
        if name in TABLES:
            self._dropdowns(ws, name, header)
        return [_bold(ws, h) for h in header], rows

    def _dropdowns(self, ws: Any, table: str, header: list[str]) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        last_row = self.rows[table] + 1 + SPARE_ROWS
        for i, column in enumerate(header, start=1):
            source, strict = self._source(table, column)
            if source is None:
                continue
            dv = DataValidation(type="list", formula1=source, allow_blank=True,
                                showErrorMessage=True, errorStyle="stop" if strict else "warning",
                                error=note(table, column, self.lang)[:255])
            letter = get_column_letter(i)
            dv.add(f"{letter}2:{letter}{last_row}")
            ws.data_validations.append(dv)

    def _source(self, table: str, column: str) -> tuple[str | None, bool]:
        if (table, column) in REFERENCES:
            target = REFERENCES[(table, column)]
            return f"{target}!$A$2:$A${self.rows[target] + 1 + SPARE_ROWS}", True
        name = LISTED.get((table, column))
        if name is None:
            return None, False
        letter = "ABCDE"[LISTS.index(name)]
        return (f"'{LISTS_SHEET[self.lang]}'!${letter}$2:${letter}${len(self.lists[name]) + 1}",
                name in STRICT)

    def finish(self, book: Any) -> None:
        sheet, column, meaning, intro = HEADINGS[self.lang]
        notes = book.create_sheet(NOTES_SHEET[self.lang])
        for letter, width in zip("ABC", (16, 30, 90), strict=True):
            notes.column_dimensions[letter].width = width
        notes.freeze_panes = "A3"
        notes.append([intro])
        notes.append([_bold(notes, h) for h in (sheet, column, meaning)])
        for table in TABLE_ORDER:
            for name in TABLES[table]:
                notes.append([table, name, note(table, name, self.lang)])
        lists = book.create_sheet(LISTS_SHEET[self.lang])
        lists.sheet_state = "hidden"
        lists.append(list(LISTS))
        longest = max(len(v) for v in self.lists.values())
        for i in range(longest):
            lists.append([self.lists[n][i] if i < len(self.lists[n]) else None for n in LISTS])


def _print_setup(ws: Any) -> None:
    """A4 landscape, one page wide, the header row on every page."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _bold(ws: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DDDDDD")
    return cell


def export_scenario(scenario: Scenario, out: Path, *, lang: str = "nl") -> None:
    """Write the coordinator's workbook atomically."""
    settings, tables = scenario_tables(scenario)
    try:
        data = workbook_bytes(settings, tables, ExportDressing(scenario, lang))
    except CellError as exc:
        raise InputError(Msg("workbook_unwritable", reason=exc.message), file=str(out)) from None
    atomic_write_bytes(out, data)


__all__ = ["ExportDressing", "export_scenario"]
