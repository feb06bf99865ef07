"""The elastic model: the hard rules (docs/rules.md) with a priced slack per named rule group.

Where the real model (``model.py``) says *no*, this one says *what it would take*. It is
built on the same eligibility index and the same rule helpers, with three roles of
learners:

* ``keep``: must stay placed, under every rule of their own (the model may move them);
* ``focus``: should be placed; their own rules (starter shifts, history, level, travel,
  pins) may be broken at a price, as extra candidate departments (the cheapest
  ``MAX_RELAXED_PER_ROW`` per placement); leaving one unplaced costs ``FOCUS_UNPLACED``;
* everyone else: placed if it breaks nothing, else left out (cost 1).

Pinned learners not kept are focus learners; they may be left out only by dropping a
pin. Shared rules get a slack per group: capacity and buddies per department × month
(places), fair share per organisation and side (learner-months), pins per pin; focus
learners also get one for the Carrousel (placements), per required sector and per
department used twice. Only the families in ``Request.relax`` get slack; the
others stay hard. The objective is ``SCALE`` × Σ ``COST`` × violation + unplaced costs:
the non-zero slacks of an optimum are the smallest priced change that makes the plan
possible, reported as :class:`Break` records with ids, months and numbers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from ...models import Plan, RuleId, Scenario, month_ordinal
from ..budget import Budget
from ..cp import new_solver
from ..index import Index, build_index
from ..reasons import why_excluded
from ..rules import FILTERS, PER_CELL, PER_LEARNER, PRICED, RULES, SLACK_COST, carrousel

R = RuleId
# Price per unit of violation (each rule's ``SLACK_COST``), in the order a coordinator can
# change things: places and buddies first, then a learner's travel limit (growing with the
# km), accepted levels, the fair-share tolerance, pins; programme rules (starter shifts,
# Carrousel, sectors, distinct departments) are national or school rules, broken only
# when nothing else would do.
COST: dict[RuleId, int] = SLACK_COST
RELAXABLE = frozenset(SLACK_COST)
SCALE = 1000
FOCUS_UNPLACED = 10**9
MAX_RELAXED_PER_ROW = 12


@dataclass(frozen=True)
class Request:
    keep: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()
    relax: frozenset[RuleId] = RELAXABLE


@dataclass
class Break:
    """One rule broken in the relaxed plan, by ``amount`` (its unit depends on the rule)."""

    rule: RuleId
    amount: int
    learner: str = ""
    department: str = ""
    organisation: str = ""
    placement: int = 0
    months: tuple[int, ...] = ()  # ordinals
    value: float = 0  # what the relaxed plan has: learners present, km, level, hosted
    limit: float = 0  # what the rule allows: capacity, buddy places, km, ...
    learners: tuple[str, ...] = ()  # learners involved (present in the cells)
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class Relaxation:
    found: bool
    proven: bool = False
    cost: int = 0  # Σ COST × violation
    breaks: list[Break] = field(default_factory=list)
    assignment: dict[str, list[str]] = field(default_factory=dict)  # per planned placement
    where: dict[tuple[str, int], str] = field(default_factory=dict)  # (learner, index) → dept
    unplaced: list[str] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)  # focus learners left unplaced anyway


def _buddy_matrix(ix: Index) -> np.ndarray:
    s = ix.scenario
    bud = np.zeros_like(ix.deptcap)
    for j, d in enumerate(ix.departments):
        for b in s.buddies_of[d]:
            row = np.full(ix.horizon, s.buddy_max(b), dtype=np.int64)
            for o in s.buddy_unavailable[b.id]:
                if 0 <= o - ix.base < ix.horizon:
                    row[o - ix.base] = 0
            bud[j] += row
    return bud


def masked_index(scenario: Scenario) -> Index:
    """The eligibility index with every rule's candidate mask (as ``model.build``)."""
    ix = build_index(scenario)
    for rule in FILTERS:
        mask = rule.candidate_mask(ix)
        ix.masks[rule.RULE.value] = mask
        ix.mask &= mask
    return ix


class _Elastic:
    def __init__(self, scenario: Scenario, request: Request, hold: Plan | None = None) -> None:
        ix = masked_index(scenario)
        self.ix, self.relax = ix, request.relax
        self.bud = _buddy_matrix(ix)
        pinned = {ix.learners[i].id for i in np.nonzero(ix.forced_placed)[0]}
        self.keep = request.keep
        self.focus = (request.focus | pinned) - request.keep
        # Without a fair-share tolerance the other learners cannot change what the focus
        # learners need (they may always be left out): they are left out of the model.
        self.others = scenario.policy.fair_share_tolerance is not None
        self.hold = _departments(hold) if hold is not None else None  # keep learners held
        self.model = cp_model.CpModel()
        self.t_row: list[int] = []
        self.t_dept: list[int] = []
        self.t_cost: list[int] = []
        self.x: list[Any] = []
        self.u: list[Any] = []
        self.of_row: list[list[int]] = [[] for _ in range(ix.n_rows)]
        self.slacks: list[tuple[Any, int, tuple]] = []  # (var, cost, what)
        self.drops: dict[int, Any] = {}  # pin index → drop variable
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.hosted: list[Any] = []  # per organisation, where the fair-share rule has a tolerance

    # ----- candidates ---------------------------------------------------------------
    def _row_costs(self, li: int, r: int) -> tuple[np.ndarray, np.ndarray]:
        """(cost, allowed) per department for a focus learner's placement."""
        ix, n = self.ix, len(self.ix.departments)
        cost, ok = np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
        for rule in PRICED:  # rules that only filter candidates: priced candidates
            if rule.RULE in self.relax:
                cost += rule.row_cost(ix, li, r)
            else:
                ok &= ix.masks[rule.RULE.value][r]
        if R.PIN not in self.relax:
            ok &= ix.masks["pin"][r]
        present = list(ix.rows[r].present)
        if present and R.CAPACITY not in self.relax:
            ok &= ix.deptcap[:, present].min(axis=1) > 0
        if present and R.BUDDY not in self.relax:
            ok &= self.bud[:, present].min(axis=1) > 0
        return cost, ok

    def candidates(self) -> None:
        ix = self.ix
        for li, lr in enumerate(ix.learners):
            for r in ix.rows_of[li]:
                if lr.id in self.focus:
                    cost, ok = self._row_costs(li, r)
                    free = np.nonzero(ok & (cost == 0))[0]
                    priced = np.nonzero(ok & (cost > 0))[0]
                    priced = priced[np.argsort(cost[priced], kind="stable")][:MAX_RELAXED_PER_ROW]
                    pairs = [(int(d), int(cost[d])) for d in (*free, *priced)]
                elif lr.id in self.keep or self.others:
                    pairs = [(int(d), 0) for d in np.nonzero(ix.mask[r])[0]]
                    held = self.hold.get((lr.id, ix.rows[r].span.index)) if self.hold else None
                    if held is not None and lr.id in self.keep:
                        pairs = [(d, c) for d, c in pairs if ix.departments[d] == held] or pairs
                else:
                    pairs = []
                for d, c in pairs:
                    self.of_row[r].append(len(self.t_row))
                    self.t_row.append(r)
                    self.t_dept.append(d)
                    self.t_cost.append(c)

    # ----- variables and rules ------------------------------------------------------
    def slack(self, rule: RuleId, upper: int, what: tuple, allowed: bool = True) -> Any:
        if not allowed or rule not in self.relax or upper <= 0:
            return 0
        var = self.model.new_int_var(0, upper, f"slack[{rule.value}]{list(what)}")
        self.slacks.append((var, COST[rule], (rule, *what)))
        return var

    def variables(self) -> None:
        ix, m = self.ix, self.model
        for t, (r, d) in enumerate(zip(self.t_row, self.t_dept, strict=True)):
            self.x.append(m.new_bool_var(f"x[{r}][{ix.departments[d]}]"))
            for o in ix.rows[r].present:
                self.cells[(d, o)].append(t)
        for lr in ix.learners:
            self.u.append(None if lr.id in self.keep else m.new_bool_var(f"u[{lr.id}]"))

    def rules(self) -> None:
        """Every rule's elastic form, in the registry's order; rules stated per department
        × month or per learner share one walk over the cells or the learners."""
        walked = set()
        for rule in RULES:
            if hasattr(rule, "relax"):
                rule.relax(self)
            elif rule in PER_CELL and "cells" not in walked:
                walked.add("cells")
                self._per_cell()
            elif rule in PER_LEARNER and "learners" not in walked:
                walked.add("learners")
                self._per_learner()

    def _per_cell(self) -> None:
        for (d, o), ts in self.cells.items():
            load = sum(self.x[t] for t in ts)
            for rule in PER_CELL:
                rule.relax_cell(self, d, o, load, len(ts))

    def _per_learner(self) -> None:
        """Slack for focus learners only (``mine``); the others keep these rules hard."""
        ix = self.ix
        for li, lr in enumerate(ix.learners):
            mine = lr.id in self.focus
            u = self.u[li] if self.u[li] is not None else 0
            ts = [t for r in ix.rows_of[li] for t in self.of_row[r]]
            for rule in PER_LEARNER:
                rule.relax_learner(self, li, ts, u, mine)

    def objective(self) -> None:
        terms = [SCALE * c * v for v, c, _ in self.slacks]
        terms += [SCALE * c * self.x[t] for t, c in enumerate(self.t_cost) if c]
        for li, lr in enumerate(self.ix.learners):
            if self.u[li] is not None:
                pinned = self.ix.forced_placed[li]
                weight = FOCUS_UNPLACED if lr.id in self.focus and not pinned else 1
                terms.append(weight * self.u[li])
        self.model.minimize(sum(terms))

    def hint(self, where: dict[tuple[str, int], str], unplaced: set[str]) -> None:
        """Hint a plan: (learner, placement) → department; ``unplaced`` learners out."""
        ix = self.ix
        self.model.clear_hints()
        for t, (r, d) in enumerate(zip(self.t_row, self.t_dept, strict=True)):
            row = ix.rows[r]
            key = (ix.learners[row.learner].id, row.span.index)
            self.model.add_hint(self.x[t], where.get(key) == ix.departments[d])
        for lr, u in zip(ix.learners, self.u, strict=True):
            if u is not None:
                self.model.add_hint(u, lr.id in unplaced)

    def complete_hint(self, seconds: float) -> None:
        """Complete the hint (slacks, sums) by a quick solve with it fixed, then hint all."""
        fixer = new_solver()
        fixer.parameters.fix_variables_to_their_hinted_value = True
        fixer.parameters.num_workers = 1
        fixer.parameters.max_time_in_seconds = max(0.1, seconds)
        if fixer.solve(self.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return
        self.model.clear_hints()
        for i in range(len(self.model.proto.variables)):
            var = self.model.get_int_var_from_proto_index(i)
            self.model.add_hint(var, fixer.value(var))

    def build(self, hint: Plan | None) -> None:
        self.candidates()
        self.variables()
        self.rules()
        self.objective()
        if hint is not None:
            self.hint(_departments(hint), hint.unplaced_learners())


def _departments(plan: Plan) -> dict[tuple[str, int], str]:
    where: dict[tuple[str, int], str] = {}
    for row in plan.rows:
        if row.department:
            where.setdefault((row.learner, row.placement), row.department)
    return where


def relax(
    scenario: Scenario,
    request: Request,
    *,
    time_limit: float = 10.0,
    hint: Plan | None = None,
) -> Relaxation:
    """Solve the elastic model; report the smallest priced set of broken rules.

    With a plan to start from (``hint``), the kept learners are first held where the
    plan has them (a small model, solved fast); its solution is the complete starting
    point of the full model, where they may move to make room. One worker with the full
    LP relaxation (``linearization_level`` 2): on these models it proves optimality in
    seconds where a few parallel workers without the LP stall at a bound of 0, and it
    is deterministic.
    """
    budget = Budget.seconds(time_limit)
    em = _Elastic(scenario, request)
    em.build(hint)
    if hint is not None and request.keep:
        first = _Elastic(scenario, request, hold=hint)
        first.build(hint)
        solver, status = _solve(first, budget.share(0.3))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            start = _Extract(first, solver).relaxation()
            em.hint(start.where, set(start.unplaced))
            em.complete_hint(budget.share(0.1))
    solver, status = _solve(em, budget.left())
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Relaxation(found=False)
    out = _Extract(em, solver).relaxation()
    out.proven = status == cp_model.OPTIMAL
    return out


def _solve(em: _Elastic, seconds: float) -> tuple[cp_model.CpSolver, Any]:
    solver = new_solver()
    solver.parameters.max_time_in_seconds = max(0.1, float(seconds))
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    solver.parameters.random_seed = 0
    return solver, solver.solve(em.model)


# ===== reading the relaxed plan back ===================================================
class _Extract:
    def __init__(self, em: _Elastic, solver: cp_model.CpSolver) -> None:
        self.em, self.ix, self.solver = em, em.ix, solver
        self.s = em.ix.scenario
        self.chosen = [t for t in range(len(em.x)) if solver.boolean_value(em.x[t])]
        self.present: dict[tuple[int, int], list[str]] = defaultdict(list)
        self.pinned: set[tuple[str, int]] = set()  # (learner, department) held by a pin
        pins = self.ix.masks["pin"]
        for t in self.chosen:
            r, d = em.t_row[t], em.t_dept[t]
            lid = self.ix.learners[self.ix.rows[r].learner].id
            for o in self.ix.rows[r].present:
                self.present[(d, o)].append(lid)
            if pins[r, d] and not pins[r].all():
                self.pinned.add((lid, d))

    def relaxation(self) -> Relaxation:
        em, ix = self.em, self.ix
        out = Relaxation(found=True)
        rows: dict[int, str] = {em.t_row[t]: ix.departments[em.t_dept[t]] for t in self.chosen}
        for li, lr in enumerate(ix.learners):
            if all(r in rows for r in ix.rows_of[li]):
                out.assignment[lr.id] = [rows[r] for r in ix.rows_of[li]]
                out.where.update({(lr.id, ix.rows[r].span.index): rows[r] for r in ix.rows_of[li]})
            else:
                out.unplaced.append(lr.id)
                if lr.id in em.focus and not ix.forced_placed[li]:
                    out.stuck.append(lr.id)
        cells: dict[tuple[RuleId, int], dict[int, int]] = defaultdict(dict)
        for var, cost, what in em.slacks:
            amount = int(self.solver.value(var))
            if amount <= 0:
                continue
            out.cost += cost * amount
            rule = what[0]
            if rule in (R.CAPACITY, R.BUDDY):
                cells[(rule, what[1])][what[2]] = amount
            else:
                out.breaks.append(self._shared(rule, amount, what[1:]))
        for (rule, d), by_month in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            out.breaks.extend(self._cells(rule, d, by_month))
        for t in self.chosen:
            if em.t_cost[t]:
                out.cost += em.t_cost[t]
                out.breaks.extend(self._row_breaks(em.t_row[t], em.t_dept[t]))
        order = {rule: k for k, rule in enumerate(RuleId)}
        out.breaks.sort(key=lambda b: (order[b.rule], b.department, b.learner, b.months))
        return out

    def _cells(self, rule: RuleId, d: int, by_month: dict[int, int]) -> list[Break]:
        """Consecutive months with the same load and limit become one break."""
        ix, dept = self.ix, self.ix.departments[d]
        limits = ix.deptcap if rule is R.CAPACITY else self.em.bud
        runs: list[list[int]] = []
        for o in sorted(by_month):
            key = (len(self.present[(d, o)]), int(limits[d, o]))
            if runs and o == runs[-1][-1] + 1 and key == self._key(limits, d, runs[-1][-1]):
                runs[-1].append(o)
            else:
                runs.append([o])
        out = []
        for run in runs:
            who = sorted({lid for o in run for lid in self.present[(d, o)]})
            months = tuple(ix.base + o for o in run)
            info: dict[str, Any] = {}
            if rule is R.CAPACITY:
                info["pinned"] = bool(who) and all((lid, d) in self.pinned for lid in who)
            else:
                buddies = self.s.buddies_of[dept]
                away = [b.id for b in buddies
                        if any(m in self.s.buddy_unavailable[b.id] for m in months)]
                info.update(buddies=[b.id for b in buddies], away=away)
            out.append(Break(rule, max(by_month[o] for o in run), department=dept,
                             organisation=self.s.department[dept].organisation, months=months,
                             value=len(self.present[(d, run[0])]),
                             limit=int(limits[d, run[0]]), learners=tuple(who), info=info))
        return out

    def _key(self, limits: np.ndarray, d: int, o: int) -> tuple[int, int]:
        return (len(self.present[(d, o)]), int(limits[d, o]))

    def _row_breaks(self, r: int, d: int) -> list[Break]:
        ix, s = self.ix, self.s
        row = ix.rows[r]
        lr = ix.learners[row.learner]
        dept = ix.departments[d]
        org = s.department[dept].organisation
        months = tuple(ix.base + o for o in row.months)

        pinned = bool(ix.masks["pin"][r, d] and not ix.masks["pin"][r].all())

        def brk(rule: RuleId, amount: int, value: float = 0, limit: float = 0,
                when: tuple[int, ...] = months, info: dict[str, Any] | None = None) -> Break:
            return Break(rule, amount, learner=lr.id, department=dept, organisation=org,
                         placement=row.span.index, months=when, value=value, limit=limit,
                         info={"pinned": pinned, **(info or {})})

        out = []
        for rule in (m.RULE for m in PRICED):
            if ix.masks[rule.value][r, d]:
                continue
            if rule is R.TRAVEL:
                km, limit = float(ix.distance[row.learner, d]), s.learner_max_travel(lr)
                out.append(brk(rule, math.ceil(km - limit), round(km, 1), limit, info={"km": km}))
            elif rule is R.LEVEL:
                levels = list(s.department[dept].levels or ())
                out.append(brk(rule, 1, lr.level or 0, info={"levels": levels}))
            elif rule is R.STARTER_SHIFTS:
                starter = set(s.starter_months(lr))
                out.append(brk(rule, 1, when=tuple(m for m in months if m in starter) or months))
            else:
                out.append(brk(rule, 1, info={"history": True}))
        return out

    def _pin_why(self, pin: Any) -> list[Any]:
        """Why the learner's own rules exclude the pinned department (empty: they don't)."""
        ix = self.ix
        li = next(i for i, lr in enumerate(ix.learners) if lr.id == pin.learner)
        d = ix.dept_pos.get(pin.department)
        first, last = month_ordinal(pin.first) - ix.base, month_ordinal(pin.last) - ix.base
        for r in ix.rows_of[li]:
            if d is not None and any(first <= o <= last for o in ix.rows[r].months):
                return [x for x in why_excluded(ix, li, r, d)
                        if x.key not in ("why_pin", "why_freeze")]
        return []

    def _shared(self, rule: RuleId, amount: int, what: tuple) -> Break:
        ix, s = self.ix, self.s
        if rule is R.PIN:
            pin = s.pins[what[0]]
            months = tuple(range(month_ordinal(pin.first), month_ordinal(pin.last) + 1))
            return Break(rule, 1, learner=pin.learner, department=pin.department,
                         months=months, info={"pin": what[0], "why": self._pin_why(pin)})
        if rule is R.FAIR_SHARE:
            o, side = what
            org = ix.organisations[o]
            hosted = int(self.solver.value(self.em.hosted[o]))
            tol = s.policy.fair_share_tolerance or 0.0
            return Break(rule, amount, organisation=org, value=hosted,
                         info={"side": side, "pct": round(100 * tol, 1)})
        lr = ix.learners[what[0]]
        if rule is R.CARROUSEL:
            need = carrousel.away_needed(ix, what[0])
            return Break(rule, amount, learner=lr.id, info={"need": need, "home": lr.home})
        if rule is R.REQUIRED_SECTORS:
            return Break(rule, amount, learner=lr.id, info={"sector": what[1]})
        return Break(rule, amount, learner=lr.id, department=ix.departments[what[1]])
