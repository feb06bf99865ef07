"""The plan grouped once for every check, and the violation record the checks yield."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ..models import PlacementSpan, Plan, PlanRow, RowStatus, RuleId, Scenario, month_ordinal
from ..words.messages import text_of

_PLACED, _UNPLACED = RowStatus.PLACED, RowStatus.UNPLACED


@dataclass(frozen=True)
class Violation:
    """One breach of a hard rule, with where it happens (empty fields: not applicable)."""

    rule: RuleId
    message: str
    learner: str = ""
    department: str = ""
    buddy: str = ""
    month: str = ""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "nl") -> str:
        """``[rule] learner department buddy month: message`` in ``lang`` (ids,
        months and the rule's id stay as they are)."""
        head = f"[{self.rule.value}]"
        where = " ".join(p for p in (self.learner, self.department, self.buddy, self.month) if p)
        message = text_of(self.message, lang)
        return f"{head} {where}: {message}" if where else f"{head} {message}"


Occupancy = dict[tuple[str, int], list[str]]


class PlanView:
    """The plan grouped once: rows per learner by month, occupancy per department/buddy."""

    def __init__(self, scenario: Scenario, plan: Plan) -> None:
        self.scenario = scenario
        self.plan = plan
        rows: dict[str, list[PlanRow]] = defaultdict(list)
        for row in plan.rows:
            rows[row.learner].append(row)
        for group in rows.values():
            group.sort(key=_month_of)  # YYYY-MM strings sort like months
        self.rows_of: dict[str, list[PlanRow]] = dict(rows)
        #: month string → ordinal, for every month in the plan
        self.ordinal: dict[str, int] = {m: month_ordinal(m) for m in {r.month for r in plan.rows}}

    @cached_property
    def spans(self) -> dict[str, list[PlacementSpan]]:
        """Planned placements of every scenario learner (shared per programme and start)."""
        s = self.scenario
        shared: dict[tuple[str, str], list[PlacementSpan]] = {}
        for lr in s.learners:
            if (lr.programme, lr.start) not in shared:
                shared[(lr.programme, lr.start)] = s.planned_spans(lr)
        return {lr.id: shared[(lr.programme, lr.start)] for lr in s.learners}

    @cached_property
    def expected(self) -> dict[str, dict[int, PlacementSpan]]:
        """Learner → planned month ordinal → its placement: exactly the rows a plan needs."""
        shared: dict[int, dict[int, PlacementSpan]] = {}  # by id() of the shared span list
        for sps in self.spans.values():
            if id(sps) not in shared:
                shared[id(sps)] = {o: sp for sp in sps for o in sp.planned}
        return {lid: shared[id(sps)] for lid, sps in self.spans.items()}

    @cached_property
    def placed(self) -> list[str]:
        """Scenario learners with at least one row that is not ``unplaced`` (sorted)."""
        return sorted(
            lid
            for lid, rows in self.rows_of.items()
            if lid in self.scenario.learner and any(r.status is not _UNPLACED for r in rows)
        )

    @cached_property
    def span_departments(self) -> dict[str, list[tuple[PlacementSpan, list[str]]]]:
        """Placed learner → each planned placement with the departments its rows name."""
        out: dict[str, list[tuple[PlacementSpan, list[str]]]] = {}
        ordinal = self.ordinal
        for lid in self.placed:
            expected = self.expected[lid]
            seen: dict[int, dict[str, None]] = defaultdict(dict)
            for row in self.rows_of[lid]:
                span = expected.get(ordinal[row.month])
                if span is not None and row.status is not _UNPLACED and row.department:
                    seen[span.index][row.department] = None
            out[lid] = [(sp, list(seen.get(sp.index, ()))) for sp in self.spans[lid]]
        return out

    def placement_departments(self, learner_id: str) -> list[str]:
        """The (first known) department of each planned placement that has one."""
        known = self.scenario.department
        out = []
        for _, depts in self.span_departments[learner_id]:
            first = next((d for d in depts if d in known), None)
            if first is not None:
                out.append(first)
        return out

    @cached_property
    def occupancy(self) -> tuple[Occupancy, Occupancy]:
        """Learners of ``placed`` rows per (known department, month), per (known buddy, month)."""
        departments, buddies = self.scenario.department, self.scenario.buddy
        by_dept: dict[tuple[str, int], list[str]] = defaultdict(list)
        by_buddy: dict[tuple[str, int], list[str]] = defaultdict(list)
        ordinal = self.ordinal
        for row in self.plan.rows:
            if row.status is _PLACED:
                o = ordinal[row.month]
                if row.department in departments:
                    by_dept[(row.department, o)].append(row.learner)
                if row.buddy in buddies:
                    by_buddy[(row.buddy, o)].append(row.learner)
        return by_dept, by_buddy


def _month_of(row: PlanRow) -> str:
    return row.month
