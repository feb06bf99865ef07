"""Months as ``YYYY-MM`` strings, their integer ordinals, and the planning calendar."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ..words.messages import Msg
from .base import Frozen

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value: Any) -> str:
    """Normalise a month given as ``YYYY-MM`` (or a date) to ``YYYY-MM``; raise ValueError."""
    if isinstance(value, _dt.date):  # datetime is a date too (Excel cells)
        return f"{value.year:04d}-{value.month:02d}"
    if not isinstance(value, str):
        raise ValueError(Msg("month_expected", value=repr(value)))
    text = value.strip()
    match = _MONTH_RE.match(text)
    if not match:
        # Excel/YAML sometimes give a full date: 2027-09-01
        full = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
        if not full:
            raise ValueError(Msg("month_not", text=text))
        match = full
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(Msg("month_number", text=text, month=month))
    if not 1900 <= year <= 2999:
        raise ValueError(Msg("month_year", text=text, year=year))
    return f"{year:04d}-{month:02d}"


Month = Annotated[str, BeforeValidator(parse_month)]


def month_ordinal(month: str) -> int:
    """``YYYY-MM`` → months since year 0 (an integer that orders and subtracts)."""
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def ordinal_month(ordinal: int) -> str:
    """Inverse of :func:`month_ordinal`."""
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


def add_months(month: str, n: int) -> str:
    return ordinal_month(month_ordinal(month) + n)


def parse_month_set(items: Any) -> tuple[str, ...]:
    """Months and inclusive ranges ``YYYY-MM/YYYY-MM`` → sorted tuple of single months."""
    if items is None or items == "":
        return ()
    if isinstance(items, (str, _dt.date)):
        items = [items]
    months: set[int] = set()
    for item in items:
        if isinstance(item, str) and "/" in item:
            first, last = (parse_month(part) for part in item.split("/", 1))
            a, b = month_ordinal(first), month_ordinal(last)
            if b < a:
                raise ValueError(Msg("range_backwards", item=item))
            if b - a > 1200:
                raise ValueError(Msg("range_too_long", item=item))
            months.update(range(a, b + 1))
        else:
            months.add(month_ordinal(parse_month(item)))
    return tuple(ordinal_month(o) for o in sorted(months))


MonthSet = Annotated[tuple[str, ...], BeforeValidator(parse_month_set)]


class Calendar(Frozen):
    """The planning window: ``months`` months from ``start``."""

    start: Month
    months: int = Field(gt=0, le=240)

    @property
    def first(self) -> int:
        """Ordinal of the first month of the window."""
        return month_ordinal(self.start)

    @property
    def end(self) -> int:
        """Ordinal one past the last month of the window."""
        return self.first + self.months

    def month_list(self) -> list[str]:
        return [ordinal_month(o) for o in range(self.first, self.end)]
