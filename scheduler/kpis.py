"""KPIs and the weighted objective (docs/rules.md#objective), recomputed from Scenario + Plan alone.

Nothing here knows the solver: ``solve`` checks that the objective computed here equals
the one CP-SAT reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean
from typing import Any

from .models import Plan, PlanRow, RowStatus, Scenario, ordinal_month
from .models.objective import (
    OBJECTIVE_SCALE,
    SHARE_RESOLUTION,
    Coefficients,
    TermValues,
    share_permille,
    travel_decikm,
)


def _placements(plan: Plan, learner: str) -> dict[int, str]:
    return plan.placement_departments(learner)


def hosted_months(scenario: Scenario, plan: Plan) -> dict[str, int]:
    """Learner-months with status ``placed`` per organisation (all plan rows)."""
    counts = Counter(r.organisation for r in plan.rows if r.status is RowStatus.PLACED)
    return {o.id: counts.get(o.id, 0) for o in scenario.organisations}


def fair_share_units(scenario: Scenario, plan: Plan) -> int:
    hosted = hosted_months(scenario, plan)
    total = sum(hosted.values())
    shares = share_permille({o.id: o.fte_care for o in scenario.organisations})
    return sum(abs(SHARE_RESOLUTION * hosted[o] - shares[o] * total) for o in hosted)


def buddy_changes(plan: Plan) -> int:
    changes = 0
    for rows in plan.by_learner.values():
        last: dict[int, str] = {}
        for r in rows:
            if r.status is RowStatus.PLACED and r.buddy:
                if r.placement in last and last[r.placement] != r.buddy:
                    changes += 1
                last[r.placement] = r.buddy
    return changes


def changed_months(scenario: Scenario, plan: Plan, baseline: Plan | None) -> int:
    """Learner-months (of learners in the scenario) whose department differs from baseline."""
    if baseline is None:
        return 0

    def depts(p: Plan) -> dict[tuple[str, str], str]:
        return {
            (r.learner, r.month): r.department
            for r in p.rows
            if r.learner in scenario.learner and r.status is not RowStatus.UNPLACED
        }

    old, new = depts(baseline), depts(plan)
    keys = set(old) | set(new)
    return sum(1 for k in keys if old.get(k, "") != new.get(k, ""))


def term_values(scenario: Scenario, plan: Plan, baseline: Plan | None = None) -> TermValues:
    placed = plan.placed_learners()
    preference = travel = 0
    for learner_id in sorted(placed):
        learner = scenario.learner[learner_id]
        for dept in _placements(plan, learner_id).values():
            preference += scenario.preference_score(learner, dept)
            travel += travel_decikm(scenario.travel_km(learner, dept))
    unplaced = sum(1 for lid in plan.by_learner if lid not in placed)
    return TermValues(
        unplaced=unplaced,
        preference=preference,
        fair_share=fair_share_units(scenario, plan),
        travel=travel,
        buddy_change=buddy_changes(plan),
        stability=changed_months(scenario, plan, baseline),
    )


def objective_units(scenario: Scenario, plan: Plan, baseline: Plan | None = None) -> int:
    coefficients = Coefficients.from_weights(scenario.policy.weights)
    return term_values(scenario, plan, baseline).units(coefficients)


def objective(scenario: Scenario, plan: Plan, baseline: Plan | None = None) -> float:
    """The weighted objective of docs/rules.md#objective (lower is better)."""
    return objective_units(scenario, plan, baseline) / OBJECTIVE_SCALE


def _preference_stats(scenario: Scenario, plan: Plan) -> dict[str, Any]:
    with_prefs = first = any_pref = 0
    for learner_id in sorted(plan.placed_learners()):
        learner = scenario.learner[learner_id]
        if not learner.preferences:
            continue
        for dept in _placements(plan, learner_id).values():
            with_prefs += 1
            score = scenario.preference_score(learner, dept)
            any_pref += score > 0
            first += score == len(learner.preferences)
    pct = (lambda n: round(100.0 * n / with_prefs, 1)) if with_prefs else (lambda n: None)
    return {
        "placements_of_learners_with_preferences": with_prefs,
        "first_choice": first,
        "first_choice_pct": pct(first),
        "any_preference": any_pref,
        "any_preference_pct": pct(any_pref),
    }


def _fair_share(scenario: Scenario, plan: Plan) -> dict[str, Any]:
    hosted = hosted_months(scenario, plan)
    total = sum(hosted.values())
    quota = scenario.policy.quota_per_100_fte / 100.0
    rows: list[dict[str, Any]] = []
    for org in scenario.organisations:
        target = total * scenario.fte_share(org.id)
        rows.append(
            {
                "organisation": org.id,
                "fte_care": org.fte_care,
                "target": round(target, 2),
                "hosted": hosted[org.id],
                "deviation": round(hosted[org.id] - target, 2),
                "deviation_pct": round(100 * (hosted[org.id] - target) / target, 1)
                if target
                else None,
                "quota_places": round(org.fte_care * quota, 2),
                "quota_learner_months": round(org.fte_care * quota * scenario.calendar.months, 1),
            }
        )
    return {
        "hosted_learner_months": total,
        "total_abs_deviation": round(sum(abs(r["deviation"]) for r in rows), 2),
        "max_abs_deviation_pct": max(
            (abs(r["deviation_pct"]) for r in rows if r["deviation_pct"] is not None),
            default=0.0,
        ),
        "tolerance": scenario.policy.fair_share_tolerance,
        "quota_per_100_fte": scenario.policy.quota_per_100_fte,
        "organisations": rows,
    }


def _travel(scenario: Scenario, plan: Plan) -> dict[str, Any]:
    kms = [
        scenario.travel_km(scenario.learner[lid], dept)
        for lid in sorted(plan.placed_learners())
        for dept in _placements(plan, lid).values()
    ]
    return {
        "total_km": round(sum(kms), 1),
        "mean_km_per_placement": round(mean(kms), 1) if kms else 0.0,
        "max_km": round(max(kms), 1) if kms else 0.0,
    }


def compute_kpis(scenario: Scenario, plan: Plan, baseline: Plan | None = None) -> dict[str, Any]:
    """Every KPI of kpis.json that follows from the plan (solver fields are added by solve).

    The fields are described in docs/outputs.md#kpisjson.
    """
    coefficients = Coefficients.from_weights(scenario.policy.weights)
    terms = term_values(scenario, plan, baseline)
    placed = plan.placed_learners()
    counts = {
        "learners": len(plan.by_learner),
        "placed": len(placed),
        "unplaced": terms.unplaced,
        "learner_months_placed": sum(r.status is RowStatus.PLACED for r in plan.rows),
        "learner_months_unavailable": sum(r.status is RowStatus.UNAVAILABLE for r in plan.rows),
        "pins": len(scenario.pins),
    }
    return {
        "objective": terms.units(coefficients) / OBJECTIVE_SCALE,
        "objective_terms": {
            "unplaced_learners": terms.unplaced,
            "preference_points": terms.preference,
            "fair_share_deviation_learner_months": terms.fair_share / SHARE_RESOLUTION,
            "travel_km_rounded": terms.travel / 10,
            "buddy_changes": terms.buddy_change,
            "changed_learner_months": terms.stability,
        },
        "objective_weighted": terms.weighted(coefficients),
        "weights": scenario.policy.weights.model_dump(),
        "counts": counts,
        "preferences": _preference_stats(scenario, plan),
        "fair_share": _fair_share(scenario, plan),
        "travel": _travel(scenario, plan),
        "buddy_changes": terms.buddy_change,
        "changed_learner_months": terms.stability if baseline is not None else None,
        "occupancy_peak": _peak_occupancy(scenario, plan),
    }


def _peak_occupancy(scenario: Scenario, plan: Plan) -> dict[str, Any]:
    present: dict[str, int] = defaultdict(int)
    for r in plan.rows:
        if r.status is RowStatus.PLACED:
            present[r.month] += 1
    if not present:
        return {"month": None, "learners_present": 0}
    month = max(sorted(present), key=lambda m: present[m])
    return {"month": month, "learners_present": present[month]}


__all__ = [
    "PlanRow",
    "buddy_changes",
    "changed_months",
    "compute_kpis",
    "fair_share_units",
    "hosted_months",
    "objective",
    "objective_units",
    "ordinal_month",
    "term_values",
]
