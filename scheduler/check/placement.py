"""Rows, placements and pins: ``RuleId.PLACEMENT`` and ``RuleId.PIN`` (docs/rules.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..models import PlanRow, RowStatus, RuleId, month_ordinal, ordinal_month
from ..words.format import months_text
from ..words.messages import Msg
from .view import PlanView, Violation

_PLACED, _UNAVAILABLE, _UNPLACED = RowStatus.PLACED, RowStatus.UNAVAILABLE, RowStatus.UNPLACED


def _check_membership(v: PlanView) -> Iterator[Violation]:
    for lid in sorted(v.rows_of.keys() - v.scenario.learner.keys()):
        n = len(v.rows_of[lid])
        yield Violation(RuleId.PLACEMENT, Msg("not_a_learner", n=n), lid)
    for lr in v.scenario.learners:
        if lr.id not in v.rows_of and v.expected[lr.id]:
            yield Violation(RuleId.PLACEMENT, Msg("no_rows"), lr.id)


def _checkmonths_text(v: PlanView, lid: str) -> Iterator[Violation]:
    expected = v.expected[lid]
    counts = Counter(v.ordinal[r.month] for r in v.rows_of[lid])
    missing = expected.keys() - counts.keys()
    extra = counts.keys() - expected.keys()
    if missing:
        yield Violation(RuleId.PLACEMENT, Msg("missing_rows", months=months_text(missing)), lid)
    if extra:
        yield Violation(
            RuleId.PLACEMENT, Msg("rows_outside", months=months_text(extra)), lid
        )
    for o in sorted(o for o, n in counts.items() if n > 1):
        month = ordinal_month(o)
        yield Violation(RuleId.PLACEMENT, Msg("double_rows", n=counts[o]), lid, month=month)
    statuses = Counter(r.status for r in v.rows_of[lid])
    if statuses[_UNPLACED] and len(statuses) > 1:
        yield Violation(
            RuleId.PLACEMENT,
            Msg("placed_in_part", unplaced=statuses[_UNPLACED], rows=sum(statuses.values())),
            lid,
        )


def _row_problems(v: PlanView, lid: str, o: int, row: PlanRow) -> Iterator[str]:
    s = v.scenario
    span = v.expected[lid].get(o)
    if span is not None and row.placement != span.index:
        yield Msg("placement_index", got=row.placement, expected=span.index)
    if row.status is _UNPLACED:
        if row.organisation or row.department or row.buddy:
            yield Msg("unplaced_names")
        return
    dept = s.department.get(row.department)
    if dept is None:
        yield Msg("unknown_department", department=row.department) if row.department \
            else Msg("no_department")
    elif row.organisation != dept.organisation:
        yield Msg("wrong_organisation", organisation=row.organisation, owner=dept.organisation)
    if row.buddy and row.buddy not in s.buddy:
        yield Msg("unknown_buddy", buddy=row.buddy)
    away = o in s.learner_unavailable[lid]
    if away and row.status is _PLACED:
        yield Msg("away_but_placed")
    if not away and row.status is _UNAVAILABLE:
        yield Msg("unavailable_but_here")


def _check_rows(v: PlanView, lid: str) -> Iterator[Violation]:
    for row in v.rows_of[lid]:
        for problem in _row_problems(v, lid, v.ordinal[row.month], row):
            yield Violation(RuleId.PLACEMENT, problem, lid, row.department, month=row.month)
    for span, depts in v.span_departments.get(lid, ()):
        if len(depts) > 1:
            yield Violation(
                RuleId.PLACEMENT,
                Msg("changes_department", index=span.index, months=months_text(span.planned),
                    departments=", ".join(depts)),
                lid,
                month=ordinal_month(span.planned.start),
            )


def check_placement(v: PlanView) -> Iterator[Violation]:
    """One row per planned month, one department per placement, consistent rows
    (docs/rules.md#placement)."""
    yield from _check_membership(v)
    for lid in sorted(v.rows_of.keys() & v.scenario.learner.keys()):
        yield from _checkmonths_text(v, lid)
        yield from _check_rows(v, lid)


def check_pins(v: PlanView) -> Iterator[Violation]:
    """A pinned learner is placed, in the pinned department (and buddy) each month
    (docs/rules.md#pin)."""
    placed = set(v.placed)
    for pin in v.scenario.pins:
        expected = v.expected.get(pin.learner, {})
        pinned = range(month_ordinal(pin.first), month_ordinal(pin.last) + 1)
        months = [o for o in pinned if o in expected]
        if not months:
            continue  # unknown learner or months outside the programme: validate reports
        if pin.learner not in placed:
            yield Violation(RuleId.PIN, Msg("pin_unplaced"), pin.learner, pin.department)
            continue
        row_at = {v.ordinal[r.month]: r for r in v.rows_of[pin.learner]}
        for o in months:
            row = row_at.get(o)
            if row is None:
                continue  # a missing row: check_placement reports it
            if row.department != pin.department:
                got = row.department or Msg("no_department")
                yield Violation(RuleId.PIN, Msg("pin_moved", department=pin.department, got=got),
                                pin.learner, pin.department, month=row.month)
            elif pin.buddy and row.status is _PLACED and row.buddy != pin.buddy:
                got = row.buddy or Msg("no_buddy")
                yield Violation(RuleId.PIN, Msg("pin_buddy_moved", buddy=pin.buddy, got=got),
                                pin.learner, pin.department, pin.buddy, row.month)
