"""One home per rule (issue 24): every registered rule has each part the solver needs.

A rule is half-registered when it lacks its id, its constraints, the keys of its rows,
its elastic form for ``explain``, its price per unit broken, or its sentences; the
independent checker keeps the same rule names.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from scheduler.check import CHECKS
from scheduler.io import load_scenario
from scheduler.models import RuleId
from scheduler.solver.cpsat.model import build
from scheduler.solver.options import SolveOptions
from scheduler.solver.rules import RULES
from scheduler.words import LANGUAGES
from scheduler.words.explain import SENTENCES
from scheduler.words.glossary import RULES as RULE_NAMES

ELASTIC_FORMS = ("relax", "relax_cell", "relax_learner", "row_cost")
SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


def missing_parts(rule: types.ModuleType) -> list[str]:
    """The parts a rule module lacks (empty: fully registered)."""
    out = []
    rid = getattr(rule, "RULE", None)
    if not isinstance(rid, RuleId):
        return ["RULE"]
    if not (rule.__doc__ or "").strip():
        out.append("docstring")
    if not (hasattr(rule, "candidate_mask") or hasattr(rule, "add")):
        out.append("constraints (candidate_mask or add)")
    rows = getattr(rule, "ROWS", None)
    if not isinstance(rows, tuple) or not all(isinstance(k, str) for k in rows):
        out.append("ROWS")
    if not any(callable(getattr(rule, f, None)) for f in ELASTIC_FORMS):
        out.append("elastic form (" + ", ".join(ELASTIC_FORMS) + ")")
    never_broken = rid is RuleId.PLACEMENT
    if not never_broken and not isinstance(getattr(rule, "SLACK_COST", None), int):
        out.append("SLACK_COST")
    for i, lang in enumerate(LANGUAGES):
        if not RULE_NAMES.get(rid.value, ("", ""))[i]:
            out.append(f"name ({lang})")
        if not never_broken and not any(k.startswith(f"break_{rid.value}") and pair[i]
                                        for k, pair in SENTENCES.items()):
            out.append(f"break_{rid.value} sentence ({lang})")
    return out


@pytest.mark.parametrize("rule", RULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_every_rule_has_each_part(rule):
    assert missing_parts(rule) == []


def test_a_half_registered_rule_is_caught():
    half = types.ModuleType("half", "A rule with constraints and nothing else.")
    half.RULE = RuleId.CAPACITY  # type: ignore[attr-defined]
    half.add = lambda ctx: None  # type: ignore[attr-defined]
    assert set(missing_parts(half)) == {
        "ROWS", "elastic form (relax, relax_cell, relax_learner, row_cost)", "SLACK_COST"}


def test_one_module_per_rule_and_the_checker_uses_the_same_names():
    ids = [m.RULE for m in RULES]
    assert sorted(ids) == sorted(set(ids)) == sorted(RuleId)
    assert {rid for rid, _ in CHECKS} == set(RuleId)


def test_every_row_key_belongs_to_a_rule():
    """Rows in the model are found by their rule's keys, and every declared key is used."""
    declared = {k for m in RULES for k in m.ROWS}
    seen: set[str] = set()
    for path in SCENARIOS:
        ctx = build(load_scenario(path), SolveOptions(time_limit=5))
        families = {key[0] for key in ctx.row_index}
        assert families - {"hosted"} <= declared, path.name
        seen |= families
    assert declared <= seen
