"""Ctrl-C (SIGINT) and SIGTERM: the one handler of every command (issue 24).

:func:`on_signals` takes a signal in one of two ways, both with the same promise: the
first signal never costs the best plan, a second one gives up at once (exit 130).

* Around a search (``stop`` given): the first signal calls ``stop`` at once, so the
  search ends and its best plan is still written. While CP-SAT searches, the main
  thread is inside C++ and runs no Python signal handler until the solver calls back,
  so each signal's number also goes through a pipe (``signal.set_wakeup_fd``) to a
  watcher thread, which stops the search at once, whichever thread the OS delivered the
  signal to. CP-SAT never catches SIGINT itself (``solver.cp.new_solver``). A second
  signal ends the process at once: exit 130, no plan written.
* Around writing files (no ``stop``): the first signal waits until the block is done
  (the plan directory renamed into place whole), then raises KeyboardInterrupt (exit
  130, the plan kept); a second one raises KeyboardInterrupt at once, abandoning the
  files of the block (they were only ever written to a staging folder).

Python runs signal handlers in the main thread only: elsewhere nothing is installed.

Processes the planner forks (the bound's children) leave both signals to it
(:func:`leave_to_the_parent`).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextmanager
def on_signals(stop: Callable[[], object] | None = None) -> Iterator[None]:
    """SIGINT/SIGTERM inside the block: see the module's text."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []  # the signals this block took (counted by one thread only)

    def first_or_again(signum: int) -> bool:
        """Count one signal; True when it is the first."""
        received.append(signum)
        first = len(received) == 1
        if first:
            if stop is not None:
                _err("interrupt: stopping the search and writing the best plan so far ...")
                stop()
            else:
                _err("note: interrupted while writing the plan files: finishing them first "
                     "(interrupt again to abandon them)")
        return first

    def watch(fd: int) -> None:
        while data := os.read(fd, 64):
            for signum in data:
                if signum in SIGNALS and not first_or_again(signum):
                    _err("interrupted again: stopping at once, no plan written")
                    os._exit(130)

    def handler(signum: int, frame: object) -> None:  # noqa: ARG001
        if watcher is None and not first_or_again(signum):  # a second one: give up at once
            raise KeyboardInterrupt

    watcher = None
    if stop is not None and os.name == "posix":
        read_fd, write_fd = os.pipe()
        os.set_blocking(write_fd, False)
        watcher = threading.Thread(target=watch, args=(read_fd,), name="signals", daemon=True)
        watcher.start()
        wakeup = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    old = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if watcher is not None:
            signal.set_wakeup_fd(wakeup)
            os.close(write_fd)
            watcher.join(timeout=2)
            os.close(read_fd)
    if received and stop is None:  # the files are whole: now the interruption
        raise KeyboardInterrupt


def leave_to_the_parent() -> None:
    """In a process forked by the planner (the bound's children, ``solver/lp/child.py``):
    Ctrl-C reaches every process of the terminal's group, the child too, and the child
    inherits the planner's wake-up pipe, so its signal would arrive there as a second
    Ctrl-C and the planner would give up at once without writing its plan. The child
    therefore ignores SIGINT, writes to no wake-up pipe, and takes SIGTERM as any
    process does; the planner stops it when it writes its plan."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
