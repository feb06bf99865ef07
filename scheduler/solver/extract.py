"""Turns a department per planned placement into a solver-free Plan (the rows of
plan.csv, docs/outputs.md)."""

from __future__ import annotations

from ..models import Plan, PlanRow, RowStatus, ordinal_month
from .buddies.naming import name_buddies_by_department
from .index import Index


def build_plan(ix: Index, assignment: dict[int, str], fixed: dict[tuple[str, int], str]) -> Plan:
    """``assignment`` maps row → department id; a learner missing a row is unplaced."""
    s = ix.scenario
    placed = ix.placed_learners(assignment)
    items = []
    for li in sorted(placed):
        lid = ix.learners[li].id
        for r in ix.rows_of[li]:
            row = ix.rows[r]
            items.append((lid, row.span.index, assignment[r], [ix.base + m for m in row.present]))
    buddies = name_buddies_by_department(s, items, fixed)
    out: list[PlanRow] = []
    for li, lr in enumerate(ix.learners):
        for r in ix.rows_of[li]:
            row = ix.rows[r]
            present = set(row.present)
            for m in row.months:
                month = ordinal_month(ix.base + m)
                if li not in placed:
                    out.append(
                        PlanRow(
                            learner=lr.id,
                            month=month,
                            placement=row.span.index,
                            status=RowStatus.UNPLACED,
                        )
                    )
                    continue
                dept = assignment[r]
                out.append(
                    PlanRow(
                        learner=lr.id,
                        month=month,
                        organisation=s.department[dept].organisation,
                        department=dept,
                        buddy=buddies.get((lr.id, ix.base + m), "") if m in present else "",
                        placement=row.span.index,
                        status=RowStatus.PLACED if m in present else RowStatus.UNAVAILABLE,
                    )
                )
    return Plan(rows=tuple(out))
