"""Timings of the workbench in a real browser (issue 22): `python -m tests.measure_web`.

1. The default scenario from opening the page to a shown plan (the home page, open
   twente, "Plan maken" with the offered time limit, until the Gantt is drawn), in a fresh
   workspace each time, so nothing is cached: must stay under 5 s.
2. A 2,000-learner region's plan page until its Gantt is drawn (``window.ganttDrawnAt``,
   milliseconds after the navigation began): must stay under 3 s. The region is generated
   (``--learners 2000 --organisations 80 --seed 1``) and solved once through the page.

Each is measured ``RUNS`` times (default 3); the machine's load average is printed with
each figure. Needs Debian's chromium (as the browser tests).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from scheduler.generate import run_generate

from .web_server import CHROMIUM, served

RUNS = int(os.environ.get("RUNS", "3"))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def default_scenario(browser, root: Path, k: int) -> float:  # noqa: ANN001
    workspace = root / f"default-{k}"
    with served(workspace) as server:
        time.sleep(8)  # the forkserver imports the solver first, as after a start
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        start, wall = time.perf_counter(), time.time()
        marks = []

        def mark(what: str) -> None:
            marks.append(f"{what} {time.perf_counter() - start:.2f}")

        page.goto(server + "/")
        mark("home")
        page.select_option("#shipped", "twente")
        page.click("#open-shipped")
        page.wait_for_url("**/s/twente")
        mark("scenario page")
        page.click("#solve-button")  # the time limit the page offers
        page.wait_for_url("**/r/1")
        mark("plan page (solving)")
        page.wait_for_selector("#status[data-running=no]", timeout=120_000)
        mark("plan page (done)")
        page.wait_for_selector("#gantt[data-ready=yes]", timeout=60_000)
        seconds = time.perf_counter() - start
        mark("Gantt drawn")
        run = workspace / "scenarios/twente/runs/1"
        meta = json.loads((run / "run.json").read_text())
        log = (run / "solve.log").read_text()
        page.context.close()
    print(f"default scenario, run {k}: opening to a shown plan {seconds:.2f} s "
          f"(load {load()})", flush=True)
    print(f"  {', '.join(marks)}; the solve child {meta['started'] - wall:.2f} to "
          f"{meta['finished'] - wall:.2f}", flush=True)
    print("  " + " | ".join(line for line in log.splitlines()
                            if line.startswith(("status", "plan written"))), flush=True)
    return seconds


def large_region(browser, root: Path) -> list[float]:  # noqa: ANN001
    region = root / "large" / "regio2000.yaml"
    region.parent.mkdir(parents=True)
    run_generate(learners=2000, organisations=80, seed=1, out=region, utilisation=0.85,
                 region="twente", fmt="yaml", months=24, pinned_share=0.0)
    bundle = region.with_suffix(".zip")  # the YAML with its CSV tables, as one upload
    with zipfile.ZipFile(bundle, "w") as z:
        for f in region.parent.glob("regio2000*.*"):
            if f.suffix in (".yaml", ".csv"):
                z.write(f, f.name)
    workspace = root / "large-ws"
    out = []
    with served(workspace) as server:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(server + "/")
        page.set_input_files("#upload-file", str(bundle))
        page.click("#upload-button")
        page.wait_for_url("**/s/*", timeout=120_000)
        page.fill("#time-limit", "30")
        page.click("#solve-button")
        page.wait_for_selector("#status[data-running=no]", timeout=600_000)
        url = page.url
        page.wait_for_selector("#gantt[data-ready=yes]", timeout=120_000)
        page.context.close()
        for k in range(1, RUNS + 1):
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(url)
            page.wait_for_selector("#gantt[data-ready=yes]", timeout=120_000)
            ms = page.evaluate("window.ganttDrawnAt")
            rows = page.locator("#gantt svg rect.bar").count()
            page.context.close()
            out.append(ms / 1000)
            print(f"2,000 learners, run {k}: Gantt drawn {ms / 1000:.2f} s after navigation "
                  f"({rows} bars drawn; load {load()})", flush=True)
    return out


def main() -> int:
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        print("Debian's chromium is missing", file=sys.stderr)
        return 1
    which = sys.argv[1:] or ["default", "large"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        if "default" in which:
            figures = [default_scenario(browser, Path(tmp), k) for k in range(1, RUNS + 1)]
            print(f"default scenario: {', '.join(f'{s:.2f}' for s in figures)} s")
        if "large" in which:
            figures = large_region(browser, Path(tmp))
            print(f"2,000-learner Gantt: {', '.join(f'{s:.2f}' for s in figures)} s")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
