"""The time budget of one solve: the one owner of the caller's time limit.

``solve`` makes one :class:`Budget` from the caller's limit and clock. It reserves what
follows the search (turning the assignment into plan rows, naming buddies, reasons) and
what the caller does afterwards (writing the plan directory), so the whole command ends
within the limit. Each phase begins with :meth:`Budget.begin_phase` and takes shares of
what was left when it began; :meth:`Budget.left` says what is left now. The limit itself
is never rewritten: ``Budget.limit`` stays the caller's, as kpis.json records it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

# Reserved for what follows the search: extracting the plan, naming buddies, comparing it
# with the greedy plan, the reasons for unplaced learners (seconds, and per learner).
FINISH_SECONDS = (0.3, 0.001)
MIN_PHASE_SECONDS = 0.1  # a phase whose time is up still gets this much to stop cleanly


@dataclass
class Budget:
    limit: float  # the caller's time limit, seconds, as given
    deadline: float  # time.perf_counter() by which every phase has ended
    phase_seconds: float = 0.0  # what was left when the current phase began

    @classmethod
    def start(cls, limit: float, clock_start: float, reserved: float = 0.0,
              learners: int = 0) -> Budget:
        """The caller's ``limit`` counted from ``clock_start`` (time.perf_counter()), less
        ``reserved`` seconds for the caller's own output and the finish for ``learners``."""
        finish = FINISH_SECONDS[0] + FINISH_SECONDS[1] * learners
        budget = cls(limit, clock_start + limit - reserved - finish)
        budget.begin_phase()
        return budget

    @classmethod
    def seconds(cls, limit: float) -> Budget:
        """A plain budget of ``limit`` seconds from now, nothing reserved."""
        budget = cls(limit, time.perf_counter() + limit)
        budget.begin_phase()
        return budget

    def left(self, at_least: float = MIN_PHASE_SECONDS) -> float:
        """Seconds left now; by default at least the floor that lets a search stop
        cleanly (``at_least=0``: none where the time is up)."""
        return max(at_least, self.deadline - time.perf_counter())

    def begin_phase(self) -> float:
        """A new phase begins: its shares are of what is left now."""
        self.phase_seconds = self.left()
        return self.phase_seconds

    def share(self, fraction: float, at_least: float = 0.0) -> float:
        """``fraction`` of what was left when the current phase began."""
        return max(at_least, fraction * self.phase_seconds)
