"""A running solve's progress in plain words, read from its progress events.

The workbench starts each solve with ``--progress-json RUN/progress.jsonl``
(``actions.start_run``): the solve writes every progress event (``ProgressEvent``) there as
one JSON line, so this reads figures, not the sentences of the CLI's log (which are Dutch
or English, and may change). The file is found from the run's argv in its meta.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..models.progress import ProgressEvent
from ..words.format import num, up

PROGRESS_FILE = "progress.jsonl"  # in the run's folder
PROGRESS_OPTION = "--progress-json"
TAIL_BYTES = 64 * 1024
MAX_SHOWN_GAP = 0.20  # a larger gap (a weak bound early on) is not shown
SEARCHING = ("cp_sat", "unplaced")  # CP-SAT's plans, counted (``plans``)


def log_tail(path: Path) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - TAIL_BYTES))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def progress_file(meta: dict[str, Any]) -> Path | None:
    """The file the solve writes its events into: ``--progress-json FILE`` of its argv."""
    argv = meta.get("argv")
    if not isinstance(argv, list) or PROGRESS_OPTION not in argv:
        return None
    i = argv.index(PROGRESS_OPTION)
    return Path(argv[i + 1]) if i + 1 < len(argv) else None


def read_events(text: str) -> list[ProgressEvent]:
    """The whole events of the tail of a progress file (a cut-off first or last line is
    skipped)."""
    events = (ProgressEvent.from_json(line) for line in text.splitlines() if line.strip())
    return [e for e in events if e is not None]


def describe(meta: dict[str, Any], t: dict[str, str]) -> str:
    """'1.783 van 1.800 geplaatst; hoogstens 1.790 mogelijk. 12,0 s: plan 7 gevonden; nog
    aan het verbeteren (nog hoogstens 18 s). Hoogstens 3 % van het best mogelijke.'

    From the events in the run's progress file (``progress_file``), as figures; the CLI's
    log lines are not read."""
    path = progress_file(meta)
    events = read_events(log_tail(path)) if path is not None else []
    if not events:
        return t["progress_start"]
    if any(e.phase in ("done", "writing") for e in events):
        return t["progress_writing"]
    limit = float(meta.get("time_limit", 60.0))
    return _placed(events, t) + _search(events, meta, t, limit)


def _placed(events: list[ProgressEvent], t: dict[str, str]) -> str:
    """'1,783 of 1,800 placed; at most 1,790 possible. ' from the latest event that says."""
    last = next((e for e in reversed(events) if e.placed is not None), None)
    if last is None or last.placed is None:
        return ""
    text = t["progress_placed"].format(placed=_count(last.placed, t), n=_count(last.learners, t))
    if last.most is not None and last.most != last.learners:
        text += t["progress_most"].format(most=_count(last.most, t))
    return text + ". "


def _count(n: int | None, t: dict[str, str]) -> str:
    return num(n, t["lang"], 0)


def _search(events: list[ProgressEvent], meta: dict[str, Any], t: dict[str, str],
            limit: float) -> str:
    plans = [e for e in events if e.phase in SEARCHING and e.plans > 0 and not e.heartbeat]
    if not plans:
        if any(e.placed is not None or e.phase == "highs" for e in events):
            return t["progress_plan"].format(t=_elapsed(meta, t), k=1, left=_left(meta, limit))
        return t["progress_build"].format(n=_count(events[-1].learners, t),
                                          t=_elapsed(meta, t), left=_left(meta, limit))
    last = plans[-1]
    text = t["progress_plan"].format(t=num(last.seconds, t["lang"]), k=last.plans,
                                     left=_left(meta, limit))
    gap = next((e.gap for e in reversed(events) if e.gap is not None and not e.heartbeat),
               None)
    if gap is not None and gap <= MAX_SHOWN_GAP:  # '351 %' would only puzzle a reader
        text += t["progress_gap"].format(gap=num(up(100 * gap), t["lang"]))
    return text


def _elapsed(meta: dict[str, Any], t: dict[str, str]) -> str:
    return num(time.time() - float(meta.get("started", time.time())), t["lang"])


def _left(meta: dict[str, Any], limit: float) -> str:
    spent = time.time() - float(meta.get("started", time.time()))
    return f"{max(0.0, limit - spent):.0f}"
