"""Hypothesis strategies for random tiny scenarios (small enough for ``tests/bruteforce.py``).

``scenarios()`` draws ≤ 4 learners, ≤ 4 departments over 1–3 organisations, a calendar of
1–6 months and programmes of 1–3 placements of 1–3 months. The distributions aim at
scenarios where someone can be placed in more than one way (about three in four with
``simple_buddies=True``), while every rule still binds in a minority of them:

- most departments are ``fixed``, have capacity 1–2 and one or two buddies; a closed
  department (capacity 0, or a month of ``capacity_by_month`` 0), one without buddies,
  a sector other than its organisation's and a ``levels`` list are the exception;
- most learners start inside the window; some earlier (history placements), a few after
  it (nothing to plan); a level, an own location and a travel limit are the exception;
- starter months, carrousel, required sectors and ``distinct_departments: false`` are in
  a minority of programmes; pins (mostly one per learner, inside one placement, in an
  open department accepting the learner's level) and a fair-share tolerance are in a
  minority of scenarios.

``max_search`` bounds the brute-force search: learners are dropped from the end until
Π (1 + departments^planned placements) ≤ max_search. Most options survive pruning in these
scenarios and ``bruteforce`` runs the checker on every surviving combination, so the default
(500) keeps it at a few hundredths of a second per example.

Rare choices are drawn as the upper end of a small integer range (:func:`_chance`):
hypothesis draws small integers more often, and copies parts of earlier examples, so the
frequencies are approximate and vary from run to run.

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
# ~13 km from the first to the second place, ~43 km to the third (~30 km second → third)
PLACES = ((52.0, 6.0), (52.1, 6.1), (52.3, 6.4))
CALENDAR_STARTS = ("2027-09", "2027-11", "2028-01")


def _chance(draw: st.DrawFn, k: int, n: int) -> bool:
    """True with probability about k / n (the upper end: hypothesis favours small integers)."""
    return draw(st.integers(1, n)) > n - k


def _month_pool(start: str, months: int) -> list[str]:
    """The window and the three months after it (programmes run past the window)."""
    return [add_months(start, k) for k in range(months + 3)]


@st.composite
def _organisations(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(1, 3))):
        lat, lon = draw(st.sampled_from(PLACES[:2] if _chance(draw, 3, 4) else PLACES))
        out.append({"id": f"O{i}", "sector": draw(st.sampled_from(SECTORS)),
                    "fte_care": draw(st.integers(10, 200)), "lat": lat, "lon": lon})
    return out


@st.composite
def _departments(draw: st.DrawFn, orgs: list[str], pool: list[str],
                 max_departments: int) -> list[dict[str, Any]]:
    out = []
    if max_departments <= 1 or _chance(draw, 1, 10):
        count = min(1, max_departments)
    else:
        count = draw(st.integers(2, max_departments))
    for j in range(count):
        dept: dict[str, Any] = {
            "id": f"D{j}",
            "organisation": draw(st.sampled_from(orgs)),
            "shifts": "rotating" if _chance(draw, 1, 4) else "fixed",
            "capacity": 0 if _chance(draw, 1, 15) else draw(st.integers(1, 2)),
        }
        if _chance(draw, 1, 5):
            dept["sector"] = draw(st.sampled_from(SECTORS))
        if _chance(draw, 1, 6):
            dept["levels"] = draw(st.lists(st.integers(2, 4), min_size=1, max_size=2, unique=True))
        if _chance(draw, 1, 8):
            dept["capacity_by_month"] = {draw(st.sampled_from(pool)): draw(st.integers(0, 2))}
        out.append(dept)
    return out


@st.composite
def _buddies(draw: st.DrawFn, depts: list[str], pool: list[str],
             simple: bool) -> list[dict[str, Any]]:
    out = []
    for d in depts:
        for k in range(0 if _chance(draw, 1, 15) else draw(st.integers(1, 2))):
            b: dict[str, Any] = {"id": f"b{d[1:]}{'ab'[k]}", "department": d,
                                 "max_learners": draw(st.integers(1, 2))}
            if not simple and _chance(draw, 1, 4):
                b["unavailable"] = [draw(st.sampled_from(pool))]
            out.append(b)
    return out


@st.composite
def _programmes(draw: st.DrawFn, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """No more placements than departments; carrousel only with two organisations or more;
    a required sector is mostly one that some department has."""
    out = []
    org_sector = {o["id"]: o["sector"] for o in ctx["organisations"]}
    sectors = sorted({d.get("sector") or org_sector[d["organisation"]]
                      for d in ctx["departments"]})
    for i in range(draw(st.integers(1, 2))):
        placements = draw(st.lists(st.integers(1, 3), min_size=1,
                                   max_size=max(1, min(3, len(ctx["departments"])))))
        away = 0
        if len(ctx["organisations"]) > 1 and _chance(draw, 1, 4):
            away = 1 if len(placements) == 1 or _chance(draw, 2, 3) else 2
        required = []
        if _chance(draw, 1, 5):
            required = [draw(st.sampled_from(sectors if _chance(draw, 4, 5) else SECTORS))]
        out.append({
            "id": f"P{i}",
            "kind": draw(st.sampled_from(("trainee", "bbl", "bol"))),
            "placements": placements,
            "carrousel_min_away": away,
            "required_sectors": required,
            "starter_fixed_shifts_months": draw(st.integers(1, 3)) if _chance(draw, 1, 4) else 0,
            "distinct_departments": not _chance(draw, 1, 4),
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


def _start_offset(draw: st.DrawFn, months: int) -> int:
    """Months from the window's start: mostly inside it, sometimes before, rarely after."""
    where = draw(st.integers(1, 20))
    if where <= 15:
        return draw(st.integers(0, months - 1))
    if where <= 19:
        return -draw(st.integers(1, 3))
    return months + draw(st.integers(0, 1))


@st.composite
def _learner(draw: st.DrawFn, i: int, ctx: dict[str, Any], simple: bool) -> dict[str, Any]:
    prog = draw(st.sampled_from(ctx["programmes"]))
    start = add_months(ctx["start"], _start_offset(draw, ctx["months"]))
    orgs = [o["id"] for o in ctx["organisations"]]
    ids = orgs + [d["id"] for d in ctx["departments"]]
    lr: dict[str, Any] = {
        "id": f"L{i}",
        "programme": prog["id"],
        "home": None if _chance(draw, 1, 6) else draw(st.sampled_from(orgs)),
        "start": start,
        "level": draw(st.integers(2, 4)) if _chance(draw, 1, 4) else None,
        "max_travel_km": draw(st.sampled_from((10, 20, 50))) if _chance(draw, 1, 5) else None,
        "preferences": draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)),
    }
    if _chance(draw, 1, 5):
        lr["lat"], lr["lon"] = draw(st.sampled_from(PLACES))
    if not simple and _chance(draw, 1, 3):
        lr["unavailable"] = draw(st.lists(st.sampled_from(ctx["pool"]), min_size=1, max_size=2,
                                          unique=True))
    n_history = _history_count(start, prog["placements"], ctx["start"])
    depts = [d["id"] for d in ctx["departments"]]
    lr["history"] = [draw(st.sampled_from(depts)) for _ in range(n_history)]
    return lr


def _planned_placements(lr: dict[str, Any], prog: dict[str, Any],
                        window: str) -> list[list[str]]:
    """The planned months of each placement that ends inside or after the window."""
    first, end, out = month_ordinal(window), month_ordinal(lr["start"]), []
    for length in prog["placements"]:
        begin, end = end, end + length
        if end > first:
            out.append([ordinal_month(o) for o in range(max(begin, first), end)])
    return out


@st.composite
def _pin(draw: st.DrawFn, ctx: dict[str, Any], simple: bool, taken: set[str]) -> dict[str, Any]:
    progs = {p["id"]: p for p in ctx["programmes"]}
    planned = [(lr, spans) for lr in ctx["learners"] if lr["id"] not in taken
               and (spans := _planned_placements(lr, progs[lr["programme"]], ctx["start"]))]
    if planned and _chance(draw, 3, 4):  # mostly a learner not pinned yet, inside one placement,
        lr, spans = draw(st.sampled_from(planned))  # in an open department accepting its level
        months = draw(st.sampled_from(spans))
        fits = [d for d in ctx["departments"] if d["capacity"] > 0
                and lr["level"] in d.get("levels", [lr["level"]])]
        dept = draw(st.sampled_from(fits or ctx["departments"]))
    else:  # anywhere in the learner's months (or the window's first), any department
        lr = draw(st.sampled_from(ctx["learners"]))
        spans = _planned_placements(lr, progs[lr["programme"]], ctx["start"])
        months = [m for span in spans for m in span] or [ctx["start"]]
        dept = draw(st.sampled_from(ctx["departments"]))
    a, b = sorted(draw(st.lists(st.sampled_from(months), min_size=2, max_size=2)))
    pin: dict[str, Any] = {"learner": lr["id"], "department": dept["id"]}
    pin.update({"month": a} if a == b else {"from": a, "to": b})
    buddies = [x["id"] for x in ctx["buddies"] if x["department"] == dept["id"]]
    with_buddy: bool = draw(st.booleans())
    if not simple and buddies and with_buddy:
        pin["buddy"] = draw(st.sampled_from(buddies))
    return pin


@st.composite
def _pins(draw: st.DrawFn, ctx: dict[str, Any], simple: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if ctx["learners"] and _chance(draw, 1, 6):
        for _ in range(2 if _chance(draw, 1, 3) else 1):
            out.append(draw(_pin(ctx, simple, {p["learner"] for p in out})))
    return out


def _search_size(ctx: dict[str, Any], learners: list[dict[str, Any]]) -> int:
    progs = {p["id"]: p for p in ctx["programmes"]}
    n = len(ctx["departments"])
    return math.prod(
        1 + n ** _planned_count(lr["start"], progs[lr["programme"]]["placements"], ctx["start"])
        for lr in learners
    )


def _policy(draw: st.DrawFn) -> dict[str, Any]:
    policy: dict[str, Any] = {"max_travel_km": 20 if _chance(draw, 1, 5) else
                              draw(st.sampled_from((50, 100)))}
    if _chance(draw, 1, 10):
        policy["fair_share_tolerance"] = draw(st.sampled_from((0.3, 0.6, 1.0)))
    return policy


@st.composite
def scenarios(draw: st.DrawFn, *, simple_buddies: bool = False, max_learners: int = 4,
              max_departments: int = 4, max_search: int = 500) -> Scenario:
    """A random tiny, schema-valid scenario (see the module docstring)."""
    start = draw(st.sampled_from(CALENDAR_STARTS))
    months = draw(st.integers(1, 6))
    pool = _month_pool(start, months)
    ctx: dict[str, Any] = {"start": start, "months": months, "pool": pool,
                           "organisations": draw(_organisations())}
    org_ids = [o["id"] for o in ctx["organisations"]]
    ctx["departments"] = draw(_departments(org_ids, pool, max_departments))
    ctx["buddies"] = draw(_buddies([d["id"] for d in ctx["departments"]], pool, simple_buddies))
    ctx["programmes"] = draw(_programmes(ctx))
    learners = [draw(_learner(i, ctx, simple_buddies))
                for i in range(draw(st.integers(1, max_learners)))]
    while len(learners) > 1 and _search_size(ctx, learners) > max_search:
        learners.pop()
    ctx["learners"] = learners
    return Scenario.model_validate({
        "scenario": 1,
        "name": "random tiny",
        "calendar": {"start": start, "months": months},
        "policy": _policy(draw),
        "organisations": ctx["organisations"],
        "departments": ctx["departments"],
        "buddies": ctx["buddies"],
        "programmes": ctx["programmes"],
        "learners": learners,
        "pins": draw(_pins(ctx, simple_buddies)),
    })
