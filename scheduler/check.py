"""The independent checker: every hard rule of SPEC §3, re-checked from Scenario + Plan.

It trusts nothing from the solver and imports nothing from it (a test scans the imports):
``check`` runs it on a plan read from ``plan.csv``, also a hand-edited one. All violations
are collected, not just the first. The plan is grouped once (:class:`PlanView`); each rule
is one small ``check_<rule>`` function, registered in :data:`CHECKS` in SPEC order.

Conventions (documented in the README): a learner is placed in full or unplaced; a placed
learner's own unavailable month has status ``unavailable`` (department kept, no buddy, no
capacity used); pin months outside the learner's planned months are ignored; rules 4, 7
and 8 judge every department a placement's rows name; rules 5 and 6 count the ``history``
departments together with the first department of each planned placement; malformed rows
(unknown ids, missing, extra or duplicate months, wrong index, mixed statuses) are rule 1
(``RuleId.PLACEMENT``) and are skipped by the other rules where they cannot be judged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from .models import (
    PlacementSpan,
    Plan,
    PlanRow,
    RowStatus,
    RuleId,
    Scenario,
    month_ordinal,
    ordinal_month,
)

TRAVEL_TOLERANCE_KM = 1e-6
FAIR_SHARE_EPSILON = 1e-9
_PLACED, _UNAVAILABLE, _UNPLACED = RowStatus.PLACED, RowStatus.UNAVAILABLE, RowStatus.UNPLACED


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
        head = f"[{self.rule.value} §{self.rule.spec_section}]"
        where = " ".join(p for p in (self.learner, self.department, self.buddy, self.month) if p)
        return f"{head} {where}: {self.message}" if where else f"{head} {self.message}"


def _months(ordinals: Iterable[int]) -> str:
    """Ordinals → ``2027-09..2027-11, 2028-02`` (consecutive months as ranges)."""
    runs: list[list[int]] = []
    for o in sorted(ordinals):
        if runs and o == runs[-1][1] + 1:
            runs[-1][1] = o
        else:
            runs.append([o, o])
    return ", ".join(
        ordinal_month(a) if a == b else f"{ordinal_month(a)}..{ordinal_month(b)}" for a, b in runs
    )


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


# ----- rule 1: rows, placements, pins --------------------------------------------------
def _check_membership(v: PlanView) -> Iterator[Violation]:
    for lid in sorted(v.rows_of.keys() - v.scenario.learner.keys()):
        n = len(v.rows_of[lid])
        yield Violation(RuleId.PLACEMENT, f"not a learner of the scenario ({n} rows)", lid)
    for lr in v.scenario.learners:
        if lr.id not in v.rows_of and v.expected[lr.id]:
            yield Violation(RuleId.PLACEMENT, "learner has no rows in the plan", lr.id)


def _check_months(v: PlanView, lid: str) -> Iterator[Violation]:
    expected = v.expected[lid]
    counts = Counter(v.ordinal[r.month] for r in v.rows_of[lid])
    missing = expected.keys() - counts.keys()
    extra = counts.keys() - expected.keys()
    if missing:
        yield Violation(RuleId.PLACEMENT, f"missing rows for {_months(missing)}", lid)
    if extra:
        yield Violation(
            RuleId.PLACEMENT, f"rows outside the learner's programme: {_months(extra)}", lid
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
                f"placement {span.index} ({_months(span.planned)}) changes department: "
                f"{', '.join(depts)}",
                lid,
                month=ordinal_month(span.planned.start),
            )


def check_placement(v: PlanView) -> Iterator[Violation]:
    """§3.1: one row per planned month, one department per placement, consistent rows."""
    yield from _check_membership(v)
    for lid in sorted(v.rows_of.keys() & v.scenario.learner.keys()):
        yield from _check_months(v, lid)
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


# ----- rules 2 and 3: occupancy ---------------------------------------------------------
def check_capacity(v: PlanView) -> Iterator[Violation]:
    """§3.2: learners present (status ``placed``) per department and month ≤ capacity."""
    s = v.scenario
    for (dept, o), learners in sorted(v.occupancy[0].items()):
        cap = s.department_capacity(dept, o)
        if len(learners) > cap:
            yield Violation(
                RuleId.CAPACITY,
                f"{len(learners)} learners present, capacity {cap} ({', '.join(sorted(learners))})",
                department=dept,
                month=ordinal_month(o),
            )


def _buddy_row_problem(v: PlanView, o: int, row: PlanRow) -> str | None:
    s = v.scenario
    if row.status is _UNAVAILABLE:
        return "a buddy is named in the learner's unavailable month" if row.buddy else None
    if row.status is not _PLACED:
        return None
    if not row.buddy:
        return "no buddy named"
    buddy = s.buddy.get(row.buddy)
    if buddy is None:
        return None  # unknown buddy: check_placement reports it
    if buddy.department != row.department:
        return f"buddy {buddy.id} is of department {buddy.department}, not {row.department}"
    if o in s.buddy_unavailable[buddy.id]:
        return f"buddy {buddy.id} is unavailable this month"
    return None


def check_buddy(v: PlanView) -> Iterator[Violation]:
    """§3.3: an available buddy of the department each present month; max_learners holds."""
    s = v.scenario
    for lid, rows in sorted(v.rows_of.items()):
        for row in rows:
            problem = _buddy_row_problem(v, v.ordinal[row.month], row)
            if problem:
                yield Violation(RuleId.BUDDY, problem, lid, row.department, row.buddy, row.month)
    for (bid, o), learners in sorted(v.occupancy[1].items()):
        most = s.buddy_max(s.buddy[bid])
        if len(learners) > most:
            yield Violation(
                RuleId.BUDDY,
                f"guides {len(learners)} learners, max_learners {most} "
                f"({', '.join(sorted(learners))})",
                department=s.buddy[bid].department,
                buddy=bid,
                month=ordinal_month(o),
            )


# ----- rules 4 to 8: per placed learner -------------------------------------------------
def _used(v: PlanView, lid: str) -> Iterator[tuple[PlacementSpan, str]]:
    """(placement, department) for every known department a placed learner's rows name."""
    known = v.scenario.department
    for span, depts in v.span_departments[lid]:
        for d in depts:
            if d in known:
                yield span, d


def check_starter_shifts(v: PlanView) -> Iterator[Violation]:
    """§3.4: placements overlapping the first starter months are in ``fixed`` departments."""
    s = v.scenario
    for lid in v.placed:
        learner = s.learner[lid]
        n = s.learner_programme(learner).starter_fixed_shifts_months
        for span, d in _used(v, lid):
            if s.needs_fixed_shifts(learner, span) and not s.is_fixed(d):
                yield Violation(
                    RuleId.STARTER_SHIFTS,
                    f"placement {span.index} is in a rotating department (wisseldiensten), "
                    f"but the first {n} months of the programme need fixed shifts",
                    lid, d, month=ordinal_month(span.planned.start),
                )


def check_carrousel(v: PlanView) -> Iterator[Violation]:
    """§3.5: at least ``carrousel_min_away`` placements away from home (history counted)."""
    s = v.scenario
    for lid in v.placed:
        learner = s.learner[lid]
        need = s.learner_programme(learner).carrousel_min_away
        if need == 0:
            continue
        planned = v.placement_departments(lid)
        if not learner.home:  # BOL: every placement is away
            away = len(learner.history) + len(planned)
        else:
            depts = [d for d in (*learner.history, *planned) if d in s.department]
            away = sum(1 for d in depts if s.department[d].organisation != learner.home)
        if away < need:
            yield Violation(
                RuleId.CARROUSEL,
                f"{away} placements away from home {learner.home or '(none)'}, "
                f"carrousel_min_away {need}",
                lid,
            )


def check_required_sectors(v: PlanView) -> Iterator[Violation]:
    """§3.6: every required sector is the sector of some placement (history counted)."""
    s = v.scenario
    for lid in v.placed:
        learner = s.learner[lid]
        required = s.learner_programme(learner).required_sectors
        if not required:
            continue
        depts = (*learner.history, *v.placement_departments(lid))
        covered = {s.department_sector(d) for d in depts if d in s.department}
        for sector in required:
            if sector not in covered:
                yield Violation(
                    RuleId.REQUIRED_SECTORS, f"no placement in required sector {sector}", lid
                )


def check_distinct_departments(v: PlanView) -> Iterator[Violation]:
    """§3.6: with ``distinct_departments``, no department twice (history counted)."""
    s = v.scenario
    for lid in v.placed:
        learner = s.learner[lid]
        if not s.learner_programme(learner).distinct_departments:
            continue
        counts = Counter((*learner.history, *v.placement_departments(lid)))
        for dept, n in sorted(counts.items()):
            if n > 1:
                yield Violation(
                    RuleId.DISTINCT_DEPARTMENTS,
                    f"department used for {n} placements (history included)",
                    lid,
                    dept,
                )


def check_level(v: PlanView) -> Iterator[Violation]:
    """§3.7: the learner's level is one the department accepts (when it lists levels)."""
    s = v.scenario
    for lid in v.placed:
        level = s.learner[lid].level
        if level is None:
            continue
        for span, d in _used(v, lid):
            levels = s.department[d].levels
            if levels is not None and level not in levels:
                yield Violation(
                    RuleId.LEVEL,
                    f"placement {span.index}: level {level} not accepted "
                    f"(levels {', '.join(map(str, levels)) or 'none'})",
                    lid, d, month=ordinal_month(span.planned.start),
                )


def check_travel(v: PlanView) -> Iterator[Violation]:
    """§3.8: great-circle km learner → department ≤ max_travel_km (unknown location: 0)."""
    s = v.scenario
    for lid in v.placed:
        learner = s.learner[lid]
        limit = s.learner_max_travel(learner)
        for span, d in _used(v, lid):
            km = s.travel_km(learner, d)
            if km > limit + TRAVEL_TOLERANCE_KM:
                yield Violation(
                    RuleId.TRAVEL,
                    f"placement {span.index}: {km:.1f} km, max_travel_km {limit:g}",
                    lid, d, month=ordinal_month(span.planned.start),
                )


# ----- rule 9 ---------------------------------------------------------------------------
def check_fair_share(v: PlanView) -> Iterator[Violation]:
    """§3.9: hosted learner-months within ±tolerance of the FTE-proportional share."""
    s = v.scenario
    tolerance = s.policy.fair_share_tolerance
    if tolerance is None:
        return
    counts = Counter(r.organisation for r in v.plan.rows if r.status is _PLACED)
    hosted = {o.id: counts.get(o.id, 0) for o in s.organisations}
    total = sum(hosted.values())
    for org, h in hosted.items():
        target = total * s.fte_share(org)
        if abs(h - target) > tolerance * target + FAIR_SHARE_EPSILON:
            low, high = target * (1 - tolerance), target * (1 + tolerance)
            yield Violation(
                RuleId.FAIR_SHARE,
                f"organisation {org} hosts {h} learner-months; fair share {target:.1f} "
                f"± {tolerance:.0%} ({low:.1f}–{high:.1f})",
            )


CheckFn = Callable[[PlanView], Iterable[Violation]]

#: Every rule's check, in SPEC §3 order. A test asserts each RuleId is registered.
CHECKS: tuple[tuple[RuleId, CheckFn], ...] = (
    (RuleId.PLACEMENT, check_placement),
    (RuleId.PIN, check_pins),
    (RuleId.CAPACITY, check_capacity),
    (RuleId.BUDDY, check_buddy),
    (RuleId.STARTER_SHIFTS, check_starter_shifts),
    (RuleId.CARROUSEL, check_carrousel),
    (RuleId.REQUIRED_SECTORS, check_required_sectors),
    (RuleId.DISTINCT_DEPARTMENTS, check_distinct_departments),
    (RuleId.LEVEL, check_level),
    (RuleId.TRAVEL, check_travel),
    (RuleId.FAIR_SHARE, check_fair_share),
)


def check_plan(scenario: Scenario, plan: Plan) -> list[Violation]:
    """Every violation of SPEC §3 in the plan (empty: the plan satisfies every hard rule)."""
    view = PlanView(scenario, plan)
    return [violation for _, check in CHECKS for violation in check(view)]
