"""Reading and writing scenario files (docs/scenario-format.md): YAML, YAML with CSV tables, Excel.

``load_scenario`` reads ``.yaml``/``.yml`` (tables inline, or as paths of CSV files
relative to the scenario file) and ``.xlsx`` workbooks; all three forms of the same
scenario give an equal :class:`~scheduler.models.Scenario`. Every problem of a file is
collected and raised as one :class:`~scheduler.errors.InputError` (exit code 1), each
naming file, table, row and/or id, field and what is wrong. ``write_scenario`` writes the
same forms back, leaving out fields that equal their defaults.

Limits, so that hostile or broken input ends quickly in exit 1
(constants in :mod:`.scenario_schema`):

* every input file (scenario, CSV table, workbook, variant, plan): a regular file (checked
  on the open descriptor: no FIFO, no device such as ``/dev/zero``, also not behind a
  link), read with a bounded read of at most 50 MB (plan files 200 MB);
* at most 200,000 rows per table and 64 columns per CSV header or sheet;
* YAML: ``safe_load`` semantics only (no Python tags); at most 64 levels of nesting,
  at most 100 aliases, no recursive aliases, and at most 10 million values after
  expanding aliases ("billion laughs"); a key given twice in one mapping is an error;
  an integer of more than 100 digits stays text (the field it is in says what it must
  be); a value that does not fit its tag (``!!bool maybe``) is an error at its line;
* Excel: the zip may hold at most 2,000 parts unpacking to at most 300 MB ("zip bomb");
* CSV tables must lie inside the scenario file's folder (no absolute paths, no ``..``
  leaving it) unless ``allow_outside=True`` (``--allow-outside``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..errors import InputError, InputIssue
from ..models import Scenario, month_ordinal, ordinal_month
from ..words.messages import Msg, count
from .atomic import atomic_write_bytes, atomic_write_text
from .csv_tables import RawTable, csv_table_text, read_csv_table
from .scenario_build import RawScenario, build_scenario
from .scenario_schema import (
    MAX_TABLE_ROWS,
    TABLE_ORDER,
    TABLES,
    CellError,
    Kind,
    decode_text,
    read_input_bytes,
    short,
)
from .xlsx_io import MACRO_SUFFIXES, MACROS, read_workbook, workbook_bytes
from .yaml_reader import load_yaml_text

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

YAML_SUFFIXES = (".yaml", ".yml")


def load_scenario(path: str | Path, *, allow_outside: bool = False) -> Scenario:
    """Read a scenario file; raise InputError (listing every problem) when it is invalid."""
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        raw = _read_yaml(path, file, allow_outside)
    elif suffix == ".xlsx":
        raw = _read_xlsx(path, file)
    elif suffix in MACRO_SUFFIXES:
        raise InputError(MACROS, file=file)
    else:
        raise InputError(Msg("not_scenario_suffix", suffix=suffix or path.name), file=file)
    return build_scenario(raw)


# ----- YAML (with optional CSV tables) --------------------------------------------------
def _read_yaml(path: Path, file: str, allow_outside: bool) -> RawScenario:
    try:
        text = decode_text(read_input_bytes(path, "scenario file"))
    except CellError as exc:
        raise InputError(exc.message, file=file) from None
    doc = load_yaml_text(text, file)
    if doc is None:
        raise InputError(Msg("scenario_empty"), file=file)
    if not isinstance(doc, dict):
        raise InputError(Msg("top_not_mapping", value=short(doc)), file=file)
    raw = RawScenario(file)
    for key, value in doc.items():
        name = str(key)
        if name not in TABLES:
            raw.top[name] = value
        elif value is not None:
            table = _yaml_table(name, value, path, file, allow_outside, raw.issues)
            if table is not None:
                raw.tables[name] = table
    return raw


def _yaml_table(table: str, value: Any, path: Path, file: str, allow_outside: bool,
                issues: list[InputIssue]) -> RawTable | None:
    if isinstance(value, list):
        raw = RawTable(table, file, list(enumerate(value[:MAX_TABLE_ROWS], start=1)))
        if len(value) > MAX_TABLE_ROWS:
            raw.problems.append((None, Msg("too_many_rows", n=count(MAX_TABLE_ROWS))))
        return raw
    if isinstance(value, str) and value.strip():
        csv_path = _table_path(value.strip(), path, file, table, allow_outside, issues)
        if csv_path is None:
            return None
        return read_csv_table(csv_path, str(csv_path), table)
    issues.append(InputIssue(file, Msg("table_not_rows", value=short(value)), table=table))
    return None


def _table_path(ref: str, path: Path, file: str, table: str, allow_outside: bool,
                issues: list[InputIssue]) -> Path | None:
    def refuse(message: str) -> None:
        issues.append(InputIssue(file, message, table=table))

    try:
        given = Path(ref)
        target = path.parent / given
        if allow_outside:
            return target
        if given.is_absolute():
            refuse(Msg("csv_absolute", ref=ref))
            return None
        if not target.resolve().is_relative_to(path.parent.resolve()):
            refuse(Msg("csv_outside", ref=ref))
            return None
        return target
    except (OSError, ValueError, RuntimeError):
        refuse(Msg("bad_path", ref=short(ref)))
        return None


# ----- Excel ----------------------------------------------------------------------------
def _read_xlsx(path: Path, file: str) -> RawScenario:
    try:
        book = read_workbook(path, file)
    except CellError as exc:
        raise InputError(exc.message, file=file) from None
    raw = RawScenario(file, top=_nest(book.settings), tables=book.tables)
    raw.issues.extend(InputIssue(file, msg, table=sheet, row=row)
                      for sheet, row, msg in book.problems)
    return raw


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, leaf = key.split(".")
        here = out
        for part in parents:
            here = here.setdefault(part, {})
        here[leaf] = value
    return out


# ----- writing --------------------------------------------------------------------------
def write_scenario(scenario: Scenario, path: str | Path, *, csv_tables: bool = False) -> None:
    """Write ``.yaml``/``.yml`` (tables inline, or with ``csv_tables`` as CSV files next to
    it, named ``<stem>-<table>.csv``) or ``.xlsx``. Fields equal to their defaults are left
    out. Every file is written atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    tables = {t: [_row(m) for m in getattr(scenario, t)] for t in TABLE_ORDER}
    if suffix == ".xlsx":
        try:
            data = workbook_bytes(_flatten(_settings(scenario)), tables)
        except CellError as exc:
            raise InputError(Msg("workbook_unwritable", reason=exc.message),
                             file=str(path)) from None
        atomic_write_bytes(path, data)
        return
    if suffix not in YAML_SUFFIXES:
        raise InputError(Msg("scenario_suffix_out", suffix=suffix or path.name), file=str(path))
    doc: dict[str, Any] = _settings(scenario)
    for table, rows in tables.items():
        if not rows:
            continue
        if csv_tables:
            name = f"{path.stem}-{table}.csv"
            atomic_write_text(path.parent / name, csv_table_text(table, rows))
            doc[table] = name
        else:
            doc[table] = rows
    text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=None, width=1_000)
    atomic_write_text(path, text)


def scenario_tables(scenario: Scenario) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The ``scenario`` sheet's dotted settings and each table's rows, as written."""
    return (_flatten(_settings(scenario)),
            {t: [_row(m) for m in getattr(scenario, t)] for t in TABLE_ORDER})


def _settings(scenario: Scenario) -> dict[str, Any]:
    doc: dict[str, Any] = {"scenario": 1}
    if scenario.name:
        doc["name"] = scenario.name
    doc["calendar"] = scenario.calendar.model_dump(mode="json")
    policy = scenario.policy.model_dump(mode="json", exclude_defaults=True)
    if policy:
        doc["policy"] = policy
    return doc


def _flatten(doc: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _row(model: BaseModel) -> dict[str, Any]:
    row = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    table = _TABLE_OF[type(model).__name__]
    for column, kind in TABLES[table].items():
        if kind is Kind.MONTH_LIST and row.get(column):
            row[column] = _month_ranges(row[column])
    return row


_TABLE_OF = {
    "Organisation": "organisations", "Department": "departments", "Buddy": "buddies",
    "Programme": "programmes", "Learner": "learners", "Pin": "pins",
}  # fmt: skip


def _month_ranges(months: list[str]) -> list[str]:
    """Consecutive months as ranges: [2028-01, 2028-02, 2028-03] → [2028-01/2028-03]."""
    ordinals = sorted({month_ordinal(m) for m in months})
    out: list[str] = []
    start = prev = ordinals[0]
    for o in [*ordinals[1:], None]:
        if o is not None and o == prev + 1:
            prev = o
            continue
        out.append(ordinal_month(start) if start == prev
                   else f"{ordinal_month(start)}/{ordinal_month(prev)}")
        if o is not None:
            start = prev = o
    return out
