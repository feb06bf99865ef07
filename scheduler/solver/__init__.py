"""The CP-SAT core. Only this package imports ortools."""

from .options import SolveOptions
from .pipeline import PRUNED_NO_PLAN, Interrupt, solve

__all__ = ["PRUNED_NO_PLAN", "Interrupt", "SolveOptions", "solve"]
