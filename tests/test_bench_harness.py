"""The benchmark harness stops a run that outgrows the memory limit or the time limit,
and records why, instead of letting one exact peer take the machine down (XL)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import run  # noqa: E402  (benchmarks/run.py)

GROW = ("import time\nb = []\nwhile True:\n"
        "    b.append(bytearray(20 * 2**20))\n    time.sleep(0.01)\n")


def test_a_run_past_the_memory_limit_is_stopped_and_recorded() -> None:
    w = run.run_watched([sys.executable, "-c", GROW], timeout=60, memory_mb=300, poll=0.05)
    assert w.outcome == "memory-limit"
    assert w.peak_rss_mb > 300
    assert w.returncode != 0  # killed
    assert w.seconds < 60


def test_a_run_past_the_time_limit_is_stopped_and_recorded() -> None:
    w = run.run_watched([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5,
                        memory_mb=None, poll=0.05)
    assert w.outcome == "timeout"
    assert w.seconds < 30
    assert w.peak_rss_mb > 0  # sampled while it ran, recorded with the timeout


def test_a_run_within_its_limits_returns_its_output() -> None:
    w = run.run_watched([sys.executable, "-c", "print('{\"ok\": 1}')"], timeout=60,
                        memory_mb=2000, poll=0.05)
    assert (w.outcome, w.returncode, w.stdout.strip()) == ("done", 0, '{"ok": 1}')


def test_a_memory_limit_that_is_not_above_zero_is_refused(capsys) -> None:
    import pytest

    for bad in ("0", "-2", "abc"):
        with pytest.raises(SystemExit) as stop:
            run.parse(["--memory-limit", bad])
        assert stop.value.code == 1
        assert "--memory-limit" in capsys.readouterr().err
    assert run.parse(["--memory-limit", "2.5"]).memory_limit == 2.5


def test_a_time_limit_or_worker_count_that_is_not_positive_is_refused(capsys) -> None:
    import pytest

    for option, bad in (("--time-limit", "0"), ("--time-limit", "-1"), ("--time-limit", "x"),
                        ("--workers", "0"), ("--workers", "1.5")):
        with pytest.raises(SystemExit) as stop:
            run.parse([option, bad])
        assert stop.value.code == 1
        assert option in capsys.readouterr().err
    a = run.parse(["--time-limit", "5", "--workers", "3"])
    assert (a.time_limit, a.workers) == (5.0, 3)


def test_an_unknown_size_or_approach_is_refused(capsys) -> None:
    import pytest

    for option, bad in (("--sizes", "S,Q"), ("--sizes", ","), ("--approaches", "ours,foo")):
        with pytest.raises(SystemExit) as stop:
            run.parse([option, bad])
        assert stop.value.code == 1
        assert option in capsys.readouterr().err
    assert run.parse(["--sizes", "S, XL", "--approaches", "ours"]).sizes == "S, XL"


def test_the_results_folder_names_the_host_once() -> None:
    # A label that already starts with the host used to give "2026-11-23-vm-vm-quick".
    assert run.folder_name("2026-12-03", "vm", "vm-quick") == "2026-12-03-vm-quick"
    assert run.folder_name("2026-12-03", "vm", "vm") == "2026-12-03-vm"
    assert run.folder_name("2026-12-03", "vm", "") == "2026-12-03-vm"
    assert run.folder_name("2026-12-03", "vm", "quick") == "2026-12-03-vm-quick"
    # a label that merely begins with the same letters keeps them
    assert run.folder_name("2026-12-03", "vm", "vmax") == "2026-12-03-vm-vmax"
