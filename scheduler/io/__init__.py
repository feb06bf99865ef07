"""Input and output at the edges: scenario readers/writers, plan files, atomic writes."""

from .atomic import atomic_write_bytes, atomic_write_text, staged_directory
from .plan_csv import plan_cells, plan_to_csv_text, read_plan, read_plan_csv, write_plan_csv
from .safe import safe_cell, unsafe_cell
from .scenario_io import load_scenario, write_scenario

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "load_scenario",
    "plan_cells",
    "plan_to_csv_text",
    "read_plan",
    "read_plan_csv",
    "safe_cell",
    "staged_directory",
    "unsafe_cell",
    "write_plan_csv",
    "write_scenario",
]
