"""Tiny scenario and plan builders for the checker tests (no scenario loaders involved).

``world()`` is the default tiny region (calendar 2027-09 .. 2028-02)::

    organisations  A (VVT, 100 FTE, 52.0 N 6.0 E)   B (GGZ, 100 FTE, 52.1 N 6.1 E; ~13 km from A)
    departments    A-1 fixed cap 1 | A-2 rotating cap 1 | B-1 fixed cap 1, levels 3 and 4
    buddies        a1 (A-1), a2 (A-2), b1 (B-1), each max_learners 1
    programme      p: two placements of 2 months
    learner        L1: home A, start 2027-09, level 3

so ``build_plan(world(), {"L1": ["A-1", "B-1"]})`` is a valid plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scheduler.models import Plan, PlanRow, RowStatus, Scenario, ordinal_month


def organisation(id: str, sector: str = "VVT", fte: float = 100.0, lat: float = 52.0,
                 lon: float = 6.0) -> dict[str, Any]:
    return {"id": id, "name": f"Org {id}", "sector": sector, "fte_care": fte, "lat": lat,
            "lon": lon}


def department(id: str, organisation: str, shifts: str = "fixed", capacity: int = 1,
               **extra: Any) -> dict[str, Any]:
    return {"id": id, "organisation": organisation, "shifts": shifts, "capacity": capacity,
            **extra}


def buddy(id: str, department: str, max_learners: int | None = 1, **extra: Any) -> dict[str, Any]:
    return {"id": id, "department": department, "max_learners": max_learners, **extra}


def programme(id: str = "p", placements: Sequence[int] = (2, 2), **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "bbl", "placements": list(placements), **extra}


def learner(id: str, home: str | None = "A", start: str = "2027-09", programme: str = "p",
            **extra: Any) -> dict[str, Any]:
    return {"id": id, "programme": programme, "home": home, "start": start, **extra}


def world_dict(**top: Any) -> dict[str, Any]:
    """The default tiny region as a dict; each keyword replaces one top-level key
    (``policy`` is merged into the default policy)."""
    data: dict[str, Any] = {
        "scenario": 1,
        "name": "tiny",
        "calendar": {"start": "2027-09", "months": 6},
        "policy": {},
        "organisations": [organisation("A"), organisation("B", "GGZ", lat=52.1, lon=6.1)],
        "departments": [
            department("A-1", "A"),
            department("A-2", "A", "rotating"),
            department("B-1", "B", levels=[3, 4]),
        ],
        "buddies": [buddy("a1", "A-1"), buddy("a2", "A-2"), buddy("b1", "B-1")],
        "programmes": [programme()],
        "learners": [learner("L1", level=3)],
        "pins": [],
    }
    policy = top.pop("policy", {})
    data.update(top)
    data["policy"] = {**data["policy"], **policy}
    return data


def world(**top: Any) -> Scenario:
    return Scenario.model_validate(world_dict(**top))


def first_buddy(scenario: Scenario, department: str, ordinal: int) -> str:
    """The first buddy of the department who is available in that month ("" if none)."""
    for b in scenario.buddies_of.get(department, ()):
        if ordinal not in scenario.buddy_unavailable[b.id]:
            return b.id
    return ""


def build_plan(
    scenario: Scenario,
    assignment: Mapping[str, Sequence[str] | None],
    buddies: Mapping[tuple[str, int], str] | None = None,
) -> Plan:
    """Rows for the learners in ``assignment``: a department per planned placement, or
    None for an unplaced learner. ``buddies`` maps (learner, month ordinal) to a buddy;
    months not in it get :func:`first_buddy`. Unavailable months get status
    ``unavailable`` and no buddy."""
    rows: list[PlanRow] = []
    for lid, depts in assignment.items():
        lr = scenario.learner[lid]
        spans = scenario.planned_spans(lr)
        if depts is not None and len(depts) != len(spans):
            raise ValueError(f"{lid}: {len(spans)} planned placements, got {len(depts)}")
        for k, span in enumerate(spans):
            for o in span.planned:
                fields: dict[str, Any] = {"learner": lid, "month": ordinal_month(o),
                                          "placement": span.index}
                if depts is None:
                    fields["status"] = RowStatus.UNPLACED
                else:
                    dept = depts[k]
                    fields["department"] = dept
                    fields["organisation"] = scenario.department[dept].organisation
                    if o in scenario.learner_unavailable[lid]:
                        fields["status"] = RowStatus.UNAVAILABLE
                    else:
                        fields["status"] = RowStatus.PLACED
                        given = (buddies or {}).get((lid, o))
                        fields["buddy"] = given if given is not None else first_buddy(
                            scenario, dept, o
                        )
                rows.append(PlanRow.model_validate(fields))
    return Plan(rows=tuple(rows))


def _matches(row: PlanRow, learner: str, month: str | None) -> bool:
    return row.learner == learner and (month is None or row.month == month)


def change_rows(plan: Plan, learner: str, month: str | None = None, **changes: Any) -> Plan:
    """The plan with the learner's row(s) (one month, or all) changed; fields validated."""
    if not any(_matches(r, learner, month) for r in plan.rows):
        raise ValueError(f"no row for {learner} {month or ''}")
    return Plan(rows=tuple(
        PlanRow.model_validate({**r.model_dump(), **changes}) if _matches(r, learner, month) else r
        for r in plan.rows
    ))


def drop_rows(plan: Plan, learner: str, month: str | None = None) -> Plan:
    rows = tuple(r for r in plan.rows if not _matches(r, learner, month))
    if len(rows) == len(plan.rows):
        raise ValueError(f"no row for {learner} {month or ''}")
    return Plan(rows=rows)


def add_row(plan: Plan, **fields: Any) -> Plan:
    return Plan(rows=(*plan.rows, PlanRow.model_validate(fields)))
