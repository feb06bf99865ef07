"""The fair-share term as the greedy and the repair see it while they book placements:
each organisation's deviation from its share, and what booking more months would change."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class FairShare:
    """Σ_org coefficient·|resolution·hosted − share·total| (docs/rules.md#term-fair_share),
    tracked while booking."""

    coefficient: int  # objective units per unit of deviation
    resolution: int
    shares: np.ndarray  # per organisation, in 1/resolution (they sum to resolution)
    total: int  # learner-months hosted if every learner is placed
    hosted: np.ndarray  # per organisation, booked so far

    def marginal(self, months: int) -> np.ndarray:
        """Change of the weighted deviation per organisation if it hosts ``months`` more."""
        return self.change(self.hosted, months, self.total)

    def change(self, hosted: np.ndarray, more, total: int) -> np.ndarray:
        """Change of the weighted deviation per organisation from ``hosted`` to
        ``hosted + more`` learner-months, ``total`` hosted in all."""
        target = self.shares * total
        now = np.abs(self.resolution * hosted - target)
        after = np.abs(self.resolution * (hosted + more) - target)
        return self.coefficient * (after - now)

    def signs(self) -> np.ndarray:
        """+1 where an organisation hosts more than its share, −1 where less."""
        return np.sign(self.resolution * self.hosted - self.shares * self.total)
