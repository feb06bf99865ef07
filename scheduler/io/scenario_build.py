"""Raw scenario data (from YAML, CSV or Excel) → a validated Scenario, or one InputError.

Every row is coerced (:func:`.scenario_schema.coerce`) and validated on its own, so that
all problems of a file are reported together, each with file, table, row, id and field.
pydantic's messages are rewritten in a coordinator's words.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import MAX_REPORTED_ISSUES, InputError, InputIssue
from ..models import (
    Buddy,
    Calendar,
    Department,
    Learner,
    Organisation,
    Pin,
    Policy,
    Programme,
    Scenario,
)
from ..words.messages import Msg
from .csv_tables import RawTable
from .scenario_schema import (
    HINTS,
    MISSING,
    REQUIRED_TABLES,
    SETTINGS,
    TABLE_ORDER,
    TABLES,
    TOP_KEYS,
    CellError,
    Kind,
    coerce,
    short,
)

MODELS: dict[str, type[BaseModel]] = {
    "organisations": Organisation,
    "departments": Department,
    "buddies": Buddy,
    "programmes": Programme,
    "learners": Learner,
    "pins": Pin,
}


@dataclass
class RawScenario:
    """Everything read from the files, before validation."""

    file: str
    top: dict[str, Any] = field(default_factory=dict)  # scenario, name, calendar, policy
    tables: dict[str, RawTable] = field(default_factory=dict)
    issues: list[InputIssue] = field(default_factory=list)


class _Collector:
    def __init__(self, issues: list[InputIssue]) -> None:
        self.issues = issues

    def add(self, issue: InputIssue) -> None:
        self.issues.append(issue)

    @property
    def full(self) -> bool:
        return len(self.issues) > MAX_REPORTED_ISSUES


PERSONAL_FIELDS = frozenset({"name"})  # never echoed in a message (docs/outputs.md#personal-data)


def _shown(field: str, value: Any) -> str:
    if field in PERSONAL_FIELDS:
        return Msg("personal_value", type=type(value).__name__)
    return short(value)


def friendly(err: Any) -> tuple[str, str]:
    """A pydantic error entry → (field, message in plain words)."""
    loc = [p for p in err.get("loc", ()) if p != "[key]"]
    name = str(loc[0]) if loc else ""
    typ = err.get("type", "")
    value = err.get("input")
    if typ == "missing":
        return name, Msg("required")
    if typ == "extra_forbidden":
        return ".".join(map(str, loc)), Msg("unknown_field")
    if typ in ("value_error", "assertion_error"):
        error = (err.get("ctx") or {}).get("error")  # a model's own Msg keeps its words
        if isinstance(error, ValueError) and error.args and isinstance(error.args[0], Msg):
            return name, error.args[0]
        return name, str(err.get("msg", "")).removeprefix("Value error, ")
    if typ == "too_short":
        return name, Msg("empty_placements" if name == "placements" else "empty_list")
    hint_key = next((str(p) for p in reversed(loc) if str(p) in HINTS), name)
    if typ == "string_type" and isinstance(value, bool):
        return name, Msg("text_not_yes_no")
    if hint_key in HINTS:
        return name, Msg("must_be_got", hint=HINTS[hint_key], value=_shown(name, value))
    msg = str(err.get("msg", "is not valid"))
    return name, Msg("invalid_got", reason=f"{msg[:1].lower()}{msg[1:]}",
                     value=_shown(name, value))


def _validate_row(table: str, row: dict[str, Any]) -> tuple[BaseModel | None, list[Any]]:
    try:
        return MODELS[table].model_validate(row), []
    except ValidationError as exc:
        return None, exc.errors(include_url=False)


def _row_id(table: str, row: dict[str, Any]) -> str:
    value = row.get("learner" if table == "pins" else "id")
    return value if isinstance(value, str) else ""


def _coerce_row(table: str, number: int, value: Any, raw: RawTable,
                out: _Collector) -> dict[str, Any] | None:
    def issue(message: str, fld: str = "", rid: str = "") -> None:
        out.add(InputIssue(raw.file, message, table=table, row=number, id=rid, field=fld))

    if not isinstance(value, dict):
        issue(Msg("row_not_mapping", value=short(value)))
        return None
    kinds = TABLES[table]
    row: dict[str, Any] = {}
    unknown = [str(k) for k in value if str(k) not in kinds]
    rid = _row_id(table, {str(k): coerce(Kind.TEXT, v) for k, v in value.items()})
    if unknown:
        issue(Msg("unknown_fields", fields=", ".join(map(short, unknown)), table=table,
                  known=", ".join(kinds)), rid=rid)
    for key, item in value.items():
        name = str(key)
        if name not in kinds:
            continue
        try:
            coerced = coerce(kinds[name], item)
        except CellError as exc:
            issue(Msg("must_be_because", hint=HINTS.get(name) or Msg("hint.valid"),
                      reason=exc.message), name, rid)
            continue
        if coerced is not MISSING:
            row[name] = coerced
    return row


def _build_table(raw: RawTable, out: _Collector) -> tuple[list[BaseModel], list[int]]:
    for row_no, message in raw.problems:
        out.add(InputIssue(raw.file, message, table=raw.name, row=row_no))
    models: list[BaseModel] = []
    numbers: list[int] = []
    for number, value in raw.rows:
        if out.full:
            break
        row = _coerce_row(raw.name, number, value, raw, out)
        if row is None:
            continue
        model, errors = _validate_row(raw.name, row)
        for err in errors:
            fld, message = friendly(err)
            out.add(InputIssue(raw.file, message, table=raw.name, row=number,
                               id=_row_id(raw.name, row), field=fld))
        if model is not None:
            models.append(model)
            numbers.append(number)
    return models, numbers


def _section(doc: RawScenario, key: str, model: type[BaseModel], out: _Collector) -> Any:
    value = doc.top.get(key)
    if value is None:
        if key == "calendar":
            out.add(InputIssue(doc.file, Msg("calendar_missing"), table="calendar"))
        return None if key == "calendar" else model()
    if not isinstance(value, dict):
        out.add(InputIssue(doc.file, Msg("section_not_mapping", value=short(value)),
                           table=key))
        return None
    data = _coerce_settings(key, value)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            fld, message = friendly(err)
            loc = [str(p) for p in err.get("loc", ()) if p != "[key]"]
            if err.get("type") == "extra_forbidden":
                message = _unknown_key('.'.join([key, *loc[:-1]]))
            field = ".".join(loc) or fld
            field = field if len(field) <= 60 else field[:57] + "..."  # a key of 5,000 digits
            out.add(InputIssue(doc.file, message, table=key, field=field))
    return None


def _unknown_key(parent: str) -> str:
    depth = parent.count(".") + 1
    known = [k.split(".")[depth] for k in SETTINGS if k.startswith(parent + ".")]
    return Msg("unknown_key_under", parent=parent, keys=", ".join(dict.fromkeys(known)))


def _coerce_settings(prefix: str, value: dict[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        dotted = f"{prefix}.{key}"
        if isinstance(item, dict) and dotted == "policy.weights":
            out[str(key)] = _coerce_settings(dotted, item)
            continue
        kind = SETTINGS.get(dotted)
        try:
            coerced = item if kind is None else coerce(kind, item)
        except CellError:
            coerced = item  # the model reports it with the field's hint
        if coerced is not MISSING:
            out[str(key)] = coerced
    return out


def _check_top(doc: RawScenario, out: _Collector) -> None:
    unknown = [k for k in doc.top if k not in TOP_KEYS]
    if unknown:
        out.add(InputIssue(doc.file, Msg("unknown_top_keys", keys=", ".join(map(short, unknown)),
                                         known=", ".join(TOP_KEYS)), table="scenario"))
    version = doc.top.get("scenario")
    if version is None:
        out.add(InputIssue(doc.file, Msg("version_missing"), table="scenario",
                           field="scenario"))
    elif isinstance(version, bool) or str(coerce(Kind.TEXT, version)) != "1":
        # another format: its other contents would only give misleading messages
        raise InputError(InputIssue(doc.file, Msg("version_unknown", value=short(version)),
                                    table="scenario", field="scenario"))
    for table in REQUIRED_TABLES:
        if table not in doc.tables:
            out.add(InputIssue(doc.file, Msg("section_missing", table=table), table=table))


def build_scenario(doc: RawScenario) -> Scenario:
    """Validate everything read; raise one InputError that lists every problem found."""
    from ..validate import reference_issues

    out = _Collector(list(doc.issues))
    _check_top(doc, out)
    calendar = _section(doc, "calendar", Calendar, out)
    policy = _section(doc, "policy", Policy, out)
    name = coerce(Kind.TEXT, doc.top.get("name"))
    if name is not MISSING and not isinstance(name, str):
        out.add(InputIssue(doc.file, Msg("must_be_text", value=short(name)), table="scenario",
                           field="name"))
    tables: dict[str, list[BaseModel]] = {}
    rows: dict[str, list[int]] = {}
    for table in TABLE_ORDER:
        if table in doc.tables:
            tables[table], rows[table] = _build_table(doc.tables[table], out)
    if out.issues:
        raise InputError(out.issues)
    data: dict[str, Any] = {"calendar": calendar, "policy": policy, **tables}
    if isinstance(name, str):
        data["name"] = name
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError([_scenario_issue(doc.file, err) for err in exc.errors()]) from None
    problems = reference_issues(scenario, doc.file)
    if problems:
        raise InputError([_locate(doc, rows, p) for p in problems])
    return scenario


def _scenario_issue(file: str, err: Any) -> InputIssue:
    fld, message = friendly(err)
    if fld in TABLES and err.get("type") == "too_short":
        return InputIssue(file, Msg("table_no_rows"), table=fld)
    return InputIssue(file, message, table="scenario", field=fld)


def _locate(doc: RawScenario, rows: dict[str, list[int]], issue: InputIssue) -> InputIssue:
    """Point an issue found on the Scenario at the file and row the record came from."""
    raw = doc.tables.get(issue.table)
    numbers = rows.get(issue.table)
    if raw is None or numbers is None:
        return issue
    row = issue.row
    if row is not None and 1 <= row <= len(numbers):
        row = numbers[row - 1]
    return dataclasses.replace(issue, file=raw.file, row=row)
