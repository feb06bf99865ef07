"""The rule registry: one module per hard rule (docs/rules.md), in one ordered tuple.

Everything a rule means to the solver sits in its module:

* ``RULE``: its id (``RuleId``), the name the checker, messages and docs use;
* ``candidate_mask(ix)`` (a rule that restricts which departments a placement may use),
  ``add(ctx)`` (constraints of the CP-SAT model), or both;
* ``ROWS``: the keys under which its constraints are found in ``ctx.row_index``
  (LP pricing reads their duals);
* its elastic form for ``explain``: ``relax(em)``, ``relax_cell(em, d, o, load, n)``
  (per department × month), ``relax_learner(em, li, ts, u, mine)`` (per learner) or
  ``row_cost(ix, li, r)`` (priced candidates), and ``SLACK_COST``, the price per unit
  broken (every rule but placement, which is never broken);
* its sentences for people: the rule's name in ``scheduler/words/glossary.py`` and
  ``break_<id>`` in ``scheduler/words/explain.py``.

tests/test_rule_registry.py fails when a rule lacks one of these parts.
"""

from __future__ import annotations

from . import (
    buddy,
    capacity,
    carrousel,
    distinct_departments,
    fair_share,
    level,
    pins,
    placement,
    required_sectors,
    starter_shifts,
    travel,
)

RULES = (
    placement,
    pins,
    capacity,
    buddy,
    starter_shifts,
    carrousel,
    required_sectors,
    distinct_departments,
    level,
    travel,
    fair_share,
)

FILTERS = tuple(m for m in RULES if hasattr(m, "candidate_mask"))
CONSTRAINTS = tuple(m for m in RULES if hasattr(m, "add"))
PRICED = tuple(m for m in RULES if hasattr(m, "row_cost"))
PER_CELL = tuple(m for m in RULES if hasattr(m, "relax_cell"))
PER_LEARNER = tuple(m for m in RULES if hasattr(m, "relax_learner"))
SLACK_COST = {m.RULE: m.SLACK_COST for m in RULES if hasattr(m, "SLACK_COST")}
