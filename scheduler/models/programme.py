"""Programmes: the sequence of placements a learner follows, and their rules."""

from __future__ import annotations

from itertools import accumulate
from typing import Annotated

from pydantic import Field

from .base import Frozen


class Programme(Frozen):
    id: str = Field(min_length=1)
    kind: str = Field(min_length=1)  # trainee, bbl, hbo_duaal, bol, or free text
    placements: tuple[Annotated[int, Field(ge=1, le=240)], ...] = Field(min_length=1)
    carrousel_min_away: int = Field(default=0, ge=0)
    required_sectors: tuple[str, ...] = ()
    starter_fixed_shifts_months: int = Field(default=0, ge=0)
    distinct_departments: bool = True

    @property
    def total_months(self) -> int:
        return sum(self.placements)

    def placement_offsets(self) -> list[tuple[int, int]]:
        """(first, one-past-last) month offset of each placement from the start."""
        ends = list(accumulate(self.placements))
        return [(end - length, end) for length, end in zip(self.placements, ends, strict=True)]
