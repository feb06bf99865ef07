"""The objective (docs/rules.md#objective) as exact integer arithmetic, shared by solver and KPIs.

CP-SAT needs integer coefficients, and ``solve`` asserts that the objective recomputed
from ``plan.csv`` equals the solver's. Both therefore use these definitions:

* the objective is computed in *units* of 1/``OBJECTIVE_SCALE``;
* ``unplaced`` counts learners, ``preference`` counts preference points (maximised, so it
  enters with a minus sign), ``buddy_change`` counts changes inside placements,
  ``stability`` counts learner-months that differ from the baseline;
* ``travel`` is the sum over planned placements of the learner→department distance,
  rounded to 0.1 km per placement (``travel_decikm``);
* ``fair_share`` is Σ_org |hosted − share·H| in learner-months, with each organisation's
  FTE share rounded to 1/``SHARE_RESOLUTION`` (largest-remainder rounding, so the shares
  add up exactly); it is computed in units of 1/``SHARE_RESOLUTION`` learner-month.

Weights are applied at a resolution of 1/``OBJECTIVE_SCALE`` (``fair_share`` at 0.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from .policy import Weights

OBJECTIVE_SCALE = 10_000
SHARE_RESOLUTION = 1_000
TERMS = ("unplaced", "preference", "fair_share", "travel", "buddy_change", "stability")


@dataclass(frozen=True)
class Coefficients:
    """Integer objective units per unit of each (unweighted) term."""

    unplaced: int
    preference: int  # subtracted: preference points are maximised
    fair_share: int  # per 1/SHARE_RESOLUTION learner-month of deviation
    travel: int  # per 0.1 km
    buddy_change: int
    stability: int

    @classmethod
    def from_weights(cls, w: Weights) -> Coefficients:
        s = OBJECTIVE_SCALE
        return cls(
            unplaced=round(w.unplaced * s),
            preference=round(w.preference * s),
            fair_share=round(w.fair_share * s / SHARE_RESOLUTION),
            travel=round(w.travel * s / 10),
            buddy_change=round(w.buddy_change * s),
            stability=round(w.stability * s),
        )


def travel_decikm(km: float) -> int:
    return round(km * 10)


def share_permille(fte: dict[str, float]) -> dict[str, int]:
    """FTE shares in 1/SHARE_RESOLUTION, rounded so that they sum to SHARE_RESOLUTION."""
    total = sum(fte.values())
    raw = {k: v * SHARE_RESOLUTION / total for k, v in fte.items()}
    floor = {k: int(v) for k, v in raw.items()}
    left = SHARE_RESOLUTION - sum(floor.values())
    for k in sorted(raw, key=lambda k: (floor[k] - raw[k], k))[:left]:
        floor[k] += 1
    return floor


@dataclass(frozen=True)
class TermValues:
    """Unweighted term values in their integer units (see module docstring)."""

    unplaced: int = 0
    preference: int = 0
    fair_share: int = 0  # 1/SHARE_RESOLUTION learner-months
    travel: int = 0  # 0.1 km
    buddy_change: int = 0
    stability: int = 0

    def units(self, c: Coefficients) -> int:
        return (
            c.unplaced * self.unplaced
            - c.preference * self.preference
            + c.fair_share * self.fair_share
            + c.travel * self.travel
            + c.buddy_change * self.buddy_change
            + c.stability * self.stability
        )

    def weighted(self, c: Coefficients) -> dict[str, float]:
        """Each term's contribution to the objective, in objective units."""
        s = OBJECTIVE_SCALE
        return {
            "unplaced": c.unplaced * self.unplaced / s,
            "preference": -c.preference * self.preference / s,
            "fair_share": c.fair_share * self.fair_share / s,
            "travel": c.travel * self.travel / s,
            "buddy_change": c.buddy_change * self.buddy_change / s,
            "stability": c.stability * self.stability / s,
        }
