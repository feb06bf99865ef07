"""Regional policy: quota, defaults for buddies and travel, fair-share tolerance, weights."""

from __future__ import annotations

from pydantic import Field

from .base import Frozen


class Weights(Frozen):
    """Objective weights (docs/rules.md#objective), with their defaults.

    ``unplaced`` per learner left unplaced; ``preference`` per preference point
    (maximised); ``fair_share`` per learner-month of deviation from an organisation's
    FTE-proportional share; ``travel`` per km of a placement; ``buddy_change`` per
    buddy change inside a placement; ``stability`` per learner-month that differs from
    the baseline plan when re-planning.
    """

    unplaced: float = Field(default=1000.0, ge=0)
    preference: float = Field(default=10.0, ge=0)
    fair_share: float = Field(default=1.0, ge=0)
    travel: float = Field(default=0.1, ge=0)
    buddy_change: float = Field(default=5.0, ge=0)
    stability: float = Field(default=20.0, ge=0)


class Policy(Frozen):
    quota_per_100_fte: float = Field(default=15.0, ge=0)
    buddy_max_learners: int = Field(default=2, ge=0)
    max_travel_km: float = Field(default=40.0, ge=0)
    fair_share_tolerance: float | None = Field(default=None, ge=0)
    weights: Weights = Weights()
