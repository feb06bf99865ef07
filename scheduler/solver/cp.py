"""The one place a CP-SAT solver object is made."""

from __future__ import annotations

from ortools.sat.python import cp_model


def new_solver() -> cp_model.CpSolver:
    """A CpSolver that leaves SIGINT alone: ``scheduler solve`` handles Ctrl-C itself.

    With CP-SAT's own ``catch_sigint_signal`` on, a Ctrl-C would end one solve silently
    (a later stage then runs on) and reset SIGINT to its default action (die, no plan).
    """
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver
