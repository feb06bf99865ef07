"""What a scenario file may hold: tables, their columns and kinds, limits, cell coercion.

One coercion, :func:`coerce`, turns a value read from YAML, a CSV cell or an Excel cell
into what the pydantic models expect, so the three forms give the same Scenario.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import stat
from enum import Enum
from pathlib import Path
from typing import Any

from ..words.messages import Msg, thing
from ..words.problems import HINTS as _HINT_WORDS

# ----- limits (documented in scenario_io's module docstring) ------------------------
MAX_FILE_BYTES = 50 * 1024 * 1024  # any one input file
MAX_TABLE_ROWS = 200_000  # rows per table
MAX_COLUMNS = 64  # columns read from a CSV header or a sheet
MAX_YAML_ALIASES = 100  # alias (*name) references in one YAML document
MAX_YAML_DEPTH = 64  # nesting of YAML lists/mappings
MAX_YAML_NODES = 10_000_000  # nodes after expanding aliases ("billion laughs" guard)
MAX_XLSX_UNCOMPRESSED = 300 * 1024 * 1024  # sum of the workbook's unpacked parts
MAX_XLSX_PARTS = 2_000  # files inside the workbook's zip
MAX_INTEGER_DIGITS = 100  # a longer YAML integer stays text (Python prints at most 4,300)


class Kind(Enum):
    TEXT = "text"
    NUMBER = "number"
    INT = "int"
    BOOL = "bool"
    MONTH = "month"
    TEXT_LIST = "text list"
    INT_LIST = "int list"
    MONTH_LIST = "month list"
    MONTH_MAP = "month map"


T, N, INT, B, M = Kind.TEXT, Kind.NUMBER, Kind.INT, Kind.BOOL, Kind.MONTH
TL, IL, ML, MM = Kind.TEXT_LIST, Kind.INT_LIST, Kind.MONTH_LIST, Kind.MONTH_MAP

TABLES: dict[str, dict[str, Kind]] = {
    "organisations": {"id": T, "name": T, "sector": T, "fte_care": N, "lat": N, "lon": N},
    "departments": {
        "id": T, "organisation": T, "sector": T, "shifts": T, "capacity": INT,
        "capacity_by_month": MM, "levels": IL, "lat": N, "lon": N,
    },
    "buddies": {"id": T, "department": T, "max_learners": INT, "unavailable": ML},
    "programmes": {
        "id": T, "kind": T, "placements": IL, "carrousel_min_away": INT,
        "required_sectors": TL, "starter_fixed_shifts_months": INT, "distinct_departments": B,
    },
    "learners": {
        "id": T, "name": T, "programme": T, "home": T, "start": M, "level": INT, "lat": N,
        "lon": N, "max_travel_km": N, "preferences": TL, "unavailable": ML, "history": TL,
    },
    "pins": {"learner": T, "month": M, "from": M, "to": M, "department": T, "buddy": T},
}  # fmt: skip
TABLE_ORDER = tuple(TABLES)
REQUIRED_TABLES = ("organisations", "departments", "programmes")

WEIGHT_NAMES = ("unplaced", "preference", "fair_share", "travel", "buddy_change", "stability")
SETTINGS: dict[str, Kind] = {
    "scenario": INT,
    "name": T,
    "calendar.start": M,
    "calendar.months": INT,
    "policy.quota_per_100_fte": N,
    "policy.buddy_max_learners": INT,
    "policy.max_travel_km": N,
    "policy.fair_share_tolerance": N,
    **{f"policy.weights.{w}": N for w in WEIGHT_NAMES},
}
TOP_KEYS = ("scenario", "name", "calendar", "policy", *TABLE_ORDER)

# What a field must hold, in a coordinator's words ("must be <hint>, got ..."): each a Msg
# (its value the English text) from scheduler/words/problems.py, spoken in the command's language.
HINTS: dict[str, str] = {key.removeprefix("hint."): Msg(key) for key in _HINT_WORDS
                         if key != "hint.valid"}


class CellError(ValueError):
    """A value that cannot be read as its column's kind (the message says why)."""

    @property
    def message(self) -> str:
        """The message as given (a Msg keeps its key, which ``str(exc)`` would lose)."""
        return self.args[0] if self.args and isinstance(self.args[0], str) else str(self)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # "not given": the key is dropped and the model default applies

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_TRUE_FALSE_NL = {"ja": "true", "nee": "false", "j": "true", "n": "false"}


def short(value: Any, limit: int = 60) -> str:
    """A value as a coordinator would type it, shortened for messages."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, _dt.datetime | _dt.date):
        text = value.isoformat()[:10]
    else:
        try:
            text = repr(value)
        except Exception:  # a hostile __repr__ must not escape
            text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return value  # the model reports "must be text"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return value


def _number(value: Any, whole: bool) -> Any:
    if isinstance(value, bool):
        raise CellError(Msg("cell_yes_no", value=short(value)))
    if isinstance(value, str) and _DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")
    if isinstance(value, float | str) and _non_finite(value):
        raise CellError(Msg("cell_not_finite", value=short(value)))
    if whole and isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _non_finite(value: float | str) -> bool:
    try:
        return not math.isfinite(float(value))
    except (ValueError, OverflowError):
        return False  # not a number at all: the model says so


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _listed(value: Any) -> list[Any]:
    if isinstance(value, str):
        return list(_split(value))
    if isinstance(value, list | tuple):
        return [v.strip() if isinstance(v, str) else v for v in value if v is not None]
    return [value]


def _month_map(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            (k.strip() if isinstance(k, str) else k): _number(v, whole=True)
            for k, v in value.items()
        }
    if not isinstance(value, str):
        raise CellError(Msg("cell_got", value=short(value)))
    out: dict[str, Any] = {}
    for part in _split(value):
        month, sep, number = part.partition("=")
        if not sep or not month.strip() or not number.strip():
            raise CellError(Msg("cell_not_pair", part=part))
        out[month.strip()] = _number(number.strip(), whole=True)
    return out


def coerce(kind: Kind, value: Any) -> Any:
    """Normalise one value for its column kind; MISSING for "not given" (None, '')."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return MISSING
    if isinstance(value, str):
        value = value.strip()
    if kind is Kind.TEXT:
        return _text(value)
    if kind in (Kind.NUMBER, Kind.INT):
        return _number(value, whole=kind is Kind.INT)
    if kind is Kind.BOOL:
        if isinstance(value, str):
            return _TRUE_FALSE_NL.get(value.lower(), value)
        return value
    if kind is Kind.MONTH:
        return value
    if kind is Kind.MONTH_MAP:
        return _month_map(value)
    items = _listed(value)
    if isinstance(value, str) and not items:
        return MISSING
    if kind is Kind.TEXT_LIST:
        return [_text(v) for v in items if not (isinstance(v, str) and not v)]
    if kind is Kind.INT_LIST:
        return [_number(v, whole=True) for v in items]
    return items  # MONTH_LIST: strings, ranges or dates; the model parses them


def coerce_setting(key: str, value: Any) -> Any:
    """Coerce a top-level setting given by dotted key (``policy.weights.travel``)."""
    kind = SETTINGS.get(key)
    return value if kind is None else coerce(kind, value)


def read_input_bytes(path: str | Path, what: str = "file", limit: int | None = None) -> bytes:
    """Read a regular input file of at most ``limit`` (MAX_FILE_BYTES) bytes; every failure
    is a CellError.

    The file is opened without blocking and checked on the open descriptor, so a FIFO
    (which would wait for a writer for ever) or a device such as ``/dev/zero`` (no size,
    endless data), also behind a symbolic link, is refused before a byte is read; the
    read itself stops after ``limit + 1`` bytes whatever the file claims.
    """
    p = Path(path)
    what = thing(what)
    limit = MAX_FILE_BYTES if limit is None else limit
    mb = limit // (1024 * 1024)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise CellError(Msg("file_not_found", what=what)) from None
    except IsADirectoryError:
        raise CellError(Msg("file_is_folder", what=what)) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise CellError(Msg("file_unreadable", what=what,
                            reason=getattr(exc, "strerror", None) or str(exc))) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise CellError(Msg("file_is_folder", what=what))
        if not stat.S_ISREG(info.st_mode):
            raise CellError(Msg("file_not_regular", what=what))
        if info.st_size > limit:
            raise CellError(Msg("file_too_large", what=what, mb=mb))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise CellError(Msg("file_unreadable", what=what, reason=exc.strerror or str(exc))) \
            from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise CellError(Msg("file_too_large", what=what, mb=mb))
    return data


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel writes "CSV" on Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise CellError(Msg("not_text")) from None
