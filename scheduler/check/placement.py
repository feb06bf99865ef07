"""§3.1: rows, placements and pins (``RuleId.PLACEMENT``, ``RuleId.PIN``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..models import PlanRow, RowStatus, RuleId, month_ordinal, ordinal_month
from ..words.format import months_text
from .view import PlanView, Violation

_PLACED, _UNAVAILABLE, _UNPLACED = RowStatus.PLACED, RowStatus.UNAVAILABLE, RowStatus.UNPLACED


def _check_membership(v: PlanView) -> Iterator[Violation]:
    for lid in sorted(v.rows_of.keys() - v.scenario.learner.keys()):
        n = len(v.rows_of[lid])
        yield Violation(RuleId.PLACEMENT, f"not a learner of the scenario ({n} rows)", lid)
    for lr in v.scenario.learners:
        if lr.id not in v.rows_of and v.expected[lr.id]:
            yield Violation(RuleId.PLACEMENT, "learner has no rows in the plan", lr.id)


def _checkmonths_text(v: PlanView, lid: str) -> Iterator[Violation]:
    expected = v.expected[lid]
    counts = Counter(v.ordinal[r.month] for r in v.rows_of[lid])
    missing = expected.keys() - counts.keys()
    extra = counts.keys() - expected.keys()
    if missing:
        yield Violation(RuleId.PLACEMENT, f"missing rows for {months_text(missing)}", lid)
    if extra:
        yield Violation(
            RuleId.PLACEMENT, f"rows outside the learner's programme: {months_text(extra)}", lid
        )
    for o in sorted(o for o, n in counts.items() if n > 1):
        month = ordinal_month(o)
        yield Violation(RuleId.PLACEMENT, f"{counts[o]} rows for one month", lid, month=month)
    statuses = Counter(r.status for r in v.rows_of[lid])
    if statuses[_UNPLACED] and len(statuses) > 1:
        yield Violation(
            RuleId.PLACEMENT,
            f"placed in part: {statuses[_UNPLACED]} of {sum(statuses.values())} rows unplaced "
            "(a learner is placed in full or not at all)",
            lid,
        )


def _row_problems(v: PlanView, lid: str, o: int, row: PlanRow) -> Iterator[str]:
    s = v.scenario
    span = v.expected[lid].get(o)
    if span is not None and row.placement != span.index:
        yield f"placement index {row.placement}, expected {span.index}"
    if row.status is _UNPLACED:
        if row.organisation or row.department or row.buddy:
            yield "an unplaced row names an organisation, department or buddy"
        return
    dept = s.department.get(row.department)
    if dept is None:
        yield f"unknown department '{row.department}'" if row.department else "no department"
    elif row.organisation != dept.organisation:
        yield f"organisation '{row.organisation}', but the department is of {dept.organisation}"
    if row.buddy and row.buddy not in s.buddy:
        yield f"unknown buddy '{row.buddy}'"
    away = o in s.learner_unavailable[lid]
    if away and row.status is _PLACED:
        yield "the learner is unavailable this month: status must be 'unavailable'"
    if not away and row.status is _UNAVAILABLE:
        yield "status 'unavailable' in a month the learner is available"


def _check_rows(v: PlanView, lid: str) -> Iterator[Violation]:
    for row in v.rows_of[lid]:
        for problem in _row_problems(v, lid, v.ordinal[row.month], row):
            yield Violation(RuleId.PLACEMENT, problem, lid, row.department, month=row.month)
    for span, depts in v.span_departments.get(lid, ()):
        if len(depts) > 1:
            yield Violation(
                RuleId.PLACEMENT,
                f"placement {span.index} ({months_text(span.planned)}) changes department: "
                f"{', '.join(depts)}",
                lid,
                month=ordinal_month(span.planned.start),
            )


def check_placement(v: PlanView) -> Iterator[Violation]:
    """§3.1: one row per planned month, one department per placement, consistent rows."""
    yield from _check_membership(v)
    for lid in sorted(v.rows_of.keys() & v.scenario.learner.keys()):
        yield from _checkmonths_text(v, lid)
        yield from _check_rows(v, lid)


def check_pins(v: PlanView) -> Iterator[Violation]:
    """§3.1: a pinned learner is placed, in the pinned department (and buddy) each month."""
    placed = set(v.placed)
    for pin in v.scenario.pins:
        expected = v.expected.get(pin.learner, {})
        pinned = range(month_ordinal(pin.first), month_ordinal(pin.last) + 1)
        months = [o for o in pinned if o in expected]
        if not months:
            continue  # unknown learner or months outside the programme: validate reports
        if pin.learner not in placed:
            yield Violation(RuleId.PIN, "pinned learner is unplaced", pin.learner, pin.department)
            continue
        row_at = {v.ordinal[r.month]: r for r in v.rows_of[pin.learner]}
        for o in months:
            row = row_at.get(o)
            if row is None:
                continue  # a missing row: check_placement reports it
            if row.department != pin.department:
                got = row.department or "no department"
                yield Violation(RuleId.PIN, f"pinned to {pin.department}, plan has {got}",
                                pin.learner, pin.department, month=row.month)
            elif pin.buddy and row.status is _PLACED and row.buddy != pin.buddy:
                got = row.buddy or "no buddy"
                yield Violation(RuleId.PIN, f"pinned to buddy {pin.buddy}, plan has {got}",
                                pin.learner, pin.department, pin.buddy, row.month)
