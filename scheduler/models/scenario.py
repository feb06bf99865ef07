"""The scenario (docs/scenario-format.md) and the views a solver, checker or report needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from pydantic import Field

from .base import Frozen
from .calendar import Calendar, month_ordinal
from .geo import distance_km
from .learner import Learner, Pin
from .organisation import Buddy, Department, Organisation, ShiftKind
from .policy import Policy
from .programme import Programme


@dataclass(frozen=True)
class PinnedBuddyConflict:
    """A pin's buddy that cannot hold in one month (see ``Scenario.pinned_buddies``)."""

    learner: str
    ordinal: int
    buddy: str
    kind: Literal["unavailable", "two_buddies", "over_max"]


@dataclass(frozen=True)
class PlacementSpan:
    """One placement of one learner, as absolute month ordinals."""

    index: int  # 1-based placement number
    first: int  # ordinal of its first month
    end: int  # ordinal one past its last month
    window_first: int  # ordinal of the calendar's first month

    @property
    def is_history(self) -> bool:
        """Ended before the planning window: not planned, only counted (rules 5, 6)."""
        return self.end <= self.window_first

    @property
    def planned(self) -> range:
        """The months of this placement that are planned (from the window's start on)."""
        return range(max(self.first, self.window_first), self.end)


class Scenario(Frozen):
    scenario: Literal[1] = 1
    name: str = ""
    calendar: Calendar
    policy: Policy = Policy()
    organisations: tuple[Organisation, ...] = Field(min_length=1)
    departments: tuple[Department, ...] = Field(min_length=1)
    buddies: tuple[Buddy, ...] = ()
    programmes: tuple[Programme, ...] = Field(min_length=1)
    learners: tuple[Learner, ...] = ()
    pins: tuple[Pin, ...] = ()

    # ----- lookups -------------------------------------------------------------------
    @cached_property
    def organisation(self) -> dict[str, Organisation]:
        return {o.id: o for o in self.organisations}

    @cached_property
    def department(self) -> dict[str, Department]:
        return {d.id: d for d in self.departments}

    @cached_property
    def buddy(self) -> dict[str, Buddy]:
        return {b.id: b for b in self.buddies}

    @cached_property
    def programme(self) -> dict[str, Programme]:
        return {p.id: p for p in self.programmes}

    @cached_property
    def learner(self) -> dict[str, Learner]:
        return {learner.id: learner for learner in self.learners}

    @cached_property
    def buddies_of(self) -> dict[str, tuple[Buddy, ...]]:
        out: dict[str, list[Buddy]] = defaultdict(list)
        for b in self.buddies:
            out[b.department].append(b)
        return {d.id: tuple(out.get(d.id, ())) for d in self.departments}

    @cached_property
    def pins_of(self) -> dict[str, tuple[Pin, ...]]:
        out: dict[str, list[Pin]] = defaultdict(list)
        for pin in self.pins:
            out[pin.learner].append(pin)
        return {k: tuple(v) for k, v in out.items()}

    # ----- departments and buddies ---------------------------------------------------
    def department_sector(self, department_id: str) -> str:
        dept = self.department[department_id]
        return dept.sector or self.organisation[dept.organisation].sector

    def department_location(self, department_id: str) -> tuple[float, float]:
        dept = self.department[department_id]
        org = self.organisation[dept.organisation]
        return (
            dept.lat if dept.lat is not None else org.lat,
            dept.lon if dept.lon is not None else org.lon,
        )

    def department_capacity(self, department_id: str, ordinal: int) -> int:
        from .calendar import ordinal_month

        return self.department[department_id].capacity_in(ordinal_month(ordinal))

    def buddy_max(self, buddy: Buddy) -> int:
        if buddy.max_learners is not None:
            return buddy.max_learners
        return self.policy.buddy_max_learners

    @cached_property
    def buddy_unavailable(self) -> dict[str, frozenset[int]]:
        return {b.id: frozenset(month_ordinal(m) for m in b.unavailable) for b in self.buddies}

    @cached_property
    def pinned_buddies(self) -> tuple[dict[tuple[str, int], str], tuple[PinnedBuddyConflict, ...]]:
        """Buddies named by pins per (learner, month ordinal), and the pins that cannot hold.

        Only months a plan can hold count: window months, and the months past the window
        end that the learner's own placements run into (placements are never cut, so a
        plan has rows there and the pin holds in them); months the learner is unavailable
        need no buddy. A conflict: the buddy is unavailable, two pins name different buddies for one
        month, or more learners are pinned to a buddy than its ``max_learners``.
        """
        named: dict[tuple[str, int], str] = {}
        conflicts: list[PinnedBuddyConflict] = []
        load: dict[tuple[str, int], list[str]] = defaultdict(list)
        window_first, window_end = self.calendar.first, self.calendar.end
        for pin in self.pins:
            if pin.buddy is None or pin.buddy not in self.buddy_unavailable:
                continue
            away = self.learner_unavailable[pin.learner]
            unavailable = self.buddy_unavailable[pin.buddy]
            end = max(window_end, self._planned_end(pin.learner))
            for o in range(max(month_ordinal(pin.first), window_first),  # months a plan holds:
                           min(month_ordinal(pin.last) + 1, end)):  # a pin of centuries
                if o in away:  # costs no more than one of the window's length
                    continue
                key = (pin.learner, o)
                if o in unavailable:
                    conflicts.append(PinnedBuddyConflict(pin.learner, o, pin.buddy, "unavailable"))
                elif named.setdefault(key, pin.buddy) != pin.buddy:
                    conflicts.append(PinnedBuddyConflict(pin.learner, o, pin.buddy, "two_buddies"))
                elif pin.learner not in load[(pin.buddy, o)]:
                    load[(pin.buddy, o)].append(pin.learner)
        for (bid, o), learners in sorted(load.items()):
            if len(learners) > self.buddy_max(self.buddy[bid]):
                conflicts.append(PinnedBuddyConflict(learners[-1], o, bid, "over_max"))
        return named, tuple(conflicts)

    def _planned_end(self, learner_id: str) -> int:
        """The month ordinal after the learner's last planned month (0: none planned)."""
        learner = self.learner.get(learner_id)
        spans = self.planned_spans(learner) if learner is not None else []
        return max((sp.planned.stop for sp in spans if len(sp.planned)), default=0)

    def buddy_capacity(self, department_id: str, ordinal: int) -> int:
        """Learners the department's buddies can guide in that month (rule 3 as a count)."""
        return sum(
            self.buddy_max(b)
            for b in self.buddies_of[department_id]
            if ordinal not in self.buddy_unavailable[b.id]
        )

    def effective_capacity(self, department_id: str, ordinal: int) -> int:
        """min(department capacity, buddy capacity): exact for rules 2 and 3 together."""
        return min(
            self.department_capacity(department_id, ordinal),
            self.buddy_capacity(department_id, ordinal),
        )

    # ----- learners ------------------------------------------------------------------
    def learner_programme(self, learner: Learner) -> Programme:
        return self.programme[learner.programme]

    def learner_location(self, learner: Learner) -> tuple[float, float] | None:
        """The learner's own location, else the home organisation's; None if unknown."""
        if learner.lat is not None and learner.lon is not None:
            return (learner.lat, learner.lon)
        if learner.home and learner.home in self.organisation:
            org = self.organisation[learner.home]
            return (org.lat, org.lon)
        return None

    def learner_max_travel(self, learner: Learner) -> float:
        if learner.max_travel_km is not None:
            return learner.max_travel_km
        return self.policy.max_travel_km

    def travel_km(self, learner: Learner, department_id: str) -> float:
        """Distance learner → department; 0.0 when the learner's location is unknown."""
        here = self.learner_location(learner)
        if here is None:
            return 0.0
        there = self.department_location(department_id)
        return distance_km(here[0], here[1], there[0], there[1])

    def placement_spans(self, learner: Learner) -> list[PlacementSpan]:
        """Every placement of the learner's programme, history ones included."""
        start = month_ordinal(learner.start)
        prog = self.learner_programme(learner)
        return [
            PlacementSpan(i + 1, start + a, start + b, self.calendar.first)
            for i, (a, b) in enumerate(prog.placement_offsets())
        ]

    def planned_spans(self, learner: Learner) -> list[PlacementSpan]:
        return [s for s in self.placement_spans(learner) if not s.is_history]

    @cached_property
    def learner_unavailable(self) -> dict[str, frozenset[int]]:
        return {lr.id: frozenset(month_ordinal(m) for m in lr.unavailable) for lr in self.learners}

    def starter_months(self, learner: Learner) -> range:
        """Months in which the starter rule (no wisseldiensten) applies."""
        start = month_ordinal(learner.start)
        return range(start, start + self.learner_programme(learner).starter_fixed_shifts_months)

    def needs_fixed_shifts(self, learner: Learner, span: PlacementSpan) -> bool:
        starter = self.starter_months(learner)
        return span.first < starter.stop and span.end > starter.start

    def preference_score(self, learner: Learner, department_id: str) -> int:
        """P − k + 1 for the best-ranked (k-th of P) preference the department matches."""
        prefs = learner.preferences
        org = self.department[department_id].organisation
        for k, pref in enumerate(prefs, start=1):
            if pref == department_id or pref == org:
                return len(prefs) - k + 1
        return 0

    def is_fixed(self, department_id: str) -> bool:
        return self.department[department_id].shifts is ShiftKind.FIXED

    # ----- fair share ----------------------------------------------------------------
    @cached_property
    def total_fte(self) -> float:
        return sum(o.fte_care for o in self.organisations)

    def fte_share(self, organisation_id: str) -> float:
        return self.organisation[organisation_id].fte_care / self.total_fte
