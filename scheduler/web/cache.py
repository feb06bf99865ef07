"""Parsed files kept between requests: a 2,000-learner scenario takes seconds to read.

Entries are keyed by the file's path, modification time and size, so an edited or
rewritten file is read again; a few of the latest are kept.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io import atomic_write_bytes, atomic_write_text, load_scenario, read_plan_csv
from ..models import Plan, Scenario
from .planview import gantt_data
from .workspace import Run, Workspace

SIZE = 12


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path), st.st_mtime_ns, st.st_size)


class Cache:
    def __init__(self) -> None:
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def _get(self, key: tuple[Any, ...], load: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = load()
        with self._lock:
            self._items[key] = value
            while len(self._items) > SIZE:
                self._items.popitem(last=False)
        return value

    def scenario(self, path: Path) -> Scenario:
        return self._get(("scenario", *_stamp(path)), lambda: load_scenario(path))

    def plan(self, path: Path) -> Plan:
        return self._get(("plan", *_stamp(path)), lambda: read_plan_csv(path))

    def gantt_json(self, run: Run) -> bytes:
        """The Gantt data of the run's plan (its hand-edited draft where there is one), also
        kept on disk beside the plan, so that it is quick after a restart of the server."""
        plan_path = run.draft if run.draft.is_file() else run.plan_csv
        key = ("gantt", *_stamp(run.scenario_file), *_stamp(plan_path),
               *_stamp(run.kpis_path))
        stored, stored_key = run.folder / "gantt.json", run.folder / "gantt.key"

        def build() -> bytes:
            try:
                if stored_key.read_text(encoding="utf-8") == json.dumps(key):
                    return stored.read_bytes()
            except OSError:
                pass
            data = gantt_data(self.scenario(run.scenario_file), self.plan(plan_path), run.kpis())
            text = json.dumps(data, separators=(",", ":")).encode()
            atomic_write_bytes(stored, text)
            atomic_write_text(stored_key, json.dumps(key))
            return text

        return self._get(key, build)


def warm(cache: Cache, ws: Workspace, scenarios: int = 5) -> None:
    """Read the latest scenarios and their newest plans ahead of the first page (at start)."""
    folders = sorted((ws.folder(n) for n in ws.names()), key=lambda f: f.stat().st_mtime,
                     reverse=True)
    for folder in folders[:scenarios]:
        try:
            cache.scenario(ws.scenario_file(folder.name))
            done = [r for r in ws.runs(folder.name) if r.plan_csv.is_file()]
            if done:
                cache.scenario(done[0].scenario_file)
                cache.gantt_json(done[0])
        except (InputError, OSError):
            continue  # the page reports it when opened
