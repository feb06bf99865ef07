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


@contextmanager
def served(workspace: Path, *extra: str) -> Iterator[str]:
    """`scheduler serve WORKSPACE` in its own process; yields its address; Ctrl-C at the end."""
    port = free_port()
    log = (workspace.parent / f"serve-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", str(workspace), "--port", str(port), *extra],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(address + "/", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log_text = (workspace.parent / f"serve-{port}.log").read_text()
                    raise RuntimeError(log_text) from None
                time.sleep(0.2)
        yield address
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def browser_or_skip():  # noqa: ANN201
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: .ci/run should have installed it")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    return sync_playwright, CHROMIUM


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
