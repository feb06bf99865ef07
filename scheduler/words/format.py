"""Numbers, percentages, months and lists as each language writes them.

Dutch writes ``1.234,5`` and ``66,7 %``; English ``1,234.5`` and ``66.7 %``. Months stay
``YYYY-MM`` in every sentence that names them for a tool or a file (ids stay ids); the short
month names are for the pictures and tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from . import LANGUAGES, check_lang

DASH = "–"  # no value

MONTH_NAMES = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
AND = {"nl": "en", "en": "and"}
AND_MORE = {"nl": "{items} en {n} meer", "en": "{items} and {n} more"}
MAX_IDS = 8  # ids listed in one sentence before "and N more"


def num(value: float | None, lang: str = "nl", digits: int = 1, *, sign: bool = False) -> str:
    """``1234.5`` → ``1.234,5`` (nl) or ``1,234.5`` (en), ``digits`` after the comma."""
    if value is None:
        return DASH
    text = f"{value:{'+' if sign else ''},.{digits}f}"
    if check_lang(lang) == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def up(value: float, digits: int = 1) -> float:
    """``value`` rounded up at ``digits`` decimals: an "at most" or "within" stays true
    (1.48 → 2 with no decimals, not 1)."""
    scale = 10 ** digits
    return math.ceil(value * scale - 1e-9) / scale


def pct(value: float | None, lang: str = "nl", digits: int = 1, *, sign: bool = False) -> str:
    """``66.67`` → ``66,7 %`` (nl) or ``66.7 %`` (en)."""
    return DASH if value is None else f"{num(value, lang, digits, sign=sign)} %"


def short(value: object, lang: str = "nl", digits: int = 3) -> str:
    """A value in a table cell: whole numbers as they are (``1.234``), other numbers with at
    most ``digits`` decimals and no trailing zeros (``0,912``), anything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
        return num(value, lang, 0)
    if abs(value) >= 1e15 or value != value:  # huge or NaN: as Python writes it
        return str(value)
    text = num(value, lang, digits)
    sep = "," if lang == "nl" else "."
    return text.rstrip("0").rstrip(sep) if sep in text else text


def signed(value: object, lang: str = "nl", digits: int = 3, plus_zero: bool = False) -> str:
    """A difference: ``+3``, ``-0,5``, ``0`` (``+0`` with ``plus_zero``, as the workbench
    shows every delta with its sign)."""
    if value is None:
        return ""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    plus = "+" if number and (value > 0 or (plus_zero and value == 0)) else ""  # type: ignore[operator]
    return plus + short(value, lang, digits)


def month_name(month: str, lang: str = "nl", year: bool = False) -> str:
    """``2027-09`` → ``sep`` (or ``sep 2027``)."""
    y, m = month.split("-")
    name = MONTH_NAMES[check_lang(lang)][int(m) - 1]
    return f"{name} {y}" if year else name


def _ordinal(month: int | str) -> int:
    if isinstance(month, int):
        return month
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def _month(ordinal: int) -> str:
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


def months_text(months: Iterable[int | str]) -> str:
    """Ordinals or ``YYYY-MM`` → ``2027-09..2027-11, 2028-02`` (runs as ranges)."""
    runs: list[list[int]] = []
    for o in sorted({_ordinal(m) for m in months}):
        if runs and o == runs[-1][1] + 1:
            runs[-1][1] = o
        else:
            runs.append([o, o])
    return ", ".join(_month(a) if a == b else f"{_month(a)}..{_month(b)}" for a, b in runs)


def month_list(months: Iterable[int | str]) -> list[str]:
    """Ordinals or ``YYYY-MM`` → sorted, distinct ``YYYY-MM``."""
    return [_month(o) for o in sorted({_ordinal(m) for m in months})]


def ids_text(items: Iterable[object], lang: str = "nl", limit: int = MAX_IDS) -> str:
    """``A, B en C`` (nl) or ``A, B and C`` (en); past ``limit``: ``A, B, … en 3 meer``."""
    shown = [str(i) for i in items]
    if len(shown) <= limit:
        if len(shown) > 1:
            return f"{', '.join(shown[:-1])} {AND[check_lang(lang)]} {shown[-1]}"
        return "".join(shown)
    return AND_MORE[check_lang(lang)].format(items=", ".join(shown[:limit]),
                                             n=len(shown) - limit)


__all__ = ["DASH", "LANGUAGES", "MONTH_NAMES", "ids_text", "month_list", "month_name",
           "months_text", "num", "pct", "short", "signed"]
