"""A full disk (or any write error) while a plan directory is written loses nothing.

The plan files go into a hidden staging folder that replaces the output folder in one
rename; when a write fails, the staging folder is removed, the old plan stays as it
was, and ``scheduler`` exits 1 with the reason (no traceback).
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import cli
import scheduler.plandir as plandir

SMALL = Path(__file__).parent / "data" / "small_region.yaml"
FAST = ["--time-limit", "5", "--workers", "1", "--quiet"]


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    return int(done.value.code or 0)


def test_a_full_disk_keeps_the_old_plan_and_exits_1(tmp_path: Path, monkeypatch,
                                                     capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "plan"
    assert run(["solve", str(SMALL), "--out", str(out), *FAST]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    write = plandir.atomic_write_text
    calls: list[Path] = []

    def fills_up(path, text):  # plan.csv is written, then the disk is full
        calls.append(Path(path))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        write(path, text)

    monkeypatch.setattr(plandir, "atomic_write_text", fills_up)
    capsys.readouterr()
    assert run(["solve", str(SMALL), "--out", str(out), "--force", *FAST]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert len(calls) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the old plan, whole
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
