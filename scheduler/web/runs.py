"""Solves outside the web server's process: the CLI's own ``scheduler solve``, in a child.

Every solve (and every ``scheduler plot`` that draws a plan's reports, and every
``scheduler explain`` that looks for suggestions) is one child
process that calls :func:`cli.main` with the same arguments a coordinator would type, so
the page and the command line share one code path and one plan directory layout. The
children come from a ``forkserver`` that imported the solver once at start-up: a solve
starts in milliseconds instead of paying the seconds of importing OR-Tools again.

Stop sends SIGINT, as Ctrl-C does: the child writes the best plan so far and exits 130. A
server stopped with SIGTERM or Ctrl-C does the same for every running child and waits for
them (at most :data:`SHUTDOWN_SECONDS`) before it exits. Each child runs in its own process
group, so a Ctrl-C typed in the server's terminal reaches the server only, and every child
gets exactly one SIGINT (a second one would abandon the plan it is writing). A
child killed by a signal, or ending without a plan, is reported as it ended (run.json
keeps the exit code); a run still marked running after a restart of the server was cut
off with it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from .workspace import Run

PRELOAD = ["cli", "scheduler.commands", "scheduler.solver", "scheduler.plandir",
           "scheduler.report", "scheduler.plot"]
SHUTDOWN_SECONDS = 30.0  # how long a stopping server waits for its solves to write plans
# The pictures, plan.xlsx and report.html of a new plan are drawn this long after it is
# written, so that on a 2-core laptop the plan's page and Gantt are shown first; a download
# that needs them starts them at once (``reports_now``).
REPORTS_DELAY = 2.0


Entry = Callable[[list[str]], None]  # the command line's main: what a child runs


def _child(entry: Entry, argv: list[str], log: str) -> None:
    """In the child: output to the run's log, then exactly what the console script does."""
    os.setpgrp()  # the terminal's Ctrl-C is the server's; the server forwards one SIGINT
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
    if argv[0] in ("plot", "explain"):  # these wait for the pages and the solves
        os.nice(10)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    entry(argv)


class Runner:
    """The children of this server: start, stop, and record how each one ended."""

    def __init__(self, entry: Entry) -> None:
        """``entry``: the command line's main (``cli.main``), given by the caller so that
        this package does not import the command line that starts it."""
        self._entry = entry
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(PRELOAD)
        self._live: dict[Path, tuple[BaseProcess, Run, str]] = {}
        self._pending: dict[Path, Run] = {}  # reports to be drawn after REPORTS_DELAY
        self._lock = threading.RLock()  # _reap finishes runs while holding it
        self._stop = threading.Event()
        self.on_plan: Callable[[Run], object] | None = None  # a new plan: prepare its page
        self._watcher = threading.Thread(target=self._watch, name="runs", daemon=True)
        self._watcher.start()

    def warm_up(self) -> None:
        """Start the forkserver now (it imports the solver), not on the first solve."""
        threading.Thread(target=self._spawn_noop, daemon=True).start()

    def _spawn_noop(self) -> None:
        p = self._ctx.Process(target=int)
        p.start()
        p.join()

    # ----- starting and stopping ------------------------------------------------------
    def start_solve(self, run: Run, argv: list[str]) -> None:
        run.meta.update(state="running", started=time.time(), argv=argv)
        run.save_meta()
        self._spawn(run, argv, "solve")

    def start_explain(self, analysis: Run, argv: list[str]) -> None:
        """``scheduler explain`` in a child (its own folder, as a run's): the page asks for
        the causes and checked suggestions without waiting on the server's process."""
        analysis.meta.update(state="running", started=time.time(), argv=argv)
        analysis.save_meta()
        self._spawn(analysis, argv, "explain")

    def start_reports(self, run: Run, delay: float = 0.0) -> None:
        run.meta["reports"] = "running"
        run.save_meta()
        if delay <= 0:
            self._spawn_reports(run)
            return
        with self._lock:
            self._pending[run.folder] = run
        timer = threading.Timer(delay, self.reports_now, args=(run,))
        timer.daemon = True
        timer.start()

    def reports_now(self, run: Run) -> None:
        """Draw the reports of a plan now if they are still waiting for REPORTS_DELAY."""
        with self._lock:
            waiting = self._pending.pop(run.folder, None)
            if waiting is not None and not self._stop.is_set():
                self._spawn_reports(waiting)

    def _spawn_reports(self, run: Run) -> None:
        self._spawn(run, ["plot", str(run.plan_dir), "--lang", run.meta.get("lang", "nl")],
                    "reports")

    def _spawn(self, run: Run, argv: list[str], kind: str) -> None:
        process = self._ctx.Process(target=_child, args=(self._entry, argv, str(run.log)),
                                    daemon=False)
        with self._lock:
            process.start()
            self._live[run.folder / kind] = (process, run, kind)
            run.meta[f"{kind}_pid"] = process.pid
            run.save_meta()

    def stop(self, run: Run) -> bool:
        """SIGINT to a running solve (Ctrl-C): it keeps the best plan and exits 130."""
        with self._lock:
            entry = self._live.get(run.folder / "solve")
        if entry is None or not entry[0].is_alive():
            return False
        os.kill(entry[0].pid, signal.SIGINT)  # type: ignore[arg-type]
        return True

    def running(self, run: Run, kind: str = "solve") -> bool:
        with self._lock:
            entry = self._live.get(run.folder / kind)
        return entry is not None and entry[0].is_alive()

    def live_meta(self, run: Run) -> dict[str, Any] | None:
        """The meta of a run this server started and still watches (solve or reports)."""
        with self._lock:
            for kind in ("solve", "reports"):
                entry = self._live.get(run.folder / kind)
                if entry is not None:
                    return entry[1].meta
        return None

    def wait(self, run: Run, kind: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.running(run, kind) and time.monotonic() < deadline:
            time.sleep(0.1)
        self._reap()

    def shutdown(self, timeout: float = SHUTDOWN_SECONDS) -> list[Run]:
        """Ctrl-C (SIGINT) to every running child, then wait for them to write their plans
        (at most ``timeout`` seconds in all); no reports are started any more. Returns the
        runs still running at the deadline (they go on writing, without the server)."""
        self._stop.set()
        with self._lock:
            entries = list(self._live.values())
            for waiting in self._pending.values():  # the plan page draws them when opened
                waiting.meta.pop("reports", None)
                waiting.save_meta()
            self._pending.clear()
        alive = [e for e in entries if e[0].is_alive()]
        if alive:
            print(f"stopping: {len(alive)} running solve(s) write their best plan first "
                  f"(at most {timeout:g} s)", file=sys.stderr, flush=True)
        for process, _, _ in alive:
            try:
                os.kill(process.pid, signal.SIGINT)  # type: ignore[arg-type]
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        for process, _, _ in entries:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
        self._reap()
        with self._lock:
            return [run for _, run, _ in self._live.values()]

    # ----- how children ended ---------------------------------------------------------
    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            self._reap()

    def reap(self) -> None:
        """Record the children that have ended now (the watcher does it every 0.2 s)."""
        self._reap()

    def _reap(self) -> None:
        with self._lock:
            done = [(key, entry) for key, entry in self._live.items()
                    if not entry[0].is_alive()]
            for key, (process, run, kind) in done:
                del self._live[key]
                process.join()
                self._finished(run, kind, process.exitcode)

    def _finished(self, run: Run, kind: str, code: int | None) -> None:
        if kind == "explain":  # exit 0: a plan exists; 2: none does (both explained)
            state = "done" if code in (0, 2) else ended_state(code, False)
            run.meta.update(state=state, exit_code=code, finished=time.time())
            run.save_meta()
            return
        if kind == "reports":
            if code != 0 and self._stop.is_set():  # cut off by the server's stop: the
                run.meta.pop("reports", None)  # plan page draws them when next opened
                run.save_meta()
                return
            run.meta["reports"] = "done" if code == 0 else "failed"
            run.save_meta()
            return
        run.meta.update(state=ended_state(code, run.plan_csv.is_file()), exit_code=code,
                        finished=time.time())
        run.save_meta()
        if run.plan_csv.is_file() and not self._stop.is_set():  # a stopping server: the
            self.start_reports(run, REPORTS_DELAY)  # plan page draws them when next opened
            if self.on_plan is not None:
                threading.Thread(target=self.on_plan, args=(run,), daemon=True).start()


def ended_state(code: int | None, has_plan: bool) -> str:
    """done (exit 0), stopped (130, plan kept), no_plan (2), failed (1) or killed (signal)."""
    if code == 0:
        return "done"
    if code == 130:
        return "stopped" if has_plan else "stopped_no_plan"
    if code == 2:
        return "no_plan"
    if code is not None and code < 0:
        return "killed"
    return "failed"


def reconcile(run: Run, runner: Runner) -> dict[str, Any]:
    """run.json as it stands; a run left 'running' by an earlier server was cut off."""
    with runner._lock:
        live = runner.live_meta(run)
        if live is None:  # it may have ended since ``run`` was read: read it again
            try:
                run.meta = json.loads((run.folder / "run.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
    if live is not None:
        return live
    if run.meta.get("state") == "running":
        run.meta["state"] = "killed" if not run.plan_csv.is_file() else "stopped"
        run.meta["note"] = "server_stopped"
        run.save_meta()
    return run.meta
