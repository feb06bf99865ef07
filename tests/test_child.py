"""The bound's child processes (``scheduler/solver/lp/child.py``): Ctrl-C reaches every
process of the terminal's group, and the planner must still write its best plan; a child
must neither pass its signal on to the planner nor outlive it."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from scheduler import interrupts
from scheduler.solver.lp import child


def _until_stopped(conn) -> None:
    while not conn.poll(0.05):
        pass


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            return any(line.startswith("State:") and "Z" in line for line in f)
    except FileNotFoundError:
        return True


def test_a_child_leaves_ctrl_c_to_the_planner():
    # Before: the child inherited the planner's wake-up pipe, its Ctrl-C arrived there as
    # a second one, and the planner gave up at once without writing its plan.
    stopped: list[int] = []
    with interrupts.on_signals(lambda: stopped.append(1)):
        running = child.Background.start(_until_stopped)
        assert running is not None
        try:
            time.sleep(1.0)  # the child has set its signals up
            os.kill(running.process.pid, signal.SIGINT)
            time.sleep(1.0)
            assert not stopped, "the child's Ctrl-C reached the planner"
            assert running.process.is_alive(), "the child should ignore Ctrl-C"
        finally:
            running.result(wait=2.0)  # (killed where it does not stop)
    assert not running.process.is_alive()


def _start_and_vanish(conn) -> None:
    running = child.Background.start(_until_stopped)
    conn.send(running.process.pid if running is not None else None)
    time.sleep(0.5)
    os._exit(0)  # as a second Ctrl-C ends the planner: the child is not stopped


def test_a_child_does_not_outlive_its_planner():
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe()
    planner = context.Process(target=_start_and_vanish, args=(theirs,))
    planner.start()
    pid = mine.recv()
    planner.join(5.0)
    assert pid is not None
    deadline = time.monotonic() + 5.0
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    gone = _gone(pid)
    if not gone:
        os.kill(pid, signal.SIGKILL)  # not left running for the rest of the tests
    assert gone, "the child ran on after its planner ended"
