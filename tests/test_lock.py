"""The environment ``make install`` built holds exactly the versions in requirements.lock.

``make test-latest`` runs the suite on the newest releases instead and sets
SCHEDULER_UNLOCKED=1, which skips this comparison there (and only there).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools.check_lock import LOCK, differences, locked_versions


@pytest.mark.skipif(os.environ.get("SCHEDULER_UNLOCKED") == "1",
                    reason="make test-latest: the newest releases, not the lock")
def test_installed_versions_are_the_locked_ones() -> None:
    assert differences() == []


def test_the_lock_pins_every_direct_dependency() -> None:
    pins = locked_versions(LOCK)
    for name in ("ortools", "highspy", "pyyaml", "pydantic", "pandas", "click", "pytest",
                 "setuptools"):
        assert name in pins, f"{name} is not pinned in {LOCK.name}"


def test_a_changed_version_is_reported(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("pyyaml==0.0.1 \\\n    --hash=sha256:00\nnot-a-real-package-x==1.0\n",
                    encoding="utf-8")
    problems = differences(lock)
    assert any(p.startswith("pyyaml: locked 0.0.1, installed ") for p in problems)
    assert "not-a-real-package-x: locked 1.0, not installed" in problems
