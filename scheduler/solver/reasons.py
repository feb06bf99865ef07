"""Why a learner is unplaced: the binding rule, in a coordinator's words (docs/rules.md).

Given the occupancy of a plan, each placement of an unplaced learner goes through a
funnel: the departments its own rules allow (pins, starter shifts, distinct departments,
level, travel: the eligibility masks of ``rules/``), then of those the ones with a free
place and an available buddy in every month the learner is present. A placement with no
department left is the cause: named by the rule that removed every department (with the
nearest one it removed), or, when departments are allowed but full, by capacity or
buddies (with the nearest department that has room and the rule that excludes it).
Otherwise the learner-level rules are tried (Carrousel, required sectors, distinct
departments), then the fair-share tolerance, then "a combination".

The sentences live in ``scheduler/words/explain.py``: a cause is a key and its parameters,
rendered in the reader's language by kpis.json, the report and ``scheduler explain``.
"""

from __future__ import annotations

import numpy as np

from ..models import Plan, RowStatus, RuleId, month_ordinal
from ..models.cause import Cause
from ..models.result import UnplacedReason
from ..words.explain import Sub
from ..words.format import month_list
from .index import Index
from .rules import carrousel, required_sectors

ROW_FILTERS = ("pin", "freeze", "travel", "level", "starter_shifts", "distinct_departments")
RULE_OF = {
    "pin": RuleId.PIN,
    "freeze": RuleId.PLACEMENT,
    "travel": RuleId.TRAVEL,
    "level": RuleId.LEVEL,
    "starter_shifts": RuleId.STARTER_SHIFTS,
    "distinct_departments": RuleId.DISTINCT_DEPARTMENTS,
}
_ROW_KEYS = {"pin": "row_pin", "freeze": "row_freeze", "travel": "row_travel",
             "level": "row_level", "starter_shifts": "row_starter",
             "distinct_departments": "row_distinct"}  # fmt: skip


def occupancy(ix: Index, plan: Plan) -> np.ndarray:
    """Learners present per department × month offset in the plan."""
    load = np.zeros_like(ix.effcap)
    for row in plan.rows:
        if row.status is RowStatus.PLACED and row.department in ix.dept_pos:
            t = month_ordinal(row.month) - ix.base
            if 0 <= t < ix.horizon:
                load[ix.dept_pos[row.department], t] += 1
    return load


def _filters(ix: Index) -> list[str]:
    return [f for f in ROW_FILTERS if f in ix.masks]


def _allowed(ix: Index, r: int, skip: str = "") -> np.ndarray:
    ok = np.ones(len(ix.departments), dtype=bool)
    for name in _filters(ix):
        if name != skip:
            ok &= ix.masks[name][r]
    return ok


def _room(ix: Index, load: np.ndarray, r: int) -> np.ndarray:
    present = list(ix.rows[r].present)
    if not present:
        return np.ones(len(ix.departments), dtype=bool)
    return (ix.effcap[:, present] - load[:, present]).min(axis=1) >= 1


def why_excluded(ix: Index, li: int, r: int, d: int) -> list[Sub]:
    """Sentence parts: why the learner's rules exclude department d for row r."""
    s, lr = ix.scenario, ix.learners[li]
    parts = {
        "travel": Sub("why_travel", {"km": round(float(ix.distance[li, d]), 1),
                                     "limit": s.learner_max_travel(lr)}),
        "level": Sub("why_level", {"level": lr.level}),
        "starter_shifts": Sub("why_starter", {
            "starter": s.learner_programme(lr).starter_fixed_shifts_months}),
        "distinct_departments": Sub("why_distinct"),
        "pin": Sub("why_pin"),
        "freeze": Sub("why_freeze"),
    }  # fmt: skip
    return [parts[f] for f in _filters(ix) if not ix.masks[f][r, d]]


def _failing(ix: Index, r: int, d: int) -> list[str]:
    return [f for f in _filters(ix) if not ix.masks[f][r, d]]


def _nearest(ix: Index, li: int, among: np.ndarray) -> int | None:
    idx = np.nonzero(among)[0]
    return None if not len(idx) else int(idx[np.argmin(ix.distance[li, idx])])


def _base(ix: Index, li: int, r: int) -> dict:
    row = ix.rows[r]
    return {"learner": ix.learners[li].id, "placement": row.span.index,
            "months": month_list(ix.base + m for m in row.months)}


def _filter_cause(ix: Index, li: int, r: int) -> Cause:
    """No department passes the learner's own rules for this placement."""
    s, lr, row = ix.scenario, ix.learners[li], ix.rows[r]
    p = _base(ix, li, r)
    single = [f for f in _filters(ix) if _allowed(ix, r, skip=f).any()]
    if not single:
        active = tuple(RULE_OF[f] for f in _filters(ix) if not ix.masks[f][r].all())
        return Cause(active[0], "row_rules", {**p, "rules": active}, active, (lr.id,))
    f = single[0]
    others = _allowed(ix, r, skip=f)
    if f == "travel":
        near = _nearest(ix, li, others)
        level = lr.level is not None and any(s.department[d].levels for d in ix.departments)
        also_key = {(True, True): "also_both", (True, False): "also_fixed",
                    (False, True): "also_level"}.get((row.needs_fixed, level))
        p.update(limit=s.learner_max_travel(lr),
                 also=Sub(also_key, {"level": lr.level}) if also_key else "",
                 near_km=round(float(ix.distance[li, near]), 1) if near is not None else "",
                 near=ix.departments[near] if near is not None else "")
    elif f == "level":
        cand = np.nonzero(others)[0]
        near_text: Sub | str = ""
        if len(cand):
            d = ix.departments[int(cand[0])]
            near_text = Sub("near_level", {"department": d, "levels": s.department[d].levels})
        p.update(level=lr.level, near_text=near_text)
    elif f == "starter_shifts":
        p["starter"] = s.learner_programme(lr).starter_fixed_shifts_months
    elif f == "distinct_departments":
        repeated = sorted({d for d in lr.history if lr.history.count(d) > 1})
        if repeated:
            p["departments"] = repeated
            key = (RuleId.DISTINCT_DEPARTMENTS,)
            return Cause(RuleId.DISTINCT_DEPARTMENTS, "history_repeats", p, key, (lr.id,))
        p["departments"] = [ix.departments[d] for d in np.nonzero(others)[0]]
    elif f == "pin":
        pinned = [ix.departments[d] for d in np.nonzero(ix.masks["pin"][r])[0]]
        if pinned:
            pos = ix.dept_pos[pinned[0]]
            why = [x for x in why_excluded(ix, li, r, pos) if x.key != "why_pin"]
            p.update(department=pinned[0], why=why or Sub("why_pin"))
        else:  # pins of one placement name different departments
            pins = [pin.department for pin in s.pins_of.get(lr.id, ())]
            p.update(department=pins, why=Sub("why_pin"))
    return Cause(RULE_OF[f], _ROW_KEYS[f], p, (RULE_OF[f],), (lr.id,))


def _full_cause(ix: Index, li: int, r: int, load: np.ndarray, allowed: np.ndarray,
                room: np.ndarray) -> Cause:
    """Departments are allowed for this placement, but none has room in all its months."""
    cand = np.nonzero(allowed)[0]
    present = list(ix.rows[r].present)
    cells = [(int(d), m) for d in cand for m in present if load[d, m] >= ix.effcap[d, m]]
    buddy = bool(cells) and all(ix.effcap[d, m] < ix.deptcap[d, m] for d, m in cells)
    rule = RuleId.BUDDY if buddy else RuleId.CAPACITY
    p = _base(ix, li, r)
    p.update(n=len(cand), departments=[ix.departments[d] for d in cand],
             full_months=month_list(ix.base + m for _, m in cells),
             what=Sub("what_buddies" if buddy else "what_places"), except_="")
    rules = [rule]
    other = np.nonzero(room & ~allowed)[0]
    if len(other):
        d = int(min(other, key=lambda j: (len(_failing(ix, r, int(j))), ix.distance[li, j])))
        p["except_"] = Sub("row_full_except", {"department": ix.departments[d],
                                               "why": why_excluded(ix, li, r, d)})
        failing = [RULE_OF[f] for f in _failing(ix, r, d)]
        # one rule of the learner's own keeps it from a department with room: that is
        # the story (the fix may still be a place elsewhere)
        rules = failing + rules if len(failing) == 1 else rules + failing
    return Cause(rules[0], "row_full", p, tuple(dict.fromkeys(rules)), (ix.learners[li].id,))


def _row_causes(ix: Index, li: int, load: np.ndarray) -> list[Cause]:
    out = []
    for r in ix.rows_of[li]:
        allowed, room = _allowed(ix, r), _room(ix, load, r)
        if (allowed & room).any():
            continue
        out.append(_filter_cause(ix, li, r) if not allowed.any()
                   else _full_cause(ix, li, r, load, allowed, room))
    return out


def _near_text(ix: Index, li: int, depts: list[int]) -> Sub:
    near = _nearest(ix, li, np.isin(np.arange(len(ix.departments)), depts))
    if near is None:
        return Sub("near_none")
    return Sub("near_at", {"near_km": round(float(ix.distance[li, near]), 1),
                           "near": ix.departments[near]})


def _learner_cause(ix: Index, li: int, load: np.ndarray) -> Cause | None:
    """Every placement has a free department; the learner-level rules do not fit."""
    s, lr = ix.scenario, ix.learners[li]
    rows = ix.rows_of[li]
    allowed = {r: _allowed(ix, r) for r in rows}
    ok = {r: allowed[r] & _room(ix, load, r) for r in rows}
    ids = (lr.id,)
    need = carrousel.away_needed(ix, li)
    if need:
        away = ix.dept_org != carrousel.home_index(ix, li)
        if sum(bool((ok[r] & away).any()) for r in rows) < need:
            elsewhere = sorted({ix.departments[d] for r in rows
                                for d in np.nonzero(allowed[r] & away)[0]})
            key = "learner_carrousel_full" if elsewhere else "learner_carrousel_none"
            p = {"learner": lr.id, "need": need, "home": lr.home or "-", "departments": elsewhere}
            return Cause(RuleId.CARROUSEL, key, p, (RuleId.CARROUSEL,), ids)
    for sector in required_sectors.missing_sectors(ix, li):
        in_sector = np.array([x == sector for x in ix.dept_sector], dtype=bool)
        if any((ok[r] & in_sector).any() for r in rows):
            continue
        usable = sorted({ix.departments[d] for r in rows
                         for d in np.nonzero(allowed[r] & in_sector)[0]})
        if usable:
            p = {"learner": lr.id, "sector": sector, "departments": usable}
            return Cause(RuleId.REQUIRED_SECTORS, "learner_sector_full", p,
                         (RuleId.REQUIRED_SECTORS, RuleId.CAPACITY), ids)
        p = {"learner": lr.id, "sector": sector, "limit": s.learner_max_travel(lr),
             "near_text": _near_text(ix, li, list(np.nonzero(in_sector)[0]))}
        return Cause(RuleId.REQUIRED_SECTORS, "learner_sector_none", p,
                     (RuleId.REQUIRED_SECTORS, RuleId.TRAVEL), ids)
    if s.learner_programme(lr).distinct_departments and len(rows) > 1:
        union = sorted({ix.departments[d] for r in rows for d in np.nonzero(ok[r])[0]})
        if len(union) < len(rows):
            p = {"learner": lr.id, "n": len(rows), "departments": union}
            return Cause(RuleId.DISTINCT_DEPARTMENTS, "learner_distinct", p,
                         (RuleId.DISTINCT_DEPARTMENTS,), ids)
    tol = s.policy.fair_share_tolerance
    if tol is not None:
        orgs = sorted({ix.organisations[ix.dept_org[d]] for r in rows
                       for d in np.nonzero(ok[r])[0]})
        p = {"learner": lr.id, "organisations": orgs, "pct": round(100 * tol, 1)}
        return Cause(RuleId.FAIR_SHARE, "learner_fair_share", p, (RuleId.FAIR_SHARE,), ids)
    return None


def diagnose(ix: Index, load: np.ndarray, li: int) -> Cause:
    """The cause of one unplaced learner (index ``li``), given the plan's occupancy."""
    lr = ix.learners[li]
    if ix.forced_unplaced[li]:
        return Cause(RuleId.PLACEMENT, "learner_freeze", {"learner": lr.id}, (), (lr.id,))
    rows = _row_causes(ix, li, load)
    strict = [c for c in rows if c.rule not in (RuleId.CAPACITY, RuleId.BUDDY)]
    if strict or rows:
        return (strict or rows)[0]
    found = _learner_cause(ix, li, load)
    if found is not None:
        return found
    return Cause(RuleId.CAPACITY, "learner_combination", {"learner": lr.id},
                 (RuleId.CAPACITY, RuleId.CARROUSEL, RuleId.REQUIRED_SECTORS), (lr.id,))


def unplaced_causes(ix: Index, plan: Plan) -> dict[str, Cause]:
    unplaced = plan.unplaced_learners()
    if not unplaced:
        return {}
    load = occupancy(ix, plan)
    return {lr.id: diagnose(ix, load, li) for li, lr in enumerate(ix.learners)
            if lr.id in unplaced}


def unplaced_reasons(ix: Index, plan: Plan) -> list[UnplacedReason]:
    return [UnplacedReason(lid, cause.rule, cause.key, cause.params)
            for lid, cause in unplaced_causes(ix, plan).items()]
