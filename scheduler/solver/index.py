"""Eligibility index: which (learner, placement, department) triples may exist.

Everything here is vectorised numpy over rows (planned placements) × departments.
Rules that only restrict domains (travel, level, starter shifts, history, zero
capacity, pins, frozen months) contribute a boolean mask each (see ``rules/``); the
model then has variables only for the triples that survive every mask.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

import numpy as np

from ..models import Learner, PlacementSpan, Scenario, month_ordinal
from ..models.objective import share_permille


@dataclass
class Row:
    """One planned placement of one learner."""

    learner: int  # index into Index.learners
    span: PlacementSpan
    months: tuple[int, ...]  # planned month offsets (from Index.base)
    present: tuple[int, ...]  # planned months the learner is available (uses capacity)
    needs_fixed: bool


@dataclass
class Index:
    scenario: Scenario
    base: int  # ordinal of month offset 0 (calendar start)
    horizon: int  # number of month offsets (window plus months past its end)
    learners: list[Learner]
    departments: list[str]
    dept_pos: dict[str, int]
    rows: list[Row]
    rows_of: list[list[int]]  # learner index → its row indices, in placement order
    effcap: np.ndarray  # departments × months: min(capacity, buddy capacity)
    deptcap: np.ndarray  # departments × months: department capacity alone
    distance: np.ndarray  # learners × departments, km (0 where location unknown)
    dept_org: np.ndarray  # department → organisation index
    organisations: list[str]
    dept_sector: list[str]
    forced_placed: np.ndarray  # learners that must be placed (pins, frozen months)
    forced_unplaced: np.ndarray  # learners frozen as unplaced
    mask: np.ndarray = field(init=False)  # rows × departments: eligible
    masks: dict[str, np.ndarray] = field(default_factory=dict)  # rule name → mask

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def placed_learners(self, rows: Container[int]) -> set[int]:
        """Learners a plan of ``rows`` places: every one of their rows is in it (a learner
        without rows is not placed)."""
        return {li for li, mine in enumerate(self.rows_of)
                if mine and all(r in rows for r in mine)}

    def placed_mask(self, rows: Container[int]) -> np.ndarray:
        """Per learner: placed by a plan of ``rows`` (``placed_learners``)."""
        mask = np.zeros(len(self.learners), dtype=bool)
        mask[list(self.placed_learners(rows))] = True
        return mask

    def row_learner(self) -> np.ndarray:
        return np.fromiter((r.learner for r in self.rows), dtype=np.int64, count=len(self.rows))

    def present_months(self) -> np.ndarray:
        """Per row, the months its learner is present (hosted learner-months if placed)."""
        return np.fromiter((len(r.present) for r in self.rows), dtype=np.int64,
                           count=len(self.rows))

    def present_signatures(self) -> tuple[np.ndarray, list[tuple[int, ...]]]:
        """Rows grouped by their present months: per row a small id, and per id the months
        (rows of one id share every per-month computation)."""
        ids: dict[tuple[int, ...], int] = {}
        of_row = np.fromiter((ids.setdefault(r.present, len(ids)) for r in self.rows),
                             dtype=np.int64, count=len(self.rows))
        return of_row, list(ids)

    def fair_shares(self) -> dict[str, int]:
        """Each organisation's FTE share in 1/SHARE_RESOLUTION (docs/rules.md#term-fair_share)."""
        return share_permille({o: self.scenario.organisation[o].fte_care
                               for o in self.organisations})

    def travel_decikm(self) -> np.ndarray:
        """Distances in 0.1 km, rounded like :func:`travel_decikm` (half to even)."""
        return np.rint(self.distance * 10).astype(np.int64)


def _capacity_matrices(s: Scenario, depts: list[str], base: int, horizon: int):
    cap = np.zeros((len(depts), horizon), dtype=np.int64)
    bud = np.zeros((len(depts), horizon), dtype=np.int64)
    for i, d in enumerate(depts):
        dept = s.department[d]
        cap[i, :] = dept.capacity
        for month, n in dept.capacity_by_month.items():
            t = month_ordinal(month) - base
            if 0 <= t < horizon:
                cap[i, t] = n
        for b in s.buddies_of[d]:
            row = np.full(horizon, s.buddy_max(b), dtype=np.int64)
            for t in (o - base for o in s.buddy_unavailable[b.id]):
                if 0 <= t < horizon:
                    row[t] = 0
            bud[i] += row
    return cap, np.minimum(cap, bud)


def _distances(s: Scenario, learners: list[Learner], depts: list[str]) -> np.ndarray:
    dl = np.radians(np.array([s.department_location(d) for d in depts], dtype=float))
    locs = [s.learner_location(lr) for lr in learners]
    known = np.array([loc is not None for loc in locs], dtype=bool)
    ll = np.radians(np.array([loc if loc else (0.0, 0.0) for loc in locs], dtype=float))
    if len(learners) == 0:
        return np.zeros((0, len(depts)))
    lat1, lon1 = ll[:, 0:1], ll[:, 1:2]
    lat2, lon2 = dl[None, :, 0], dl[None, :, 1]
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    km[~known, :] = 0.0
    return km


def build_index(s: Scenario) -> Index:
    """Rows and capacity matrices; the masks are applied by ``apply_masks``."""
    base = s.calendar.first
    learners: list[Learner] = []
    rows: list[Row] = []
    rows_of: list[list[int]] = []
    for lr in s.learners:
        spans = s.planned_spans(lr)
        if not spans:
            continue
        li = len(learners)
        learners.append(lr)
        away = s.learner_unavailable[lr.id]
        mine = []
        for sp in spans:
            months = tuple(o - base for o in sp.planned)
            present = tuple(o - base for o in sp.planned if o not in away)
            mine.append(len(rows))
            rows.append(Row(li, sp, months, present, s.needs_fixed_shifts(lr, sp)))
        rows_of.append(mine)
    horizon = max([s.calendar.months] + [r.months[-1] + 1 for r in rows])
    depts = [d.id for d in s.departments]
    orgs = [o.id for o in s.organisations]
    org_pos = {o: i for i, o in enumerate(orgs)}
    deptcap, effcap = _capacity_matrices(s, depts, base, horizon)
    ix = Index(
        scenario=s,
        base=base,
        horizon=horizon,
        learners=learners,
        departments=depts,
        dept_pos={d: i for i, d in enumerate(depts)},
        rows=rows,
        rows_of=rows_of,
        effcap=effcap,
        deptcap=deptcap,
        distance=_distances(s, learners, depts),
        dept_org=np.array([org_pos[s.department[d].organisation] for d in depts], dtype=np.int64),
        organisations=orgs,
        dept_sector=[s.department_sector(d) for d in depts],
        forced_placed=np.zeros(len(learners), dtype=bool),
        forced_unplaced=np.zeros(len(learners), dtype=bool),
    )
    ix.mask = np.ones((len(rows), len(depts)), dtype=bool)
    return ix

