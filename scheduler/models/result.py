"""What a solve returns: the plan and how good it is. Knows no solver objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .plan import Plan
from .rules import RuleId

# SPEC §6 statuses, plus "unknown": no valid plan was found within the time limit and
# none was proven impossible (exit 2, like infeasible; raise --time-limit).
Status = Literal["optimal", "feasible", "infeasible", "interrupted", "unknown"]


@dataclass(frozen=True)
class UnplacedReason:
    learner: str
    rule: RuleId
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"learner": self.learner, "rule": self.rule.value, "reason": self.reason}


@dataclass
class SolveResult:
    status: Status
    plan: Plan | None
    objective: float | None = None  # weighted objective of the plan (SPEC §4)
    bound: float | None = None  # best proven lower bound on the objective
    bound_source: str = ""
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
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, self.objective - self.bound) / max(1.0, abs(self.objective))
