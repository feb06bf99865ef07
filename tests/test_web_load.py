"""A short version of the load test (``make load`` runs 20 clients for 60 s): a real
``scheduler serve`` on 127.0.0.1, 4 clients for 5 s opening pages and plans and starting
1-second solves; no errors, every solve ends as done."""

from __future__ import annotations

from pathlib import Path

import pytest

from .load_web import report, run_load


@pytest.mark.slow
def test_a_short_load_gives_no_errors(tmp_path: Path) -> None:
    tally = run_load(clients=4, seconds=5, max_solves=2, workspace=tmp_path / "ws")
    print(report(tally, 4, 5))
    assert tally.errors == []
    assert tally.requests > 20 and tally.solves  # it did load the server, and solved
    assert tally.p95() < 10.0
