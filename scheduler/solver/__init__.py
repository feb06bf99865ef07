"""The CP-SAT core. Only this package imports ortools."""

from .cpsat import Interrupt, solve
from .options import SolveOptions

__all__ = ["Interrupt", "SolveOptions", "solve"]
