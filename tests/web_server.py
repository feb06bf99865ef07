"""Helpers of the workbench's browser tests: a real `scheduler serve` and Debian's chromium."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scheduler import commands

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(workspace: Path, *extra: str,
                session: bool = False) -> tuple[subprocess.Popen, str, Path]:
    """`scheduler serve WORKSPACE` in its own process, answering: (process, address, log);
    with ``session``, in a process group of its own, as a terminal's foreground job."""
    port = free_port()
    log_path = workspace.parent / f"serve-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", str(workspace), "--port", str(port), *extra],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=session)
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(address + "/", timeout=2).read()
            return process, address, log_path
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(log_path.read_text()) from None
            time.sleep(0.2)


def stop_serve(process: subprocess.Popen, how: int = signal.SIGINT, timeout: float = 60,
               group: bool = False) -> int:
    """Stop the server as a service manager (SIGTERM) does, or Ctrl-C (SIGINT); with
    ``group``, to its whole process group, as a terminal's Ctrl-C does."""
    if group:
        os.killpg(process.pid, how)
    else:
        process.send_signal(how)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


@contextmanager
def served(workspace: Path, *extra: str) -> Iterator[str]:
    """`scheduler serve WORKSPACE` in its own process; yields its address; Ctrl-C at the end."""
    process, address, _ = start_serve(workspace, *extra)
    try:
        yield address
    finally:
        try:
            stop_serve(process, timeout=30)
        except subprocess.TimeoutExpired:
            pass


def post(address: str, path: str, fields: dict[str, str]) -> tuple[int, str]:
    """A form POST from the workbench's own page (its Origin); answers (status, final URL)."""
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(address + path, data=data, method="POST",
                                     headers={"Origin": address})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return response.status, response.url


def browser_or_skip():  # noqa: ANN201
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: .ci/run should have installed it")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    return sync_playwright, CHROMIUM


@contextmanager
def launched_browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright, for a test module's pages."""
    sync_playwright, chromium = browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def run_json(workspace: Path, scenario: str, run: str) -> dict:
    path = workspace / "scenarios" / scenario / "runs" / run / "run.json"
    return json.loads(path.read_text(encoding="utf-8"))


def assert_checked(workspace: Path, scenario: str, run: str) -> None:
    """`scheduler check` on the run's plan against the scenario it was solved with: exit 0."""
    folder = workspace / "scenarios" / scenario / "runs" / run
    assert commands.check(folder / "scenario.yaml", folder / "plan" / "plan.csv") == 0


def wait_for(predicate, timeout: float = 60.0, what: str = "") -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def screenshot(page, name: str) -> None:  # noqa: ANN001
    """Screenshots for a person to look at, when BENCH_SCREENSHOTS names a folder."""
    folder = os.environ.get("BENCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
