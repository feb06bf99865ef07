"""One name per hard rule of SPEC §3, shared by the solver, the checker and explain."""

from __future__ import annotations

from enum import StrEnum


class RuleId(StrEnum):
    PLACEMENT = "placement"  # §3.1 one department per placement, in order, plan rows
    PIN = "pin"  # §3.1 pins hold
    CAPACITY = "capacity"  # §3.2
    BUDDY = "buddy"  # §3.3
    STARTER_SHIFTS = "starter_shifts"  # §3.4
    CARROUSEL = "carrousel"  # §3.5
    REQUIRED_SECTORS = "required_sectors"  # §3.6
    DISTINCT_DEPARTMENTS = "distinct_departments"  # §3.6
    LEVEL = "level"  # §3.7
    TRAVEL = "travel"  # §3.8
    FAIR_SHARE = "fair_share"  # §3.9

    @property
    def spec_section(self) -> str:
        return _SECTIONS[self]


_SECTIONS = {
    RuleId.PLACEMENT: "3.1",
    RuleId.PIN: "3.1",
    RuleId.CAPACITY: "3.2",
    RuleId.BUDDY: "3.3",
    RuleId.STARTER_SHIFTS: "3.4",
    RuleId.CARROUSEL: "3.5",
    RuleId.REQUIRED_SECTORS: "3.6",
    RuleId.DISTINCT_DEPARTMENTS: "3.6",
    RuleId.LEVEL: "3.7",
    RuleId.TRAVEL: "3.8",
    RuleId.FAIR_SHARE: "3.9",
}
