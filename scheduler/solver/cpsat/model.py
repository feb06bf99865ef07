"""Builds the CP-SAT model: index → masks → triples → variables → rules → objective."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from ...models import Scenario
from ...models.objective import SHARE_RESOLUTION, Coefficients
from ..buddies.naming import min_switches
from ..heuristics import greedy
from ..index import Index, build_index
from ..options import SolveOptions
from ..rules import CONSTRAINTS, FILTERS, carrousel, required_sectors
from .replan import Baseline, freeze_mask, frozen_buddies, stability_costs


@dataclass(frozen=True)
class Candidates:
    """Every eligible (placement row, department) triple with its objective costs, before
    pruning: the model holds those where ``keep`` is set; ``pricing`` prices the rest."""

    t_row: np.ndarray
    t_dept: np.ndarray
    cost_preference: np.ndarray
    cost_travel: np.ndarray
    cost_buddy: np.ndarray
    cost_stability: np.ndarray


# The BuildContext fields of the same names hold the triples in the model.
TRIPLE_FIELDS = tuple(f.name for f in fields(Candidates))


@dataclass
class BuildContext:
    ix: Index
    model: cp_model.CpModel
    coefficients: Coefficients
    t_row: np.ndarray
    t_dept: np.ndarray
    cost_preference: np.ndarray
    cost_travel: np.ndarray
    cost_buddy: np.ndarray
    cost_stability: np.ndarray
    stability_if_unplaced: np.ndarray
    stability_constant: int
    fixed_buddies: dict[tuple[str, int], str]
    greedy: dict[int, int]  # row → department (the hint and fallback)
    pruned: bool = False
    x: list = field(default_factory=list)
    u: list = field(default_factory=list)
    triples_of_row: list[list[int]] = field(default_factory=list)
    hosted: list | None = None
    total: Any = None
    total_upper: int = 0
    terms: dict = field(default_factory=dict)
    objective: Any = None  # the weighted Term
    fallback: dict[int, str] | None = None  # best earlier-stage assignment
    hinted: bool = False  # the greedy plan was given to CP-SAT as a hint
    bound_from_mip: bool = False  # the model holds HiGHS's bound as a constraint
    mip_plan_meets_bound: bool = False  # the hint is HiGHS's plan and meets that bound
    greedy_at: float = 0.0  # time.perf_counter() when the greedy plan was complete
    stats: dict[str, Any] = field(default_factory=dict)
    candidates: Candidates | None = None  # every eligible triple (set when pruned)
    keep: np.ndarray | None = None  # over ``candidates``: the triples in the model
    # (row key, ...) → index of the model constraint holding that row; each rule module's
    # ``ROWS`` names its keys, e.g. ("placement", row), ("capacity", dept, month),
    # ("capacity_class", dept, present), ("distinct_departments", learner, dept); the
    # objective adds ("hosted", organisation). ``pricing`` finds a pruned triple's rows
    # through it.
    row_index: dict[tuple, int] = field(default_factory=dict)
    pricing: Any = None  # pricing.Pricing of the last LP; a PricedBound once the model is final
    lp_x: np.ndarray | None = None  # the last LP relaxation's value per model triple
    lp_relaxed: bool = False  # that LP left the fair-share costs out (``columns``)
    lp_reduced_cost: np.ndarray | None = None  # per model triple (unpruned models only)
    hosted_price: np.ndarray | None = None  # per organisation, that LP's price of a hosted month
    placement_x: np.ndarray | None = None  # tight regions: the LP of the number placed, per triple
    lp_objective: float | None = None  # the whole (unpruned) model's LP optimum (units)
    lp_bound: int | None = None  # a bound on every plan from HiGHS (LP or MIP), whole units
    placed_upper: int | None = None  # most learners any plan can place (LP), when known
    # pruned models: the Lagrangian ascent running beside the phases (lp/lagrangian.py's
    # Background) and its best bound so far, whole units
    lagrangian: Any = None
    lagrangian_bound: int | None = None
    # pruned models priced by the Lagrangian: the LP's column-generation rounds for the
    # bound in a child process (lp/columns.py's ``_bound_rounds``) and their best bound
    lp_rounds: Any = None
    rounds_bound: int | None = None
    # the pruned model holds the departments the Lagrangian multipliers price cheapest
    # (pipeline's ``_price_by_lagrangian``): its LP needs no column generation
    lagrangian_priced: bool = False

    def combined_cost(self) -> np.ndarray:
        return combined_cost(self.coefficients, self)

    def chosen(self, plan: dict[int, int]) -> np.ndarray:
        """Per placement row, the department ``plan`` gives it (−1: none)."""
        chosen = np.full(self.ix.n_rows, -1, dtype=np.int64)
        for r, d in plan.items():
            chosen[r] = d
        return chosen

    def plan_triples(self, chosen: np.ndarray) -> np.ndarray:
        """Per triple: the plan (as ``chosen``) takes it."""
        return chosen[self.t_row] == self.t_dept

    def x_columns(self) -> np.ndarray:
        """The model column of each placement triple's literal (``x``), in triple order."""
        return np.array([v.index for v in self.x], dtype=np.int64)

    def unplaced_columns(self) -> np.ndarray:
        """The model column of each 'unplaced' literal (learners who may be left out)."""
        return np.array([u.index for u in self.u if u is not None], dtype=np.int64)

    def unplaced_costs(self, objective: str) -> np.ndarray:
        """Per learner, the objective units of leaving them out (lexicographic: more than
        any placement can cost)."""
        if objective == "lexicographic":
            return np.full(len(self.ix.learners), np.inf)
        c = self.coefficients
        return (c.unplaced + c.stability * self.stability_if_unplaced).astype(float)

    def repair_plan(self, chosen: dict[int, int], cost: np.ndarray, objective: str,
                    seconds: float, stop=lambda: False) -> dict[int, int]:
        """``chosen`` repaired (``repair.py``) over the model's triples, with ``cost``
        per triple, for about ``seconds`` of search, as a node budget
        (``repair_nodes``), so the plan does not depend on the machine's speed."""
        return greedy.repair_plan(
            self.ix, self.t_row, self.t_dept, cost, chosen, *self.learner_needs(),
            self.unplaced_costs(objective), repair_nodes(seconds), stop,
            _fair_share_tracker(self))

    def learner_needs(self) -> tuple[Callable[[int], int], Callable[[int], list[str]]]:
        """Per learner, the away placements and the sectors a plan must still give them
        (what the greedy and the repair search for)."""
        ix = self.ix
        return (lambda li: carrousel.away_needed(ix, li),
                lambda li: required_sectors.missing_sectors(ix, li))

    def bound_placed(self, upper: int | None, source: str) -> None:
        """A proof that no plan places more than ``upper`` learners: kept where it is the
        tightest so far (``stats["placed_bound_source"]`` names it)."""
        if upper is not None and (self.placed_upper is None or upper < self.placed_upper):
            self.placed_upper = upper
            self.stats["placed_bound_source"] = source

    def release_candidates(self) -> None:
        """The model is final: free the pruned candidates (XL: 19 million triples)."""
        self.candidates = self.keep = None

    def all_triples(self) -> Candidates:
        """Every eligible triple, whether the model holds it or not."""
        if self.candidates is not None:
            return self.candidates
        return Candidates(*(getattr(self, name) for name in TRIPLE_FIELDS))


# Repairing the greedy plan (``repair.py``) places most of the learners it left out on busy
# regions. Its budget is in search nodes so that plans do not depend on the machine's
# speed; REPAIR_NODES_PER_SECOND turns seconds into nodes at roughly a small machine's rate.
REPAIR_NODES_PER_SECOND = 100_000
REPAIR_SHARE = 0.05  # of the time limit, for the first greedy plan's repair
FIRST_REPAIR_SECONDS = 1.0  # at most: the first plan must come within seconds on large regions


def repair_nodes(seconds: float) -> int:
    return int(REPAIR_NODES_PER_SECOND * max(0.0, seconds))


def combined_cost(c: Coefficients, t) -> np.ndarray:
    """Per triple, the weighted objective of placing it (``t``: triple cost arrays)."""
    return (
        -c.preference * t.cost_preference
        + c.travel * t.cost_travel
        + c.buddy_change * t.cost_buddy
        + c.stability * t.cost_stability
    )


def _preference_matrix(ix: Index) -> np.ndarray:
    s = ix.scenario
    pref = np.zeros((len(ix.learners), len(ix.departments)), dtype=np.int64)
    org_depts: dict[str, list[int]] = {}
    for j, d in enumerate(ix.departments):
        org_depts.setdefault(s.department[d].organisation, []).append(j)
    for i, lr in enumerate(ix.learners):
        n = len(lr.preferences)
        for k, p in reversed(list(enumerate(lr.preferences, start=1))):
            cols = org_depts.get(p, []) if p in s.organisation else [ix.dept_pos.get(p, -1)]
            for j in cols:
                if j >= 0:
                    pref[i, j] = n - k + 1
    return pref


def _buddy_costs(ix: Index, t_row, t_dept) -> np.ndarray:
    """Fewest buddy changes each candidate forces (only where buddies take leave)."""
    s = ix.scenario
    risky = [
        j
        for j, d in enumerate(ix.departments)
        if any(s.buddy_unavailable[b.id] for b in s.buddies_of[d])
    ]
    cost = np.zeros(len(t_row), dtype=np.int64)
    sel = np.nonzero(np.isin(t_dept, risky))[0]
    if not len(sel):
        return cost
    span_of_row, spans = ix.present_signatures()
    pair = span_of_row[t_row[sel]] * len(ix.departments) + t_dept[sel]
    unique, back = np.unique(pair, return_inverse=True)
    months_of = {k: [ix.base + m for m in present] for k, present in enumerate(spans)}
    values = np.array([
        min_switches(s, ix.departments[int(p % len(ix.departments))],
                     months_of[int(p // len(ix.departments))])
        for p in unique
    ], dtype=np.int64)
    cost[sel] = values[back]
    return cost


def _apply_masks(ix: Index, options: SolveOptions, base: Baseline | None) -> None:
    for rule in FILTERS:
        m = rule.candidate_mask(ix)
        ix.masks[rule.RULE.value] = m
        ix.mask &= m
    if base is not None and options.freeze_until:
        m = freeze_mask(ix, base, options.freeze_until)
        ix.masks["freeze"] = m
        ix.mask &= m
    ix.mask[np.isin(ix.row_learner(), np.nonzero(ix.forced_unplaced)[0])] = False


def _fair_share_tracker(ctx: BuildContext) -> greedy.FairShare | None:
    if ctx.coefficients.fair_share <= 0:
        return None
    ix = ctx.ix
    shares = ix.fair_shares()
    return greedy.FairShare(
        coefficient=ctx.coefficients.fair_share,
        resolution=SHARE_RESOLUTION,
        shares=np.array([shares[o] for o in ix.organisations], dtype=np.int64),
        total=int(ix.present_months().sum()),
        hosted=np.zeros(len(ix.organisations), dtype=np.int64),
    )


def fair_share_prices(ctx: BuildContext, fair: greedy.FairShare | None) -> np.ndarray:
    """Per triple, the fair-share term linearised at the greedy plan's deviations.

    For signs w (±1 per organisation), Σ_o w_o·(R·hosted_o − share_o·total) is a lower
    estimate of the deviation term; each candidate adds its months times that slope.
    """
    if fair is None or not len(ctx.t_row):
        return np.zeros(len(ctx.t_row), dtype=np.int64)
    w = fair.signs()
    slope = fair.coefficient * (fair.resolution * w - int((w * fair.shares).sum()))
    return ctx.ix.present_months()[ctx.t_row] * slope[ctx.ix.dept_org[ctx.t_dept]]


# Per placement, the cheapest departments that still have room in every present month
# after the greedy plan are kept too: on busy regions the LP moves learners to them to
# free their first choices for others: on mid-size regions this brings the pruned LP much
# closer to the unpruned one for a few more triples and about the same LP time. Not on
# regions with more than ROOM_MAX_PLACEMENTS placements: there they made the LP so much
# slower that it ran past half of the time limit and the plan fell back to the greedy's
# (see benchmarks/results/history.csv).
ROOM_CANDIDATES = 10
ROOM_MAX_PLACEMENTS = 4_000



def _rank_in_row(t_row: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Each triple's rank by cost among its placement row's triples (0: cheapest)."""
    order = np.lexsort((cost, t_row))
    rank = np.zeros(len(t_row), dtype=np.int64)
    rows_sorted = t_row[order]
    starts = np.r_[0, np.nonzero(np.diff(rows_sorted))[0] + 1]
    rank[order] = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return rank


def _room_left(ctx: BuildContext) -> np.ndarray:
    """Per triple: its department has room in each of its present months after the greedy."""
    ix = ctx.ix
    load = np.zeros_like(ix.effcap)
    for r, d in ctx.greedy.items():
        load[d, list(ix.rows[r].present)] += 1
    spare = ix.effcap - load > 0
    sig, signatures = ix.present_signatures()
    room = np.ones((len(signatures), len(ix.departments)), dtype=bool)
    for s, present in enumerate(signatures):
        if present:
            room[s] = spare[:, list(present)].all(axis=1)
    return room[sig[ctx.t_row], ctx.t_dept]


def _prune(ctx: BuildContext, k: int, fair: greedy.FairShare | None = None) -> np.ndarray:
    """Keep the k cheapest departments per placement, the ROOM_CANDIDATES cheapest with
    room left after the greedy plan (up to ROOM_MAX_PLACEMENTS placements), the
    greedy's choice, and every candidate of a learner who must be placed and whom the
    greedy left out.

    "Cheapest" includes the fair-share slope at the greedy plan, so departments of
    organisations below their share stay candidates.
    """
    own = ctx.combined_cost()
    keep = _rank_in_row(ctx.t_row, own + fair_share_prices(ctx, fair)) < k
    if ctx.ix.n_rows <= ROOM_MAX_PLACEMENTS:  # ranked by their own cost: the LP's 2nd choices
        room = _room_left(ctx)
        sentinel = int(own.max()) + 1 if len(own) else 0
        keep |= room & (_rank_in_row(ctx.t_row, np.where(room, own, sentinel))
                        < ROOM_CANDIDATES)
    chosen = ctx.chosen(ctx.greedy)
    keep |= ctx.plan_triples(chosen)
    return keep | _around_the_forced_left_out(ctx, chosen)


def _around_the_forced_left_out(ctx: BuildContext, chosen: np.ndarray) -> np.ndarray:
    """Per triple: its learner must be placed (pins, frozen months) and the greedy left
    them out, or holds a department and month such a learner could take. Pruned to their
    cheapest departments, such learners made the model infeasible where a plan exists
    (property tests found two); the solve re-runs the whole model where it still is."""
    of = ctx.ix.row_learner()
    missing = ctx.ix.forced_placed.copy()
    missing[of[chosen >= 0]] = False
    if not missing.any():
        return np.zeros(len(ctx.t_row), dtype=bool)
    sources = missing[of[ctx.t_row]]
    own = ctx.plan_triples(chosen)
    moved = missing.copy()
    moved[of[ctx.t_row[own & sharing_a_department_month(ctx, sources)]]] = True
    return moved[of[ctx.t_row]]


def sharing_a_department_month(ctx: BuildContext, sources: np.ndarray) -> np.ndarray:
    """Per model triple: its department has a month in common with a ``sources`` triple."""
    ix = ctx.ix
    sig, signatures = ix.present_signatures()
    wanted = np.zeros((len(ix.departments), ix.horizon), dtype=bool)
    for t in np.flatnonzero(sources):
        wanted[ctx.t_dept[t], list(signatures[sig[ctx.t_row[t]]])] = True
    if not wanted.any():
        return np.zeros(len(ctx.t_row), dtype=bool)
    per_signature = np.array([wanted[:, list(present)].any(axis=1) if present
                              else np.zeros(len(ix.departments), dtype=bool)
                              for present in signatures])
    return per_signature[sig[ctx.t_row], ctx.t_dept]


def _fixed_buddies(ix: Index, base: Baseline | None, options: SolveOptions):
    """Buddies the naming must keep: pinned ones, then frozen ones that still can hold.

    A frozen baseline buddy who is now unavailable, gone, or full with pinned learners is
    dropped (the department stays frozen; the naming picks another buddy).
    """
    s = ix.scenario
    pinned, _ = s.pinned_buddies  # conflicts make the model infeasible (rules/pins.py)
    if base is None or not options.freeze_until:
        return dict(pinned)
    fixed = dict(pinned)
    load: dict[tuple[str, int], int] = defaultdict(int)
    for (_, o), b in pinned.items():
        load[(b, o)] += 1
    for (lid, o), b in sorted(frozen_buddies(ix, base, options.freeze_until).items()):
        if (lid, o) in fixed or b not in s.buddy or o in s.buddy_unavailable[b]:
            continue
        if load[(b, o)] < s.buddy_max(s.buddy[b]):
            fixed[(lid, o)] = b
            load[(b, o)] += 1
    return fixed


def build(scenario: Scenario, options: SolveOptions) -> BuildContext:
    t0 = time.perf_counter()
    ix = build_index(scenario)
    base = Baseline.from_plan(options.baseline) if options.baseline is not None else None
    _apply_masks(ix, options, base)
    t_row, t_dept = (a.astype(np.int64) for a in np.nonzero(ix.mask))
    rl = ix.row_learner()[t_row] if len(t_row) else np.zeros(0, dtype=np.int64)
    if base is not None:
        stab, stab_u, stab_c = stability_costs(ix, base, t_row, t_dept)
    else:
        stab = np.zeros(len(t_row), dtype=np.int64)
        stab_u, stab_c = np.zeros(len(ix.learners), dtype=np.int64), 0
    fixed = _fixed_buddies(ix, base, options)
    ctx = BuildContext(
        ix=ix,
        model=cp_model.CpModel(),
        coefficients=Coefficients.from_weights(scenario.policy.weights),
        t_row=t_row,
        t_dept=t_dept,
        cost_preference=_preference_matrix(ix)[rl, t_dept] if len(t_row) else stab * 0,
        cost_travel=ix.travel_decikm()[rl, t_dept] if len(t_row) else stab * 0,
        cost_buddy=_buddy_costs(ix, t_row, t_dept),
        cost_stability=stab,
        stability_if_unplaced=stab_u,
        stability_constant=stab_c,
        fixed_buddies=fixed,
        greedy={},
    )
    fair = _fair_share_tracker(ctx)
    ctx.greedy = greedy.greedy_assignment(
        ix,
        t_row,
        t_dept,
        ctx.combined_cost(),
        *ctx.learner_needs(),
        fair=fair,
        unplaced_cost=ctx.unplaced_costs(options.objective),
        repair_nodes=repair_nodes(min(FIRST_REPAIR_SECONDS, REPAIR_SHARE * options.time_limit)),
    )
    ctx.greedy_at = time.perf_counter()
    ctx.stats["index_seconds"] = ctx.greedy_at - t0
    k = options.max_candidates
    if k is None and len(t_row) > options.prune_above:
        k = max(5, int(options.prune_above / max(1, ix.n_rows)))
    if k is not None:
        keep = _prune(ctx, k, fair)
        if not keep.all():
            ctx.candidates = ctx.all_triples()
            ctx.pruned = True
            ctx.stats["departments_per_placement"] = k  # the pruning kept the k best
            _select(ctx, keep)
    assemble(ctx)
    ctx.stats.update(
        build_seconds=time.perf_counter() - t0,
        triples_before_pruning=len(t_row),
        learners=len(ix.learners),
        placements=ix.n_rows,
        departments=len(ix.departments),
    )
    return ctx


def _select(ctx: BuildContext, keep: np.ndarray) -> None:
    """Hold the candidates where ``keep`` is set (the model must then be assembled)."""
    assert ctx.candidates is not None
    ctx.keep = keep
    for name in TRIPLE_FIELDS:
        setattr(ctx, name, getattr(ctx.candidates, name)[keep])


def reassemble(ctx: BuildContext, keep: np.ndarray) -> None:
    """A fresh model over the candidates where ``keep`` is set (column generation)."""
    _select(ctx, keep)
    ctx.pruned = not keep.all()
    assemble(ctx)


def assemble(ctx: BuildContext) -> None:
    """Variables, every rule's constraints and the objective over the held triples."""
    started = time.perf_counter()
    scenario = ctx.ix.scenario
    ctx.model = cp_model.CpModel()
    ctx.stats.pop("fair_share_lattice", None)  # a fresh model has no lattice cuts yet
    ctx.x, ctx.u, ctx.row_index = [], [], {}
    ctx.hosted, ctx.total = None, None
    _create_variables(ctx)
    for rule in CONSTRAINTS:
        if rule.RULE.value == "fair_share" and scenario.policy.fair_share_tolerance is None:
            continue
        if rule.RULE.value == "fair_share" and ctx.hosted is None:
            from .objectives import hosted_expressions

            hosted_expressions(ctx)
        rule.add(ctx)
    _set_objective(ctx)
    ctx.stats.update(
        triples=len(ctx.t_row),
        pruned=ctx.pruned,
        variables=len(ctx.model.proto.variables),
        constraints=len(ctx.model.proto.constraints),
        assemble_seconds=time.perf_counter() - started,
    )


def _create_variables(ctx: BuildContext) -> None:
    ix, model = ctx.ix, ctx.model
    named = len(ctx.t_row) <= 20_000
    ctx.triples_of_row = [[] for _ in range(ix.n_rows)]
    for t, (r, d) in enumerate(zip(ctx.t_row.tolist(), ctx.t_dept.tolist(), strict=True)):
        if named:
            row = ix.rows[r]
            name = f"x[{ix.learners[row.learner].id}][{row.span.index}][{ix.departments[d]}]"
        else:
            name = ""
        ctx.x.append(model.new_bool_var(name))
        ctx.triples_of_row[r].append(t)
    for li, lr in enumerate(ix.learners):
        if ix.forced_placed[li]:  # pinned or frozen: no way out (a conflict is infeasible)
            ctx.u.append(None)
        else:
            u = model.new_bool_var(f"unplaced[{lr.id}]")
            if ix.forced_unplaced[li]:
                model.add(u == 1).with_name(f"freeze[{lr.id}]")
            ctx.u.append(u)


def _set_objective(ctx: BuildContext) -> None:
    from .objectives import build_terms, hosted_expressions, weighted

    if ctx.hosted is None and ctx.coefficients.fair_share:
        hosted_expressions(ctx)
    ctx.terms = build_terms(ctx)
    ctx.objective = weighted(ctx.terms, ctx.coefficients, ctx.x)
    ctx.model.minimize(ctx.objective.expr())
