"""Print settings of the workbook sheets: what a coordinator gets on paper (A4)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

# Column-width units (about one character of Calibri 11) that fit across A4 landscape at a
# print scale of about 75 %, i.e. text of about 8 pt on paper (portrait: about 0.7 of it).
PAGE_WIDTH_UNITS = 190


def pages_wide(widths: Sequence[float], title_widths: float = 0.0,
               landscape: bool = True) -> int:
    """How many pages across a sheet of these column widths needs to stay legible: one
    when it fits, otherwise blocks of columns with the title columns repeated on each."""
    page = PAGE_WIDTH_UNITS * (1.0 if landscape else 0.7)
    rest = sum(widths) - title_widths
    return max(1, math.ceil(rest / max(page - title_widths, 1.0)))


def print_setup(ws: Any, *, title_cols: str | None = "A:A", header: str = "",
                landscape: bool = True, wide: int = 1) -> None:
    """Print settings: A4, landscape, ``wide`` pages across (1 = fit to the page width;
    as many pages down as the rows need), the header row and the id column(s) repeated
    on every page, a page header and page numbers."""
    ws.page_setup.paperSize = 9  # A4 (ECMA-376 paper size code)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = wide
    ws.page_setup.fitToHeight = 0  # 0 = as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if header:
        ws.oddHeader.center.text = header.replace("&", "&&")
    ws.oddFooter.right.text = "&P / &N"
