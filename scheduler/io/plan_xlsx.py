"""The ``plan`` sheet of ``plan.xlsx``: the plan's rows as ``solve`` wrote them, read back.

Spreadsheet row numbers are the sheet's own (the header is row 1), so a message about
"row 15" points at the row Excel shows as 15.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..words.messages import Msg
from .scenario_schema import CellError
from .xlsx_io import _check_zip

PLAN_SHEET = "plan"
EXPECTED = Msg("plan_expected")  # "give plan.csv or the plan.xlsx that `scheduler solve` wrote"


def plan_sheet_rows(data: bytes, name: str) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The header and the numbered rows of the workbook's ``plan`` sheet."""
    from openpyxl import load_workbook

    try:
        _check_zip(data)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except CellError as exc:
        raise InputError(Msg("plan_xlsx_refused", reason=exc.message, expected=EXPECTED),
                         file=name) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InputError(Msg("plan_xlsx_unreadable", reason=type(exc).__name__,
                             expected=EXPECTED), file=name) from None
    try:
        sheets = {s.strip().lower(): s for s in wb.sheetnames}
        if PLAN_SHEET not in sheets:
            raise InputError(Msg("plan_no_sheet", what=_what(sheets), sheet=PLAN_SHEET,
                                 sheets=", ".join(wb.sheetnames[:8]), expected=EXPECTED),
                             file=name)
        rows = [list(r) for r in wb[sheets[PLAN_SHEET]].iter_rows(values_only=True, max_col=20)]
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet: report, never a traceback
        raise InputError(Msg("xlsx_damaged", reason=type(exc).__name__), file=name) from None
    finally:
        wb.close()
    header = rows[0] if rows else []
    return header, ((n, cells) for n, cells in enumerate(rows[1:], start=2))


def _what(sheets: dict[str, str]) -> str:
    if "scenario" in sheets or "learners" in sheets:
        return Msg("plan_book_scenario")
    return Msg("plan_book")
