"""Organisations, their departments (afdelingen) and buddies (werkbegeleiders)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from .base import Frozen
from .calendar import Month, MonthSet


class ShiftKind(StrEnum):
    FIXED = "fixed"  # vaste diensten
    ROTATING = "rotating"  # wisseldiensten


class Organisation(Frozen):
    id: str = Field(min_length=1)
    name: str = ""
    sector: str = Field(min_length=1)
    fte_care: float = Field(gt=0)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Department(Frozen):
    id: str = Field(min_length=1)
    organisation: str = Field(min_length=1)
    sector: str | None = None  # None: the organisation's sector
    shifts: ShiftKind
    capacity: int = Field(ge=0)
    capacity_by_month: dict[Month, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    levels: tuple[Annotated[int, Field(ge=0, le=10)], ...] | None = None  # None: every level
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    def capacity_in(self, month: str) -> int:
        return self.capacity_by_month.get(month, self.capacity)

    def __hash__(self) -> int:  # dict field: hash by id (ids are unique in a scenario)
        return hash(("Department", self.id))


class Buddy(Frozen):
    id: str = Field(min_length=1)
    department: str = Field(min_length=1)
    max_learners: int | None = Field(default=None, ge=0)  # None: policy default
    unavailable: MonthSet = ()


__all__ = ["Buddy", "Department", "Month", "Organisation", "ShiftKind"]
