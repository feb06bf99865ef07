"""Print settings of the workbook sheets: what a coordinator gets on paper (A4)."""

from __future__ import annotations

from typing import Any


def print_setup(ws: Any, *, title_cols: str | None = "A:A", header: str = "",
                landscape: bool = True) -> None:
    """Print settings: A4, landscape, one page wide (as many pages down as needed), the
    header row and the id column(s) repeated on every page, a page header and numbers."""
    ws.page_setup.paperSize = 9  # A4 (ECMA-376 paper size code)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0 = as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if header:
        ws.oddHeader.center.text = header.replace("&", "&&")
    ws.oddFooter.right.text = "&P / &N"
