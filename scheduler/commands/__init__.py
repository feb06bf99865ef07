"""The command layer: one function per ``scheduler`` command, and the one place that joins
the loaders (io), the checks, the solver and the writers (plan directory, reports).

``cli.py`` parses options and calls exactly these; the workbench's solves run the same
commands through the command line in child processes. Defaults here equal the CLI's
(``common``: Dutch texts, the shipped scenario). One module per family of commands:

* ``scenario``: ``validate``, ``check``, ``export``
* ``planning``: ``solve``
* ``analysis``: ``explain``, ``whatif``, ``compare``, ``plot``
* ``tools``: ``generate``, ``serve``

Ctrl-C and SIGTERM go through the one handler of ``scheduler.interrupts``.
"""

from __future__ import annotations

from .analysis import compare, explain, plot, whatif
from .common import DEFAULT_LANG, DEFAULT_SCENARIO, LANGS, error_text
from .planning import solve
from .scenario import check, export, validate
from .tools import generate, serve

COMMANDS = {f.__name__: f for f in (validate, check, export, solve, explain, whatif, compare,
                                    plot, generate, serve)}

__all__ = ["COMMANDS", "DEFAULT_LANG", "DEFAULT_SCENARIO", "LANGS", "check", "compare",
           "error_text",
           "explain", "export", "generate", "plot", "serve", "solve", "validate", "whatif"]
