"""The workbench under faults: a server stopped with SIGTERM or Ctrl-C while a solve runs.

The SIGTERM case runs in ``make test``, the Ctrl-C one (to the server's whole process
group, as a terminal sends it) in ``make fuzz``. A real ``scheduler serve`` in a
subprocess, driven over HTTP as the page does. The solve must write its best plan (valid
for ``scheduler check``), be recorded as stopped, and a new server on the same workspace
must list the scenario and the plan again.
"""

from __future__ import annotations

import json
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from scheduler.generate import generate_region
from scheduler.io import write_scenario

from .web_server import assert_checked, post, run_json, start_serve, stop_serve, wait_for

NAME = "region"  # 200 generated learners: far from proven optimal after minutes


def _workspace_with_a_region(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    folder = workspace / "scenarios" / NAME
    folder.mkdir(parents=True)
    write_scenario(generate_region(200, 10, 2), folder / "scenario.yaml")
    return workspace


def _solve_until_first_plan(address: str, workspace: Path) -> str:
    status, url = post(address, f"/s/{NAME}/solve", {"time_limit": "600"})
    run = url.rsplit("/", 1)[1]
    assert status == 200 and url.endswith(f"/s/{NAME}/r/{run}")
    events = workspace / "scenarios" / NAME / "runs" / run / "progress.jsonl"
    wait_for(lambda: events.is_file() and '"phase": "first_plan"' in events.read_text(),
             timeout=90, what="the solve's first plan")
    assert run_json(workspace, NAME, run)["state"] == "running"
    return run


@pytest.mark.parametrize("how, group", [
    pytest.param(signal.SIGTERM, False, id="SIGTERM", marks=pytest.mark.slow),  # ~9 s
    # a terminal's Ctrl-C reaches the whole foreground group: still one SIGINT per solve
    pytest.param(signal.SIGINT, True, id="Ctrl-C", marks=pytest.mark.long),  # make fuzz
])
def test_stopping_the_server_lets_a_running_solve_write_its_plan(tmp_path, how, group):
    workspace = _workspace_with_a_region(tmp_path)
    process, address, log = start_serve(workspace, session=group)
    try:
        run = _solve_until_first_plan(address, workspace)
        began = time.monotonic()
        stop_serve(process, how, timeout=60, group=group)
        stopping = time.monotonic() - began
    finally:
        if process.poll() is None:
            process.kill()
    meta = run_json(workspace, NAME, run)
    assert meta["state"] == "stopped" and meta["exit_code"] == 130, (meta, log.read_text())
    assert_checked(workspace, NAME, run)  # scheduler check on the best plan: exit 0
    assert stopping < 40, stopping  # the server waits for its solves, boundedly
    assert "write their best plan" in log.read_text()

    process, address, _ = start_serve(workspace)  # a restart finds scenario and plan again
    try:
        home = urllib.request.urlopen(address + "/", timeout=30).read().decode()
        assert f"/s/{NAME}" in home
        page = urllib.request.urlopen(f"{address}/s/{NAME}", timeout=30).read().decode()
        assert f"/s/{NAME}/r/{run}" in page
        status = json.loads(urllib.request.urlopen(
            f"{address}/api/s/{NAME}/r/{run}/status?lang=en", timeout=30).read())
        assert not status["running"]
    finally:
        stop_serve(process, timeout=60)
