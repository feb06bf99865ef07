"""One name per hard rule (docs/rules.md), shared by the solver, the checker and explain."""

from __future__ import annotations

from enum import StrEnum


class RuleId(StrEnum):
    PLACEMENT = "placement"  # one department per placement, in order, plan rows
    PIN = "pin"  # pins hold
    CAPACITY = "capacity"
    BUDDY = "buddy"
    STARTER_SHIFTS = "starter_shifts"
    CARROUSEL = "carrousel"
    REQUIRED_SECTORS = "required_sectors"
    DISTINCT_DEPARTMENTS = "distinct_departments"
    LEVEL = "level"
    TRAVEL = "travel"
    FAIR_SHARE = "fair_share"

    @property
    def spec_section(self) -> str:
        """The rule's section number in the product contract (explain.json's ``section``).

        docs/rules.md#contract-sections maps these numbers to the rule names, for
        readers of older messages that cite the section instead of the name.
        """
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
