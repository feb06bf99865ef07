"""What the pictures, the workbook and the report show, computed from Scenario + Plan.

No matplotlib here: the workbook and the HTML tables use the same numbers as the
pictures, so they can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..models import Plan, RowStatus, Scenario, month_ordinal, ordinal_month


# ----- the month axis ------------------------------------------------------------------
def month_range(scenario: Scenario, plan: Plan) -> range:
    """Ordinals shown: the planning window, extended to the last month the plan covers."""
    last = max((month_ordinal(r.month) for r in plan.rows), default=scenario.calendar.end - 1)
    first = min((month_ordinal(r.month) for r in plan.rows), default=scenario.calendar.first)
    return range(min(first, scenario.calendar.first), max(last + 1, scenario.calendar.end))


# ----- occupancy -----------------------------------------------------------------------
@dataclass(frozen=True)
class Occupancy:
    """Per department (rows) and month (columns): present, capacity, buddy capacity."""

    months: range  # ordinals of the columns
    departments: tuple[str, ...]
    organisation_of: dict[str, str]
    present: np.ndarray  # learners with status placed
    capacity: np.ndarray  # department capacity (rule 2)
    buddy_capacity: np.ndarray  # sum of max_learners of available buddies (rule 3)

    @property
    def month_labels(self) -> list[str]:
        return [ordinal_month(o) for o in self.months]

    def by_organisation(self, organisations: tuple[str, ...]) -> Occupancy:
        """The same numbers summed per organisation (rows in ``organisations`` order)."""
        pos = {o: i for i, o in enumerate(organisations)}
        idx = np.array([pos[self.organisation_of[d]] for d in self.departments], dtype=int)

        def agg(a: np.ndarray) -> np.ndarray:
            out = np.zeros((len(organisations), a.shape[1]), dtype=a.dtype)
            np.add.at(out, idx, a)
            return out

        return Occupancy(
            self.months,
            organisations,
            {o: o for o in organisations},
            agg(self.present),
            agg(self.capacity),
            agg(self.buddy_capacity),
        )

    def use(self) -> np.ndarray:
        """present ÷ capacity; NaN where the capacity is 0 (shown as 'no capacity')."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.capacity > 0, self.present / np.maximum(self.capacity, 1), np.nan)


def occupancy(scenario: Scenario, plan: Plan) -> Occupancy:
    months = month_range(scenario, plan)
    depts = tuple(d.id for d in scenario.departments)
    pos = {d: i for i, d in enumerate(depts)}
    present = np.zeros((len(depts), len(months)), dtype=int)
    for r in plan.rows:
        if r.status is RowStatus.PLACED and r.department in pos:
            present[pos[r.department], month_ordinal(r.month) - months.start] += 1
    capacity = np.array(
        [[scenario.department_capacity(d, o) for o in months] for d in depts], dtype=int
    ).reshape(len(depts), len(months))
    buddy = np.array(
        [[scenario.buddy_capacity(d, o) for o in months] for d in depts], dtype=int
    ).reshape(len(depts), len(months))
    org_of = {d.id: d.organisation for d in scenario.departments}
    return Occupancy(months, depts, org_of, present, capacity, buddy)


# ----- buddy load ----------------------------------------------------------------------
@dataclass(frozen=True)
class BuddyLoad:
    months: range
    buddies: tuple[str, ...]
    load: np.ndarray  # learners guided per month
    maximum: tuple[int, ...]
    unavailable: np.ndarray  # bool


def buddy_load(scenario: Scenario, plan: Plan) -> BuddyLoad:
    months = month_range(scenario, plan)
    ids = tuple(b.id for b in scenario.buddies)
    pos = {b: i for i, b in enumerate(ids)}
    load = np.zeros((len(ids), len(months)), dtype=int)
    for r in plan.rows:
        if r.status is RowStatus.PLACED and r.buddy in pos:
            load[pos[r.buddy], month_ordinal(r.month) - months.start] += 1
    away = np.zeros_like(load, dtype=bool)
    for i, b in enumerate(ids):
        for o in scenario.buddy_unavailable[b]:
            if o in months:
                away[i, o - months.start] = True
    maximum = tuple(scenario.buddy_max(b) for b in scenario.buddies)
    return BuddyLoad(months, ids, load, maximum, away)


# ----- learners: bars and groups ---------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    """One placement of a placed learner, as drawn: months [first, end)."""

    placement: int
    department: str
    organisation: str
    first: int
    end: int
    away: bool
    unavailable: tuple[int, ...] = ()


@dataclass(frozen=True)
class LearnerLine:
    """One row of the Gantt chart."""

    learner: str
    programme: str
    home: str | None
    placed: bool
    bars: tuple[Bar, ...] = ()
    months: tuple[int, int] = (0, 0)  # [first, end) of the planned months
    starter: tuple[int, int] = (0, 0)  # [first, end) of starter months, clipped to the plan


@dataclass(frozen=True)
class Group:
    """Learners of one programme and home organisation (or the unplaced ones)."""

    programme: str
    home: str | None
    unplaced: bool
    lines: tuple[LearnerLine, ...]


def _bars(plan: Plan, learner_id: str, home: str | None) -> tuple[Bar, ...]:
    spans: dict[int, list[tuple[int, str, str, bool]]] = defaultdict(list)
    for r in plan.by_learner.get(learner_id, []):
        if r.status is not RowStatus.UNPLACED:
            spans[r.placement].append(
                (month_ordinal(r.month), r.department, r.organisation,
                 r.status is RowStatus.UNAVAILABLE)
            )
    bars = []
    for index in sorted(spans):
        rows = spans[index]
        first = min(o for o, *_ in rows)
        end = max(o for o, *_ in rows) + 1
        _, dept, org, _ = rows[0]
        away = home is not None and org != home
        unav = tuple(o for o, _, _, u in rows if u)
        bars.append(Bar(index, dept, org, first, end, away, unav))
    return tuple(bars)


def learner_line(scenario: Scenario, plan: Plan, learner_id: str) -> LearnerLine:
    learner = scenario.learner[learner_id]
    rows = plan.by_learner.get(learner_id, [])
    months = (month_ordinal(rows[0].month), month_ordinal(rows[-1].month) + 1) if rows else (0, 0)
    starter = scenario.starter_months(learner)
    s_first, s_end = max(starter.start, months[0]), min(starter.stop, months[1])
    placed = bool(rows) and all(r.status is not RowStatus.UNPLACED for r in rows)
    return LearnerLine(
        learner=learner_id,
        programme=learner.programme,
        home=learner.home,
        placed=placed,
        bars=_bars(plan, learner_id, learner.home) if placed else (),
        months=months,
        starter=(s_first, s_end) if s_end > s_first else (0, 0),
    )


def learner_groups(scenario: Scenario, plan: Plan) -> list[Group]:
    """Placed learners grouped by programme, then home organisation; unplaced ones last."""
    prog_pos = {p.id: i for i, p in enumerate(scenario.programmes)}
    org_pos = {o.id: i for i, o in enumerate(scenario.organisations)}
    known = [lid for lid in plan.by_learner if lid in scenario.learner]
    lines = [learner_line(scenario, plan, lid) for lid in known]
    start = {lr.id: month_ordinal(lr.start) for lr in scenario.learners}
    grouped: dict[tuple[str, str | None], list[LearnerLine]] = defaultdict(list)
    for line in lines:
        if line.placed:
            grouped[(line.programme, line.home)].append(line)

    def group_key(k: tuple[str, str | None]) -> tuple[int, int, str]:
        prog, home = k
        return (prog_pos.get(prog, 10**6), org_pos.get(home or "", 10**6), home or "")

    def line_key(line: LearnerLine) -> tuple[int, str]:
        return (start[line.learner], line.learner)

    groups = [
        Group(prog, home, False, tuple(sorted(grouped[(prog, home)], key=line_key)))
        for prog, home in sorted(grouped, key=group_key)
    ]
    unplaced = sorted(
        (ln for ln in lines if not ln.placed),
        key=lambda ln: (prog_pos.get(ln.programme, 10**6), start[ln.learner], ln.learner),
    )
    if unplaced:
        groups.append(Group("", None, True, tuple(unplaced)))
    return groups


# ----- pages of the Gantt chart -----------------------------------------------------------
@dataclass
class Page:
    """Consecutive learners of one or more groups; ``continued`` marks a split group."""

    blocks: list[tuple[Group, tuple[LearnerLine, ...], bool]] = field(default_factory=list)

    @property
    def learners(self) -> int:
        return sum(len(lines) for _, lines, _ in self.blocks)


def paginate(groups: list[Group], size: int, keep_groups: bool = True) -> list[Page]:
    """At most ``size`` learners a page; a group starts a new page rather than being split
    when it fits on one and the current page is at least half full (unless not
    ``keep_groups``: then pages are filled, for paper)."""
    pages: list[Page] = [Page()]
    used = 0
    for group in groups:
        lines = group.lines
        if (keep_groups and used and len(lines) > size - used and len(lines) <= size
                and used >= size // 2):
            pages.append(Page())
            used = 0
        continued = False
        while lines:
            room = size - used
            if room <= 0:
                pages.append(Page())
                used, room = 0, size
            take, lines = lines[:room], lines[room:]
            pages[-1].blocks.append((group, take, continued))
            used += len(take)
            continued = True
    return [p for p in pages if p.blocks]


# ----- fair share ----------------------------------------------------------------------
@dataclass(frozen=True)
class FairShare:
    organisations: tuple[str, ...]
    fte: np.ndarray
    hosted: np.ndarray  # learner-months placed, all plan rows
    target: np.ndarray  # FTE-proportional share of all hosted learner-months
    rate_per_100_fte: np.ndarray  # mean learners present per window month per 100 FTE
    quota: float


def fair_share(scenario: Scenario, plan: Plan) -> FairShare:
    orgs = tuple(o.id for o in scenario.organisations)
    fte = np.array([o.fte_care for o in scenario.organisations], dtype=float)
    hosted = np.zeros(len(orgs))
    in_window = np.zeros(len(orgs))
    pos = {o: i for i, o in enumerate(orgs)}
    window = range(scenario.calendar.first, scenario.calendar.end)
    for r in plan.rows:
        if r.status is RowStatus.PLACED and r.organisation in pos:
            hosted[pos[r.organisation]] += 1
            if month_ordinal(r.month) in window:
                in_window[pos[r.organisation]] += 1
    target = hosted.sum() * fte / fte.sum()
    rate = in_window / scenario.calendar.months / fte * 100.0
    return FairShare(orgs, fte, hosted, target, rate, scenario.policy.quota_per_100_fte)


__all__ = [
    "Bar",
    "BuddyLoad",
    "FairShare",
    "Group",
    "LearnerLine",
    "Occupancy",
    "Page",
    "buddy_load",
    "fair_share",
    "learner_groups",
    "learner_line",
    "month_range",
    "occupancy",
    "paginate",
]
