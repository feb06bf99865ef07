"""The scenario as an Excel workbook: one sheet per table plus a ``scenario`` sheet.

The ``scenario`` sheet holds ``key``/``value`` rows for everything that is not a table,
nested keys dotted (``calendar.start``, ``policy.weights.unplaced``). Table sheets hold a
header row with the column names of docs/scenario-format.md. Messages give the sheet's own
row numbers (the header is row 1), as Excel shows them. Excel may give months as dates and
whole numbers as floats; :mod:`.scenario_schema` coerces both. Before openpyxl opens the
file, the zip's directory is checked so that a "zip bomb" is refused quickly, and a
workbook with macros (``vbaProject.bin``, a macro-enabled content type) or links to other
workbooks (``xl/externalLinks/``) is refused: the planner reads values only, and a
coordinator should not pass such a file on believing it was accepted as it is.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from ..words.messages import Msg, count
from .csv_tables import RawTable, header_problems, used_columns
from .safe import safe_cell, unsafe_cell
from .scenario_schema import (
    MAX_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_XLSX_PARTS,
    MAX_XLSX_UNCOMPRESSED,
    SETTINGS,
    TABLE_ORDER,
    TABLES,
    CellError,
    Kind,
    read_input_bytes,
    short,
)

SETTINGS_SHEET = "scenario"
# Sheets of the workbook `scheduler export` writes that hold no scenario data: the notes
# (Dutch or English) and the lists behind the dropdowns. The reader passes over them.
EXTRA_SHEETS = ("toelichting", "explanation", "keuzelijsten", "dropdown lists")
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as openpyxl


MACROS = Msg("xlsx_macros")  # "the workbook holds or may hold macros (VBA); ..."
EXTERNAL_LINKS = Msg("xlsx_links")  # "the workbook links to other workbooks; ..."
MACRO_SUFFIXES = (".xlsm", ".xltm")  # macro-enabled workbooks and templates
MACRO_TYPE = re.compile(rb"macroEnabled|vbaProject|ms-office\.activeX", re.IGNORECASE)
MAX_CONTENT_TYPES = 1024 * 1024  # [Content_Types].xml of a real workbook: a few kB


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS:
                raise CellError(Msg("xlsx_parts", n=MAX_XLSX_PARTS))
            if sum(p.file_size for p in parts) > MAX_XLSX_UNCOMPRESSED:
                raise CellError(Msg("xlsx_unpacks", mb=MAX_XLSX_UNCOMPRESSED // (1024 * 1024)))
            _check_active_parts(archive, parts)
    except CellError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        raise CellError(Msg("xlsx_not_workbook")) from None


def _check_active_parts(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> None:
    """Macros and external links are refused before openpyxl reads anything."""
    names = [p.filename.replace("\\", "/").lower() for p in parts]
    if any(n.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbaprojectsignature.bin")
           for n in names):
        raise CellError(MACROS)
    if any(n.startswith("xl/externallinks/") for n in names):
        raise CellError(EXTERNAL_LINKS)
    types = next((p for p in parts if p.filename == "[Content_Types].xml"), None)
    if types is not None and types.file_size <= MAX_CONTENT_TYPES:
        with archive.open(types) as source:
            text = source.read(MAX_CONTENT_TYPES)
        if MACRO_TYPE.search(text):
            raise CellError(MACROS)
        if b"externalLink" in text:
            raise CellError(EXTERNAL_LINKS)


def _cell(value: Any) -> Any:
    return unsafe_cell(value) if isinstance(value, str) else value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows; a row openpyxl cannot read is a CellError naming sheet and row."""
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    number = 0  # the header row; data rows count from 1, as in every other message
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl parses each row as it is reached
            where = "the header row" if number == 0 else f"row {number}"
            raise CellError(f"sheet '{sheet.title}', {where}: {_unreadable(exc)}") from None
        yield cells
        number += 1


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return "a cell holds a number of thousands of digits; no field takes such a number"
    return f"the row cannot be read; the sheet is damaged ({type(exc).__name__})"


def _read_table(sheet: Any, file: str, table: str) -> RawTable:
    raw = RawTable(table, file)
    rows = _sheet_rows(sheet)
    first = next(rows, None)
    header = [str(h).strip().lower() if not _blank(h) else "" for h in (first or ())]
    if not any(header):
        raw.problems.append((None, Msg("xlsx_no_header", columns=", ".join(TABLES[table]))))
        return raw
    raw.problems.extend((None, p) for p in header_problems(table, header))
    for number, cells in enumerate(rows, start=2):  # the sheet's own row numbers
        if number > MAX_TABLE_ROWS + 1:
            raw.problems.append((None, Msg("too_many_rows", n=count(MAX_TABLE_ROWS))))
            break
        if all(_blank(c) for c in cells):
            continue
        if any(not _blank(c) for h, c in zip(header, cells, strict=False) if not h):
            raw.problems.append((number, Msg("xlsx_unnamed_column")))
        known = TABLES[table]
        raw.rows.append((number, {h: _cell(c) for h, c in zip(header, cells, strict=False)
                                  if h in known and not _blank(c)}))
    return raw


def _read_settings(sheet: Any) -> tuple[dict[str, Any], list[tuple[int | None, str]]]:
    values: dict[str, Any] = {}
    problems: list[tuple[int | None, str]] = []
    rows = _sheet_rows(sheet)
    first = [str(c).strip().lower() for c in (next(rows, None) or ()) if not _blank(c)]
    if first[:2] != ["key", "value"]:
        problems.append((None, Msg("xlsx_settings_header")))
        return values, problems
    for number, cells in enumerate(rows, start=2):  # the sheet's own row numbers
        if number > MAX_TABLE_ROWS + 1:
            problems.append((None, Msg("too_many_rows", n=count(MAX_TABLE_ROWS))))
            break
        key, value = (list(cells) + [None, None])[:2]
        if _blank(key):
            if not _blank(value):
                problems.append((number, Msg("xlsx_value_no_key")))
            continue
        name = str(key).strip()
        if name not in SETTINGS:
            problems.append((number, Msg("xlsx_unknown_key", name=name, known=", ".join(SETTINGS))))
        elif name in values:
            problems.append((number, Msg("xlsx_key_twice", name=name)))
        elif not _blank(value):
            values[name] = _cell(value)
    return values, problems


class Workbook:
    """What a scenario workbook holds, before coercion and validation."""

    def __init__(self) -> None:
        self.settings: dict[str, Any] = {}
        self.tables: dict[str, RawTable] = {}
        self.problems: list[tuple[str, int | None, str]] = []  # (sheet, row, message)


def read_workbook(path: Path, file: str) -> Workbook:
    """Read a scenario workbook. Raises CellError when the file is no workbook at all."""
    from openpyxl import load_workbook

    data = read_input_bytes(path, "workbook")
    _check_zip(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise CellError(Msg("xlsx_unreadable", reason=type(exc).__name__)) from None
    out = Workbook()
    try:
        names = {name.strip().lower(): name for name in wb.sheetnames}
        unknown = [n for n in wb.sheetnames
                   if n.strip().lower() not in (*TABLES, SETTINGS_SHEET, *EXTRA_SHEETS)]
        if unknown:
            out.problems.append(("", None, Msg("xlsx_unknown_sheets",
                                               sheets=", ".join(map(repr, unknown)),
                                               known=", ".join((SETTINGS_SHEET, *TABLE_ORDER)))))
        if SETTINGS_SHEET in names:
            out.settings, problems = _read_settings(wb[names[SETTINGS_SHEET]])
            out.problems.extend((SETTINGS_SHEET, row, msg) for row, msg in problems)
        else:
            out.problems.append(("", None, Msg("xlsx_no_settings", sheet=SETTINGS_SHEET)))
        for table in TABLE_ORDER:
            if table in names:
                out.tables[table] = _read_table(wb[names[table]], file, table)
    except CellError:
        raise
    except Exception as exc:  # a damaged sheet: report, never a traceback
        raise CellError(Msg("xlsx_damaged", reason=type(exc).__name__)) from None
    finally:
        wb.close()
    return out


# ----- writing --------------------------------------------------------------------------
def _xlsx_value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.MONTH_MAP:
        return ";".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return safe_cell(";".join(str(v) for v in value))
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise CellError(f"{short(value)} holds control characters that Excel cannot store")
        return safe_cell(value)
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        return repr(value)  # Excel keeps 15 digits; text keeps the exact value
    return value


class Dressing(Protocol):
    """What `scheduler export` adds to the plain workbook: widths, frozen headers,
    dropdowns, notes. Write-only sheets take their settings before the first row."""

    def columns(self, table: str, rows: list[dict[str, Any]]) -> list[str]: ...

    def sheet(self, ws: Any, name: str, header: list[str],
              rows: list[list[Any]]) -> tuple[list[Any], list[list[Any]]]:
        """Set up ``ws``; return the header row and the rows to write (cells may be added
        to the right of the data: the reader passes over them)."""

    def finish(self, book: Any) -> None: ...


def workbook_bytes(settings: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
                   dressing: Dressing | None = None) -> bytes:
    """A workbook with the ``scenario`` sheet and one sheet per table."""
    from openpyxl import Workbook as _Book

    book = _Book(write_only=True)
    cells = []
    for key, value in settings.items():
        try:
            cells.append([key, _xlsx_value(SETTINGS[key], value)])
        except CellError as exc:
            raise CellError(f"{SETTINGS_SHEET}, key {key}: {exc}") from None
    _sheet(book, SETTINGS_SHEET, ["key", "value"], cells, dressing)
    for table in TABLE_ORDER:
        rows = tables.get(table, [])
        columns = (dressing.columns(table, rows) if dressing else
                   used_columns(table, rows) or list(TABLES[table]))
        kinds = TABLES[table]
        cells = []
        for number, row in enumerate(rows, start=1):
            try:
                cells.append([_xlsx_value(kinds[c], row.get(c)) for c in columns])
            except CellError as exc:
                raise CellError(f"{table}, row {number}: {exc}") from None
        _sheet(book, table, columns, cells, dressing)
    if dressing:
        dressing.finish(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Any, name: str, header: list[str], rows: list[list[Any]],
           dressing: Dressing | None) -> None:
    sheet = book.create_sheet(name)
    if dressing:
        header, rows = dressing.sheet(sheet, name, header, rows)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
