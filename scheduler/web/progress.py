"""A running solve's progress in plain words, read from its log (the CLI's stderr lines)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from ..words.format import num

SOLVING = re.compile(r"^solving .*?: (\d+) learners, time limit ([\d.]+)s", re.M)
PLAN = re.compile(r"^\s*([\d.]+)s\s+plan\s+(\d+)\b(.*)$", re.M)
HIGHS = re.compile(r"^\s*([\d.]+)s\s+highs\b", re.M)
GAP = re.compile(r"gap\s+([\d.]+)%")
WRITTEN = re.compile(r"^(placed \d+/\d+|status \w+|interrupt)", re.M)
# The solver's phase lines: "  4.2s  LP-guided plan: 1,953 of 2,000 placed (no plan can
# place more than 1,990), objective ..."
PLACED = re.compile(r"([\d,]+) of ([\d,]+) placed(?: \(no plan can place more than ([\d,]+)\))?")
TAIL_BYTES = 64 * 1024
MAX_SHOWN_GAP = 20.0  # percent: a larger gap (a weak bound early on) is not shown


def log_tail(path: Path) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - TAIL_BYTES))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def describe(log: str, meta: dict[str, Any], t: dict[str, str]) -> str:
    """'12.0 s: plan 7 found; still improving (at most 18 s left). At most 3 % from ...'"""
    solving = SOLVING.search(log)
    if solving is None:
        return t["progress_start"]
    if WRITTEN.search(log):
        return t["progress_writing"]
    learners, limit = int(solving.group(1)), float(solving.group(2))
    return _placed(log, t) + _search(log, meta, t, learners, limit)


def _placed(log: str, t: dict[str, str]) -> str:
    """'1,783 of 1,800 placed; at most 1,790 possible. ' from the last phase line, if any."""
    found = list(PLACED.finditer(log))
    if not found:
        return ""
    placed, total, most = (None if g is None else int(g.replace(",", ""))
                           for g in found[-1].groups())
    text = t["progress_placed"].format(placed=_count(placed, t), n=_count(total, t))
    if most is not None and most != total:
        text += t["progress_most"].format(most=_count(most, t))
    return text + ". "


def _count(n: int | None, t: dict[str, str]) -> str:
    return num(n, t["lang"], 0)


def _search(log: str, meta: dict[str, Any], t: dict[str, str], learners: int,
            limit: float) -> str:
    plans = list(PLAN.finditer(log))
    if not plans:
        if HIGHS.search(log) or PLACED.search(log):
            return t["progress_plan"].format(t=_elapsed(meta, t), k=1, left=_left(meta, limit))
        return t["progress_build"].format(n=_count(learners, t), t=_elapsed(meta, t),
                                          left=_left(meta, limit))
    last = plans[-1]
    text = t["progress_plan"].format(t=num(float(last.group(1)), t["lang"]), k=last.group(2),
                                     left=_left(meta, limit))
    gap = GAP.search(last.group(3))
    if gap and float(gap.group(1)) <= MAX_SHOWN_GAP:  # '351 %' would only puzzle a reader
        text += t["progress_gap"].format(gap=num(float(gap.group(1)), t["lang"]))
    return text


def _elapsed(meta: dict[str, Any], t: dict[str, str]) -> str:
    return num(time.time() - float(meta.get("started", time.time())), t["lang"])


def _left(meta: dict[str, Any], limit: float) -> str:
    spent = time.time() - float(meta.get("started", time.time()))
    return f"{max(0.0, limit - spent):.0f}"
