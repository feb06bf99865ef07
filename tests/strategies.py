"""Hypothesis strategies for random tiny scenarios (small enough for ``tests/bruteforce.py``).

``scenarios()`` draws ≤ 4 learners, ≤ 4 departments over 1–3 organisations, a calendar of
1–6 months, programmes of 1–3 placements of 1–3 months, and random shifts, levels,
sectors, starter months, carrousel, required sectors, travel limits, preferences,
capacities 0–2, buddies with max_learners 1–2, optional pins and (rarely) a fair-share
tolerance. Learners may start up to 3 months before the window (history placements) or
after it. ``max_search`` bounds the brute-force search: learners are dropped from the end
until Π (1 + departments^planned placements) ≤ max_search.

``simple_buddies=True``: buddies are always available, learners have no unavailable
months and pins name no buddy. Then ``bruteforce`` names buddies without any buddy change
whenever a plan exists, so its optimum is exact for the objective.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from scheduler.models import Scenario, add_months, month_ordinal, ordinal_month

SECTORS = ("VVT", "GGZ", "GHZ")
# ~13 km from the first to the second place, ~42 km to the third
PLACES = ((52.0, 6.0), (52.1, 6.1), (52.3, 6.4))
CALENDAR_STARTS = ("2027-09", "2027-11", "2028-01")


def _month_pool(start: str, months: int) -> list[str]:
    """The window and the three months after it (programmes run past the window)."""
    return [add_months(start, k) for k in range(months + 3)]


@st.composite
def _organisations(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(1, 3))):
        lat, lon = draw(st.sampled_from(PLACES))
        out.append({"id": f"O{i}", "sector": draw(st.sampled_from(SECTORS)),
                    "fte_care": draw(st.integers(10, 200)), "lat": lat, "lon": lon})
    return out


@st.composite
def _departments(draw: st.DrawFn, orgs: list[str], pool: list[str],
                 max_departments: int) -> list[dict[str, Any]]:
    out = []
    counts = [n for n in (1, 2, 3, 3, 4, 4) if n <= max_departments] or [max_departments]
    for j in range(draw(st.sampled_from(counts))):
        dept: dict[str, Any] = {
            "id": f"D{j}",
            "organisation": draw(st.sampled_from(orgs)),
            "shifts": draw(st.sampled_from(("fixed", "rotating"))),
            "capacity": draw(st.sampled_from((0, 1, 1, 1, 2, 2, 2, 2, 2))),
        }
        if draw(st.integers(0, 4)) == 0:
            dept["sector"] = draw(st.sampled_from(SECTORS))
        if draw(st.integers(0, 3)) == 0:
            dept["levels"] = draw(st.lists(st.integers(2, 4), min_size=1, max_size=2, unique=True))
        if draw(st.integers(0, 7)) == 0:
            dept["capacity_by_month"] = {draw(st.sampled_from(pool)): draw(st.integers(0, 2))}
        out.append(dept)
    return out


@st.composite
def _buddies(draw: st.DrawFn, depts: list[str], pool: list[str],
             simple: bool) -> list[dict[str, Any]]:
    out = []
    for d in depts:
        for k in range(draw(st.sampled_from((0, 1, 1, 1, 1, 2, 2, 2)))):
            b: dict[str, Any] = {"id": f"b{d[1:]}{'ab'[k]}", "department": d,
                                 "max_learners": draw(st.integers(1, 2))}
            if not simple and draw(st.integers(0, 3)) == 0:
                b["unavailable"] = [draw(st.sampled_from(pool))]
            out.append(b)
    return out


@st.composite
def _programmes(draw: st.DrawFn, sectors: list[str]) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(1, 2))):
        out.append({
            "id": f"P{i}",
            "kind": draw(st.sampled_from(("trainee", "bbl", "bol"))),
            "placements": draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)),
            "carrousel_min_away": draw(st.sampled_from((0, 0, 0, 0, 1, 1, 2))),
            "required_sectors": [draw(st.sampled_from(sectors))] if draw(st.integers(0, 3)) == 0
            else [],
            "starter_fixed_shifts_months": draw(st.sampled_from((0, 0, 0, 1, 2, 3))),
            "distinct_departments": draw(st.booleans()),
        })
    return out


def _history_count(start: str, placements: list[int], window: str) -> int:
    """Placements of a programme starting at ``start`` that end before ``window``."""
    end, count, first = month_ordinal(start), 0, month_ordinal(window)
    for length in placements:
        end += length
        count += end <= first
    return count


def _planned_count(start: str, placements: list[int], window: str) -> int:
    return len(placements) - _history_count(start, placements, window)


@st.composite
def _learner(draw: st.DrawFn, i: int, ctx: dict[str, Any], simple: bool) -> dict[str, Any]:
    prog = draw(st.sampled_from(ctx["programmes"]))
    start = add_months(ctx["start"], draw(st.sampled_from((-3, -1, 0, 0, 0, 0, 1, 2))))
    ids = [o["id"] for o in ctx["organisations"]] + [d["id"] for d in ctx["departments"]]
    lr: dict[str, Any] = {
        "id": f"L{i}",
        "programme": prog["id"],
        "home": draw(st.sampled_from([o["id"] for o in ctx["organisations"]] + [None])),
        "start": start,
        "level": draw(st.sampled_from((None, 2, 3, 4))),
        "max_travel_km": draw(st.sampled_from((None, None, None, 10, 20, 50))),
        "preferences": draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)),
    }
    if draw(st.integers(0, 4)) == 0:
        lr["lat"], lr["lon"] = draw(st.sampled_from(PLACES))
    if not simple and draw(st.integers(0, 2)) == 0:
        lr["unavailable"] = draw(st.lists(st.sampled_from(ctx["pool"]), min_size=1, max_size=2,
                                          unique=True))
    n_history = _history_count(start, prog["placements"], ctx["start"])
    depts = [d["id"] for d in ctx["departments"]]
    lr["history"] = [draw(st.sampled_from(depts)) for _ in range(n_history)]
    return lr


def _planned_months(lr: dict[str, Any], prog: dict[str, Any], window: str) -> list[str]:
    first = max(month_ordinal(lr["start"]), month_ordinal(window))
    end = month_ordinal(lr["start"]) + sum(prog["placements"])
    return [ordinal_month(o) for o in range(first, end)]


@st.composite
def _pins(draw: st.DrawFn, ctx: dict[str, Any], simple: bool) -> list[dict[str, Any]]:
    progs = {p["id"]: p for p in ctx["programmes"]}
    out = []
    for _ in range(draw(st.sampled_from((0, 0, 0, 0, 0, 0, 1, 1, 2)))):
        if not ctx["learners"]:
            break
        lr = draw(st.sampled_from(ctx["learners"]))
        months = _planned_months(lr, progs[lr["programme"]], ctx["start"]) or [ctx["start"]]
        a, b = sorted(draw(st.lists(st.sampled_from(months), min_size=2, max_size=2)))
        dept = draw(st.sampled_from(ctx["departments"]))
        pin: dict[str, Any] = {"learner": lr["id"], "department": dept["id"]}
        pin.update({"month": a} if a == b else {"from": a, "to": b})
        buddies = [x["id"] for x in ctx["buddies"] if x["department"] == dept["id"]]
        with_buddy: bool = draw(st.booleans())
        if not simple and buddies and with_buddy:
            pin["buddy"] = draw(st.sampled_from(buddies))
        out.append(pin)
    return out


def _search_size(ctx: dict[str, Any], learners: list[dict[str, Any]]) -> int:
    progs = {p["id"]: p for p in ctx["programmes"]}
    n = len(ctx["departments"])
    return math.prod(
        1 + n ** _planned_count(lr["start"], progs[lr["programme"]]["placements"], ctx["start"])
        for lr in learners
    )


@st.composite
def scenarios(draw: st.DrawFn, *, simple_buddies: bool = False, max_learners: int = 4,
              max_departments: int = 4, max_search: int = 3_000) -> Scenario:
    """A random tiny, schema-valid scenario (see the module docstring)."""
    start = draw(st.sampled_from(CALENDAR_STARTS))
    months = draw(st.integers(1, 6))
    pool = _month_pool(start, months)
    ctx: dict[str, Any] = {"start": start, "pool": pool, "organisations": draw(_organisations())}
    org_ids = [o["id"] for o in ctx["organisations"]]
    org_sector = {o["id"]: o["sector"] for o in ctx["organisations"]}
    ctx["departments"] = draw(_departments(org_ids, pool, max_departments))
    ctx["buddies"] = draw(_buddies([d["id"] for d in ctx["departments"]], pool, simple_buddies))
    sectors = sorted({d.get("sector") or org_sector[d["organisation"]]
                      for d in ctx["departments"]} | {SECTORS[2]})
    ctx["programmes"] = draw(_programmes(sectors))
    learners = [draw(_learner(i, ctx, simple_buddies))
                for i in range(draw(st.integers(1, max_learners)))]
    while len(learners) > 1 and _search_size(ctx, learners) > max_search:
        learners.pop()
    ctx["learners"] = learners
    policy: dict[str, Any] = {"max_travel_km": draw(st.sampled_from((20, 50, 50, 100)))}
    tolerance = draw(st.sampled_from((None,) * 8 + (0.3, 0.6)))
    if tolerance is not None:
        policy["fair_share_tolerance"] = tolerance
    return Scenario.model_validate({
        "scenario": 1,
        "name": "random tiny",
        "calendar": {"start": start, "months": months},
        "policy": policy,
        "organisations": ctx["organisations"],
        "departments": ctx["departments"],
        "buddies": ctx["buddies"],
        "programmes": ctx["programmes"],
        "learners": learners,
        "pins": draw(_pins(ctx, simple_buddies)),
    })
