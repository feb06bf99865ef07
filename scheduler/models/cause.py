"""One statement of an explanation (``scheduler explain``, the unplaced reasons): the rules
it names and its data; its words are in ``scheduler/words/explain.py``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..words.explain import jsonable, render
from .rules import RuleId


@dataclass(frozen=True)
class Cause:
    """One statement of an explanation: the rules it names and its data."""

    rule: RuleId  # the rule it is mainly about
    key: str  # sentence key
    params: Mapping[str, Any] = field(default_factory=dict)
    rules: tuple[RuleId, ...] = ()  # every rule it names, ``rule`` first
    learners: tuple[str, ...] = ()  # the learners it is about

    @property
    def all_rules(self) -> tuple[RuleId, ...]:
        return self.rules or (self.rule,)

    def text(self, lang: str = "nl") -> str:
        return render(self.key, lang, **self.params)

    def as_dict(self, lang: str = "nl") -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "section": self.rule.spec_section,
            "rules": [r.value for r in self.all_rules],
            "learners": list(self.learners),
            "key": self.key,
            "params": jsonable(dict(self.params)),
            "text": self.text(lang),
        }
