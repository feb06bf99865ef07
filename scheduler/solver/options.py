"""Solver options: data, recorded in kpis.json."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..models import Plan


def default_workers() -> int:
    """CP-SAT's portfolio needs about 8 workers to include its LP-heavy strategies; even
    on a machine with few cores, 8 workers proved the default scenario's optimum where one
    worker per core stalled (README)."""
    return max(8, min(16, os.cpu_count() or 1))


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0
    workers: int = field(default_factory=default_workers)
    seed: int = 0
    objective: Literal["weighted", "lexicographic"] = "weighted"
    baseline: Plan | None = None
    freeze_until: str | None = None  # YYYY-MM: months before it are kept as in the baseline
    max_candidates: int | None = None  # prune to the K best departments per placement
    prune_above: int = 150_000  # prune automatically when the model has more triples
    use_hint: bool | None = None  # None: hint the greedy plan on large models only
    linearization_level: int = 1
    probing_level: int | None = None  # None: CP-SAT's default, 0 on large models
    # of the time limit left after the build, at most, for HiGHS first (small models; 0:
    # off). HiGHS does the proving there; a smaller share left it too little time on small
    # regions at short limits
    mip_share: float = 0.7
    quiet: bool = False
    # The time limit is the caller's wall clock: it started at ``clock_start``
    # (time.perf_counter(); None: when solve() is called), and ``output_seconds`` of it are
    # kept for what the caller does after solve() returns (writing the plan files).
    clock_start: float | None = None
    output_seconds: float = 0.0

    def record(self) -> dict[str, Any]:
        data = asdict(self)
        data["baseline"] = self.baseline is not None
        data.pop("clock_start")
        return data
