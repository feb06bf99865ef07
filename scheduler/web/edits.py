"""Scenario edits from the workbench page, besides capacity and pins (``planview``): a
buddy's leave, a learner's start and preferences, adding and removing learners.

Each edit returns a new scenario checked by the same rules as a file (the schema, then
``validate.reference_issues``), so what the page saves always loads again; a problem is an
``InputError`` naming the form, the table, the id and the field.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import InputError, InputIssue
from ..io.scenario_build import friendly
from ..models import Scenario, month_ordinal, ordinal_month
from ..models.calendar import parse_month
from ..validate import reference_issues
from ..words.messages import Msg
from .workspace import form_error

MAX_MONTHS = 120  # months changed at once (a typo of a year must not write centuries)


def _doc(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)


def _rebuilt(doc: dict[str, Any], table: str, id: str) -> Scenario:
    """The edited document as a scenario, or an InputError located at (table, id)."""
    try:
        scenario = Scenario.model_validate(doc)
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            _, message = friendly(err)
            field = next((str(p) for p in reversed(err.get("loc", ())) if isinstance(p, str)),
                         "")
            issues.append(InputIssue("form", message, table=table, id=id, field=field))
        raise InputError(issues) from None
    problems = reference_issues(scenario, "form")
    if problems:
        raise InputError(problems)
    return scenario


def _months(first: str, last: str, table: str) -> range:
    try:
        lo, hi = month_ordinal(parse_month(first)), month_ordinal(parse_month(last))
    except ValueError as exc:
        problem = exc.args[0] if exc.args else str(exc)
        raise form_error(Msg("web.month", problem=problem), table=table) from None
    if hi < lo:
        raise form_error(Msg("web.before", last=last, first=first), table=table)
    if hi - lo >= MAX_MONTHS:
        raise form_error(Msg("web.at_most_months", n=MAX_MONTHS), table=table)
    return range(lo, hi + 1)


def _row(rows: list[dict[str, Any]], id: str, table: str) -> dict[str, Any]:
    for row in rows:
        if row["id"] == id:
            return row
    raise form_error(Msg("web.unknown_id", id=id[:60]), table=table, id=id[:60])


def with_buddy_leave(scenario: Scenario, buddy: str, first: str, last: str,
                     away: bool) -> Scenario:
    """``buddy`` unavailable (``away``) or available again from ``first`` to ``last``."""
    doc = _doc(scenario)
    row = _row(doc["buddies"], buddy, "buddies")
    months = {ordinal_month(o) for o in _months(first, last, "buddies")}
    current = set(row.get("unavailable") or [])
    row["unavailable"] = sorted(current | months if away else current - months)
    return _rebuilt(doc, "buddies", buddy)


def preference_list(text: str) -> list[str]:
    """Department ids typed as "D1, D2; D3" (commas, semicolons or spaces), in order."""
    return [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]


def with_learner(scenario: Scenario, learner: str, start: str,
                 preferences: list[str]) -> Scenario:
    """The learner's start month and preferences (department ids, first choice first)."""
    doc = _doc(scenario)
    row = _row(doc["learners"], learner, "learners")
    row["start"] = start.strip()
    row["preferences"] = preferences
    return _rebuilt(doc, "learners", learner)


def with_new_learner(scenario: Scenario, learner: str, programme: str, home: str,
                     start: str, preferences: list[str]) -> Scenario:
    """A learner added (no name: the page asks for none; the workbook can add it)."""
    learner = learner.strip()
    if not learner:
        raise form_error(Msg("web.new_learner_id"), table="learners", field="id")
    if learner in scenario.learner:
        raise form_error(Msg("web.learner_exists", learner=learner[:60]), table="learners",
                         id=learner[:60], field="id")
    doc = _doc(scenario)
    row: dict[str, Any] = {"id": learner, "programme": programme, "start": start.strip(),
                           "preferences": preferences}
    if home:
        row["home"] = home
    doc["learners"].append(row)
    return _rebuilt(doc, "learners", learner)


def without_learner(scenario: Scenario, learner: str) -> Scenario:
    """The learner removed, with their pins (a pin of nobody would not load)."""
    doc = _doc(scenario)
    _row(doc["learners"], learner, "learners")
    doc["learners"] = [row for row in doc["learners"] if row["id"] != learner]
    doc["pins"] = [pin for pin in doc.get("pins", []) if pin["learner"] != learner]
    return _rebuilt(doc, "learners", learner)
