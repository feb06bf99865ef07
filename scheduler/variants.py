"""Variant files: a base scenario plus a list of changes, applied and re-validated.

The format is in docs/commands.md#variant-files.

A variant file is YAML with ``base`` (the scenario, relative to the variant file or
absolute), ``name`` (default: the file name) and ``changes``, a list of one-key
operations. They are applied in order to the base as a plain document; after each one
the result is built again with ``Scenario.model_validate`` and :func:`reference_issues`,
so every problem names the variant file, the change (``change 3 (add_capacity)``), the
id and the field. Operations:

``add_capacity`` {department, amount, from, to} and ``set_capacity`` {department,
capacity, from, to}: ``from``/``to`` (inclusive) together, or neither for every month.
Capacity is also limited by the department's buddies (rule 3): a note says when extra
places lack buddies. ``add_buddies`` {department, count, max_learners, unavailable}
creates buddies ``<department>-b1``, ``-b2``, … (skipping ids in use).
``add_department`` {id, organisation, shifts, capacity, buddies: N or a list, plus any
department field}: ``buddies: N`` creates buddies ``<id>-b1`` … ``<id>-bN``.
``add_learners`` {count, programme, start, home, id_prefix, plus any learner field}
(ids ``new-<programme>-01``…, never clashing) or a list of learner records.
``remove_learners`` {ids} or a list of ids: their pins go too.
``remove_department`` ID and ``remove_organisation`` ID: see below.
``buddy_unavailable`` {buddy, from, to} or {buddy, months}: months added to the buddy's
leave; a pin that names this buddy in those months keeps its department, not the buddy.
``set_policy`` {policy fields; ``weights`` are merged with the base's weights}.

Removing an organisation (a coordinator's reading): its departments and their buddies
leave the region. Learners *employed* there stay in the scenario, since they still need
places: their ``home`` is cleared (every placement then counts as away for the
carrousel rule) and they keep the organisation's location for the travel rule. Pins in
its departments are dropped (those learners are planned elsewhere), preferences naming
the organisation or its departments are dropped, and ``history`` entries naming its
departments are dropped, so those earlier placements no longer count for the carrousel
and sector rules. Each of these is reported as a note.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import InputError, InputIssue
from .io import load_scenario
from .io.scenario_build import friendly
from .io.scenario_schema import CellError, decode_text, read_input_bytes, short
from .io.yaml_reader import load_yaml_text
from .models import Policy, Scenario, month_ordinal, ordinal_month, parse_month
from .validate import reference_issues
from .words.messages import Msg
from .words.messages import count as msg_count

VARIANT_KEYS = ("base", "name", "description", "changes")
MAX_NEW_LEARNERS = 100_000
Doc = dict[str, Any]


@dataclass(frozen=True)
class Variant:
    file: Path
    name: str
    base: Path  # the base scenario file, resolved
    scenario: Scenario  # the base with every change applied
    notes: tuple[str, ...] = ()


class _Fail(Exception):
    def __init__(self, message: str, field: str = "", id: str = "") -> None:
        super().__init__(message)
        self.message, self.field, self.id = message, field, id


# ----- reading the file -----------------------------------------------------------------
def read_variant_doc(path: Path) -> Doc:
    file = str(path)
    try:
        text = decode_text(read_input_bytes(path, "variant file"))
    except CellError as exc:
        raise InputError(exc.message, file=file) from None
    doc = load_yaml_text(text, file)
    if not isinstance(doc, dict):
        raise InputError(Msg("variant_not_mapping", value=short(doc)), file=file)
    unknown = [str(k) for k in doc if k not in VARIANT_KEYS]
    if unknown:
        raise InputError(InputIssue(file, Msg("unknown_top_keys",
                                              keys=", ".join(map(short, unknown)),
                                              known=", ".join(VARIANT_KEYS)),
                                    table="variant"))
    return doc


def base_path(doc: Doc, path: Path) -> Path:
    """``base`` relative to the variant file's folder (or absolute), which must exist."""
    file = str(path)
    ref = doc.get("base")
    if not isinstance(ref, str) or not ref.strip():
        raise InputError(InputIssue(file, Msg("variant_no_base", value=short(ref)),
                                    table="variant", field="base"))
    try:
        target = (path.parent / ref.strip()).resolve()
        found = target.is_file()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, ...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(InputIssue(file, Msg("variant_base_unopenable", ref=short(ref),
                                              reason=reason),
                                    table="variant", field="base")) from None
    if not found:
        raise InputError(InputIssue(file, Msg("variant_base_missing", ref=ref, target=target),
                                    table="variant", field="base"))
    return target


def load_variant(
    path: Path,
    *,
    expected_base: Path | None = None,
    base: Scenario | None = None,
    allow_outside: bool = False,
) -> Variant:
    """Read a variant file, load its base (or use ``base``) and apply its changes.

    With ``expected_base`` the variant's ``base`` must be that file (whatif compares every
    variant with one base plan)."""
    path = Path(path)
    doc = read_variant_doc(path)
    target = base_path(doc, path)
    if expected_base is not None and target != Path(expected_base).resolve():
        raise InputError(InputIssue(
            str(path), Msg("variant_other_base", target=target,
                           base=Path(expected_base).resolve()),
            table="variant", field="base"))
    if base is None:
        base = load_scenario(target, allow_outside=allow_outside)
    name = doc.get("name")
    name = str(name).strip() if name not in (None, "") else path.stem
    scenario, notes = apply_changes(base, doc.get("changes"), str(path), name=name)
    return Variant(path, name, target, scenario, tuple(notes))


# ----- applying -------------------------------------------------------------------------
def apply_changes(
    base: Scenario, changes: Any, file: str, *, name: str | None = None
) -> tuple[Scenario, list[str]]:
    """The base with ``changes`` applied, validated; and notes on what was dropped."""
    if changes is None:
        changes = []
    if not isinstance(changes, list):
        raise InputError(InputIssue(file, Msg("changes_not_list", value=short(changes)),
                                    table="variant", field="changes"))
    parsed = _parse_changes(changes, file)
    doc: Doc = base.model_dump(mode="json", by_alias=True)
    if name is not None:
        doc["name"] = name
    notes: list[str] = []
    scenario = base if name is None else Scenario.model_validate(doc)
    for index, (op, args) in enumerate(parsed, start=1):
        where = f"change {index} ({op})"
        try:
            OPERATIONS[op](doc, args, notes)
        except _Fail as exc:
            raise InputError(InputIssue(file, exc.message, table=where, id=exc.id,
                                        field=exc.field)) from None
        scenario = _rebuild(doc, file, where)
    notes.extend(_buddy_shortfall(scenario, parsed))
    return scenario, notes


def _buddy_shortfall(s: Scenario, parsed: list[tuple[str, Any]]) -> Iterator[str]:
    """Months in which a department given more places has too few buddies (rule 3)."""
    for op, args in parsed:
        if op not in ("add_capacity", "set_capacity") or args["department"] not in s.department:
            continue
        did = args["department"]
        months = _months(args) or s.calendar.month_list()
        lacking = [m for m in months if s.buddy_capacity(did, month_ordinal(m))
                   < s.department_capacity(did, month_ordinal(m))]
        if lacking:
            more = Msg("more_months", n=len(lacking) - 1) if len(lacking) > 1 else ""
            yield Msg("buddy_shortfall", op=op, department=did, month=lacking[0], more=more)


def _parse_changes(changes: list[Any], file: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    issues: list[InputIssue] = []
    for index, change in enumerate(changes, start=1):
        if not isinstance(change, dict) or len(change) != 1:
            issues.append(InputIssue(file, Msg("change_not_mapping", value=short(change)),
                                     table=f"change {index}"))
            continue
        op, args = next(iter(change.items()))
        if op not in OPERATIONS:
            issues.append(InputIssue(file, Msg("unknown_operation", op=short(op),
                                               hint=_hint(op, OPERATIONS),
                                               known=", ".join(OPERATIONS)),
                                     table=f"change {index}"))
            continue
        out.append((str(op), args))
    if issues:
        raise InputError(issues)
    return out


def _rebuild(doc: Doc, file: str, where: str) -> Scenario:
    try:
        scenario = Scenario.model_validate(doc)
    except ValidationError as exc:
        raise InputError([_pydantic_issue(doc, file, where, e) for e in exc.errors()]) from None
    problems = reference_issues(scenario, file)
    if problems:
        raise InputError([
            InputIssue(file, Msg("in_table", table=p.table, message=p.message) if p.table
                       else p.message, table=where,
                       id=p.id, field=p.field)
            for p in problems
        ])
    return scenario


def _pydantic_issue(doc: Doc, file: str, where: str, err: Any) -> InputIssue:
    loc = list(err.get("loc", ()))
    record_id = ""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(doc.get(loc[0]), list):
        record = doc[loc[0]][loc[1]]
        if isinstance(record, dict):
            record_id = str(record.get("id") or record.get("learner") or "")
        loc = [loc[0], *loc[2:]]
    fld, message = friendly({**err, "loc": loc[1:] or loc})
    return InputIssue(file, Msg("in_table", table=loc[0], message=message) if loc else message,
                      table=where,
                      id=record_id, field=fld)


# ----- argument helpers -----------------------------------------------------------------
def _hint(name: Any, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(name), sorted(known), n=1)
    return Msg("did_you_mean", name=close[0]) if close else ""


def _args(value: Any, required: tuple[str, ...], optional: Iterable[str] = (),
          scalar: str | None = None) -> Doc:
    if scalar is not None and not isinstance(value, (dict, list)):
        value = {scalar: value}
    if not isinstance(value, dict):
        keys = ", ".join((*required, *optional))
        raise _Fail(Msg("op_not_mapping", keys=keys, value=short(value)))
    allowed = {*required, *optional}
    for key in value:
        if key not in allowed:
            raise _Fail(Msg("op_unknown_field", hint=_hint(key, allowed),
                            known=", ".join(sorted(allowed))), field=str(key))
    for key in required:
        if value.get(key) in (None, ""):
            raise _Fail(Msg("required"), field=key)
    return dict(value)


def _int(args: Doc, key: str, minimum: int | None = None) -> int:
    value = args[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Fail(Msg("whole_number", value=short(value)), field=key)
    if minimum is not None and value < minimum:
        raise _Fail(Msg("at_least", least=minimum, value=value), field=key)
    return value


def _month(args: Doc, key: str) -> str:
    try:
        return parse_month(args[key])
    except ValueError as exc:
        raise _Fail(exc.args[0] if exc.args and isinstance(exc.args[0], Msg) else str(exc),
                    field=key) from None


def _months(args: Doc) -> list[str] | None:
    """Inclusive ``from``..``to``; None when neither is given (every month)."""
    if args.get("from") is None and args.get("to") is None:
        return None
    if args.get("from") is None or args.get("to") is None:
        raise _Fail(Msg("from_and_to"),
                    field="to" if args.get("to") is None else "from")
    first, last = month_ordinal(_month(args, "from")), month_ordinal(_month(args, "to"))
    if last < first:
        raise _Fail(Msg("to_before_from", last=args["to"], first=args["from"]), field="to")
    return [ordinal_month(o) for o in range(first, last + 1)]


def _record(doc: Doc, table: str, rid: Any, what: str, field: str) -> Doc:
    for record in doc[table]:
        if record.get("id") == rid:
            return record
    known = [str(r.get("id")) for r in doc[table]]
    raise _Fail(Msg("unknown_record", what=Msg(f"noun.{what}"), id=short(rid),
                    hint=_hint(rid, known)), field=field, id=str(rid))


def _ids(doc: Doc, table: str) -> set[str]:
    return {str(r["id"]) for r in doc[table]}


def _pin_months(pin: Doc) -> set[str]:
    first = str(pin.get("month") or pin.get("from"))
    last = str(pin.get("month") or pin.get("to") or first)
    return {ordinal_month(o) for o in range(month_ordinal(first), month_ordinal(last) + 1)}


# ----- operations -----------------------------------------------------------------------
def _change_capacity(doc: Doc, args: Doc, key: str, new: Callable[[int], int]) -> None:
    dept = _record(doc, "departments", args["department"], "department", "department")
    months = _months(args)

    def checked(value: int, month: str) -> int:
        if value < 0:
            raise _Fail(Msg("capacity_below_zero", department=dept["id"], month=month,
                            value=value),
                        field=key, id=str(dept["id"]))
        return value

    by_month: dict[str, int] = dict(dept.get("capacity_by_month") or {})
    if months is None:
        dept["capacity"] = checked(new(dept["capacity"]), Msg("every_month"))
        by_month = {m: checked(new(c), m) for m, c in by_month.items()}
    else:
        for m in months:
            by_month[m] = checked(new(by_month.get(m, int(dept["capacity"]))), m)
    dept["capacity_by_month"] = by_month


def add_capacity(doc: Doc, value: Any, notes: list[str]) -> None:
    args = _args(value, ("department", "amount"), ("from", "to"))
    amount = _int(args, "amount")
    _change_capacity(doc, args, "amount", lambda c: c + amount)


def add_buddies(doc: Doc, value: Any, notes: list[str]) -> None:
    args = _args(value, ("department", "count"), ("max_learners", "unavailable"))
    did = _record(doc, "departments", args["department"], "department", "department")["id"]
    count = _int(args, "count", minimum=1)
    if count > 1000:
        raise _Fail(Msg("at_most", most=1000, value=count), field="count")
    existing, number = _ids(doc, "buddies"), 0
    for _ in range(count):
        number += 1
        while f"{did}-b{number}" in existing:
            number += 1
        existing.add(f"{did}-b{number}")
        doc["buddies"].append({"id": f"{did}-b{number}", "department": did,
                               "max_learners": args.get("max_learners"),
                               "unavailable": args.get("unavailable") or []})


def set_capacity(doc: Doc, value: Any, notes: list[str]) -> None:
    args = _args(value, ("department", "capacity"), ("from", "to"))
    capacity = _int(args, "capacity", minimum=0)
    _change_capacity(doc, args, "capacity", lambda c: capacity)


_DEPARTMENT_FIELDS = ("sector", "capacity_by_month", "levels", "lat", "lon")


def add_department(doc: Doc, value: Any, notes: list[str]) -> None:
    args = _args(value, ("id", "organisation", "shifts", "capacity"),
                 (*_DEPARTMENT_FIELDS, "buddies", "buddy_max_learners"))
    did = str(args["id"])
    if did in _ids(doc, "departments"):
        raise _Fail(Msg("exists_already", what=Msg("noun.department"), id=did), field="id",
                    id=did)
    _record(doc, "organisations", args["organisation"], "organisation", "organisation")
    buddies = args.pop("buddies", 0)
    max_learners = args.pop("buddy_max_learners", None)
    if isinstance(buddies, int) and not isinstance(buddies, bool):
        if not 0 <= buddies <= 1000:
            raise _Fail(Msg("buddies_count", value=buddies),
                        field="buddies", id=did)
        buddies = [{"id": f"{did}-b{k}", "max_learners": max_learners}
                   for k in range(1, buddies + 1)]
    if not isinstance(buddies, list) or not all(isinstance(b, dict) for b in buddies):
        raise _Fail(Msg("buddies_form"),
                    field="buddies", id=did)
    existing = _ids(doc, "buddies")
    for b in buddies:
        if b.get("id") in existing:
            raise _Fail(Msg("exists_already", what=Msg("noun.buddy"), id=b["id"]),
                        field="buddies", id=did)
    doc["departments"].append(args)
    doc["buddies"].extend({"department": did, **b} for b in buddies)


_LEARNER_FIELDS = ("home", "level", "lat", "lon", "max_travel_km", "preferences", "unavailable")


def add_learners(doc: Doc, value: Any, notes: list[str]) -> None:
    existing = _ids(doc, "learners")
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, dict):
                raise _Fail(Msg("learner_not_mapping", value=short(item)))
            lid = item.get("id")
            if isinstance(lid, str) and lid in existing:
                raise _Fail(Msg("exists_already", what=Msg("noun.learner"), id=lid), field="id",
                            id=lid)
            existing.add(str(lid))
        doc["learners"].extend(dict(item) for item in value)
        return
    args = _args(value, ("count", "programme", "start"), (*_LEARNER_FIELDS, "id_prefix"))
    count = _int(args, "count", minimum=1)
    _record(doc, "programmes", args["programme"], "programme", "programme")
    if args.get("home") is not None:
        _record(doc, "organisations", args["home"], "organisation", "home")
    if count > MAX_NEW_LEARNERS:
        raise _Fail(Msg("at_most", most=msg_count(MAX_NEW_LEARNERS), value=count),
                    field="count")
    prefix = str(args.pop("id_prefix", f"new-{args['programme']}-"))
    del args["count"]
    width, number = max(2, len(str(count))), 0
    for _ in range(count):
        number += 1
        while f"{prefix}{number:0{width}d}" in existing:
            number += 1
        lid = f"{prefix}{number:0{width}d}"
        existing.add(lid)
        doc["learners"].append({"id": lid, **args})


def remove_learners(doc: Doc, value: Any, notes: list[str]) -> None:
    ids = value if isinstance(value, list) else _args(value, ("ids",), scalar="ids")["ids"]
    ids = ids if isinstance(ids, list) else [ids]
    known = _ids(doc, "learners")
    for lid in ids:
        if not isinstance(lid, str) or lid not in known:
            raise _Fail(Msg("unknown_record", what=Msg("noun.learner"), id=short(lid),
                            hint=_hint(lid, known)), field="ids", id=str(lid))
    gone = set(ids)
    pins = [p for p in doc["pins"] if p["learner"] in gone]
    doc["learners"] = [r for r in doc["learners"] if r["id"] not in gone]
    doc["pins"] = [p for p in doc["pins"] if p["learner"] not in gone]
    if pins:
        notes.append(Msg("pins_of_removed", n=len(pins)))


def _drop_departments(doc: Doc, depts: set[str], refs: set[str], what: str,
                      notes: list[str]) -> None:
    """Remove departments, their buddies and pins; drop references from learners."""
    doc["departments"] = [d for d in doc["departments"] if d["id"] not in depts]
    doc["buddies"] = [b for b in doc["buddies"] if b["department"] not in depts]
    dropped = sorted({p["learner"] for p in doc["pins"] if p["department"] in depts})
    doc["pins"] = [p for p in doc["pins"] if p["department"] not in depts]
    if dropped:
        notes.append(Msg("pins_dropped", what=what, learners=", ".join(dropped)))
    prefs, history = [], []
    for lr in doc["learners"]:
        if any(p in refs for p in lr.get("preferences") or ()):
            lr["preferences"] = [p for p in lr["preferences"] if p not in refs]
            prefs.append(lr["id"])
        if any(h in depts for h in lr.get("history") or ()):
            lr["history"] = [h for h in lr["history"] if h not in depts]
            history.append(lr["id"])
    if prefs:
        notes.append(Msg("preferences_dropped", what=what, learners=", ".join(prefs)))
    if history:
        notes.append(Msg("history_dropped", what=what, learners=", ".join(history)))


def remove_department(doc: Doc, value: Any, notes: list[str]) -> None:
    did = _record(doc, "departments", _args(value, ("id",), scalar="id")["id"], "department",
                  "id")["id"]
    if len(doc["departments"]) == 1:
        raise _Fail(Msg("only_department"), field="id", id=did)
    _drop_departments(doc, {did}, {did}, f"remove_department {did}", notes)


def remove_organisation(doc: Doc, value: Any, notes: list[str]) -> None:
    org = _record(doc, "organisations", _args(value, ("id",), scalar="id")["id"],
                  "organisation", "id")
    oid = org["id"]
    depts = {d["id"] for d in doc["departments"] if d["organisation"] == oid}
    if len(doc["organisations"]) == 1 or len(depts) == len(doc["departments"]):
        raise _Fail(Msg("only_organisation"), field="id", id=oid)
    doc["organisations"] = [o for o in doc["organisations"] if o["id"] != oid]
    what = f"remove_organisation {oid}"
    _drop_departments(doc, depts, depts | {oid}, what, notes)
    employed = []
    for lr in doc["learners"]:
        if lr.get("home") == oid:
            lr["home"] = None
            if lr.get("lat") is None:
                lr["lat"], lr["lon"] = org["lat"], org["lon"]
            employed.append(lr["id"])
    if employed:
        notes.append(Msg("homeless", what=what, n=len(employed), learners=", ".join(employed)))


def buddy_unavailable(doc: Doc, value: Any, notes: list[str]) -> None:
    args = _args(value, ("buddy",), ("from", "to", "months"))
    buddy = _record(doc, "buddies", args["buddy"], "buddy", "buddy")
    if args.get("months") is not None:
        if args.get("from") is not None or args.get("to") is not None:
            raise _Fail(Msg("months_or_range"), field="months")
        raw = args["months"] if isinstance(args["months"], list) else [args["months"]]
        months = {_month({"months": m}, "months") for m in raw}
    else:
        if args.get("from") is None:
            raise _Fail(Msg("from_or_months"), field="from")
        months = set(_months({"to": args["from"], **args}) or ())
    buddy["unavailable"] = sorted(set(buddy.get("unavailable") or ()) | months)
    for pin in doc["pins"]:
        if pin.get("buddy") == buddy["id"] and _pin_months(pin) & months:
            pin["buddy"] = None
            notes.append(Msg("pin_buddy_dropped", buddy=buddy["id"], learner=pin["learner"],
                             department=pin["department"]))


def set_policy(doc: Doc, value: Any, notes: list[str]) -> None:
    if not isinstance(value, dict) or not value:
        raise _Fail(Msg("policy_not_mapping", value=short(value)))
    merged = {**doc["policy"], **value}
    if isinstance(value.get("weights"), dict):
        merged["weights"] = {**doc["policy"]["weights"], **value["weights"]}
    try:
        doc["policy"] = Policy.model_validate(merged).model_dump(mode="json")
    except ValidationError as exc:
        fld, message = friendly(exc.errors()[0])
        raise _Fail(message, field=".".join(map(str, exc.errors()[0]["loc"])) or fld) from None


# ----- the operations `scheduler explain` suggests (each written as a variant file) ------
def buddy_available(doc: Doc, value: Any, notes: list[str]) -> None:
    """The buddy is there after all from ``from`` to ``to`` (leave moved, course later)."""
    args = _args(value, ("buddy", "from", "to"))
    buddy = _record(doc, "buddies", args["buddy"], "buddy", "buddy")
    free = set(_months(args) or ())
    buddy["unavailable"] = [m for m in buddy.get("unavailable") or () if m not in free]


LEARNER_SETTINGS = ("max_travel_km", "level")


def set_learner(doc: Doc, value: Any, notes: list[str]) -> None:
    args = _args(value, ("learner",), LEARNER_SETTINGS)
    learner = _record(doc, "learners", args.pop("learner"), "learner", "learner")
    if not args:
        raise _Fail(Msg("at_least_one_of", fields=", ".join(LEARNER_SETTINGS)))
    learner.update(args)


def add_level(doc: Doc, value: Any, notes: list[str]) -> None:
    """The department also accepts learners of ``level`` (when it lists levels)."""
    args = _args(value, ("department", "level"))
    dept = _record(doc, "departments", args["department"], "department", "department")
    level = _int(args, "level")
    if dept.get("levels") is not None and level not in dept["levels"]:
        dept["levels"] = sorted([*dept["levels"], level])


def remove_pin(doc: Doc, value: Any, notes: list[str]) -> None:
    """Drop the pin of ``learner`` in ``department`` covering ``from``..``to`` exactly."""
    args = _args(value, ("learner", "department", "from", "to"))
    months = set(_months(args) or ())
    kept = [p for p in doc["pins"] if not (p["learner"] == args["learner"] and p["department"]
                                           == args["department"] and _pin_months(p) == months)]
    if len(kept) == len(doc["pins"]):
        raise _Fail(Msg("no_such_pin", learner=args["learner"], department=args["department"],
                        first=args["from"], last=args["to"]),
                    field="learner", id=str(args["learner"]))
    doc["pins"] = kept


OPERATIONS: dict[str, Callable[[Doc, Any, list[str]], None]] = {
    "add_capacity": add_capacity,
    "set_capacity": set_capacity,
    "add_buddies": add_buddies,
    "add_department": add_department,
    "remove_department": remove_department,
    "add_learners": add_learners,
    "remove_learners": remove_learners,
    "remove_organisation": remove_organisation,
    "buddy_unavailable": buddy_unavailable,
    "set_policy": set_policy,
    "buddy_available": buddy_available,
    "set_learner": set_learner,
    "add_level": add_level,
    "remove_pin": remove_pin,
}
