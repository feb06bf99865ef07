"""A bound computed in a forked child process, beside the phases that make the plan.

Two bounds run this way on pruned models: the Lagrangian ascent (``lagrangian``) and the
column-generation rounds of the LP (``columns``). The child is forked: it shares the
parent's arrays (candidates, the LP held in HiGHS) without copying them and touches
nothing of the parent's. It sends ``(bound, steps)`` whenever its bound improves; the
parent may send it a target (``("target", units)``) and, at the end, ``("stop", 0)``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

NICENESS = 10  # added to a child's niceness (lower priority than the planner)


class Background:
    """A child process that computes a bound (see the module's docstring)."""

    def __init__(self, process, conn) -> None:
        self.process, self.conn = process, conn
        self.best = -math.inf
        self.iterations = 0
        self.started = time.perf_counter()
        self.improved_after: float | None = None  # seconds from the start to the last better bound

    @classmethod
    def start(cls, work: Callable[..., None], *args: Any) -> Background | None:
        """Fork a child running ``work(*args, conn)``; None where processes cannot be
        forked (there is then no bound from a child)."""
        import multiprocessing

        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - no fork on this platform
            return None
        parent, child = context.Pipe()
        process = context.Process(target=_niced, args=(work, args, child), daemon=True)
        process.start()
        child.close()
        return cls(process, parent)

    def target(self, units: float) -> None:
        """A better plan was found: aim at its objective."""
        try:
            self.conn.send(("target", float(units)))
        except (BrokenPipeError, OSError):
            pass

    def latest(self) -> float:
        """The best bound the child has sent so far (−inf: none yet)."""
        try:
            while self.conn.poll():
                best, self.iterations = self.conn.recv()
                if best > self.best:
                    self.best = best
                    self.improved_after = time.perf_counter() - self.started
        except (EOFError, OSError):
            pass
        return self.best

    def result(self, wait: float = 1.0) -> float:
        """Stop the child (after at most ``wait`` seconds) and return its best bound
        (−inf: none)."""
        try:
            self.conn.send(("stop", 0.0))
        except (BrokenPipeError, OSError):
            pass
        self.process.join(max(0.0, wait))
        best = self.latest()
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1.0)
        self.conn.close()
        return best


def _niced(work: Callable[..., None], args: tuple, conn) -> None:
    """The child: at a lower priority (where the cores are busy, the phases that make the
    plan go first); a broken pipe or Ctrl-C ends it quietly."""
    import contextlib
    import os

    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    try:
        work(*args, conn)
    except (BrokenPipeError, EOFError, OSError, KeyboardInterrupt):
        pass
    finally:
        conn.close()
