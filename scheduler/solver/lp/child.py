"""A bound computed in a forked child process, beside the phases that make the plan.

Two bounds run this way on pruned models: the Lagrangian ascent (``lagrangian``) and the
column-generation rounds of the LP (``columns``). The child is forked: it shares the
parent's arrays (candidates, the LP held in HiGHS) without copying them and touches
nothing of the parent's. It sends ``(bound, steps)`` whenever its bound improves; the
parent may send it a target (``("target", units)``) and, at the end, ``("stop", 0)``.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from typing import Any

from ...interrupts import leave_to_the_parent

NICENESS = 10  # added to a child's niceness (lower priority than the planner)
PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for the child when its parent ends


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
        process = context.Process(target=_niced, args=(work, args, child, os.getpid()),
                                  daemon=True)
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


def _niced(work: Callable[..., None], args: tuple, conn, parent: int) -> None:
    """The child: at a lower priority (where the cores are busy, the phases that make the
    plan go first), deaf to the signals the planner handles, and gone with its parent; a
    broken pipe ends it quietly."""
    import contextlib

    leave_to_the_parent()  # Ctrl-C is the planner's (scheduler/interrupts.py)
    _die_with(parent)
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    try:
        work(*args, conn)
    except (BrokenPipeError, EOFError, OSError, KeyboardInterrupt):
        pass
    finally:
        conn.close()


def _die_with(parent: int) -> None:
    """Where the planner ends without stopping the child (killed, or a second Ctrl-C),
    the child ends too (Linux: the parent-death signal); elsewhere it ends at its own
    time limit."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(0)
