"""The pictures, plan.xlsx and report.html of a plan directory (docs/outputs.md).

``write_reports`` renders them into a folder (the plan-directory writer calls it in its
staging folder); ``redraw`` is ``scheduler plot DIR``. All labels live in
``scheduler/words/report.py``.
"""

from .files import redraw, write_reports

__all__ = ["redraw", "write_reports"]
