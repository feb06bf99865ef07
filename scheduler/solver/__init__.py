"""The CP-SAT core. Only this package imports ortools."""

from .options import SolveOptions
from .pipeline import Interrupt, solve

__all__ = ["Interrupt", "SolveOptions", "solve"]
