"""A plan's page: progress and Stop, KPIs, Gantt data, hand moves, re-plan, downloads."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from ..errors import InputError
from ..io import atomic_write_text, load_scenario, plan_to_csv_text, read_plan_csv
from ..models import Plan, RuleId
from ..words import LANGUAGES
from ..words.glossary import rule_names
from ..words.messages import Msg, text_of
from ..words.web import js_texts, texts
from .actions import scenario_file, start_run
from .bench import Bench
from .planview import (
    check_draft,
    move_learner,
    moved_counts,
    organisation_places,
    pin_of,
    with_pin,
    without_pins,
)
from .progress import describe, log_tail
from .runs import reconcile
from .suggestions import analysis_state, analysis_view, start_analysis
from .workspace import Run, form_error

DOWNLOADS = {"plan.csv": "text/csv", "kpis.json": "application/json",
             "plan.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "report.html": "text/html"}
REPORT_FILES = ("plan.xlsx", "report.html")


def status_of(bench: Bench, run: Run, lang: str) -> dict[str, Any]:
    bench.runner.reap()  # a solve that ended since the watcher last looked shows as ended
    meta = reconcile(run, bench.runner)
    state = meta.get("state", "queued")
    t = texts(lang)
    if state == "running":
        text = describe(meta, t)
    else:
        text = t.get(f"state_{state}", state)
        kpis = run.kpis()
        if kpis and "counts" in kpis:
            c = kpis["counts"]
            text += "; " + t["placed_of"].format(placed=c["placed"], n=c["learners"])
        if meta.get("note") == "server_stopped":
            text += f" ({t['server_stopped']})"
        if state in ("failed", "killed") and meta.get("exit_code") is not None:
            text += f" (exit {meta['exit_code']})"
    return {"state": state, "text": text, "running": state == "running",
            "reports": meta.get("reports", "")}


def register(app: FastAPI, bench: Bench) -> None:
    ws = bench.ws

    @app.get("/s/{name}/r/{rid}")
    def plan_page(request: Request, name: str, rid: str) -> Response:
        run = ws.run(name, rid)
        lang = bench.lang(request)
        status = status_of(bench, run, lang)
        kpis = run.kpis() if not status["running"] else None
        scenario = bench.cache.scenario(run.scenario_file)
        return bench.render(
            request, "plan.html", name=name, run=run, status=status, kpis=kpis, s=scenario,
            moved=_moved(run), draft=_draft_doc(run), log=log_tail(run.log)[-6000:],
            js_text=json.dumps(js_texts(lang)),
            rule_names=rule_names(lang), places=organisation_places(scenario),
            time_limit=run.meta.get("time_limit", 5),
            analysis=analysis_view(bench, run, lang) if kpis else None)

    @app.post("/s/{name}/r/{rid}/explain")
    async def explain(request: Request, name: str, rid: str) -> Response:
        """Look for checked suggestions (`scheduler explain`, in a child process)."""
        form = await request.form()
        start_analysis(bench, ws.run(name, rid), form.get("time_limit", 20))
        return RedirectResponse(f"/s/{name}/r/{rid}#suggestions", status_code=303)

    @app.get("/api/s/{name}/r/{rid}/explain")
    def explain_api(name: str, rid: str) -> Response:
        return JSONResponse({"state": analysis_state(bench, ws.run(name, rid))})

    @app.get("/api/s/{name}/r/{rid}/status")
    def status_api(request: Request, name: str, rid: str) -> Response:
        return JSONResponse(status_of(bench, ws.run(name, rid), bench.lang(request)))

    @app.post("/s/{name}/r/{rid}/stop")
    def stop(name: str, rid: str) -> Response:
        bench.runner.stop(ws.run(name, rid))
        return RedirectResponse(f"/s/{name}/r/{rid}", status_code=303)

    @app.get("/api/s/{name}/r/{rid}/gantt")
    def gantt(name: str, rid: str) -> Response:
        return Response(bench.cache.gantt_json(ws.run(name, rid)), media_type="application/json")

    @app.post("/s/{name}/r/{rid}/move")
    async def move(request: Request, name: str, rid: str) -> Response:
        form = await request.form()
        run = ws.run(name, rid)
        learner, dept = str(form.get("learner", "")), str(form.get("department", ""))
        try:
            placement = int(str(form.get("placement", "")))
        except ValueError:
            raise form_error(Msg("web.placement_number"), field="placement") \
                from None
        _hand_move(bench, run, learner, placement, dept)
        return RedirectResponse(f"/s/{name}/r/{rid}#move", status_code=303)

    @app.post("/s/{name}/r/{rid}/discard")
    def discard(name: str, rid: str) -> Response:
        _discard(bench, ws.run(name, rid))
        return RedirectResponse(f"/s/{name}/r/{rid}#move", status_code=303)

    @app.post("/s/{name}/r/{rid}/replan")
    async def replan(request: Request, name: str, rid: str) -> Response:
        form = await request.form()
        run = ws.run(name, rid)
        base = run.draft if run.draft.is_file() else run.plan_csv
        baseline = None if form.get("fresh") or not base.is_file() else (rid, base)
        new = start_run(bench, name, form.get("time_limit"), baseline)
        return RedirectResponse(f"/s/{name}/r/{new.id}", status_code=303)

    @app.get("/s/{name}/r/{rid}/download/{file}")
    def download(name: str, rid: str, file: str) -> Response:
        run = ws.run(name, rid)
        if file in ("scenario.yaml", "scenario.xlsx"):
            return scenario_file(load_scenario(run.scenario_file), f"{name}-{rid}",
                                 file.rsplit(".", 1)[1])
        if file not in DOWNLOADS:
            raise InputError(Msg("web.no_download", name=file[:40]))
        if file in REPORT_FILES:
            _reports_ready(bench, run)
        path = run.plan_dir / file
        if not path.is_file():
            raise InputError(Msg("web.not_there", file=file))
        return FileResponse(path, media_type=DOWNLOADS[file], filename=f"{name}-{rid}-{file}")


def _reports_ready(bench: Bench, run: Run) -> None:
    """plan.xlsx and report.html are drawn after the solve (`scheduler plot`): wait for it,
    or draw them now where an earlier server did not."""
    bench.runner.reports_now(run)  # still waiting to be drawn: now
    if bench.runner.running(run, "reports"):
        bench.runner.wait(run, "reports", timeout=120)
    elif not (run.plan_dir / "report.html").is_file() and run.plan_csv.is_file():
        bench.runner.start_reports(run)
        bench.runner.wait(run, "reports", timeout=120)


def _hand_move(bench: Bench, run: Run, learner: str, placement: int, dept: str) -> None:
    """Move one placement in the draft plan, check it at once, and pin it in the scenario
    (so that a re-plan keeps it); the checker's verdict is stored next to the draft."""
    scenario = bench.cache.scenario(run.scenario_file)
    plan = bench.cache.plan(run.draft if run.draft.is_file() else run.plan_csv)
    edited = move_learner(scenario, plan, learner, placement, dept)
    violations = check_draft(scenario, edited)
    pin = pin_of(scenario, learner, placement, dept)
    bench.ws.save(run.scenario, with_pin(bench.ws.load(run.scenario), pin))
    atomic_write_text(run.draft, plan_to_csv_text(edited))
    earlier = _draft_doc(run) or {}
    doc = {"pin": pin, "pins": [*earlier.get("pins", []), pin], "violations": [
        {"rule": v.rule.value, "section": v.rule.spec_section, "message": v.message,
         "text": {lang: text_of(v.message, lang) for lang in LANGUAGES},
         "learner": v.learner, "department": v.department, "buddy": v.buddy,
         "month": v.month} for v in violations]}
    atomic_write_text(run.folder / "draft.json", json.dumps(doc, indent=2) + "\n")


def _draft_doc(run: Run) -> dict[str, Any] | None:
    try:
        doc = json.loads((run.folder / "draft.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for v in doc["violations"]:
        v["rule_id"] = RuleId(v["rule"])
    return doc


def _discard(bench: Bench, run: Run) -> None:
    """Undo the hand moves on this plan: the draft goes, and so do the pins they added."""
    doc = _draft_doc(run)
    if doc is None:
        return
    added = doc.get("pins", [doc["pin"]])
    bench.ws.save(run.scenario, without_pins(bench.ws.load(run.scenario), added))
    for path in (run.draft, run.folder / "draft.json"):
        path.unlink(missing_ok=True)


def _moved(run: Run) -> dict[str, Any] | None:
    """Who moved against the plan this run was re-planned from (compare.py's moves)."""
    baseline = run.meta.get("baseline")
    if not baseline or not run.plan_csv.is_file():
        return None
    try:
        before: Plan = read_plan_csv(baseline)
    except InputError:
        return None
    counts = moved_counts(before, read_plan_csv(run.plan_csv))  # once per page: small
    counts["base"] = run.meta.get("baseline_run", "")
    return counts
