"""Tests marked ``long`` (over ~20 s each) run in ``make fuzz`` (SCHEDULER_LONG=1), not in
``make test``."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("SCHEDULER_LONG"):
        return
    skip = pytest.mark.skip(reason="long: runs in make fuzz (SCHEDULER_LONG=1)")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)
