"""A solve's progress as data (issue 23, point 4): what the solver reports while it runs.

The solver emits :class:`ProgressEvent` values through ``solve(..., progress=...)`` and
knows no sentences; ``scheduler solve`` writes them for people with
``scheduler.words.progress`` (Dutch, or English with ``--lang en``) and, with
``--progress-json FILE``, as one JSON object a line for programs (the workbench).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

# What is running (or just ended) when an event is emitted.
PHASES = (
    "build",  # the model is being built and the greedy first plan made
    "first_plan",  # the greedy (and its repair) gave a plan
    "placement",  # tight regions: the LP of the number placed guides a plan
    "lp",  # the LP relaxation guides a better plan
    "support",  # HiGHS on the LP's support
    "highs",  # HiGHS's branch-and-cut on the whole model (small models)
    "cp_sat",  # CP-SAT searches for better plans
    "unplaced",  # CP-SAT's first stage: the fewest unplaced learners
    "done",  # the search ended (``improving`` False): the best plan's figures
    "writing",  # the command writes the plan files
)


@dataclass(frozen=True)
class ProgressEvent:
    """One progress report. ``seconds``: since the command began (or since ``solve`` was
    called, without a command). ``placed``: learners the best plan so far places (None:
    no plan yet, or not known in this phase); ``most``: the most any plan can place where
    proven (U, None where unknown); ``objective``/``bound`` in objective units (lower is
    better) and ``gap`` their relative gap (0.04 = 4 %). ``heartbeat``: no news, the phase
    still runs. ``improving``: the search goes on (False on the last event)."""

    seconds: float
    phase: str
    learners: int
    placed: int | None = None
    most: int | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    improving: bool = True
    heartbeat: bool = False
    plans: int = 0  # plans CP-SAT found so far (phase cp_sat, unplaced)
    organisations: int | None = None

    def to_json(self) -> str:
        doc = {k: v for k, v in asdict(self).items() if v is not None}
        doc["seconds"] = round(self.seconds, 3)
        return json.dumps(doc, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ProgressEvent | None:
        """The event of one JSON line; None where the line is not one (cut off, foreign)."""
        try:
            doc: Any = json.loads(text)
            names = {f.name for f in fields(cls)}
            return cls(**{k: v for k, v in doc.items() if k in names})
        except (ValueError, TypeError, AttributeError):
            return None


__all__ = ["PHASES", "ProgressEvent"]
