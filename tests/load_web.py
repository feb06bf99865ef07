"""A bounded load test of the workbench (``make load``; a short one in ``make test``).

    python tests/load_web.py                        # 20 clients for 60 s
    python tests/load_web.py --clients 5 --seconds 6

A real ``scheduler serve`` on 127.0.0.1 (a free port, a fresh workspace holding the small
test region) is started in a subprocess; each client thread opens the home page, the
scenario page, plan pages, their status and Gantt data, and now and then starts a small
solve (1 s time limit; at most --solves of them running at once). It stops by itself after
--seconds, waits for the solves it started, and prints the number of requests, the errors
(any answer but 200, any exception, any solve that did not end as done) and the p95 time of
the HTML pages. Exit 1 on any error. Localhost only: the server is never bound elsewhere.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small_region.yaml"
NAME = "small"
SOLVE_EVERY = 12  # a client starts a solve about once every this many requests
REQUEST_SECONDS = 60  # one request slower than this counts as an error


@dataclass
class Tally:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    page_seconds: list[float] = field(default_factory=list)
    solves: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, page: bool, error: str = "") -> None:
        with self.lock:
            self.requests += 1
            if page:
                self.page_seconds.append(seconds)
            if error:
                self.errors.append(error)

    def p95(self) -> float:
        times = sorted(self.page_seconds)
        return times[min(len(times) - 1, int(0.95 * len(times)))] if times else 0.0


class Client:
    def __init__(self, address: str, tally: Tally, solves: threading.Semaphore,
                 seed: int) -> None:
        self.address, self.tally, self.solves = address, tally, solves
        self.random = random.Random(seed)

    def call(self, path: str, form: dict[str, str] | None = None, page: bool = False) -> str:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.address + path, data=data,
                                         headers={"Origin": self.address} if data else {})
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:
                body = response.read()
                url = response.url
            self.tally.add(time.perf_counter() - began, page)
            assert body, path
            return url
        except (OSError, AssertionError) as exc:  # HTTPError is an OSError
            said = exc.read().decode(errors="replace") if isinstance(exc, urllib.error.HTTPError) \
                else ""
            text = re.sub(r"<[^>]+>|\s+", " ", said)[-200:]
            self.tally.add(time.perf_counter() - began, page, f"{path}: {exc!r} {text}"[:400])
            return ""

    def runs(self) -> list[str]:
        """The runs with a plan (the others are still being made or solved)."""
        folder = WORKSPACE / "scenarios" / NAME / "runs"
        found = folder.iterdir() if folder.is_dir() else []
        return sorted(p.name for p in found if (p / "plan" / "plan.csv").is_file())

    def step(self) -> None:
        if self.random.randrange(SOLVE_EVERY) == 0 and self.solves.acquire(blocking=False):
            url = self.call(f"/s/{NAME}/solve", {"time_limit": "1"})
            if url:
                with self.tally.lock:
                    self.tally.solves.append(url.rsplit("/", 1)[1])
            threading.Thread(target=self._release_later, daemon=True).start()
            return
        runs = self.runs()
        choice = self.random.randrange(5)
        if choice == 0 or not runs:
            self.call(self.random.choice(["/", f"/s/{NAME}"]), page=True)
        else:
            run = self.random.choice(runs)
            if choice in (1, 2):
                self.call(f"/s/{NAME}/r/{run}", page=True)
            elif choice == 3:
                self.call(f"/api/s/{NAME}/r/{run}/status")
            else:
                self.call(f"/api/s/{NAME}/r/{run}/gantt")

    def _release_later(self) -> None:
        time.sleep(3)  # one solve (1 s) and its writing; the semaphore bounds them
        self.solves.release()


WORKSPACE = Path()


def run_load(clients: int, seconds: float, max_solves: int, workspace: Path) -> Tally:
    """Start a server, load it for ``seconds``, stop it; the tally of what happened."""
    global WORKSPACE
    sys.path.insert(0, str(ROOT))
    from tests.web_server import run_json, start_serve, stop_serve

    WORKSPACE = workspace
    folder = workspace / "scenarios" / NAME
    folder.mkdir(parents=True)
    shutil.copy(SMALL, folder / "scenario.yaml")
    process, address, log = start_serve(workspace)
    tally = Tally()
    try:
        solves = threading.Semaphore(max_solves)
        end = time.monotonic() + seconds

        def work(seed: int) -> None:
            client = Client(address, tally, solves, seed)
            while time.monotonic() < end:
                client.step()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        deadline = time.monotonic() + 120
        for run in tally.solves:  # every solve started ends as done, with a plan
            while (run_json(workspace, NAME, run).get("state") == "running"
                   and time.monotonic() < deadline):
                time.sleep(0.2)
            state = run_json(workspace, NAME, run).get("state")
            if state != "done":
                tally.errors.append(f"solve {run} ended as {state}")
    finally:
        code = stop_serve(process, timeout=90)
        if code not in (0, -2, 130):
            tally.errors.append(f"the server exited with {code}: {log.read_text()[-2000:]}")
    return tally


def report(tally: Tally, clients: int, seconds: float) -> str:
    return (f"load: {clients} clients for {seconds:g} s: {tally.requests:,} requests "
            f"({tally.requests / seconds:.1f}/s), {len(tally.solves)} solves started, "
            f"{len(tally.errors)} errors, p95 page time {tally.p95() * 1000:.0f} ms "
            f"over {len(tally.page_seconds):,} pages")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--solves", type=int, default=3,
                        help="at most this many solves started by the clients at once")
    args = parser.parse_args()
    workspace = Path(tempfile.mkdtemp(prefix="load-")) / "ws"
    try:
        tally = run_load(args.clients, args.seconds, args.solves, workspace)
    finally:
        shutil.rmtree(workspace.parent, ignore_errors=True)
    print(report(tally, args.clients, args.seconds))
    for error in tally.errors[:20]:
        print("  error:", error)
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
