"""Progress from the first second, in plain words (issue 23, points 4 and 5).

The solver emits ``ProgressEvent`` values; ``scheduler solve`` writes them in Dutch by
default and in English with ``--lang en``, each plan's line ending with the solver's figures
after ``details:`` (the closing status line too with ``--details``),
and as JSON lines with ``--progress-json`` (what the workbench reads). On a generated
1,000-learner region the first line comes within a second and a line at least every few
seconds after it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scheduler.models.progress import PHASES, ProgressEvent
from scheduler.web.progress import describe
from scheduler.words.progress import progress_line, summary_lines
from scheduler.words.web import texts

from .cli_in_process import run

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small_region.yaml"
FIRST_LINE_SECONDS = 1.0  # the first line, from the process's start
MOST_QUIET_SECONDS = 4.0  # between two lines: the heartbeat (2 s) and slack for a busy host


# ----- one event, one sentence --------------------------------------------------------
def event(**fields) -> ProgressEvent:
    return ProgressEvent(**{"seconds": 3.7, "phase": "lp", "learners": 2000, **fields})


def test_a_phase_plan_in_dutch_and_in_english():
    e = event(placed=1953, most=1990, objective=-4025.13, bound=-4192.15, gap=0.0398)
    assert progress_line(e) == ("3,7 s: plan na de LP-relaxatie: 1.953 van 2.000 leerlingen "
                                "geplaatst (hoogstens 1.990 mogelijk); kwaliteit: binnen 4 % "
                                "van het best mogelijke")
    assert progress_line(e, "en") == ("3.7 s: plan after the LP: 1,953 of 2,000 learners "
                                      "placed (at most 1,990 possible); quality: within 4 % of "
                                      "the best possible")
    assert progress_line(e, "en", details=True).endswith(
        " — details: objective -4,025.13, bound -4,192.15, gap 3.98 %")
    assert progress_line(e, "nl", details=True).endswith(
        " — details: doelfunctie -4.025,13, grens -4.192,15, gat 3,98 %")


def test_quality_in_words():
    best = event(phase="cp_sat", plans=7, placed=240, most=240, objective=-1.0, gap=0.0)
    assert progress_line(best) == ("3,7 s: plan 7: 240 van 2.000 leerlingen geplaatst (meer "
                                   "kan niet); kwaliteit: het best mogelijke (bewezen)")
    assert progress_line(event(placed=240, gap=0.004), "en").endswith(
        "quality: within 0.4 % of the best possible")
    # "within" is a promise: rounded up (a 60 s run printed "binnen 1 %" for 1.48 %)
    assert progress_line(event(placed=240, gap=0.0148)).endswith(
        "kwaliteit: binnen 2 % van het best mogelijke")
    assert progress_line(event(placed=240, gap=0.0041), "en").endswith(
        "quality: within 0.5 % of the best possible")
    weak = event(placed=240, objective=-7004.64, bound=-1379793.25, gap=195.98)
    assert progress_line(weak).endswith("kwaliteit: nog niet te zeggen")  # no '19598 %'
    assert "%" not in progress_line(weak)
    unknown = event(phase="first_plan", placed=1705)  # no objective: no quality clause
    assert progress_line(unknown, "en") == "3.7 s: first plan: 1,705 of 2,000 learners placed"


def test_the_first_line_and_the_heartbeat():
    start = event(seconds=0.4, phase="build", organisations=80)
    assert progress_line(start, "nl", limit=60, workers=8) == (
        "0,4 s: bezig: 2.000 leerlingen, 80 organisaties ingelezen; model bouwen en eerste "
        "plan zoeken (tijdslimiet 60 s, 8 workers)")
    assert progress_line(start, "en") == ("0.4 s: busy: 2,000 learners, 80 organisations "
                                          "read; building the model and a first plan")
    beat = event(seconds=6.0, heartbeat=True, placed=1705)
    assert progress_line(beat) == ("6,0 s: bezig: plan verbeteren met de LP-relaxatie … "
                                   "(tot nu toe 1.705 van 2.000 geplaatst)")
    assert progress_line(event(seconds=2.0, phase="build", heartbeat=True), "en") == \
        "2.0 s: busy: building the model and a first plan …"


def test_the_summary_in_dutch_and_in_english():
    doc = {"counts": {"placed": 1953, "learners": 2000, "unplaced": 47},
           "preferences": {"first_choice_pct": 66.7},
           "fair_share": {"total_abs_deviation": 71.87, "max_abs_deviation_pct": 42.9},
           "placed_upper_bound": 1990, "objective": -4025.13, "gap": 0.0398,
           "build_seconds": 3.2, "solve_seconds": 50.1, "unplaced_learners": []}
    nl = summary_lines(doc, "out/x", "feasible")
    assert nl == [
        "1.953 van 2.000 leerlingen geplaatst (47 niet geplaatst; meer dan 1.990 kan geen plan "
        "plaatsen), eerste keus 66,7 %, afwijking van de evenredige verdeling 71,87 "
        "leerling-maanden (hoogstens 42,9 %)",
        "status geldig plan; kwaliteit: binnen 4 % van het best mogelijke; bouwen 3,2 s, "
        "zoeken 50,1 s",
        "plan geschreven naar out/x/"]
    en = summary_lines(doc, "out/x", "feasible", "en", details=True)
    assert en[0].startswith("placed 1,953/2,000 learners (47 unplaced; no plan can place "
                            "more than 1,990), first choice 66.7 %")
    assert en[1] == ("status feasible; quality: within 4 % of the best possible; build 3.2 s, "
                     "solve 50.1 s — details: objective -4,025.13, gap 3.98 %")
    assert en[2] == "plan written to out/x/"


def test_an_event_goes_through_json_unchanged():
    e = event(placed=3, most=None, gap=0.5, heartbeat=True)
    assert ProgressEvent.from_json(e.to_json()) == e
    assert ProgressEvent.from_json('{"seconds": 1, "pha') is None  # cut off mid-line
    assert ProgressEvent.from_json("[1, 2]") is None


# ----- the real command -----------------------------------------------------------------
@pytest.fixture(scope="module")
def small_runs(tmp_path_factory) -> dict[str, tuple[int, str, str, Path]]:
    """SMALL solved in Dutch (default) and in English with --details, each with its
    progress file."""
    folder = tmp_path_factory.mktemp("progress")
    runs = {}
    for name, extra in (("nl", ()), ("en", ("--lang", "en", "--details"))):
        events = folder / f"{name}.jsonl"
        code, out, err = run("solve", str(SMALL), "--out", str(folder / name), "--workers",
                             "1", "--time-limit", "10", "--progress-json", str(events), *extra)
        runs[name] = (code, out, err, events)
    return runs


def test_solve_speaks_dutch_by_default(small_runs):
    code, out, err, _ = small_runs["nl"]
    assert code == 0, err
    assert re.match(r"\d+,\d s: bezig: small_region\.yaml inlezen …$", err.splitlines()[0])
    assert "leerlingen, " in err and "organisaties ingelezen; model bouwen" in err
    assert "van 6 leerlingen geplaatst" in err and "kwaliteit: " in err
    # progress shows each plan's objective and bound (after the words); the closing status
    # line only with --details
    judged = [line for line in err.splitlines() if "geplaatst; kwaliteit" in line]
    assert judged and all(" — details: doelfunctie " in line and ", grens " in line
                          for line in judged)
    assert "doelfunctie" not in out
    assert "van 6 leerlingen geplaatst" in out and "plan geschreven naar" in out
    assert "status optimaal; kwaliteit: het best mogelijke (bewezen)" in out


def test_solve_speaks_english_with_lang_en_and_shows_the_figures_with_details(small_runs):
    code, out, err, _ = small_runs["en"]
    assert code == 0, err
    assert "busy: reading small_region.yaml …" in err.splitlines()[0]
    assert "of 6 learners placed" in err and "details: objective " in err
    assert "placed 6/6 learners" in out and "plan written to" in out
    assert "status optimal; quality: the best possible (proven)" in out
    assert "details: objective " in out
    assert "geplaatst" not in err + out


def test_the_progress_file_holds_every_event_and_the_workbench_reads_it(small_runs):
    _, _, err, events = small_runs["nl"]
    lines = events.read_text(encoding="utf-8").splitlines()
    read = [ProgressEvent.from_json(line) for line in lines]
    assert all(e is not None for e in read)
    assert read[0].phase == "build" and read[0].learners == 6  # type: ignore[union-attr]
    assert [e.phase for e in read[-2:]] == ["done", "writing"]  # type: ignore[union-attr]
    assert read[-2].placed == 6 and not read[-2].improving  # type: ignore[union-attr]
    # one line on stderr per event, after the reading line
    assert len(err.splitlines()) >= len(lines) + 1
    meta = {"started": time.time() - 1, "time_limit": 10,
            "argv": ["solve", "x", "--progress-json", str(events)]}
    t = texts("en")
    assert describe(meta, t) == t["progress_writing"]
    cut = events.with_name("cut.jsonl")  # as it stood before the search ended
    cut.write_text("\n".join(line for line in lines if '"phase": "done"' not in line
                             and '"phase": "writing"' not in line) + "\n")
    meta["argv"] = ["solve", "x", "--progress-json", str(cut)]
    assert describe(meta, t).startswith("6 of 6 placed. ")


# ----- from the first second, on a large region -----------------------------------------
@pytest.fixture(scope="module")
def region_1000(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("r1000") / "r1000.yaml"
    code, _, err = run("generate", "--learners", "1000", "--organisations", "40", "--seed",
                       "1", "--out", str(path))
    assert code == 0, err
    return path


def timed_lines(args: list[str]) -> tuple[int, list[tuple[float, str]]]:
    """Each stderr line of ``scheduler ARGS`` with the seconds since the process began."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=ROOT, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines: list[tuple[float, str]] = []
    assert proc.stderr is not None

    def read() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            lines.append((time.monotonic() - started, line.rstrip("\n")))

    reader = threading.Thread(target=read)
    reader.start()
    code = proc.wait(timeout=120)
    reader.join(10)
    return code, lines


def test_progress_from_the_first_second_and_every_few_seconds(region_1000, tmp_path):
    events = tmp_path / "events.jsonl"
    code, lines = timed_lines(["solve", str(region_1000), "--out", str(tmp_path / "plan"),
                               "--time-limit", "6", "--workers", "2", "--no-reports",
                               "--progress-json", str(events)])
    assert code == 0, "\n".join(line for _, line in lines)[-3000:]
    shown = "\n".join(f"{at:6.2f} {line}" for at, line in lines)
    assert lines and lines[0][0] <= FIRST_LINE_SECONDS, shown
    assert "bezig: r1000.yaml inlezen" in lines[0][1], shown
    writing = next(i for i, (_, line) in enumerate(lines) if "plan wegschrijven" in line)
    gaps = [b[0] - a[0] for a, b in zip(lines[:writing], lines[1:writing + 1], strict=True)]
    assert max(gaps) <= MOST_QUIET_SECONDS, shown
    assert any("1.000 leerlingen, 40 organisaties ingelezen" in line for _, line in lines)
    assert any("van 1.000 leerlingen geplaatst" in line for _, line in lines), shown
    read = [json.loads(line) for line in events.read_text().splitlines()]
    assert all(e["phase"] in PHASES for e in read), shown
    news = next(e for e in read[1:] if not e.get("heartbeat"))  # after the build began
    if news["seconds"] - read[0]["seconds"] >= 2.5:  # long enough for a heartbeat
        assert read[1].get("heartbeat") and read[1]["phase"] == "build", shown
