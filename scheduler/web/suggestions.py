"""Checked suggestions for a plan with unplaced learners: ``scheduler explain`` in a child.

The analysis is the command line's own (``scheduler explain SCENARIO --out DIR``), run by
the :class:`~.runs.Runner` outside the server's process, on the scenario as the plan was
solved. It writes ``runs/<n>/explain/explain.json`` and each checked suggestion as a
variant file (``suggestie-K.yaml``), which the page turns into a variant scenario solved
side by side with the base, as ``scheduler whatif`` takes the same file.

The sentences are written again from explain.json's data in the page's language (the same
words as explain's text: ``words/explain.py``), so the language switch works on them too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..explain_variants import change_text
from ..words.explain import render
from ..words.messages import Msg
from .bench import Bench
from .workspace import Run, form_error, form_seconds

ANALYSIS_FOLDER = "explain"


def analysis_of(run: Run) -> Run:
    """The analysis of a run's plan: a folder of its own, with run.json and a log."""
    folder = run.folder / ANALYSIS_FOLDER
    try:
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    return Run(run.scenario, run.id, folder, meta if isinstance(meta, dict) else {})


def start_analysis(bench: Bench, run: Run, limit: Any) -> None:
    seconds = form_seconds(limit, 2, 600)
    analysis = analysis_of(run)
    if bench.runner.running(analysis, "explain"):
        return
    analysis.folder.mkdir(exist_ok=True)
    (analysis.folder / "explain.json").unlink(missing_ok=True)
    analysis.meta = {"time_limit": seconds}
    argv = ["explain", str(run.scenario_file), "--out", str(analysis.folder),
            "--time-limit", f"{seconds:g}"]
    bench.runner.start_explain(analysis, argv)


def analysis_state(bench: Bench, run: Run) -> str:
    """'' (never asked), running, done, failed or killed."""
    analysis = analysis_of(run)
    if bench.runner.running(analysis, "explain"):
        return "running"
    state = str(analysis.meta.get("state", ""))
    if state == "running":  # the server that started it is gone
        return "killed"
    return state


def analysis_view(bench: Bench, run: Run, lang: str) -> dict[str, Any]:
    """What the plan page shows of the analysis: its state and each suggestion's words."""
    state = analysis_state(bench, run)
    view: dict[str, Any] = {"state": state, "suggestions": [], "checked": 0,
                            "time_limit": analysis_of(run).meta.get("time_limit", 20)}
    doc = read_explanation(run)
    if state != "done" or doc is None:
        return view
    view["checked"] = doc.get("suggestions_checked", 0)
    view["seconds"] = doc.get("seconds", 0)
    for sug in doc.get("suggestions") or []:
        view["suggestions"].append({
            "rank": sug["rank"], "rule": sug["rule"],
            "what": "; ".join(change_text(c, lang) for c in sug["changes"]),
            "outcome": outcome_text(doc, sug, lang),
            "gain": sug.get("gain", 0), "places": sug.get("places", [])})
    return view


def read_explanation(run: Run) -> dict[str, Any] | None:
    try:
        doc = json.loads((run.folder / ANALYSIS_FOLDER / "explain.json")
                         .read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def outcome_text(doc: dict[str, Any], sug: dict[str, Any], lang: str) -> str:
    """What the suggestion gains, in explain's words ("plaatst 2 leerling(en) meer; …")."""
    n = doc.get("learners", 0)
    if doc.get("status") == "no_plan":
        if sug["placed"] == n:
            return render("outcome_all", lang, n=n)
        return render("outcome_plan", lang, placed=sug["placed"], n=n,
                      learners=sug["unplaced_after"])
    left = len(sug.get("unplaced_after") or [])
    key = "outcome_places" if left else (
        "outcome_places_one" if sug["gain"] == 1 else "outcome_places_all")
    return render(key, lang, k=sug["gain"], left=left)


def suggestion(run: Run, rank: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(explain.json, the suggestion with this rank), or a form error."""
    doc = read_explanation(run)
    for sug in (doc or {}).get("suggestions") or []:
        if sug.get("rank") == rank:
            return doc or {}, sug
    raise form_error(Msg("web.no_suggestion", rank=rank, plan=run.id))


def variant_file(run: Run, rank: int) -> Path | None:
    """The variant file explain wrote for the suggestion (Dutch or English name)."""
    for name in (f"suggestie-{rank}.yaml", f"suggestion-{rank}.yaml"):
        path = run.folder / ANALYSIS_FOLDER / name
        if path.is_file():
            return path
    return None
