"""What a solve returns: the plan and how good it is. Knows no solver objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..words.explain import jsonable, render
from .plan import Plan
from .rules import RuleId

# The statuses of kpis.json (docs/outputs.md#kpisjson). "unknown": no valid plan was
# found within the time limit and none was proven impossible (exit 2, like infeasible;
# raise --time-limit).
Status = Literal["optimal", "feasible", "infeasible", "interrupted", "unknown"]


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """How far the plan may be from the best possible, as a share in [0, 1].

    The primal-dual gap of Berthold (2013): |objective − bound| / max(|objective|, |bound|),
    0 where both are (nearly) zero and 1 where they have opposite signs: the bound then
    says nothing about the plan's quality, and no figure pretends otherwise. Unlike
    (objective − bound) / |objective| it stays between 0 and 100 % when the objective
    is near zero (a progress line once printed "gap 28575.68%").
    """
    if objective is None or bound is None:
        return None
    low = max(0.0, objective - bound)
    if low < 1e-9:
        return 0.0
    if objective * bound < 0:
        return 1.0
    return min(1.0, low / max(abs(objective), abs(bound)))


@dataclass(frozen=True)
class UnplacedReason:
    """Why a learner is unplaced: the binding rule and a sentence (key and parameters of
    ``scheduler/words/explain.py``), rendered in the language of whoever reads it."""

    learner: str
    rule: RuleId
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "nl") -> str:
        return render(self.key, lang, **self.params)

    def as_dict(self, lang: str = "nl") -> dict[str, Any]:
        return {"learner": self.learner, "rule": self.rule.value, "reason": self.text(lang),
                "key": self.key, "params": jsonable(dict(self.params))}


@dataclass
class SolveResult:
    status: Status
    plan: Plan | None
    objective: float | None = None  # weighted objective of the plan (docs/rules.md#objective)
    bound: float | None = None  # best proven lower bound on the objective
    bound_source: str = ""
    # The most learners any plan can place, proven (None: not known), and how it was proven
    placed_upper_bound: int | None = None
    placed_bound_source: str = ""
    solve_seconds: float = 0.0
    build_seconds: float = 0.0
    model: dict[str, Any] = field(default_factory=dict)
    solver: dict[str, Any] = field(default_factory=dict)
    unplaced: list[UnplacedReason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (seconds since solve() was called, objective, bound or None) for each improving plan
    trace: list[tuple[float, float, float | None]] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)
