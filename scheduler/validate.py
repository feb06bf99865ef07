"""Checks on a Scenario beyond the field schema (``scheduler validate``, docs/commands.md#validate).

* :func:`reference_issues`: ids unique, every reference names an existing record, and
  records that contradict themselves (one small function per family). The loaders call
  it and raise :class:`~scheduler.errors.InputError` (exit 1) when it finds anything.
* :func:`screen`: quick necessary conditions, no solver. ``error`` findings make every
  plan impossible (pins that break a hard rule); ``warning`` findings mean some learners
  will be left unplaced (demand above capacity, nothing within reach) or need attention.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .errors import InputIssue
from .models import Learner, Pin, RuleId, Scenario, month_ordinal, ordinal_month
from .models.geo import EARTH_RADIUS_KM
from .words.messages import Fixed, Items, Msg

TRAVEL_TOLERANCE_KM = 1e-6
MAX_LISTED = 8  # ids or months listed in one message
MAX_PROGRAMME_MONTHS = 240  # as the calendar: 20 years


def _known(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return Msg("did_you_mean", name=close[0]) if close else ""


def _unknown(kind: str, name: str, known: Iterable[str]) -> Msg:
    """``unknown department 'X'; did you mean 'Y'?`` (kind: organisation, department, ...)."""
    return Msg(f"ref_{kind}", id=name, hint=_known(name, known))


# ===== references ======================================================================
Issues = Iterator[InputIssue]


def _duplicate_ids(s: Scenario, file: str) -> Issues:
    for table in ("organisations", "departments", "buddies", "programmes", "learners"):
        seen: set[str] = set()
        for pos, record in enumerate(getattr(s, table), start=1):
            if record.id in seen:
                yield InputIssue(file, Msg("duplicate_id", id=record.id, table=table), table,
                                 pos, record.id, "id")
            seen.add(record.id)


def _department_refs(s: Scenario, file: str) -> Issues:
    for pos, d in enumerate(s.departments, start=1):
        def issue(fld: str, message: str, pos: int = pos, did: str = d.id) -> InputIssue:
            return InputIssue(file, message, "departments", pos, did, fld)

        if d.organisation not in s.organisation:
            yield issue("organisation", _unknown("organisation", d.organisation, s.organisation))
        if d.levels is not None and not d.levels:
            yield issue("levels", Msg("levels_empty"))
        if d.levels and min(d.levels) < 1:
            yield issue("levels", Msg("levels_low", value=min(d.levels)))
        for month, n in d.capacity_by_month.items():
            if n < 0:
                yield issue("capacity_by_month", Msg("capacity_negative", month=month, value=n))


def _buddy_refs(s: Scenario, file: str) -> Issues:
    for pos, b in enumerate(s.buddies, start=1):
        if b.department not in s.department:
            yield InputIssue(file, _unknown("department", b.department, s.department),
                             "buddies", pos, b.id, "department")


def _programme_rules(s: Scenario, file: str) -> Issues:
    for pos, p in enumerate(s.programmes, start=1):
        def issue(fld: str, message: str, pos: int = pos, pid: str = p.id) -> InputIssue:
            return InputIssue(file, message, "programmes", pos, pid, fld)

        if min(p.placements) < 1:
            yield issue("placements", Msg("placement_short", value=min(p.placements)))
        elif p.total_months > MAX_PROGRAMME_MONTHS:
            yield issue("placements", Msg("programme_long", months=p.total_months,
                                          limit=MAX_PROGRAMME_MONTHS))
        if p.carrousel_min_away > len(p.placements):
            yield issue("carrousel_min_away", Msg("carrousel_too_many", away=p.carrousel_min_away,
                                                  n=len(p.placements)))
        if len(set(p.required_sectors)) > len(p.placements):
            yield issue("required_sectors", Msg("sectors_too_many",
                                                sectors=len(set(p.required_sectors)),
                                                n=len(p.placements)))


def _learner_refs(s: Scenario, file: str) -> Issues:
    targets = set(s.organisation) | set(s.department)
    for pos, lr in enumerate(s.learners, start=1):
        def issue(fld: str, message: str, pos: int = pos, lid: str = lr.id) -> InputIssue:
            return InputIssue(file, message, "learners", pos, lid, fld)

        if lr.programme not in s.programme:
            yield issue("programme", _unknown("programme", lr.programme, s.programme))
        if lr.home is not None and lr.home not in s.organisation:
            yield issue("home", _unknown("organisation", lr.home, s.organisation))
        for pref in lr.preferences:
            if pref not in targets:
                yield issue("preferences", _unknown("target", pref, targets))
        for dep in lr.history:
            if dep not in s.department:
                yield issue("history", _unknown("department", dep, s.department))
        if lr.programme in s.programme and lr.history:
            done = sum(1 for span in s.placement_spans(lr) if span.is_history)
            if len(lr.history) > done:
                yield issue("history", Msg("history_too_long", n=len(lr.history), done=done,
                                           start=s.calendar.start))


def _pin_refs(s: Scenario, file: str) -> Issues:
    for pos, pin in enumerate(s.pins, start=1):
        def issue(fld: str, message: str, pos: int = pos, lid: str = pin.learner) -> InputIssue:
            return InputIssue(file, message, "pins", pos, lid, fld)

        if pin.learner not in s.learner:
            yield issue("learner", _unknown("learner", pin.learner, s.learner))
        if pin.department not in s.department:
            yield issue("department", _unknown("department", pin.department, s.department))
        if pin.buddy is not None:
            buddy = s.buddy.get(pin.buddy)
            if buddy is None:
                yield issue("buddy", _unknown("buddy", pin.buddy, s.buddy))
            elif buddy.department != pin.department:
                yield issue("buddy", Msg("pin_buddy_elsewhere", buddy=pin.buddy,
                                         department=buddy.department, pinned=pin.department))


REFERENCE_CHECKS: tuple[Callable[[Scenario, str], Issues], ...] = (
    _duplicate_ids, _department_refs, _buddy_refs, _programme_rules, _learner_refs, _pin_refs,
)  # fmt: skip


def reference_issues(scenario: Scenario, file: str) -> list[InputIssue]:
    """Uniqueness, cross-reference and self-consistency problems (row = list position)."""
    return [issue for check in REFERENCE_CHECKS for issue in check(scenario, file)]


# ===== screens =========================================================================
@dataclass(frozen=True)
class Finding:
    level: Literal["error", "warning"]
    message: str
    rule: RuleId | None = None


Findings = Iterator[Finding]


def _present(s: Scenario, lr: Learner) -> Iterator[tuple[int, list[int]]]:
    """(placement index, planned months the learner occupies a place) per placement."""
    away = s.learner_unavailable[lr.id]
    for span in s.planned_spans(lr):
        yield span.index, [o for o in span.planned if o not in away]


def _regional_capacity(s: Scenario) -> Findings:
    demand: Counter[int] = Counter()
    for lr in s.learners:
        for _, months in _present(s, lr):
            demand.update(months)
    short = []
    for o in sorted(demand):
        places = sum(s.effective_capacity(d.id, o) for d in s.departments)
        if demand[o] > places:
            short.append(Msg("month_short", month=ordinal_month(o), learners=demand[o],
                             places=places))
    if short:
        yield Finding("warning", Msg("regional_capacity", n=len(short), months=Items(tuple(short))),
                      RuleId.CAPACITY)


def _sector_capacity(s: Scenario) -> Findings:
    sectors = {d.id: s.department_sector(d.id) for d in s.departments}
    for sector in sorted({x for p in s.programmes for x in p.required_sectors}):
        depts = [d for d, x in sectors.items() if x == sector]
        needing = [lr for lr in s.learners if sector in s.learner_programme(lr).required_sectors
                   and sector not in {sectors[h] for h in lr.history}]
        spans = [list(_present(s, lr)) for lr in needing]
        spans = [sp for sp in spans if sp]
        if not spans:
            continue
        if not depts:
            yield Finding("warning", Msg("sector_none", sector=sector, n=len(spans),
                                         sectors=", ".join(sorted(set(sectors.values())))),
                          RuleId.REQUIRED_SECTORS)
            continue
        need = sum(min(len(m) for _, m in sp) for sp in spans)
        window = {o for sp in spans for _, m in sp for o in m}
        offer = sum(s.effective_capacity(d, o) for d in depts for o in window)
        if need > offer:
            yield Finding("warning", Msg("sector_short", sector=sector, n=len(spans), need=need,
                                         offer=offer), RuleId.REQUIRED_SECTORS)


def _starter_shifts(s: Scenario) -> Findings:
    demand: Counter[int] = Counter()
    cohorts: dict[int, set[str]] = defaultdict(set)
    for lr in s.learners:
        if not s.learner_programme(lr).starter_fixed_shifts_months:
            continue
        away = s.learner_unavailable[lr.id]
        for span in s.planned_spans(lr):
            if s.needs_fixed_shifts(lr, span):
                for o in span.planned:
                    if o not in away:
                        demand[o] += 1
                        cohorts[o].add(lr.start)
    fixed = [d.id for d in s.departments if s.is_fixed(d.id)]
    short: dict[str, list[Msg]] = defaultdict(list)
    for o in sorted(demand):
        places = sum(s.effective_capacity(d, o) for d in fixed)
        if demand[o] > places:
            for start in sorted(cohorts[o]):
                short[start].append(Msg("starter_month", month=ordinal_month(o), n=demand[o],
                                        places=places))
    for start, lines in short.items():
        yield Finding("warning", Msg("starter_short", start=start, lines=Items(tuple(lines))),
                      RuleId.STARTER_SHIFTS)


class _Reach:
    """Distances from a learner to every department (numpy), cached per (place, level);
    ``inf`` where the department does not accept the learner's level."""

    def __init__(self, s: Scenario) -> None:
        self.s = s
        self.ids = [d.id for d in s.departments]
        where = np.radians(np.array([s.department_location(d) for d in self.ids], dtype=float))
        self.lat, self.lon = where.reshape(-1, 2).T
        self.levels = [d.levels for d in s.departments]
        self.cache: dict[tuple[object, int | None], np.ndarray] = {}

    def distances(self, lr: Learner) -> np.ndarray:
        here = self.s.learner_location(lr)
        key = (here, lr.level)
        if key not in self.cache:
            if here is None:
                km = np.zeros(len(self.ids))
            else:
                p1, l1 = np.radians(here[0]), np.radians(here[1])
                a = (np.sin((self.lat - p1) / 2) ** 2
                     + np.cos(p1) * np.cos(self.lat) * np.sin((self.lon - l1) / 2) ** 2)
                km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
            if lr.level is not None:
                refused = [lv is not None and lr.level not in lv for lv in self.levels]
                km = np.where(refused, np.inf, km)
            self.cache[key] = km
        return self.cache[key]


def _nearest(reach: _Reach, km: np.ndarray, among: np.ndarray) -> Msg | str:
    masked = np.where(among & np.isfinite(km), km, np.inf)
    if not len(masked) or not np.isfinite(masked.min()):
        return ""
    k = int(np.argmin(masked))
    return Msg("nearest", department=reach.ids[k], km=Fixed(float(masked[k])))


def _learner_reach(s: Scenario) -> Findings:
    reach = _Reach(s)
    sector_of = np.array([s.department_sector(d) for d in reach.ids], dtype=object)
    everywhere = np.ones(len(reach.ids), dtype=bool)
    for lr in s.learners:
        spans = s.planned_spans(lr)
        if not spans:
            continue
        limit = s.learner_max_travel(lr)
        km = reach.distances(lr)
        ok = km <= limit + TRAVEL_TOLERANCE_KM
        level = Msg("level_note", level=lr.level) if lr.level is not None else ""
        levels = Msg("levels_note", level=lr.level) if lr.level is not None else ""
        done = {s.department_sector(h) for h in lr.history}
        for sector in s.learner_programme(lr).required_sectors:
            in_sector = sector_of == sector
            if sector in done or not in_sector.any() or (ok & in_sector).any():
                continue
            yield Finding("warning", Msg("reach_sector", learner=lr.id, sector=sector,
                                         level=level, limit=float(limit),
                                         nearest=_nearest(reach, km, in_sector)), RuleId.TRAVEL)
        prog = s.learner_programme(lr)
        n_ok = int(ok.sum())
        if n_ok < len(spans) and (prog.distinct_departments or not n_ok):
            yield Finding("warning", Msg("reach_count", learner=lr.id, n=len(spans), ok=n_ok,
                                         level=levels, limit=float(limit),
                                         nearest="" if n_ok else _nearest(reach, km, everywhere)),
                          RuleId.TRAVEL)


def _programme_window(s: Scenario) -> Findings:
    groups: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for lr in s.learners:
        end = month_ordinal(lr.start) + s.learner_programme(lr).total_months
        if end > s.calendar.end:
            groups[(lr.programme, lr.start, end)].append(lr.id)
    last = ordinal_month(s.calendar.end - 1)
    for (prog, start, end), ids in sorted(groups.items()):
        yield Finding("warning", Msg("programme_window", n=len(ids), programme=prog, start=start,
                                     learners=Items(tuple(ids)), last=ordinal_month(end - 1),
                                     window_last=last))


def _setup_hints(s: Scenario) -> Findings:
    lost = [lr.id for lr in s.learners if s.learner_location(lr) is None]
    if lost:
        yield Finding("warning", Msg("no_location", learners=Items(tuple(lost))), RuleId.TRAVEL)
    for d in s.departments:
        if not s.buddies_of[d.id] and (d.capacity or any(d.capacity_by_month.values())):
            yield Finding("warning", Msg("no_buddies", department=d.id), RuleId.BUDDY)


# ----- pins (errors: no plan can satisfy them) -----------------------------------------
def _pin_months(pin: Pin) -> range:
    return range(month_ordinal(pin.first), month_ordinal(pin.last) + 1)


def _programme_months(s: Scenario, learner_id: str) -> range:
    lr = s.learner[learner_id]
    first = month_ordinal(lr.start)
    return range(first, first + s.learner_programme(lr).total_months)


def _held_months(s: Scenario, pin: Pin) -> range:
    """The pin's months inside the learner's programme: the only ones it can hold in.

    A pin beyond the programme is one error of ``_pin_programme``; the other screens look
    at these months only, so a pin spanning centuries (13,000 months) costs no more than
    one spanning the programme.
    """
    months, programme = _pin_months(pin), _programme_months(s, pin.learner)
    return range(max(months.start, programme.start), min(months.stop, programme.stop))


def _pin_where(pin: Pin) -> str:
    if pin.first == pin.last:
        return f"{pin.first}"
    return f"{pin.first}..{pin.last}"


def _pin_programme(s: Scenario) -> Findings:
    for pin in s.pins:
        months, programme = _pin_months(pin), _programme_months(s, pin.learner)
        outside = [*range(months.start, min(months.stop, programme.start)),
                   *range(max(months.start, programme.stop), months.stop)]
        if outside:
            shown = [ordinal_month(o) for o in outside[:MAX_LISTED]]
            span = f"{ordinal_month(programme.start)}..{ordinal_month(programme.stop - 1)}"
            yield Finding("error", Msg("pin_outside", learner=pin.learner,
                                       department=pin.department,
                                       months=Items(tuple(shown), more=len(outside) - len(shown)),
                                       span=span), RuleId.PIN)


def _pin_buddies(s: Scenario) -> Findings:
    for pin in s.pins:
        if pin.buddy is None:
            continue
        away = s.learner_unavailable[pin.learner]
        gone = [ordinal_month(o) for o in _held_months(s, pin) if o >= s.calendar.first
                and o not in away and o in s.buddy_unavailable[pin.buddy]]
        if gone:
            yield Finding("error", Msg("pin_buddy_away", learner=pin.learner, buddy=pin.buddy,
                                       months=Items(tuple(gone))), RuleId.BUDDY)
    programme = {lid: _programme_months(s, lid) for lid in s.pins_of}
    for c in s.pinned_buddies[1]:
        if c.kind == "two_buddies" and c.ordinal in programme[c.learner]:
            yield Finding("error", Msg("pin_two_buddies", learner=c.learner,
                                       month=ordinal_month(c.ordinal), buddy=c.buddy),
                          RuleId.PIN)


def _pin_conflicts(s: Scenario) -> Findings:
    for lid, pins in s.pins_of.items():
        lr = s.learner[lid]
        spans = s.placement_spans(lr)
        by_placement: dict[int, set[str]] = defaultdict(set)
        for pin in pins:
            for o in _held_months(s, pin):
                for span in spans:
                    if span.first <= o < span.end:
                        by_placement[span.index].add(pin.department)
        for index, depts in sorted(by_placement.items()):
            if len(depts) > 1:
                yield Finding("error", Msg("pin_two_departments", learner=lid,
                                           departments=", ".join(sorted(depts)), index=index),
                              RuleId.PIN)
        used = Counter(d for depts in by_placement.values() for d in depts)
        if s.learner_programme(lr).distinct_departments:
            for dept, n in sorted(used.items()):
                if n > 1:
                    yield Finding("error", Msg("pin_repeats", learner=lid, department=dept, n=n),
                                  RuleId.DISTINCT_DEPARTMENTS)


def _history_repeats(s: Scenario) -> Findings:
    for lr in s.learners:
        if not s.learner_programme(lr).distinct_departments:
            continue
        repeated = sorted({d for d in lr.history if lr.history.count(d) > 1})
        if repeated:
            yield Finding("warning", Msg("history_repeats", learner=lr.id,
                                         departments=", ".join(repeated),
                                         programme=lr.programme), RuleId.DISTINCT_DEPARTMENTS)


def _pin_rules(s: Scenario) -> Findings:
    for pin in s.pins:
        lr, dept = s.learner[pin.learner], s.department[pin.department]
        where = Msg("pin_where", learner=lr.id, department=dept.id, months=_pin_where(pin))
        if dept.levels is not None and lr.level is not None and lr.level not in dept.levels:
            yield Finding("error", Msg("pin_level", where=where, level=lr.level), RuleId.LEVEL)
        km, limit = s.travel_km(lr, dept.id), s.learner_max_travel(lr)
        if km > limit + TRAVEL_TOLERANCE_KM:
            yield Finding("error", Msg("pin_travel", where=where, km=Fixed(km),
                                       limit=float(limit)), RuleId.TRAVEL)
        if not s.is_fixed(dept.id):
            months = set(_held_months(s, pin))
            if any(s.needs_fixed_shifts(lr, span) and months & set(range(span.first, span.end))
                   for span in s.placement_spans(lr)):
                yield Finding("error", Msg("pin_starter", where=where), RuleId.STARTER_SHIFTS)


def _pin_capacity(s: Scenario) -> Findings:
    dept_load: Counter[tuple[str, int]] = Counter()
    buddy_load: Counter[tuple[str, int]] = Counter()
    for lid, pins in s.pins_of.items():
        away = s.learner_unavailable[lid]
        months = {(o, p.department, p.buddy) for p in pins for o in _held_months(s, p)
                  if o >= s.calendar.first and o not in away}
        for o, dept, buddy in months:
            dept_load[(dept, o)] += 1
            if buddy is not None:
                buddy_load[(buddy, o)] += 1
    for (dept, o), n in sorted(dept_load.items()):
        places = s.effective_capacity(dept, o)
        if n > places:
            yield Finding("error", Msg("pin_capacity", n=n, department=dept,
                                       month=ordinal_month(o), places=places,
                                       capacity=s.department_capacity(dept, o),
                                       buddies=s.buddy_capacity(dept, o)), RuleId.CAPACITY)
    for (buddy, o), n in sorted(buddy_load.items()):
        most = s.buddy_max(s.buddy[buddy])
        if n > most:
            yield Finding("error", Msg("pin_buddy_load", buddy=buddy, n=n,
                                       month=ordinal_month(o), most=most), RuleId.BUDDY)


SCREENS: tuple[Callable[[Scenario], Findings], ...] = (
    _pin_programme, _pin_buddies, _pin_conflicts, _pin_rules, _pin_capacity, _history_repeats,
    _regional_capacity, _sector_capacity, _starter_shifts, _learner_reach, _programme_window,
    _setup_hints,
)  # fmt: skip


def screen(scenario: Scenario) -> list[Finding]:
    """Necessary-condition screens of a loaded (reference-clean) scenario: errors first."""
    findings = [f for check in SCREENS for f in check(scenario)]
    return sorted(findings, key=lambda f: f.level != "error")
