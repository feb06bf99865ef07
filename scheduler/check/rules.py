"""Occupancy (capacity, buddies), the per-learner rules and fair share (docs/rules.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..models import PlacementSpan, PlanRow, RowStatus, RuleId, ordinal_month
from ..words.messages import Fixed, Items, Msg
from .view import PlanView, Violation

TRAVEL_TOLERANCE_KM = 1e-6
FAIR_SHARE_EPSILON = 1e-9
_PLACED, _UNAVAILABLE = RowStatus.PLACED, RowStatus.UNAVAILABLE


# ----- rules 2 and 3: occupancy ---------------------------------------------------------
def check_capacity(v: PlanView) -> Iterator[Violation]:
    """Learners present (status ``placed``) per department and month ≤ capacity
    (docs/rules.md#capacity)."""
    s = v.scenario
    for (dept, o), learners in sorted(v.occupancy[0].items()):
        cap = s.department_capacity(dept, o)
        if len(learners) > cap:
            yield Violation(
                RuleId.CAPACITY,
                Msg("capacity", n=len(learners), capacity=cap,
                    learners=Items(tuple(sorted(learners)), len(learners))),
                department=dept,
                month=ordinal_month(o),
            )


def _buddy_row_problem(v: PlanView, o: int, row: PlanRow) -> str | None:
    s = v.scenario
    if row.status is _UNAVAILABLE:
        return Msg("buddy_when_away") if row.buddy else None
    if row.status is not _PLACED:
        return None
    if not row.buddy:
        return Msg("no_buddy_named")
    buddy = s.buddy.get(row.buddy)
    if buddy is None:
        return None  # unknown buddy: check_placement reports it
    if buddy.department != row.department:
        return Msg("buddy_elsewhere", buddy=buddy.id, department=buddy.department,
                   row=row.department)
    if o in s.buddy_unavailable[buddy.id]:
        return Msg("buddy_away", buddy=buddy.id)
    return None


def check_buddy(v: PlanView) -> Iterator[Violation]:
    """An available buddy of the department each present month; max_learners holds
    (docs/rules.md#buddy)."""
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
                Msg("buddy_load", n=len(learners), most=most,
                    learners=Items(tuple(sorted(learners)), len(learners))),
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
    """Placements overlapping the first starter months are in ``fixed`` departments
    (docs/rules.md#starter_shifts)."""
    s = v.scenario
    for lid in v.placed:
        learner = s.learner[lid]
        n = s.learner_programme(learner).starter_fixed_shifts_months
        for span, d in _used(v, lid):
            if s.needs_fixed_shifts(learner, span) and not s.is_fixed(d):
                yield Violation(
                    RuleId.STARTER_SHIFTS,
                    Msg("starter_rotating", index=span.index, n=n),
                    lid, d, month=ordinal_month(span.planned.start),
                )


def check_carrousel(v: PlanView) -> Iterator[Violation]:
    """At least ``carrousel_min_away`` placements away from home (history counted)
    (docs/rules.md#carrousel)."""
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
                Msg("carrousel", away=away, home=learner.home or Msg("none_home"), need=need),
                lid,
            )


def check_required_sectors(v: PlanView) -> Iterator[Violation]:
    """Every required sector is the sector of some placement (history counted)
    (docs/rules.md#required_sectors)."""
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
                    RuleId.REQUIRED_SECTORS, Msg("no_sector", sector=sector), lid
                )


def check_distinct_departments(v: PlanView) -> Iterator[Violation]:
    """With ``distinct_departments``, no department twice (history counted)
    (docs/rules.md#distinct_departments)."""
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
                    Msg("repeated_department", n=n),
                    lid,
                    dept,
                )


def check_level(v: PlanView) -> Iterator[Violation]:
    """The learner's level is one the department accepts (when it lists levels)
    (docs/rules.md#level)."""
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
                    Msg("level", index=span.index, level=level,
                        levels=Items(tuple(levels), len(levels)) if levels
                        else Msg("levels_none")),
                    lid, d, month=ordinal_month(span.planned.start),
                )


def check_travel(v: PlanView) -> Iterator[Violation]:
    """Great-circle km learner → department ≤ max_travel_km (unknown location: 0)
    (docs/rules.md#travel)."""
    s = v.scenario
    for lid in v.placed:
        learner = s.learner[lid]
        limit = s.learner_max_travel(learner)
        for span, d in _used(v, lid):
            km = s.travel_km(learner, d)
            if km > limit + TRAVEL_TOLERANCE_KM:
                yield Violation(
                    RuleId.TRAVEL,
                    Msg("travel", index=span.index, km=Fixed(km), limit=float(limit)),
                    lid, d, month=ordinal_month(span.planned.start),
                )


# ----- rule 9 ---------------------------------------------------------------------------
def check_fair_share(v: PlanView) -> Iterator[Violation]:
    """Hosted learner-months within ±tolerance of the FTE-proportional share
    (docs/rules.md#fair_share)."""
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
                Msg("fair_share", organisation=org, hosted=h, target=Fixed(target),
                    tolerance=Fixed(tolerance, 0, percent=True), low=Fixed(low),
                    high=Fixed(high)),
            )
